"""Transformer encoder classifier (Vaswani et al. 2017; ViT, Dosovitskiy et al. 2021).

Tokens are non-overlapping patches of an image (patch_size x patch_size) or of a signal
(patch_size steps), linearly embedded; learned or sinusoidal positions are added; pre-LayerNorm
blocks of multi-head self-attention and an MLP follow; the mean token is classified.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp
import numpy as np

from nets.errors import ConfigError, lookup
from nets.models.cnn import spatial_dims
from nets.models.dropout import Dropout

POSITIONS = ("learned", "sinusoidal")


def sinusoidal_positions(num_tokens: int, dim: int) -> np.ndarray:
  """The fixed T x D table of sines and cosines at geometric frequencies (Vaswani et al. 2017)."""
  pos_T1 = np.arange(num_tokens)[:, None]
  freq = np.exp(-np.log(10000.0) * np.arange(0, dim, 2) / dim)
  table = np.zeros((num_tokens, dim), np.float32)
  table[:, 0::2] = np.sin(pos_T1 * freq)
  table[:, 1::2] = np.cos(pos_T1 * freq)[:, : dim // 2]
  return table


class EncoderBlock(nn.Module):
  """x + attention(LN(x)), then x + MLP(LN(x))."""

  heads: int
  mlp_dim: int
  dropout_rate: float = 0.0

  @nn.compact
  def __call__(self, x_BxTxD: jax.Array, train: bool = False) -> jax.Array:
    drop = lambda h: Dropout(self.dropout_rate, deterministic=not train)(h)
    h = nn.LayerNorm()(x_BxTxD)
    h = nn.MultiHeadDotProductAttention(self.heads, deterministic=True)(h, h)
    x = x_BxTxD + drop(h)
    h = nn.Dense(self.mlp_dim)(nn.LayerNorm()(x))
    h = nn.Dense(x.shape[-1])(drop(nn.gelu(h)))
    return x + drop(h)


class Transformer(nn.Module):
  num_outputs: int
  patch_size: int = 4
  dim: int = 64
  depth: int = 2
  heads: int = 4
  mlp_dim: int = 128
  positions: str = "learned"
  dropout_rate: float = 0.0

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    dims = spatial_dims(x, "Transformer")
    positions = lookup({p: p for p in POSITIONS}, "positions", self.positions)
    if self.dim % self.heads:
      raise ConfigError(f"Transformer dim {self.dim} must be divisible by heads {self.heads}")
    patch = (self.patch_size,) * dims
    h = nn.Conv(self.dim, patch, patch, padding="VALID", name="embed")(x)
    h = h.reshape(h.shape[0], -1, self.dim)  # B x T x D tokens
    if positions == "learned":
      h = h + self.param("positions", nn.initializers.normal(0.02), h.shape[1:])
    else:
      h = h + jnp.asarray(sinusoidal_positions(*h.shape[1:]))
    h = Dropout(self.dropout_rate, deterministic=not train)(h)
    for _ in range(self.depth):
      h = EncoderBlock(self.heads, self.mlp_dim, self.dropout_rate)(h, train)
    return nn.Dense(self.num_outputs)(nn.LayerNorm()(h).mean(axis=1))
