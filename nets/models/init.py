"""Parameter initialisers by name."""

import flax.linen as nn

from nets.errors import lookup

INITIALIZERS = {
  "lecun_normal": nn.initializers.lecun_normal(),
  "he_normal": nn.initializers.he_normal(),
  "glorot_uniform": nn.initializers.glorot_uniform(),
  "normal": nn.initializers.normal(1.0),  # N(0, 1): Nielsen's network.py, weights and biases
  "zeros": nn.initializers.zeros_init(),
}


def initializer(name: str) -> nn.initializers.Initializer:
  return lookup(INITIALIZERS, "initializer", name)
