"""Optimizers on a 784-64-10 ReLU MLP (mnist_5k, cross-entropy): steps and seconds to a target loss.

  python train.py --config=experiments/optimizers.py --workdir=runs/optimizers

Result: steps (seconds) to training loss 0.1, best lr of each grid: GD 180 (5.9 s), SGD b10 not
reached in 600 steps, SGD b100 300 (0.55 s), SGD b1000 180 (1.76 s), momentum 220 (0.30 s), Nesterov
140 (0.15 s), Adagrad 280 (0.46 s), RMSprop 240 (0.36 s), Adam 160 (0.52 s), RAdam 220 (0.43 s).
149 s wall, 46 s CPU on the shared machine.
Seeds 0-2 (`python scripts/seeds.py --config=experiments/optimizers.py --seeds=3
--workdir=runs/seeds/optimizers`; seed 0 is the run above; every best rate the same for the three):
steps to loss 0.1 GD 200 +- 43, SGD b10 not reached (any seed), b100 313 +- 19, b1000 180 +- 16,
momentum 213 +- 9, Nesterov 127 +- 9, Adagrad 247 +- 25, RMSprop 207 +- 34, Adam 167 +- 9, RAdam
207 +- 9. Nesterov first and Adam second for every seed. 19 s wall a seed on the quiet machine.
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
