"""Convolution layers with nn.Conv's parameters: the same tree, the same initialisation from the same key,
the same outputs and gradients to float rounding, so checkpoints load into any of them.

- "fast" (`Conv`, opt in): on GPU/TPU XLA's own convolution (cuDNN and the TPU are fast there); on
  CPU a `jax.custom_vjp` whose forward pass, input gradient and weight gradient are each computed by the
  formulation XLA's CPU backend runs fastest for that shape (nets/models/conv_plan.py):
  the forward pass a convolution in chunks of the batch, or for one input channel (a grayscale image's
  first layer) the kernel taps' shifted inputs times their weights in one fused loop; the input gradient a
  forward convolution of the output gradient (dilated by the stride, padded) with the kernel flipped and
  its in/out channels swapped;
  the weight gradient matmuls over the batch - one per kernel tap, or one of im2col patches when the
  input has few channels - accumulated over chunks of the batch in a scan. Autodiff's weight gradient is
  a convolution with the batch as its contracted feature, which XLA's CPU backend ran 3-10x slower than
  these matmuls on the heavy layers measured, and an order of magnitude slower inside a while loop.
- "im2col" (`Im2colConv`): k x k shifted slices and one matmul, no convolution op at all.
- "xla": flax's nn.Conv.

`conv(impl, ...)` makes any of them, so a model chooses by a config field (`model.conv`).
docs/guide/cpu_convolutions.md has the per-part timings and which formulation each shape uses.
"""

import itertools
from collections.abc import Sequence
from functools import partial

import flax.linen as nn
import jax
import jax.numpy as jnp
from jax import lax

from nets.errors import ConfigError, lookup
from nets.models.conv_plan import Plan, plan_for

Pads = tuple[tuple[int, int], ...]
DIMS_2D = ("NHWC", "HWIO", "NHWC")


def _tuple(value: Sequence[int] | int, dims: int) -> tuple[int, ...]:
  return (value,) * dims if isinstance(value, int) else tuple(value)


def explicit_pads(padding, spatial, kernel_size, strides) -> Pads:
  """nn.Conv's padding ("SAME", "VALID", an int, or (lo, hi) per dimension) as (lo, hi) per dimension."""
  dims = len(spatial)
  if isinstance(padding, str):
    if padding not in ("SAME", "VALID"):
      raise ConfigError(f"Conv pads 'SAME', 'VALID' or by numbers, not {padding!r}")
    return tuple(lax.padtype_to_pads(spatial, kernel_size, strides, padding))
  if isinstance(padding, int):
    return ((padding, padding),) * dims
  return tuple(tuple(p) for p in padding)


def _xla_conv(x, kernel, strides, pads):
  dims = x.ndim - 2
  spec = ("NHC", "HIO", "NHC") if dims == 1 else DIMS_2D if dims == 2 else ("NDHWC", "DHWIO", "NDHWC")
  return lax.conv_general_dilated(x, kernel, strides, pads, dimension_numbers=spec)


def _batch_chunks(fn, chunk: int, *arrays):
  """fn over chunks of `chunk` examples of `arrays` (lax.map, the rest called once), concatenated."""
  n = arrays[0].shape[0]
  whole = (n // chunk) * chunk
  if chunk >= n or whole == 0:
    return fn(*arrays)
  stacked = [a[:whole].reshape(n // chunk, chunk, *a.shape[1:]) for a in arrays]
  y = lax.map(lambda xs: fn(*xs), stacked)
  y = y.reshape(whole, *y.shape[2:])
  return y if whole == n else jnp.concatenate([y, fn(*(a[whole:] for a in arrays))])


def _taps_forward(x, kernel, strides, pads):
  """The sum over kernel taps of the tap's input view (N x Ho x Wo x C) times its C x F weights, as
  broadcast products that XLA fuses into one elementwise loop: fast for one input channel (the plan's
  rule), slow for more."""
  x = jnp.pad(x, ((0, 0), *pads, (0, 0)))
  out_hw = [(n - k) // s + 1 for n, k, s in zip(x.shape[1:3], kernel.shape[:2], strides, strict=True)]
  views = _tap_views(x, kernel.shape, out_hw, strides)
  taps_CxF = kernel.reshape(-1, *kernel.shape[2:])
  return sum(jnp.sum(v[..., None] * w, axis=-2) for v, w in zip(views, taps_CxF, strict=True))


def _forward(x, kernel, strides, pads, plan: Plan):
  if plan.fwd_method == "taps":
    return _taps_forward(x, kernel, strides, pads)
  conv = partial(lax.conv_general_dilated, window_strides=strides, padding=pads, dimension_numbers=DIMS_2D)
  return _batch_chunks(lambda xc: conv(xc, kernel), plan.fwd_chunk, x)


def _input_grad(dy, kernel, in_shape, strides, pads, plan: Plan):
  """The input gradient as a forward convolution: the output gradient dilated by the stride and padded so
  that every input position sees the taps that read it, convolved with the kernel flipped in space and
  its in/out channels swapped."""
  (kh, kw), (n_h, n_w) = kernel.shape[:2], in_shape[1:3]
  edges = []
  for n, k, s, (lo, _), o in zip((n_h, n_w), (kh, kw), strides, pads, dy.shape[1:3], strict=True):
    # Left: k-1-lo zeros (negative: crop); right: whatever makes the output n long again.
    edges.append((k - 1 - lo, n - (o - 1) * s - 1 + lo, s - 1))
  dy = lax.pad(dy, jnp.zeros((), dy.dtype), ((0, 0, 0), *edges, (0, 0, 0)))
  flipped = jnp.flip(kernel, (0, 1)).swapaxes(2, 3)
  conv = partial(lax.conv_general_dilated, window_strides=(1, 1), padding="VALID", dimension_numbers=DIMS_2D)
  return _batch_chunks(lambda dc: conv(dc, flipped), plan.dx_chunk, dy)


def _tap_views(x, kernel_shape, out_hw, strides):
  """The inputs each kernel tap multiplies, in kernel order (row-major taps): N x Ho x Wo x C each."""
  (kh, kw), (oh, ow), (sh, sw) = kernel_shape[:2], out_hw, strides
  return [
    x[:, i : i + (oh - 1) * sh + 1 : sh, j : j + (ow - 1) * sw + 1 : sw]
    for i, j in itertools.product(range(kh), range(kw))
  ]


def _weight_grad_chunk(x, dy, kernel_shape, strides, method: str):
  """Sum over one chunk of the batch of x's tap views times dy: contractions over (N, Ho, Wo)."""
  views = _tap_views(x, kernel_shape, dy.shape[1:3], strides)
  contract = (((0, 1, 2), (0, 1, 2)), ((), ()))
  if method == "im2col":
    patches = views[0] if len(views) == 1 else jnp.concatenate(views, axis=-1)
    return lax.dot_general(patches, dy, contract).reshape(kernel_shape)
  taps = [lax.dot_general(v, dy, contract) for v in views]
  return jnp.stack(taps).reshape(kernel_shape)


def _weight_grad(x, dy, kernel_shape, strides, pads, plan: Plan):
  x = jnp.pad(x, ((0, 0), *pads, (0, 0)))
  part = partial(_weight_grad_chunk, kernel_shape=kernel_shape, strides=strides, method=plan.dw_method)
  n, chunk = x.shape[0], plan.dw_chunk
  whole = (n // chunk) * chunk
  if chunk >= n or whole == 0:
    return part(x, dy)
  xs, dys = (a[:whole].reshape(n // chunk, chunk, *a.shape[1:]) for a in (x, dy))
  total = lax.scan(lambda acc, a: (acc + part(*a), None), jnp.zeros(kernel_shape, dy.dtype), (xs, dys))[0]
  return total if whole == n else total + part(x[whole:], dy[whole:])


@partial(jax.custom_vjp, nondiff_argnums=(2, 3, 4))
def _cpu_conv(x, kernel, strides, pads, plan):
  return _forward(x, kernel, strides, pads, plan)


def _cpu_conv_fwd(x, kernel, strides, pads, plan):
  return _forward(x, kernel, strides, pads, plan), (x, kernel)


def _cpu_conv_bwd(strides, pads, plan, residuals, dy):
  x, kernel = residuals
  dx = _input_grad(dy, kernel, x.shape, strides, pads, plan)
  return dx, _weight_grad(x, dy, kernel.shape, strides, pads, plan)


_cpu_conv.defvjp(_cpu_conv_fwd, _cpu_conv_bwd)


def conv_nd(x, kernel, strides: Sequence[int], pads: Pads) -> jax.Array:
  """N x spatial... x C (1-D or 2-D) convolved with a spatial... x C x F kernel, no groups or dilation.
  XLA's convolution off CPU (and for 3-D); on CPU the custom-VJP formulations, a 1-D signal as a
  2-D image one row high."""
  dims = x.ndim - 2
  if jax.default_backend() != "cpu" or dims not in (1, 2):
    return _xla_conv(x, kernel, tuple(strides), tuple(pads))
  if dims == 1:
    x2, k2 = x[:, None], kernel[None]
    return conv_nd(x2, k2, (1, *strides), ((0, 0), *pads))[:, 0]
  strides, pads = tuple(strides), tuple(tuple(p) for p in pads)
  plan = plan_for(x.shape, kernel.shape, strides, pads)
  return _cpu_conv(x, kernel, strides, pads, plan)


class Conv(nn.Module):
  """nn.Conv's layer (N x spatial... x C in, one group) computed by `conv_nd`. Named Conv so that flax
  names its instances as nn.Conv's (Conv_0, ...): the same parameter tree and initialisation."""

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
    pads = explicit_pads(self.padding, x.shape[1:-1], kernel_size, strides)
    kernel = self.param("kernel", self.kernel_init, (*kernel_size, x.shape[-1], self.features))
    y = conv_nd(x, kernel, strides, pads)
    if self.use_bias:
      y = y + self.param("bias", self.bias_init, (self.features,))
    return y


class Im2colConv(Conv):
  """The same layer as k**dims shifted slices and one matmul: no convolution op in the program."""

  @nn.compact
  def __call__(self, x: jax.Array) -> jax.Array:
    dims = x.ndim - 2
    kernel_size, strides = _tuple(self.kernel_size, dims), _tuple(self.strides, dims)
    spatial, channels = x.shape[1:-1], x.shape[-1]
    kernel = self.param("kernel", self.kernel_init, (*kernel_size, channels, self.features))
    pads = explicit_pads(self.padding, spatial, kernel_size, strides)
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


def max_pool(x: jax.Array, window: Sequence[int], padding: str = "VALID") -> jax.Array:
  """nn.max_pool with strides equal to the window. Where the windows tile the input exactly (no padding
  needed) it is a reshape and a max, whose gradient is an elementwise mask instead of XLA's
  select-and-scatter; at tied maxima that gradient is shared between the ties (nn.max_pool's goes to one),
  which after a ReLU (ties at zero, where the ReLU's gradient is zero) changes nothing."""
  spatial = x.shape[1:-1]
  if any(n % k for n, k in zip(spatial, window, strict=True)):
    return nn.max_pool(x, tuple(window), tuple(window), padding=padding)
  split = [d for n, k in zip(spatial, window, strict=True) for d in (n // k, k)]
  tiles = x.reshape(x.shape[0], *split, x.shape[-1])
  return tiles.max(axis=tuple(range(2, 2 * len(spatial) + 1, 2)))


# Flax names instances by their class's __name__: Conv_0, ... as nn.Conv's, so the parameter trees match.
Im2colConv.__name__ = "Conv"

CONV_IMPLS = {"fast": Conv, "xla": nn.Conv, "im2col": Im2colConv}


def conv(impl: str, features: int, kernel_size, strides=1, padding="SAME", use_bias=True) -> nn.Module:
  """A convolution layer by implementation name ("fast": Conv; "xla": nn.Conv; "im2col": Im2colConv)."""
  layer = lookup(CONV_IMPLS, "model.conv", impl)
  return layer(features, kernel_size, strides=strides, padding=padding, use_bias=use_bias)
