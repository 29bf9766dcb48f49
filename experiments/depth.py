"""Depth: a 10-hidden-layer MLP with sigmoid, tanh, ReLU; without and with batch, layer, weight norm.

  python train.py --config=experiments/depth.py --workdir=runs/depth

Result (800 steps): test accuracy sigmoid 10.0% / +batch norm 90.3% / +layer 10.0% / +weight 10.0%;
tanh 91.1 / 91.1 / 90.7 / 91.2%; ReLU 85.5 / 92.5 / 93.7 / 91.5%. First-layer gradient norm at init is
2.9e-6 of the last layer's with sigmoid, 1.3 with sigmoid + batch norm. 395 s wall, 78 s CPU on the
shared 2-core machine (load average ~20); rerun at load average ~9: 171 s wall, 90 s CPU. Compiles dominate.
Published: Nielsen, chapter 5 (vanishing gradients in deep sigmoid nets).
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
