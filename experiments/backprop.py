"""Nielsen's network trained twice from the same start: NumPy backprop by hand and the JAX loop.

  python train.py --config=experiments/backprop.py --workdir=runs/backprop

Result: PENDING
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "backprop"
  return config
