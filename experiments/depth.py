"""Depth: a 10-hidden-layer MLP with sigmoid, tanh, ReLU; without and with batch, layer, weight norm.

  python train.py --config=experiments/depth.py --workdir=runs/depth

Result (800 steps): test accuracy sigmoid 10.0% / +batch norm 90.3% / +layer 10.0% / +weight 10.0%;
tanh 91.1 / 91.1 / 90.7 / 91.2%; ReLU 85.5 / 92.5 / 93.7 / 91.5%. First-layer gradient norm at init is
2.9e-6 of the last layer's with sigmoid, 1.3 with sigmoid + batch norm. 395 s wall, 78 s CPU on the
shared 2-core machine (load average ~20); rerun at load average ~9: 171 s wall, 90 s CPU. Compiles dominate.
Seeds 0-2 (`python scripts/seeds.py --config=experiments/depth.py --seeds=3 --workdir=runs/seeds/depth`;
seed 0 is the run above, to the digit): sigmoid 10.0 / 90.1 +- 0.2 / 10.0 / 10.0% (chance for every
seed without batch norm); tanh 91.7 +- 0.5 / 91.0 +- 0.6 / 91.9 +- 1.3 / 91.1 +- 0.5%; ReLU 88.5 +- 2.1
/ 92.8 +- 0.4 / 90.4 +- 4.2 / 90.9 +- 1.6% (none / batch / layer / weight). ReLU + layer norm's 93.7%
was seed 0's: seed 1 reads 84.5%; batch norm is the steady one. First-to-last gradient ratio at
init with sigmoid (2.1-2.9) e-6 for every seed. 40 s wall a seed on the quiet machine.
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
