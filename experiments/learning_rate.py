"""Learning-rate sweep on Nielsen's network (784-30-10 sigmoid, quadratic cost, SGD, batch 10).

  python train.py --config=experiments/learning_rate.py --workdir=runs/learning_rate

Result: test accuracy after 5 epochs: lr 0.01, 0.03, 0.1: 10% (stalled); 0.3: 45.5%; 1: 71.7%;
3: 77.6%; 10: 87.3% (best); 30: 23.7%; 100: 13.4%; 300: 10% (saturated). 84 s wall, 11 s CPU.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.driver = "learning_rate"
  config.learning_rates = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0)
  config.num_steps = 2000  # 5 epochs
  config.eval_every = 100
  return config
