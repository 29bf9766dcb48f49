"""Full Stack Deep Learning lab 1's MLP: 1024-128 ReLU, dropout 0.5, Adam 1e-3, batch 128.

936,330 parameters; 20 epochs on mnist_5k.

  python train.py --config=experiments/fsdl_mlp.py --workdir=runs/fsdl_mlp

Result: 95.6 +- 0.3% test accuracy over seeds 0-2 (`--config.driver=ensemble --config.ensemble_size=3`;
95.3 / 95.5 / 96.0; the three averaged: 95.5%). FSDL's lab reports no test figure on mnist_5k; on full MNIST
an MLP of this size reaches about 98% (experiments/fsdl_mlp_full.py). 87 s of training for the three on the
shared machine; seed 0 alone 6.6 s, 13.6 s wall on the 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "mnist_5k"
  config.data.standardize = True
  config.model.widths = (1024, 128)
  config.model.activation = "relu"
  config.model.dropout_rate = 0.5
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-3
  config.batch_size = 128
  config.num_epochs = 20
  return config
