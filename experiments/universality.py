"""Universality: one hidden layer of width 1..256 (sigmoid, ReLU) fitted to sin, |x|, wiggly sines, a step.

Nielsen's construction starts each fit, Adam finishes it (1,000 steps).

  python train.py --config=experiments/universality.py --workdir=runs/universality

Result: RMS error at width 1 over RMS at width 256, over seeds 0-2 (scripts/seeds.py, new initialisations):
sigmoid sin 405 +- 4, abs 570 +- 39, wiggly 200 +- 10, step 1031 +- 51; ReLU sin 1629 +- 210, abs 463 +- 13,
wiggly 202 +- 1, step 418 +- 110; slopes of log RMS on log width (4..256) from -0.47 +- 0.03 (sigmoid sin)
to -1.86 +- 0.08 (sigmoid step). 29 s a seed on the quiet 2-core machine.
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
