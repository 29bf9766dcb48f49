"""Universality: one hidden layer of width 1..256 (sigmoid, ReLU) fitted to sin, |x|, wiggly sines, a step.

  python train.py --config=experiments/universality.py --workdir=runs/universality

Result: RMS error, width 1 -> 256: sigmoid sin 0.44 -> 0.0011, abs 0.29 -> 0.00056, wiggly 0.48 ->
0.0023, step 0.22 -> 0.00023; ReLU sin 0.48 -> 0.00024, abs 0.24 -> 0.00050, wiggly 0.45 -> 0.0022,
step 0.25 -> 0.00047. Slopes of log RMS on log width (4..256): -0.5 to -1.9. 243 s wall, 78 s CPU on
the shared 2-core machine (load average ~20).
Seeds 0-2 (new initialisations; `python scripts/seeds.py --config=experiments/universality.py --seeds=3
--workdir=runs/seeds/universality`; seed 0 is the run above): RMS at width 1 over RMS at width 256,
sigmoid sin 405 +- 4, abs 570 +- 39, wiggly 200 +- 10, step 1031 +- 51; ReLU sin 1629 +- 210, abs 463
+- 13, wiggly 202 +- 1, step 418 +- 110. Slopes (4..256) from -0.47 +- 0.03 (sigmoid sin) to -1.86 +-
0.08 (sigmoid step); every target gains at least 186x for every seed. 29 s a seed on the quiet machine.
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
