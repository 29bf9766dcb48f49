"""scripts/bench.py: each row times its own model's program."""

import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load_bench():
  spec = importlib.util.spec_from_file_location("bench", os.path.join(ROOT, "scripts", "bench.py"))
  bench = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(bench)
  return bench


def convolutions(hlo: str) -> int:
  return len(re.findall(r"= f32\[[\d,]*\]\S* convolution\(", hlo))


def test_the_fast_layer_row_times_the_fast_layer_not_the_nn_conv_twin_it_counts_flops_with():
  bench = load_bench()
  fast = bench.jax_step("cnn", batch_size=2)[0].program.as_text()
  xla = bench.jax_step("cnn_nn_conv", batch_size=2)[0].program.as_text()
  # nn.Conv: 2 forward, 1 input-gradient (the first layer's is not needed) and 2 weight-gradient
  # convolutions; the fast layer computes its weight gradients as matmuls and its one-channel first
  # layer's forward pass as tap products: only the second layer's forward pass and input gradient remain.
  assert (convolutions(fast), convolutions(xla)) == (2, 5)
