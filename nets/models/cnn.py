"""Convolutional networks, 1-D or 2-D by the input's rank: N x L x C signals or N x H x W x C images.

`ConvFeatures` is the reusable feature extractor (convolutions, strided or depthwise-separable,
normalisation, pooling); `CNN` puts dense layers and a classifier on top (LeNet/AlexNet style).
"""

from collections.abc import Sequence

import flax.linen as nn
import jax

from nets import activations
from nets.errors import ConfigError, lookup
from nets.models.conv import conv, max_pool
from nets.models.dropout import Dropout
from nets.models.norm import normalize, weighted

POOLS = ("none", "max", "avg")


def spatial_dims(x: jax.Array, module: str) -> int:
  """1 for N x L x C, 2 for N x H x W x C; a ConfigError for any other rank."""
  if x.ndim not in (3, 4):
    raise ConfigError(f"{module} takes N x L x C signals or N x H x W x C images, got shape {tuple(x.shape)}")
  return x.ndim - 2


def _per_layer(value: Sequence[int] | int, field: str, features: Sequence[int]) -> Sequence[int]:
  values = [value] * len(features) if isinstance(value, int) else list(value)
  if len(values) != len(features):
    raise ConfigError(f"{field} {tuple(values)} needs one entry per layer of features {tuple(features)}")
  return values


class ConvFeatures(nn.Module):
  """One conv layer per entry of `features`: conv -> norm -> activation -> pool (-> dropout).

  kernel_size, strides: one per layer (or one for all); a stride > 1 downsamples instead of pooling.
  separable: depthwise k x k then pointwise 1 x 1 (factorised) convolutions.
  pool: "max", "avg" or "none", window and stride `pool_size`, after every layer.
  """

  features: Sequence[int] = (32, 64)
  kernel_size: Sequence[int] | int = 3
  strides: Sequence[int] | int = 1
  padding: str | int = "SAME"
  separable: bool = False
  pool: str = "max"
  pool_size: int = 2
  norm: str = "none"
  activation: str = "relu"
  dropout_rate: float = 0.0
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    dims = spatial_dims(x, "ConvFeatures")
    pool = lookup({p: p for p in POOLS}, "pool", self.pool)
    strides, kernels = (
      _per_layer(self.strides, "strides", self.features),
      _per_layer(self.kernel_size, "kernel_size", self.features),
    )
    act = activations.get(self.activation)
    for i, (width, kernel, stride) in enumerate(zip(self.features, kernels, strides, strict=True)):
      k, s = (kernel,) * dims, (stride,) * dims
      if self.separable:
        depthwise = nn.Conv(x.shape[-1], k, s, self.padding, feature_group_count=x.shape[-1])
        x = weighted(self.norm, depthwise)(x)
        x = weighted(self.norm, nn.Conv(width, (1,) * dims))(x)
      else:
        x = weighted(self.norm, conv(self.conv, width, k, s, self.padding))(x)
      x = act(normalize(self.norm, train, name=f"norm_{i}")(x))
      window = (self.pool_size,) * dims
      if pool == "max":
        x = max_pool(x, window, padding="SAME")
      elif pool == "avg":
        x = nn.avg_pool(x, window, window, padding="SAME")
      if self.dropout_rate:  # 0 = off; Dropout rejects a rate outside [0, 1]
        x = Dropout(self.dropout_rate, deterministic=not train)(x)
    return x


class CNN(nn.Module):
  """ConvFeatures, flatten (or global average pool), dense hidden layers with dropout, output."""

  num_outputs: int
  features: Sequence[int] = (32, 64)
  kernel_size: Sequence[int] | int = 3
  strides: Sequence[int] | int = 1
  padding: str | int = "SAME"
  separable: bool = False
  pool: str = "max"
  pool_size: int = 2
  norm: str = "none"
  activation: str = "relu"
  conv_dropout_rate: float = 0.0
  global_pool: bool = False  # average over positions instead of flattening
  widths: Sequence[int] = (128,)
  dropout_rate: float = 0.0
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    h = ConvFeatures(
      self.features,
      self.kernel_size,
      self.strides,
      self.padding,
      self.separable,
      self.pool,
      self.pool_size,
      self.norm,
      self.activation,
      self.conv_dropout_rate,
      self.conv,
    )(x, train)
    h = h.mean(axis=tuple(range(1, h.ndim - 1))) if self.global_pool else h.reshape(h.shape[0], -1)
    act = activations.get(self.activation)
    for width in self.widths:
      if self.dropout_rate:  # 0 = off; Dropout rejects a rate outside [0, 1]
        h = Dropout(self.dropout_rate, deterministic=not train)(h)
      h = act(nn.Dense(width)(h))
    if self.dropout_rate:  # 0 = off; Dropout rejects a rate outside [0, 1]
      h = Dropout(self.dropout_rate, deterministic=not train)(h)
    return nn.Dense(self.num_outputs)(h)
