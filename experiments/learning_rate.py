"""Learning-rate sweep on Nielsen's network (784-30-10 sigmoid, quadratic cost, SGD, batch 10).

  python train.py --config=experiments/learning_rate.py --workdir=runs/learning_rate

Result: test accuracy after 5 epochs: lr 0.01, 0.03, 0.1: 10% (stalled); 0.3: 45.5%; 1: 71.7%;
3: 77.6%; 10: 87.3% (best); 30: 23.7%; 100: 13.4%; 300: 10% (saturated). 84 s wall, 11 s CPU.
Seeds 0-2 (`python scripts/seeds.py --config=experiments/learning_rate.py --seeds=3
--workdir=runs/seeds/learning_rate`; seed 0 is the run above): lr 0.01: 11.6 +- 2.4%; 0.03: 15.7 +-
4.3%; 0.1: 24.6 +- 11.0%; 0.3: 48.4 +- 6.0%; 1: 72.4 +- 0.6%; 3: 81.4 +- 3.6%; 10: 82.7 +- 3.3%; 30:
20.8 +- 2.9%; 100: 11.3 +- 1.5%; 300: 10.0% (every seed). The best rate is 10 for seeds 0-1 and 3 for
seed 2; only seed 0 stays at exactly 10% for rates 0.01-0.1 (seeds 1-2 reach 15-34% at 0.1). Under
6 s wall a seed on the quiet machine.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "learning_rate"
  config.learning_rates = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
  config.num_steps = 2000  # 5 epochs
  config.eval_every = 100
  return config
