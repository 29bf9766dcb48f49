"""Conditioning: first-order optimisers on ill-conditioned least squares; Newton beside gradient descent.

GD, SGD, momentum, Nesterov, Adagrad, RMSprop, Adam and RAdam, 2,000 steps each, on raw and standardised
features; Newton's method on least squares and logistic regression.

  python train.py --config=experiments/conditioning.py --workdir=runs/conditioning

Result: over seeds 0-2 (scripts/seeds.py, a new draw of the data each) the condition number is 2.41e4 +-
0.13e4 raw, 1.35 +- 0.01 standardised. Standardised, steps to 1% above the optimum: GD 60 / 60 / 60, SGD b64
60, SGD b8 597 +- 12, momentum 107 +- 5, Nesterov 60, Adagrad 10, RMSprop 727 +- 170, Adam 110, RAdam 167 +-
21; raw, only Adagrad and Adam reach it in 2,000 steps for every seed. Newton (seed 0): least squares in 1
step, logistic regression in 4 (GD 0.6256 after 2,000 steps). About 10 s wall a seed on the quiet 2-core
machine.
"""

import ml_collections

from nets.config import base_config


def methods() -> ml_collections.ConfigDict:
  """Each optimizer with a log grid of learning rates; batch_size 0 = full batch."""
  grid = lambda lo: tuple(float(lo * 10 ** (i / 2)) for i in range(7))  # lo .. 1000 lo, half decades
  m = lambda opt, lo, batch=0: dict(optimizer=opt, learning_rates=grid(lo), batch_size=batch)
  return ml_collections.ConfigDict(
    dict(
      gd=m("sgd", 1e-4),
      sgd_b8=m("sgd", 1e-5, 8),
      sgd_b64=m("sgd", 1e-4, 64),
      momentum=m("momentum", 1e-4),
      nesterov=m("nesterov", 1e-4),
      adagrad=m("adagrad", 1e-2),
      rmsprop=m("rmsprop", 1e-4),
      adam=m("adam", 1e-4),
      radam=m("radam", 1e-4),
    )
  )


def get_config():
  config = base_config()
  config.driver = "conditioning"
  config.num_examples = 1000
  config.num_features = 10
  config.decades = 2.0  # feature scales from 0.1 to 10
  config.noise = 0.1
  config.num_steps = 2000
  config.eval_every = 10
  config.target_excess = 0.01  # reached when the loss is within 1% of the least-squares optimum
  config.newton_steps = 8
  config.methods = methods()
  return config
