"""Encoders and decoders for images (MLP or small convolutional), an autoencoder and a VAE.

An encoder maps images B x H x W x C to codes B x K; a decoder maps codes back to pixel logits
B x H x W x C (apply a sigmoid for intensities in [0, 1]). The convolutional pair halves / doubles
the resolution twice, so H and W must be divisible by 4 (28 x 28 MNIST, 8 x 8 digits).
"""

import math
from collections.abc import Sequence

import flax.linen as nn
import jax
import jax.numpy as jnp

from nets.errors import ConfigError, lookup
from nets.models.cnn import spatial_dims
from nets.models.mlp import MLP


class MLPEncoder(nn.Module):
  """Flatten, Dense + ReLU per width, Dense to `num_outputs`."""

  num_outputs: int
  widths: Sequence[int] = (256,)

  @nn.compact
  def __call__(self, x_BxHxWxC: jax.Array, train: bool = False) -> jax.Array:
    h = x_BxHxWxC.reshape(x_BxHxWxC.shape[0], -1)
    for width in self.widths:
      h = nn.relu(nn.Dense(width)(h))
    return nn.Dense(self.num_outputs)(h)


class MLPDecoder(nn.Module):
  """Dense + ReLU per width (reversed encoder widths), Dense to every pixel's logit."""

  image_shape: tuple[int, int, int]
  widths: Sequence[int] = (256,)

  @nn.compact
  def __call__(self, z_BxK: jax.Array, train: bool = False) -> jax.Array:
    h = z_BxK
    for width in reversed(self.widths):
      h = nn.relu(nn.Dense(width)(h))
    h = nn.Dense(math.prod(self.image_shape))(h)
    return h.reshape(z_BxK.shape[0], *self.image_shape)


class ConvEncoder(nn.Module):
  """3 x 3 convolutions of stride 2 (+ ReLU) per width, flatten, Dense to `num_outputs`; on N x L x C
  signals the same with kernels of 3 and stride 2 along L."""

  num_outputs: int
  widths: Sequence[int] = (32, 64)

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    dims = spatial_dims(x, "ConvEncoder")
    h = x
    for width in self.widths:
      h = nn.relu(nn.Conv(width, (3,) * dims, strides=(2,) * dims)(h))
    return nn.Dense(self.num_outputs)(h.reshape(h.shape[0], -1))


class ConvDecoder(nn.Module):
  """Dense to an H/4 x W/4 grid, then 3x3 transposed convolutions of stride 2 back to H x W."""

  image_shape: tuple[int, int, int]
  widths: Sequence[int] = (32, 64)

  @nn.compact
  def __call__(self, z_BxK: jax.Array, train: bool = False) -> jax.Array:
    height, width, channels = self.image_shape
    scale = 2 ** len(self.widths)
    if height % scale or width % scale:
      raise ConfigError(f"the conv decoder needs image sides divisible by {scale}, got {self.image_shape}")
    widths = list(reversed(self.widths))
    h = nn.relu(nn.Dense(height // scale * width // scale * widths[0])(z_BxK))
    h = h.reshape(z_BxK.shape[0], height // scale, width // scale, widths[0])
    for w in widths[1:]:
      h = nn.relu(nn.ConvTranspose(w, (3, 3), strides=(2, 2))(h))
    return nn.ConvTranspose(channels, (3, 3), strides=(2, 2))(h)


ENCODERS = {"mlp": (MLPEncoder, MLPDecoder), "conv": (ConvEncoder, ConvDecoder)}


class Autoencoder(nn.Module):
  """x -> code z (latent_dim) -> pixel logits. `kind` picks the MLP or the conv pair."""

  image_shape: tuple[int, int, int]
  latent_dim: int = 2
  kind: str = "mlp"
  widths: Sequence[int] = (256,)

  def setup(self):
    encoder, decoder = lookup(ENCODERS, "autoencoder kind", self.kind)
    self.encoder = encoder(self.latent_dim, self.widths)
    self.decoder = decoder(self.image_shape, self.widths)

  def encode(self, x_BxHxWxC: jax.Array) -> jax.Array:
    return self.encoder(x_BxHxWxC)

  def decode(self, z_BxK: jax.Array) -> jax.Array:
    return self.decoder(z_BxK)

  def __call__(self, x_BxHxWxC: jax.Array, train: bool = False) -> jax.Array:
    return self.decode(self.encode(x_BxHxWxC))


class VAE(nn.Module):
  """The encoder gives the mean and log-variance of q(z|x); the decoder gives p(x|z)'s logits."""

  image_shape: tuple[int, int, int]
  latent_dim: int = 2
  kind: str = "mlp"
  widths: Sequence[int] = (256,)

  def setup(self):
    encoder, decoder = lookup(ENCODERS, "autoencoder kind", self.kind)
    self.encoder = encoder(2 * self.latent_dim, self.widths)
    self.decoder = decoder(self.image_shape, self.widths)

  def encode(self, x_BxHxWxC: jax.Array) -> tuple[jax.Array, jax.Array]:
    mean_BxK, log_var_BxK = jnp.split(self.encoder(x_BxHxWxC), 2, axis=-1)
    return mean_BxK, log_var_BxK

  def decode(self, z_BxK: jax.Array) -> jax.Array:
    return self.decoder(z_BxK)

  def __call__(self, x_BxHxWxC: jax.Array, eps_BxK: jax.Array) -> tuple[jax.Array, ...]:
    """Reparameterised: z = mean + exp(log_var / 2) * eps, so gradients flow through the sample."""
    mean, log_var = self.encode(x_BxHxWxC)
    z = mean + jnp.exp(0.5 * log_var) * eps_BxK
    return self.decode(z), mean, log_var


class SimCLRConv(nn.Module):
  """SimCLR's network: a ConvEncoder to a `representation_dim` representation h, then an MLP projection
  head to `projection_dim`. The contrastive task trains `encoder()` and `head()` as separate parameter
  trees (probes read h alone); calling the module gives the projection."""

  representation_dim: int
  projection_dim: int
  widths: Sequence[int] = (32, 64)

  @nn.nowrap
  def encoder(self, name: str | None = None) -> nn.Module:
    return ConvEncoder(self.representation_dim, tuple(self.widths), name=name)

  @nn.nowrap
  def head(self, name: str | None = None) -> nn.Module:
    return MLP(self.projection_dim, widths=(self.representation_dim,), name=name)

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    # Named as the contrastive task's two trees, so that this module as a classifier (projection_dim =
    # the classes, task classify) warm-starts from a SimCLR run: init_from copies encoder and head alike.
    return self.head("head")(self.encoder("encoder")(x))
