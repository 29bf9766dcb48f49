"""Bayesian search (optuna TPE) over learning rate, weight decay (AdamW) and dropout for the MNIST-1D
paper CNN, 15 epochs a trial, maximising accuracy on 500 held-out training signals. Killed, it resumes.

  python scripts/tune.py --config=experiments/mnist1d_cnn_tune.py --workdir=runs/mnist1d_cnn_tune

Result: 8 trials in 365 s wall (shared 2-core CPU); best validation accuracy 91.4% (trial 7: learning
rate 0.026, weight decay 0.0028, dropout 0.11), its test accuracy 89.6%; the worst trial 62.6%.
"""

import ml_collections

from experiments.mnist1d_cnn import get_config as cnn_config


def get_config():
  config = cnn_config()
  config.driver = "tune"
  config.data.validation_size = 500
  config.optimizer.name = "adamw"
  config.num_epochs = 15
  config.tune = ml_collections.ConfigDict(
    dict(
      trials=8,
      metric="val_accuracy",
      learning_rate=(1e-3, 3e-2),
      weight_decay=(1e-5, 1e-1),
      dropout_rate=(0.0, 0.5),
    )
  )
  return config
