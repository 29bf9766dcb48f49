"""Per-part timings of the benchmarked networks' convolution layers on CPU: forward pass, input gradient and
weight gradient as autodiff of XLA's convolution (nn.Conv) and as nets/models/conv.py computes them, with
the formulation its plan picks for each shape.

  python scripts/bench_conv_parts.py --repeats=9

Every timer runs once to warm up, then all take turns `--repeats` times (same load for each); the table
gives the median and the best of the repeats in ms. Prints a markdown table (docs/guide/cpu_convolutions.md).
"""

import argparse
import os
import statistics
import sys
import time
from functools import partial

import jax
from jax import lax

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nets import runtime  # noqa: E402
from nets.models import conv  # noqa: E402
from nets.models.conv_plan import plan_for  # noqa: E402

SAME, VALID = ((1, 1), (1, 1)), ((0, 0), (0, 0))
# (network, N x H x W x C input, kernel kh x kw x C x F, pads): 2-D layers of scripts/bench.py's rows and
# of experiments/mnist_cnn.py.
LAYERS = [
  ("bench cnn 1", (128, 28, 28, 1), (3, 3, 1, 32), VALID),
  ("bench cnn 2", (128, 26, 26, 32), (3, 3, 32, 64), VALID),
  ("mnist_cnn 1", (128, 28, 28, 1), (3, 3, 1, 16), SAME),
  ("mnist_cnn 2", (128, 14, 14, 16), (3, 3, 16, 32), SAME),
  ("resnet block", (128, 28, 28, 32), (3, 3, 32, 32), SAME),
  ("line cnn 1", (64, 14, 224, 1), (3, 3, 1, 8), SAME),
  ("line cnn 2", (64, 7, 112, 8), (3, 3, 8, 16), SAME),
  ("line cnn 3", (64, 4, 56, 16), (3, 3, 16, 32), SAME),
  ("line cnn head", (64, 2, 56, 32), (2, 3, 32, 128), ((0, 0), (1, 1))),
]


def timers_for(x_shape, k_shape, pads) -> dict:
  keys = jax.random.split(jax.random.key(0), 3)
  x, kernel = jax.random.normal(keys[0], x_shape), jax.random.normal(keys[1], k_shape)
  strides, plan = (1, 1), plan_for(x_shape, k_shape, (1, 1), pads)
  xla = partial(
    lax.conv_general_dilated, window_strides=strides, padding=pads, dimension_numbers=conv.DIMS_2D
  )
  dy = jax.random.normal(keys[2], xla(x, kernel).shape)
  fns = {
    "xla fwd": (xla, x, kernel),
    "xla dx": (lambda x, k, dy: jax.vjp(lambda x: xla(x, k), x)[1](dy)[0], x, kernel, dy),
    "xla dw": (lambda x, k, dy: jax.vjp(lambda k: xla(x, k), k)[1](dy)[0], x, kernel, dy),
    "fast fwd": (lambda x, k: conv._forward(x, k, strides, pads, plan), x, kernel),
    "fast dx": (lambda k, dy: conv._input_grad(dy, k, x_shape, strides, pads, plan), kernel, dy),
    "fast dw": (lambda x, dy: conv._weight_grad(x, dy, k_shape, strides, pads, plan), x, dy),
  }
  timers = {}
  for name, (fn, *args) in fns.items():
    jitted = jax.jit(fn)
    timers[name] = partial(lambda j, a: jax.block_until_ready(j(*a)), jitted, args)
  return timers, plan


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--repeats", type=int, default=9)
  args = parser.parse_args()
  runtime.configure()
  print(f"load average at start: {os.getloadavg()}")
  print("| layer | input -> F | plan | fwd xla / fast | dx xla / fast | dw xla / fast |")
  print("|---|---|---|---|---|---|")
  for label, x_shape, k_shape, pads in LAYERS:
    timers, plan = timers_for(x_shape, k_shape, pads)
    for t in timers.values():
      t()
    times = {k: [] for k in timers}
    for _ in range(args.repeats):
      for k, t in timers.items():
        start = time.perf_counter()
        t()
        times[k].append(1e3 * (time.perf_counter() - start))
    med = {k: statistics.median(v) for k, v in times.items()}
    best = {k: min(v) for k, v in times.items()}
    cells = [
      f"{med['xla ' + p]:.1f} / {med['fast ' + p]:.1f} "
      f"(best {best['xla ' + p]:.1f} / {best['fast ' + p]:.1f})"
      for p in ("fwd", "dx", "dw")
    ]
    fwd = "taps" if plan.fwd_method == "taps" else plan.fwd_chunk
    plan_text = f"fwd {fwd}, dx {plan.dx_chunk}, dw {plan.dw_method} {plan.dw_chunk}"
    shape = "x".join(map(str, x_shape[1:])) + f" -> {k_shape[-1]}, k {k_shape[0]}x{k_shape[1]}"
    print(f"| {label} | {shape} | {plan_text} | {' | '.join(cells)} |", flush=True)
  print(f"load average at end: {os.getloadavg()}")


if __name__ == "__main__":
  main()
