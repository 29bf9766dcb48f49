"""Nielsen's network trained twice from the same start: NumPy backprop by hand and the JAX loop.

  python train.py --config=experiments/backprop.py --workdir=runs/backprop

Result: NumPy 81.1%, JAX 81.1% test accuracy on mnist_5k after 30 epochs (per-epoch curves agree to
7e-8); NumPy 8.5 s (14,100 examples/s), JAX loop 12.0 s (10,000 examples/s); whole command 105 s wall,
13.5 s CPU on the shared 2-core machine (load average ~20).
Seeds 0-2 (`python scripts/seeds.py --config=experiments/backprop.py --seeds=3
--workdir=runs/seeds/backprop`): NumPy and JAX agree for every seed (0 points apart: 81.1 / 89.2 /
90.0%, 86.8 +- 4.0%); beside one other training run, NumPy 1.8 +- 0.2 s (67,000 +- 8,000 examples/s),
the JAX loop 2.9 +- 0.1 s (41,000 +- 1,000).
Published: 95.42% on full MNIST (Nielsen, chapter 1); the JAX `nielsen` experiment alone: 81.1%.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "backprop"
  return config
