"""Multilayer perceptron of any widths: 3Blue1Brown's 784-16-16-10, Nielsen's 784-30-10, FSDL's MLP."""

from collections.abc import Sequence

import flax.linen as nn
import jax

from nets import activations
from nets.errors import lookup
from nets.models.dropout import Dropout
from nets.models.init import initializer


class MLP(nn.Module):
  """Flatten, then Dense (+ norm) + activation (+ dropout) per hidden width, then a Dense output layer.

  normalization: "none"; "batch" (BatchNorm after each hidden Dense, batch statistics in training,
  running averages in evaluation); "layer" (LayerNorm there); "weight" (each hidden Dense's kernel
  reparametrised as g * v / ||v||, Salimans & Kingma).
  """

  num_outputs: int
  widths: Sequence[int] = (16, 16)
  activation: str = "relu"
  output_activation: str = "identity"
  dropout_rate: float = 0.0
  kernel_init: str = "lecun_normal"
  bias_init: str = "zeros"
  normalization: str = "none"

  @nn.compact
  def __call__(self, x_BxD: jax.Array, train: bool = False) -> jax.Array:
    act = activations.get(self.activation)
    dense = lambda n: nn.Dense(
      n, kernel_init=initializer(self.kernel_init), bias_init=initializer(self.bias_init)
    )
    norms = {
      "none": lambda h: h,
      "batch": lambda h: nn.BatchNorm(use_running_average=not train, momentum=0.9)(h),
      "layer": lambda h: nn.LayerNorm()(h),
      "weight": lambda h: h,
    }
    norm = lookup(norms, "normalization", self.normalization)
    h = x_BxD.reshape((x_BxD.shape[0], -1))
    for width in self.widths:
      layer = dense(width)
      h = act(norm(nn.WeightNorm(layer)(h) if self.normalization == "weight" else layer(h)))
      if self.dropout_rate:  # 0 = off; Dropout rejects a rate outside [0, 1]
        h = Dropout(self.dropout_rate, deterministic=not train)(h)
    return activations.get(self.output_activation)(dense(self.num_outputs)(h))
