"""Which formulation the CPU convolution (nets/models/conv.py) uses for each part of a layer of a given shape.

Rules measured on the 2-core AMD EPYC (docs/guide/cpu_convolutions.md), decided from the shapes alone at
trace time and cached, so the same program (and the same float rounding) comes out of every run.
"""

import dataclasses
import functools


@dataclasses.dataclass(frozen=True)
class Plan:
  """fwd_chunk, dx_chunk: examples per convolution call of the forward pass and the input gradient (the
  rest of the batch in a lax.map); dw_method: "taps" (one matmul per kernel tap) or "im2col" (one matmul
  of the concatenated taps); dw_chunk: examples per step of the weight gradient's accumulating scan."""

  fwd_chunk: int
  dx_chunk: int
  dw_method: str
  dw_chunk: int


# Output positions (examples x Ho x Wo) per call up to which XLA's CPU convolution and matmul run fastest,
# measured on a 26 x 26 x 32 -> 64 layer at batch 128 (best of 9 on the loaded 2-core machine): the forward
# pass 33 ms in chunks of 8 images (4,608 positions) against 244 ms whole and 79-118 ms in chunks of 6 or
# 12; the input gradient (28 x 28 x 64 -> 32) 48 ms in chunks of 4 (3,136 positions) against 108 ms as
# autodiff's convolution; the weight gradient 46 ms as im2col matmuls over 4 images (2,304 positions)
# against 70 ms per tap and 80 ms for im2col over 8.
CONV_ROWS = 4608
MATMUL_ROWS = 2304
# kh * kw * C up to which one im2col matmul (patches materialised per chunk) replaces per-tap matmuls;
# measured at 288 (3 x 3 x 32), beyond it per-tap matmuls avoid a patches array k*k times the chunk.
IM2COL_MAX_DEPTH = 576


def _chunk(batch: int, positions: int, rows: int) -> int:
  """The largest divisor of the batch whose chunk stays within `rows` positions (at least 1): a divisor,
  so that the chunks are one lax.map with no remainder call and concatenation."""
  most = max(1, min(batch, rows // max(positions, 1)))
  return max(d for d in range(1, most + 1) if batch % d == 0)


@functools.cache
def plan_for(x_shape, kernel_shape, strides, pads) -> Plan:
  """The plan for an N x H x W x C input and kh x kw x C x F kernel (2-D, after conv_nd's reshapes)."""
  n, h, w, _ = x_shape
  kh, kw, c, _ = kernel_shape
  out = [
    (size + lo + hi - k) // s + 1
    for size, (lo, hi), k, s in zip((h, w), pads, (kh, kw), strides, strict=True)
  ]
  positions = out[0] * out[1]
  method = "im2col" if kh * kw * c <= IM2COL_MAX_DEPTH else "taps"
  return Plan(
    fwd_chunk=_chunk(n, positions, CONV_ROWS),
    dx_chunk=_chunk(n, h * w, CONV_ROWS),
    dw_method=method,
    dw_chunk=_chunk(n, positions, MATMUL_ROWS),
  )
