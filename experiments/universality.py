"""Universality: one hidden layer of width 1..256 (sigmoid, ReLU) fitted to sin, |x|, wiggly sines, a step.

  python train.py --config=experiments/universality.py --workdir=runs/universality

Result: PENDING
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "universality"
  config.targets = ("sin", "abs", "wiggly", "step")
  config.activations = ("sigmoid", "relu")
  config.widths = (1, 2, 4, 8, 16, 32, 64, 128, 256)
  config.num_points = 1024  # Well above the 769 parameters of width 256: a fit, not an interpolation.
  config.num_seeds = 2
  config.num_steps = 1000
  config.optimizer = ml_collections.ConfigDict(dict(name="adam", learning_rate=1e-3, schedule="cosine"))
  return config
