"""The MNIST-1D paper's GRU, three seeds trained together.

Bidirectional, 6 hidden units, every step's output read out by a linear layer; Adam 1e-2, batch 100, 6,000
steps (150 epochs); driver "ensemble".

  python train.py --config=experiments/mnist1d_gru.py --workdir=runs/mnist1d_gru

Result: 89.4 +- 0.7% test accuracy over seeds 0, 1, 2 (90.4, 89.2, 88.7), the 3-member ensemble 93.6%,
against the paper's 91% (Greydanus, "Scaling down deep learning", 2020, table 1): 1.6 points under. 43 s
training (51 s wall) on the quiet 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "ensemble"  # 3 members = seeds 0, 1, 2 in one compiled step
  config.ensemble_size = 3
  config.data.name = "mnist1d"
  config.model = dict(name="rnn", cell="gru", hidden=6, bidirectional=True, readout="flatten")
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-2
  config.batch_size = 100
  config.num_epochs = 150
  return config
