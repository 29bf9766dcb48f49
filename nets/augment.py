"""Regularising transforms applied inside the compiled train step, keyed by the step's key.

- `shift_rotate`: random translations and small rotations of images (Nielsen's expanded data).
- `flip_left_right`: mirror images, each with probability 1/2 (for data without a handedness: clothes).
- `mixup`: convex combinations of example pairs and of their targets (Zhang et al. 2018).
"""

import jax
import jax.numpy as jnp

from nets.errors import ConfigError


def warp(image_HxWxC: jax.Array, shift_2: jax.Array, radians: jax.Array) -> jax.Array:
  """The image moved by shift_2 = (down, right) pixels and turned by `radians` about its centre:
  output pixel p reads the input at R(-radians) (p - centre - shift) + centre, bilinearly."""
  h, w, _ = image_HxWxC.shape
  centre = jnp.array([(h - 1) / 2, (w - 1) / 2])
  grid_2xHxW = jnp.stack(jnp.meshgrid(jnp.arange(h), jnp.arange(w), indexing="ij")).astype(jnp.float32)
  cos, sin = jnp.cos(radians), jnp.sin(radians)
  rel = grid_2xHxW - (centre + shift_2)[:, None, None]
  coords = jnp.stack([cos * rel[0] + sin * rel[1], -sin * rel[0] + cos * rel[1]]) + centre[:, None, None]
  sample = lambda channel_HxW: jax.scipy.ndimage.map_coordinates(channel_HxW, list(coords), 1, "nearest")
  return jax.vmap(sample, in_axes=-1, out_axes=-1)(image_HxWxC)


def shift_rotate(key: jax.Array, x_BxHxWxC: jax.Array, max_shift: float, max_degrees: float) -> jax.Array:
  """Each image moved by up to `max_shift` pixels along each axis and turned by up to `max_degrees`
  about its centre, both uniform; bilinear, edge pixels repeated outward."""
  if x_BxHxWxC.ndim != 4:
    raise ConfigError(
      f"augmentation shifts and rotates N x H x W x C images, got inputs of shape {tuple(x_BxHxWxC.shape)}"
    )
  b = x_BxHxWxC.shape[0]
  shift_key, angle_key = jax.random.split(key)
  shift_Bx2 = jax.random.uniform(shift_key, (b, 2), minval=-max_shift, maxval=max_shift)
  angle_B = jnp.deg2rad(jax.random.uniform(angle_key, (b,), minval=-max_degrees, maxval=max_degrees))
  return jax.vmap(warp)(x_BxHxWxC, shift_Bx2, angle_B)


def flip_left_right(key: jax.Array, x_BxHxWxC: jax.Array) -> jax.Array:
  """Each image mirrored about its vertical axis with probability 1/2."""
  if x_BxHxWxC.ndim != 4:
    shape = tuple(x_BxHxWxC.shape)
    raise ConfigError(f"augmentation flips N x H x W x C images, got inputs of shape {shape}")
  flip_B = jax.random.bernoulli(key, 0.5, (x_BxHxWxC.shape[0],))
  return jnp.where(flip_B[:, None, None, None], x_BxHxWxC[:, :, ::-1], x_BxHxWxC)


def mixup_pairs(key: jax.Array, batch_size: int, alpha: float) -> tuple[jax.Array, jax.Array]:
  """lam ~ Beta(alpha, alpha), one per batch, and the partner of each example (a permutation)."""
  lam_key, perm_key = jax.random.split(key)
  return jax.random.beta(lam_key, alpha, alpha), jax.random.permutation(perm_key, batch_size)


def mix(a_Bx_: jax.Array, lam: jax.Array, perm_B: jax.Array) -> jax.Array:
  """lam a + (1 - lam) a[perm]: applied alike to inputs and to dense targets."""
  return lam * a_Bx_ + (1 - lam) * a_Bx_[perm_B]
