"""A line with 15% outliers fitted under MSE, MAE and Huber: which loss finds the true line?

  python train.py --config=experiments/losses_outliers.py --workdir=runs/losses_outliers

Result: 30 outliers in 200 points. MSE slope 2.030, intercept 2.392 (parameter error 1.392); MAE
2.015, 1.005 (0.015); Huber 2.018, 1.097 (0.099). 50 s wall, 6.8 s CPU (shared machine).
Seeds 0-2 (a new draw of the points and outliers each; `python scripts/seeds.py
--config=experiments/losses_outliers.py --seeds=3 --workdir=runs/seeds/losses_outliers`; seed 0 is the run
above): parameter error MSE 1.70 +- 0.31, MAE 0.069 +- 0.041, Huber 0.168 +- 0.054 (25 / 28 / 37
outliers). MAE is closest to the true line and MSE furthest for every seed.
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
