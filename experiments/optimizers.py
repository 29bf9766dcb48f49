"""Optimizers on a 784-64-10 ReLU MLP (mnist_5k, cross-entropy): steps and seconds to a target loss.

Full-batch GD, SGD at batch 10, 100 and 1000, momentum, Nesterov, Adagrad, RMSprop, Adam, RAdam, each at the
best rate of a small grid, up to 600 steps, timed to a training loss of 0.1.

  python train.py --config=experiments/optimizers.py --workdir=runs/optimizers

Result: steps to training loss 0.1 over seeds 0-2 (scripts/seeds.py; every best rate the same for the
three): GD 200 +- 43, SGD b10 not reached (any seed), b100 313 +- 19, b1000 180 +- 16, momentum 213 +- 9,
Nesterov 127 +- 9, Adagrad 247 +- 25, RMSprop 207 +- 34, Adam 167 +- 9, RAdam 207 +- 9; Nesterov first and
Adam second for every seed. 19 s wall a seed on the quiet 2-core machine.
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "optimizers"
  config.data.name = "mnist_5k"
  config.model.widths = (64,)
  config.model.activation = "relu"
  config.loss = "cross_entropy"
  config.num_steps = 600
  config.eval_every = 20
  config.target_loss = 0.1  # training cross-entropy
  m = lambda opt, lrs, batch=100: dict(optimizer=opt, learning_rates=lrs, batch_size=batch)
  config.methods = ml_collections.ConfigDict(
    dict(
      gd=m("sgd", (1.0, 3.0), 0),
      sgd_b10=m("sgd", (0.03, 0.1, 0.3), 10),
      sgd_b100=m("sgd", (0.3, 1.0, 3.0)),
      sgd_b1000=m("sgd", (0.3, 1.0, 3.0), 1000),
      momentum=m("momentum", (0.03, 0.1, 0.3)),
      nesterov=m("nesterov", (0.03, 0.1, 0.3)),
      adagrad=m("adagrad", (0.03, 0.1, 0.3)),
      rmsprop=m("rmsprop", (1e-3, 3e-3, 1e-2)),
      adam=m("adam", (1e-3, 3e-3, 1e-2)),
      radam=m("radam", (3e-3, 1e-2, 3e-2)),
    )
  )
  return config
