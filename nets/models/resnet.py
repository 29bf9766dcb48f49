"""Residual networks (He et al. 2016) of basic blocks, 1-D or 2-D by the input's rank.

Batch norm keeps running statistics in the `batch_stats` collection: the supervised task updates
them while training, keeps them in the train state's `model_state` (checkpointed with it) and uses
them, frozen, at evaluation.
"""

from collections.abc import Sequence

import flax.linen as nn
import jax

from nets import activations
from nets.models.cnn import spatial_dims
from nets.models.conv import conv
from nets.models.norm import normalize, weighted


class BasicBlock(nn.Module):
  """conv-norm-act-conv-norm, added to the input (projected by a 1 x 1 conv when shapes differ)."""

  features: int
  stride: int = 1
  norm: str = "batch"
  activation: str = "relu"
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    dims = x.ndim - 2
    act = activations.get(self.activation)

    def layer(k: int, s: int) -> nn.Module:
      return weighted(self.norm, conv(self.conv, self.features, (k,) * dims, (s,) * dims, use_bias=False))

    h = act(normalize(self.norm, train)(layer(3, self.stride)(x)))
    # Zero-initialised last scale: each block starts as the identity (Goyal et al. 2017).
    h = layer(3, 1)(h)
    h = (
      nn.BatchNorm(use_running_average=not train, momentum=0.9, scale_init=nn.initializers.zeros)(h)
      if self.norm == "batch"
      else normalize(self.norm, train)(h)
    )
    skip = x
    if x.shape[-1] != self.features or self.stride != 1:
      skip = normalize(self.norm, train)(layer(1, self.stride)(x))
    return act(h + skip)


class ResNet(nn.Module):
  """Stem conv, then `blocks_per_stage` basic blocks per stage (each stage after the first halves
  the resolution and uses the next width), global average pool, dense output."""

  num_outputs: int
  widths: Sequence[int] = (16, 32, 64)
  blocks_per_stage: int = 1
  norm: str = "batch"
  activation: str = "relu"
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    dims = spatial_dims(x, "ResNet")
    act = activations.get(self.activation)
    stem = conv(self.conv, self.widths[0], (3,) * dims, use_bias=False)
    h = act(normalize(self.norm, train)(weighted(self.norm, stem)(x)))
    for stage, width in enumerate(self.widths):
      for block in range(self.blocks_per_stage):
        stride = 2 if stage > 0 and block == 0 else 1
        h = BasicBlock(width, stride, self.norm, self.activation, self.conv)(h, train)
    h = h.mean(axis=tuple(range(1, h.ndim - 1)))
    return nn.Dense(self.num_outputs)(h)
