"""Depth: a 10-hidden-layer MLP with sigmoid, tanh, ReLU; without and with batch, layer, weight norm.

  python train.py --config=experiments/depth.py --workdir=runs/depth

Result: PENDING
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
  config.num_steps = 400  # 10 epochs of mnist_5k's 4,000 training digits
  config.eval_every = 20
  config.probe_size = 1000  # examples for the gradient norms at initialisation
  return config
