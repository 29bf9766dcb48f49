"""MLP on MNIST-1D, the paper's 40-100-100-10 ReLU network.

Adam 1e-2, batch 100, 60 epochs.

  python train.py --config=experiments/mnist1d_mlp.py --workdir=runs/mnist1d_mlp

Result: 66.9 +- 0.4% test accuracy over seeds 0-2 (`--config.driver=ensemble --config.ensemble_size=3`;
66.3, 67.2, 67.3), against the paper's 68% (Greydanus, "Scaling down deep learning", 2020, table 1). 5.1 s
training, 13 s wall for the three on the quiet 2-core machine.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "mnist1d"
  config.model.widths = (100, 100)
  config.model.activation = "relu"
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-2
  config.optimizer.weight_decay = 0.0
  config.batch_size = 100
  config.num_epochs = 60
  return config
