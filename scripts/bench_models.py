"""The benchmarked networks, defined once in Flax and once in PyTorch with the same layers and sizes.

The MLPs are the project's own (nets.models.MLP); the CNN and the small Transformer are written here
so that the two frameworks compute the same functions: same widths, kernels, heads, norms and pooling.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp

from nets.models.conv import conv, max_pool
from nets.models.linecnn import LineCNN
from nets.models.resnet import BasicBlock


class CNN(nn.Module):
  """conv3x3(32) relu, conv3x3(64) relu, maxpool 2, dense 128 relu, dense 10 (Keras' MNIST CNN)."""

  num_outputs: int = 10
  conv: str = "fast"  # nets/models/conv.py; "xla": nn.Conv

  @nn.compact
  def __call__(self, x_BxHxWxC: jax.Array, train: bool = False) -> jax.Array:
    h = nn.relu(conv(self.conv, 32, (3, 3), padding="VALID")(x_BxHxWxC))
    h = nn.relu(conv(self.conv, 64, (3, 3), padding="VALID")(h))
    h = max_pool(h, (2, 2)).reshape(h.shape[0], -1)
    return nn.Dense(self.num_outputs)(nn.relu(nn.Dense(128)(h)))


class ResNetBlock(nn.Module):
  """A ResNet's stem and one basic block (nets.models.resnet): conv3x3(32) BN relu, then conv3x3(32) BN
  relu conv3x3(32) BN added to its input, relu; global average pool, dense 10."""

  num_outputs: int = 10
  conv: str = "fast"

  @nn.compact
  def __call__(self, x_BxHxWxC: jax.Array, train: bool = False) -> jax.Array:
    h = conv(self.conv, 32, (3, 3), use_bias=False)(x_BxHxWxC)
    h = nn.relu(nn.BatchNorm(use_running_average=not train, momentum=0.9)(h))
    h = BasicBlock(32, conv=self.conv)(h, train)
    return nn.Dense(self.num_outputs)(h.mean(axis=(1, 2)))


class LineClassifier(nn.Module):
  """The recognizer's line CNN (recognizer_cnn's sizes, no dropout), its per-frame scores averaged over
  the frames so that the benchmark's classification step drives it: the same convolutions as CTC's."""

  num_outputs: int = 10
  conv: str = "fast"

  @nn.compact
  def __call__(self, x_BxHxWx1: jax.Array, train: bool = False) -> jax.Array:
    line = LineCNN(self.num_outputs, (8, 16, 32), 2, 0.9, 3, 128, 0.0, conv=self.conv)
    return line(x_BxHxWx1, train).mean(axis=1)


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

  def bn_conv(c_in, c_out):
    return [tnn.Conv2d(c_in, c_out, 3, padding=1, bias=False), tnn.BatchNorm2d(c_out, momentum=0.1)]

  class TorchResNetBlock(tnn.Module):
    def __init__(self, width=32, out=10):
      super().__init__()
      self.stem = tnn.Sequential(*bn_conv(1, width), tnn.ReLU())
      self.block = tnn.Sequential(*bn_conv(width, width), tnn.ReLU(), *bn_conv(width, width))
      self.head = tnn.Linear(width, out)

    def forward(self, x):
      h = self.stem(x)
      h = torch.relu(h + self.block(h))
      return self.head(h.mean((2, 3)))

  class TorchLineClassifier(tnn.Module):
    def __init__(self, channels=(8, 16, 32), height=14, hidden=128, out=10):
      super().__init__()
      layers, c_in = [], 1
      for i, c in enumerate(channels):  # max pools with "SAME" padding: ceil_mode
        pool = tnn.MaxPool2d((2, 2) if i < 2 else (2, 1), ceil_mode=True)
        layers += [*bn_conv(c_in, c), tnn.ReLU(), pool]
        c_in, height = c, -(-height // 2)
      self.trunk = tnn.Sequential(*layers)
      self.window = tnn.Conv2d(c_in, hidden, (height, 3), padding=(0, 1))
      self.head = tnn.Linear(hidden, out)

    def forward(self, x):
      h = torch.relu(self.window(self.trunk(x)))[:, :, 0]  # B x hidden x T
      return self.head(h.transpose(1, 2)).mean(1)

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

  models = {"mlp": mlp, "cnn": cnn, "transformer": TorchTransformer}
  return {**models, "resnet_block": TorchResNetBlock, "line_cnn": TorchLineClassifier}
