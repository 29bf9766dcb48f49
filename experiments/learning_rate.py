"""Learning-rate sweep on Nielsen's network (784-30-10 sigmoid, quadratic cost, SGD, batch 10).

Rates 0.01 to 300, 5 epochs each on mnist_5k.

  python train.py --config=experiments/learning_rate.py --workdir=runs/learning_rate

Result: test accuracy after 5 epochs over seeds 0-2 (scripts/seeds.py): lr 0.01: 11.6 +- 2.4%; 0.03: 15.7
+- 4.3%; 0.1: 24.6 +- 11.0%; 0.3: 48.4 +- 6.0%; 1: 72.4 +- 0.6%; 3: 81.4 +- 3.6%; 10: 82.7 +- 3.3%; 30:
20.8 +- 2.9%; 100: 11.3 +- 1.5%; 300: 10.0% (every seed). Under 6 s wall a seed on the quiet 2-core
machine.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "learning_rate"
  config.learning_rates = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
  config.num_steps = 2000  # 5 epochs
  config.eval_every = 100
  return config
