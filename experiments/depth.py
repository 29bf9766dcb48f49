"""Depth: a 10-hidden-layer MLP with sigmoid, tanh, ReLU; without and with batch, layer, weight norm.

Width 32; SGD 0.1, batch 100, 800 steps on mnist_5k.

  python train.py --config=experiments/depth.py --workdir=runs/depth

Result: test accuracy over seeds 0-2 (scripts/seeds.py), none / batch / layer / weight norm: sigmoid 10.0 /
90.1 +- 0.2 / 10.0 / 10.0% (chance for every seed without batch norm); tanh 91.7 +- 0.5 / 91.0 +- 0.6 / 91.9
+- 1.3 / 91.1 +- 0.5%; ReLU 88.5 +- 2.1 / 92.8 +- 0.4 / 90.4 +- 4.2 / 90.9 +- 1.6%. With sigmoid the
first layer's gradient norm at init is (2.1-2.9) e-6 of the last layer's, as Nielsen's chapter 5 describes.
40 s wall a seed on the quiet 2-core machine.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "depth"
  config.data.name = "mnist_5k"
  config.activations = ("sigmoid", "tanh", "relu")
  config.normalizations = ("none", "batch", "layer", "weight")
  config.depth = 10
  config.width = 32
  config.optimizer.name = "sgd"
  config.optimizer.learning_rate = 0.1
  config.batch_size = 100
  config.num_steps = 800  # 20 epochs of mnist_5k's 4,000 training digits
  config.eval_every = 20
  config.probe_size = 1000  # examples for the gradient norms at initialisation
  return config
