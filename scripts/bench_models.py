"""The benchmarked networks, defined once in Flax and once in PyTorch with the same layers and sizes.

The MLPs are the project's own (nets.models.MLP); the CNN and the small Transformer are written here
so that the two frameworks compute the same functions: same widths, kernels, heads, norms and pooling.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp


class CNN(nn.Module):
  """conv3x3(32) relu, conv3x3(64) relu, maxpool 2, dense 128 relu, dense 10 (Keras' MNIST CNN)."""

  num_outputs: int = 10

  @nn.compact
  def __call__(self, x_BxHxWxC: jax.Array, train: bool = False) -> jax.Array:
    h = nn.relu(nn.Conv(32, (3, 3), padding="VALID")(x_BxHxWxC))
    h = nn.relu(nn.Conv(64, (3, 3), padding="VALID")(h))
    h = nn.max_pool(h, (2, 2), strides=(2, 2)).reshape(h.shape[0], -1)
    return nn.Dense(self.num_outputs)(nn.relu(nn.Dense(128)(h)))


class Block(nn.Module):
  """Pre-norm Transformer encoder block: x + MHA(LN(x)), then x + MLP(LN(x))."""

  dim: int
  heads: int
  mlp_dim: int

  @nn.compact
  def __call__(self, h_BxTxD: jax.Array) -> jax.Array:
    a = nn.LayerNorm(epsilon=1e-5)(h_BxTxD)
    attention = nn.MultiHeadDotProductAttention(self.heads, qkv_features=self.dim, out_features=self.dim)
    h = h_BxTxD + attention(a, a)
    m = nn.LayerNorm(epsilon=1e-5)(h)
    return h + nn.Dense(self.dim)(nn.relu(nn.Dense(self.mlp_dim)(m)))


class Transformer(nn.Module):
  """An image's rows as tokens: linear embedding + learned positions, blocks, LN, mean pool, dense."""

  num_outputs: int = 10
  dim: int = 64
  heads: int = 4
  mlp_dim: int = 128
  depth: int = 2

  @nn.compact
  def __call__(self, x_BxTxF: jax.Array, train: bool = False) -> jax.Array:
    x_BxTxF = x_BxTxF.reshape(x_BxTxF.shape[0], x_BxTxF.shape[1], -1)
    pos_TxD = self.param("pos", nn.initializers.normal(0.02), x_BxTxF.shape[1:2] + (self.dim,))
    h = nn.Dense(self.dim)(x_BxTxF) + pos_TxD.astype(x_BxTxF.dtype)
    for _ in range(self.depth):
      h = Block(self.dim, self.heads, self.mlp_dim)(h)
    return nn.Dense(self.num_outputs)(jnp.mean(nn.LayerNorm(epsilon=1e-5)(h), axis=1))


def torch_models():
  """PyTorch twins of the networks, by name; imported only when torch is installed."""
  import torch  # noqa: PLC0415
  from torch import nn as tnn  # noqa: PLC0415

  def mlp(widths, dropout=0.0, in_dim=784, out=10):
    layers, d = [tnn.Flatten()], in_dim
    for w in widths:
      layers += [tnn.Linear(d, w), tnn.ReLU()] + ([tnn.Dropout(dropout)] if dropout else [])
      d = w
    return tnn.Sequential(*layers, tnn.Linear(d, out))

  def cnn():
    return tnn.Sequential(
      tnn.Conv2d(1, 32, 3), tnn.ReLU(), tnn.Conv2d(32, 64, 3), tnn.ReLU(), tnn.MaxPool2d(2),
      tnn.Flatten(), tnn.Linear(12 * 12 * 64, 128), tnn.ReLU(), tnn.Linear(128, 10),
    )  # fmt: skip

  class TorchTransformer(tnn.Module):
    def __init__(self, tokens=28, features=28, dim=64, heads=4, mlp_dim=128, depth=2, out=10):
      super().__init__()
      self.embed = tnn.Linear(features, dim)
      self.pos = tnn.Parameter(0.02 * torch.randn(tokens, dim))
      layer = tnn.TransformerEncoderLayer(
        dim, heads, mlp_dim, dropout=0.0, activation="relu", batch_first=True, norm_first=True
      )
      self.blocks = tnn.TransformerEncoder(layer, depth, enable_nested_tensor=False)
      self.norm, self.head = tnn.LayerNorm(dim, eps=1e-5), tnn.Linear(dim, out)

    def forward(self, x):
      h = self.blocks(self.embed(x.flatten(2)) + self.pos)
      return self.head(self.norm(h).mean(1))

  return {"mlp": mlp, "cnn": cnn, "transformer": TorchTransformer}
