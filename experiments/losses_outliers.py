"""A line with 15% outliers fitted under MSE, MAE and Huber: which loss finds the true line?

  python train.py --config=experiments/losses_outliers.py --workdir=runs/losses_outliers

Result: PENDING
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "losses_outliers"
  config.losses = ("mse", "mae", "huber")
  config.num_examples = 200
  config.slope, config.intercept, config.noise = 2.0, 1.0, 0.3
  config.outlier_fraction = 0.15
  config.outlier_size = 15.0  # outliers sit 7.5 to 15 above the line
  config.num_steps = 3000
  config.optimizer = ml_collections.ConfigDict(dict(name="adam", learning_rate=0.05, schedule="cosine"))
  return config
