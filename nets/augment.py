"""Regularising transforms applied inside the compiled train step, keyed by the step's key.

- `shift_rotate`: random translations and small rotations of images (Nielsen's expanded data).
- `random_crop`: whole-pixel translations, a random window of the edge-padded image (no interpolation).
- `shrink_enlarge`: each image shrunk and enlarged back, losing the detail a smaller image cannot hold.
- `flip_left_right`: mirror images, each with probability 1/2 (for data without a handedness: clothes).
  `mirror` mirrors every image: test-time augmentation's second view, used at evaluation.
- `random_erase`: replace a random rectangle by noise (Zhong et al. 2017's random erasing).
- `mixup`: convex combinations of example pairs and of their targets (Zhang et al. 2018).
"""

import jax
import jax.numpy as jnp

from nets.errors import ConfigError


def _require_images(x: jax.Array, doing: str) -> None:
  """One line naming the transform and the shape, for inputs that are not a batch of images."""
  if x.ndim != 4:
    raise ConfigError(f"augmentation {doing} N x H x W x C images, got inputs of shape {tuple(x.shape)}")


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
  _require_images(x_BxHxWxC, "shifts and rotates")
  b = x_BxHxWxC.shape[0]
  shift_key, angle_key = jax.random.split(key)
  shift_Bx2 = jax.random.uniform(shift_key, (b, 2), minval=-max_shift, maxval=max_shift)
  angle_B = jnp.deg2rad(jax.random.uniform(angle_key, (b,), minval=-max_degrees, maxval=max_degrees))
  return jax.vmap(warp)(x_BxHxWxC, shift_Bx2, angle_B)


def random_crop(key: jax.Array, x_BxHxWxC: jax.Array, pad: int) -> jax.Array:
  """Each image padded by `pad` pixels on every side (edge pixels repeated outward) and cut back to
  H x W at an offset drawn uniformly from the (2 pad + 1)^2 whole-pixel places: a translation by up to
  `pad` pixels along each axis that, unlike `shift_rotate`'s fractional shifts, resamples nothing, so
  the training images stay as sharp as the test images."""
  _require_images(x_BxHxWxC, "crops")
  b, h, w, c = x_BxHxWxC.shape
  padded = jnp.pad(x_BxHxWxC, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="edge")
  offset_Bx2 = jax.random.randint(key, (b, 2), 0, 2 * pad + 1)
  window = lambda image, offset_2: jax.lax.dynamic_slice(image, (offset_2[0], offset_2[1], 0), (h, w, c))
  return jax.vmap(window)(padded, offset_Bx2)


def shrunk_and_enlarged(image_HxWxC: jax.Array, factor: jax.Array) -> jax.Array:
  """The image shrunk to `factor` of its size (linear, antialiased) and enlarged back to H x W, in place:
  what a page photographed from farther away gives its reader, which enlarges each line to its height -
  the detail the smaller image could not hold is lost (at a factor of 1/2, PIL's bilinear resize twice)."""
  h, w, c = image_HxWxC.shape

  def scaled(image, by):
    return jax.image.scale_and_translate(
      image, (h, w, c), (0, 1), jnp.stack([by, by]), jnp.zeros(2), "linear"
    )

  return scaled(scaled(image_HxWxC, factor), 1.0 / factor)


def shrink_enlarge(key: jax.Array, x_BxHxWxC: jax.Array, shrink: float) -> jax.Array:
  """Each image `shrunk_and_enlarged` by a factor drawn uniformly from [1 - shrink, 1]."""
  _require_images(x_BxHxWxC, "shrinks and enlarges")
  factor_B = jax.random.uniform(key, x_BxHxWxC.shape[:1], minval=1.0 - shrink, maxval=1.0)
  return jax.vmap(shrunk_and_enlarged)(x_BxHxWxC, factor_B)


def flip_left_right(key: jax.Array, x_BxHxWxC: jax.Array) -> jax.Array:
  """Each image mirrored about its vertical axis with probability 1/2."""
  _require_images(x_BxHxWxC, "flips")
  flip_B = jax.random.bernoulli(key, 0.5, (x_BxHxWxC.shape[0],))
  return jnp.where(flip_B[:, None, None, None], mirror(x_BxHxWxC), x_BxHxWxC)


def mirror(x_BxHxWxC: jax.Array) -> jax.Array:
  """Every image mirrored left-right (test-time augmentation's second view)."""
  _require_images(x_BxHxWxC, "mirrors")
  return x_BxHxWxC[:, :, ::-1]


def random_erase(
  key: jax.Array, x_BxHxWxC: jax.Array, probability: float, area=(0.02, 0.4), aspect=(0.3, 1 / 0.3)
) -> jax.Array:
  """With `probability`, each image's pixels in one rectangle replaced by Gaussian noise with the batch's
  mean and standard deviation per channel (right for raw and standardised pixels alike): its area
  a fraction of the image's drawn uniformly from `area`, its height / width from `aspect`
  (log-uniformly), clipped to the image, its place uniform (Zhong et al. 2017's defaults)."""
  _require_images(x_BxHxWxC, "erases from")
  b, h, w, _ = x_BxHxWxC.shape
  on_key, area_key, aspect_key, top_key, left_key, noise_key = jax.random.split(key, 6)
  on_B = jax.random.bernoulli(on_key, probability, (b,))
  area_B = jax.random.uniform(area_key, (b,), minval=area[0], maxval=area[1]) * h * w
  log_aspect = jnp.log(jnp.array(aspect))
  aspect_B = jnp.exp(jax.random.uniform(aspect_key, (b,), minval=log_aspect[0], maxval=log_aspect[1]))
  height_B = jnp.clip(jnp.round(jnp.sqrt(area_B * aspect_B)), 1, h)
  width_B = jnp.clip(jnp.round(jnp.sqrt(area_B / aspect_B)), 1, w)
  top_B = jnp.floor(jax.random.uniform(top_key, (b,)) * (h - height_B + 1))
  left_B = jnp.floor(jax.random.uniform(left_key, (b,)) * (w - width_B + 1))
  rows_BxH = jnp.arange(h) - top_B[:, None]
  cols_BxW = jnp.arange(w) - left_B[:, None]
  inside_BxHxW = ((rows_BxH >= 0) & (rows_BxH < height_B[:, None]))[:, :, None] & (
    (cols_BxW >= 0) & (cols_BxW < width_B[:, None])
  )[:, None, :]
  erase_BxHxWx1 = (inside_BxHxW & on_B[:, None, None])[..., None]
  mean_C, std_C = x_BxHxWxC.mean((0, 1, 2)), x_BxHxWxC.std((0, 1, 2))
  noise = mean_C + std_C * jax.random.normal(noise_key, x_BxHxWxC.shape, x_BxHxWxC.dtype)
  return jnp.where(erase_BxHxWx1, noise, x_BxHxWxC)


def mixup_pairs(key: jax.Array, batch_size: int, alpha: float) -> tuple[jax.Array, jax.Array]:
  """lam ~ Beta(alpha, alpha), one per batch, and the partner of each example (a permutation)."""
  lam_key, perm_key = jax.random.split(key)
  return jax.random.beta(lam_key, alpha, alpha), jax.random.permutation(perm_key, batch_size)


def mix(a_Bx_: jax.Array, lam: jax.Array, perm_B: jax.Array) -> jax.Array:
  """lam a + (1 - lam) a[perm]: applied alike to inputs and to dense targets."""
  return lam * a_Bx_ + (1 - lam) * a_Bx_[perm_B]
