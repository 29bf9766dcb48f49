"""MADE (Germain et al. 2015): an MLP whose weight masks make output i depend only on inputs < i.

Pixels are taken in raster order: input j has degree j + 1 (1..D); hidden unit k of a layer of W
has degree 1 + floor(k (D - 1) / W), spread evenly over 1..D-1; a connection is kept when it runs
from a degree to one at least as large, and into output i only from degrees < i + 1. A direct
masked input-to-output layer (inputs j < i) is added to the hidden path. So the logits of
p(x_i = 1 | x_<i) for all i come from one forward pass.
"""

from collections.abc import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np


def degrees(num_inputs: int, widths: Sequence[int]) -> list[np.ndarray]:
  """The degrees of the inputs, then of each hidden layer's units."""
  hidden = [1 + (np.arange(w) * max(num_inputs - 1, 1)) // w for w in widths]  # spread over 1..D-1
  return [np.arange(1, num_inputs + 1), *hidden]


def masks(num_inputs: int, widths: Sequence[int]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
  """(hidden masks, hidden-to-output mask, direct input-to-output mask), each in x out, of 0/1."""
  d = degrees(num_inputs, widths)
  hidden = [(d[i][:, None] <= d[i + 1][None, :]).astype(np.float32) for i in range(len(widths))]
  out = np.arange(1, num_inputs + 1)
  to_output = (d[-1][:, None] < out[None, :]).astype(np.float32)
  direct = (d[0][:, None] < out[None, :]).astype(np.float32)
  return hidden, to_output, direct


class MaskedDense(nn.Module):
  """Dense whose kernel is multiplied elementwise by a fixed 0/1 mask (in x out)."""

  mask: np.ndarray
  use_bias: bool = True

  @nn.compact
  def __call__(self, x_BxI: jax.Array) -> jax.Array:
    kernel = self.param("kernel", nn.initializers.lecun_normal(), self.mask.shape)
    y = x_BxI @ (kernel * jnp.asarray(self.mask))
    if self.use_bias:
      y = y + self.param("bias", nn.initializers.zeros_init(), (self.mask.shape[1],))
    return y


class MADE(nn.Module):
  """Images (B x H x W x C, pixels in {0, 1}) -> B x H x W x C logits of p(x_i = 1 | x_<i)."""

  widths: Sequence[int] = (500,)

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    x_BxD = x.reshape(x.shape[0], -1)
    hidden, to_output, direct = masks(x_BxD.shape[1], tuple(self.widths))
    h = x_BxD
    for mask in hidden:
      h = nn.relu(MaskedDense(mask)(h))
    logits = MaskedDense(to_output)(h) + MaskedDense(direct, use_bias=False)(x_BxD)
    return logits.reshape(x.shape)
