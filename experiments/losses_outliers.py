"""A line with 15% outliers fitted under MSE, MAE and Huber: which loss finds the true line?

y = 2x + 1, 200 points, about 15% of them pushed upwards (a new draw each seed); each loss
minimised by Adam.

  python train.py --config=experiments/losses_outliers.py --workdir=runs/losses_outliers

Result: parameter error over seeds 0-2 (scripts/seeds.py, a new draw of the points and outliers each):
MSE 1.70 +- 0.31, MAE 0.069 +- 0.041, Huber 0.168 +- 0.054; MAE is closest to the true line and MSE
furthest for every seed. 50 s wall, 6.8 s CPU for seed 0 on the shared 2-core machine.
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
