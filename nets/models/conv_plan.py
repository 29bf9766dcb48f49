"""Which formulation the CPU convolution (nets/models/conv.py) uses for each part of a layer of a given shape.

Rules measured on the 2-core AMD EPYC (docs/guide/cpu_convolutions.md), decided from the shapes alone at
trace time and cached, so the same program (and the same float rounding) comes out of every run.
"""

import dataclasses
import functools


@dataclasses.dataclass(frozen=True)
class Plan:
  """fwd_method: "conv" (XLA's convolution) or "taps" (one input channel: the kernel taps' input views
  times their weights, summed in one elementwise loop); fwd_chunk, dx_chunk: examples per convolution call
  of the forward pass and the input gradient (the rest of the batch in a lax.map); dw_method: "taps" (one
  matmul per kernel tap) or "im2col" (one matmul of the concatenated taps); dw_chunk: examples per step of
  the weight gradient's accumulating scan."""

  fwd_method: str
  fwd_chunk: int
  dx_chunk: int
  dw_method: str
  dw_chunk: int


# Output positions (examples x Ho x Wo) per forward convolution call up to which XLA's CPU convolution
# (YNNPACK's, in jax 0.10) runs fastest, measured on a 26 x 26 x 32 -> 64 layer at batch 128: CPU time
# 33-43 ms in chunks of 2-8 images (up to 4,608 positions) against 86-103 ms whole (load 14-17). The input
# gradient runs whole: 39 ms of CPU time against 48-55 ms in chunks of 2 or 4 images on that layer, and
# 20.5 against 28.7 ms on the ResNet block's 28 x 28 x 32 -> 32 (docs/guide/cpu_convolutions.md).
CONV_ROWS = 4608
# Multiply-adds per example from which chunking pays: that layer has 10.6 million and ran its forward pass
# 2.1x faster chunked; layers of 0.2-0.9 million (one input channel, or 14 x 14 x 16 -> 32) ran 1.0-2x
# slower chunked than whole (scripts/bench_conv_parts.py).
CHUNK_FROM_MACS = 4_000_000
# The weight gradient's patches per scan step (positions x kh*kw*C, or x C per tap), about L2-sized: 4
# images of that layer (2,304 x 288) ran 46 ms against 70 ms per tap and 80 ms over 8 images.
PATCH_ELEMENTS = 2304 * 288
# kh * kw * C up to which one im2col matmul replaces per-tap matmuls; measured at 288 (3 x 3 x 32), beyond
# it per-tap matmuls avoid a patches array k*k times the chunk.
IM2COL_MAX_DEPTH = 576
# Forward passes with one input channel ("taps"): XLA's convolution (Eigen) ran 28 x 28 x 1 -> 16 at batch
# 128 in 4.5 ms, the nine taps' views times their weights, fused into one loop, in 0.43 ms (3.7 -> 0.44 ms
# at 32 filters, 5.2 -> 0.33 ms on the line CNN's 14 x 224 x 1 -> 8). At three channels the same sum ran
# 16 ms against 4.7 (the views times a 3 x F matrix each): taps only for one channel.


def _chunk(batch: int, per_example: int, budget: int) -> int:
  """The largest divisor of the batch whose chunk stays within `budget` (at least 1): a divisor, so that
  the chunks are one lax.map or scan with no remainder call and concatenation."""
  most = max(1, min(batch, budget // max(per_example, 1)))
  return max(d for d in range(1, most + 1) if batch % d == 0)


@functools.cache
def plan_for(x_shape, kernel_shape, strides, pads) -> Plan:
  """The plan for an N x H x W x C input and kh x kw x C x F kernel (2-D, after conv_nd's reshapes)."""
  n, h, w, _ = x_shape
  kh, kw, c, f = kernel_shape
  sizes = zip((h, w), pads, (kh, kw), strides, strict=True)
  out = [(size + lo + hi - k) // s + 1 for size, (lo, hi), k, s in sizes]
  positions = out[0] * out[1]
  heavy = positions * kh * kw * c * f >= CHUNK_FROM_MACS
  method = "im2col" if kh * kw * c <= IM2COL_MAX_DEPTH else "taps"
  depth = kh * kw * c if method == "im2col" else c
  return Plan(
    fwd_method="taps" if c == 1 else "conv",
    fwd_chunk=_chunk(n, positions, CONV_ROWS) if heavy else n,
    dx_chunk=n,
    dw_method=method,
    dw_chunk=_chunk(n, positions * depth, PATCH_ELEMENTS),
  )
