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


# Output positions (examples x Ho x Wo) per call that XLA's CPU convolution and matmul run fastest at:
# a 26 x 26 x 32 -> 64 layer at batch 128 ran its forward pass 2.5x faster in chunks of 4 images than
# whole, its weight gradient 2x faster in chunks of 16 than whole.
CONV_ROWS = 2048
MATMUL_ROWS = 8192
IM2COL_MAX_DEPTH = 64  # kh * kw * C up to which one im2col matmul beats per-tap matmuls


def _chunk(batch: int, positions: int, rows: int) -> int:
  return max(1, min(batch, rows // max(positions, 1)))


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
