"""Logistic regression on MNIST-1D (4,000 / 1,000 signals of length 40).

Adam 1e-2, batch 100, 60 epochs.

  python train.py --config=experiments/mnist1d_logreg.py --workdir=runs/mnist1d_logreg

Result: 31.2 +- 0.8% test accuracy over seeds 0-2 (`--config.driver=ensemble --config.ensemble_size=3`;
seed 0 alone 31.0%), against the paper's 32% (Greydanus, "Scaling down deep learning", 2020, table 1).
Training 3.6 s, 23 s wall for seed 0 on the shared 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "mnist1d"
  config.model.widths = ()  # No hidden layer: softmax regression.
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-2
  config.batch_size = 100
  config.num_epochs = 60
  return config
