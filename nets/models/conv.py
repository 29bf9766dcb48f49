"""Convolution as shifted slices and one matmul (im2col): the same layer as flax's nn.Conv (same
parameters, same initialisation, same outputs to float rounding), computed without XLA's convolution op.

Why: XLA's CPU convolutions run on one thread and an order of magnitude slower inside a while loop, so
the loop runs convolutional steps one per call (training.loop.auto_steps_per_call). The k x k shifted
views of the padded input, concatenated along channels, times the kernel reshaped to (k*k*C) x F, are the
same sums as a dense matmul, which XLA's CPU backend runs on every core and compiles well in a scan. The
mnist_cnn step on the 2-core CPU: 1,750 ex/s with nn.Conv one step a call, 2,750 ex/s sliced in a scan of
20 steps (two processes side by side: 1,200 against 1,800 each). Memory: the patches are k*k times the
input, which is small at these sizes; on a GPU or TPU keep "xla" (cuDNN and the TPU are faster there).

`conv(impl, ...)` makes either, so a model chooses by a config field (`model.conv`).
"""

import itertools
from collections.abc import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp
from jax import lax

from nets.errors import ConfigError, lookup


def _tuple(value: Sequence[int] | int, dims: int) -> tuple[int, ...]:
  return (value,) * dims if isinstance(value, int) else tuple(value)


class Conv(nn.Module):
  """nn.Conv's layer (N x spatial... x C in, one group) as k**dims shifted slices and one matmul. Named
  Conv so that flax names its instances as nn.Conv's (Conv_0, ...): the same parameter tree, the same
  initialisation from the same key, and checkpoints that load into either."""

  features: int
  kernel_size: Sequence[int] | int
  strides: Sequence[int] | int = 1
  padding: str | int | Sequence[tuple[int, int]] = "SAME"
  use_bias: bool = True
  kernel_init: nn.initializers.Initializer = nn.initializers.lecun_normal()
  bias_init: nn.initializers.Initializer = nn.initializers.zeros_init()

  @nn.compact
  def __call__(self, x: jax.Array) -> jax.Array:
    dims = x.ndim - 2
    kernel_size, strides = _tuple(self.kernel_size, dims), _tuple(self.strides, dims)
    spatial, channels = x.shape[1:-1], x.shape[-1]
    kernel = self.param("kernel", self.kernel_init, (*kernel_size, channels, self.features))
    if isinstance(self.padding, str):
      if self.padding not in ("SAME", "VALID"):
        raise ConfigError(f"im2col Conv pads 'SAME', 'VALID' or by numbers, not {self.padding!r}")
      pads = lax.padtype_to_pads(spatial, kernel_size, strides, self.padding)
    elif isinstance(self.padding, int):
      pads = [(self.padding, self.padding)] * dims
    else:
      pads = [tuple(p) for p in self.padding]
    x = jnp.pad(x, ((0, 0), *pads, (0, 0)))
    sizes = zip(spatial, pads, kernel_size, strides, strict=True)
    out = [(n + lo + hi - k) // s + 1 for n, (lo, hi), k, s in sizes]

    # Offsets in row-major order, channels innermost: the order of kernel.reshape(-1, features) (HWIO).
    def view(offset: tuple[int, ...]) -> jax.Array:  # The inputs that kernel tap `offset` multiplies.
      steps = zip(offset, out, strides, strict=True)
      return x[(slice(None), *(slice(o, o + (n - 1) * s + 1, s) for o, n, s in steps))]

    views = [view(offset) for offset in itertools.product(*(range(k) for k in kernel_size))]
    patches = views[0] if len(views) == 1 else jnp.concatenate(views, axis=-1)
    y = patches @ kernel.reshape(-1, self.features)
    if self.use_bias:
      y = y + self.param("bias", self.bias_init, (self.features,))
    return y


CONV_IMPLS = {"xla": nn.Conv, "im2col": Conv}


def conv(impl: str, features: int, kernel_size, strides=1, padding="SAME", use_bias=True) -> nn.Module:
  """A convolution layer by implementation name ("xla": nn.Conv; "im2col": Conv)."""
  layer = lookup(CONV_IMPLS, "model.conv", impl)
  return layer(features, kernel_size, strides=strides, padding=padding, use_bias=use_bias)
