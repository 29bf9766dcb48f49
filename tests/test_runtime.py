"""nets.runtime: nets-train's processes compile convolutions for Eigen, unless told otherwise."""

import os
import subprocess
import sys

# Compiles one convolution (the bench CNN's second, batch 8: XLA leaves small ones off YNNPACK) in a fresh
# process, after runtime.configure() where asked; prints what was set, whether XLA made the convolution a
# YNNPACK fusion, and what threaded_convolutions() does once the backend runs.
PROGRAM = """
import sys
from nets import runtime
settings = runtime.configure() if sys.argv[1] == "configure" else {}
import jax, jax.numpy as jnp
conv = lambda x, k: jax.lax.conv_general_dilated(x, k, (1, 1), "VALID",
  dimension_numbers=("NHWC", "HWIO", "NHWC"))
hlo = jax.jit(conv).lower(jnp.ones((8, 26, 26, 32)), jnp.ones((3, 3, 32, 64))).compile().as_text()
print(settings.get("eigen_convolutions"), "ynn_fusion" in hlo, runtime.threaded_convolutions())
"""


def run(mode: str, **env) -> list[str]:
  """PROGRAM's three answers in a fresh process whose environment sets none of nets.runtime's own, and
  compiles fully (tests/conftest.py's JAX_DISABLE_MOST_OPTIMIZATIONS skips the YNNPACK fusion pass too)."""
  unset = ("XLA_FLAGS", "NETS_CPU_CONV", "JAX_DISABLE_MOST_OPTIMIZATIONS")
  environ = {k: v for k, v in os.environ.items() if k not in unset}
  out = subprocess.run(
    [sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, env={**environ, **env}, check=True
  )
  return out.stdout.split()


def test_configure_moves_convolutions_off_ynnpack_and_only_before_the_backend_starts():
  assert run("configure") == ["True", "False", "False"]  # Set: no YNNPACK fusion.
  # XLA's default: the same convolution is a YNNPACK fusion, and once the backend runs, asking for Eigen's
  # does nothing (XLA read its flags) and says so.
  assert run("none") == ["None", "True", "False"]


def test_the_user_keeps_ynnpack_by_asking_or_by_naming_its_fusions():
  assert run("configure", NETS_CPU_CONV="ynnpack")[:2] == ["False", "True"]
  own = "--xla_cpu_experimental_ynn_fusion_type=individual_convolution"
  assert run("configure", XLA_FLAGS=own)[:2] == ["False", "True"]
