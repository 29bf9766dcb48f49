"""Nielsen's network trained twice from the same start: NumPy backprop by hand and the JAX loop.

784-30-10 sigmoid, quadratic cost, SGD 3.0, batch 10, 30 epochs on mnist_5k; the NumPy network is
nets/teaching/scratch.py.

  python train.py --config=experiments/backprop.py --workdir=runs/backprop

Result: NumPy and JAX reach the same test accuracy for every seed, 86.8 +- 4.0% over seeds 0-2
(scripts/seeds.py; 81.1 / 89.2 / 90.0%, 0 points apart; seed 0's per-epoch curves agree to 7e-8). Nielsen
publishes 95.42% on full MNIST (chapter 1). Beside one other training run, NumPy 1.8 +- 0.2 s (67,000 +-
8,000 examples/s), the JAX loop 2.9 +- 0.1 s (41,000 +- 1,000) a seed on the shared 2-core machine.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "backprop"
  return config
