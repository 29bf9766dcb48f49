"""nets.runtime: nets-train's processes compile convolutions for Eigen, unless told otherwise."""

import json
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


# nets.runtime's own settings and the test run's (tests/conftest.py): a fresh process starts without them,
# as a user's does.
UNSET = ("XLA_FLAGS", "NETS_CPU_CONV", "JAX_DISABLE_MOST_OPTIMIZATIONS", "NETS_COMPILATION_CACHE")
UNSET += ("JAX_COMPILATION_CACHE_DIR", "JAX_COMPILATION_CACHE_MAX_SIZE")


def fresh(program: str, arg: str, **env) -> str:
  """What `program` prints, run with `arg` in a fresh process: the environment without UNSET, with `env`."""
  environ = {**{k: v for k, v in os.environ.items() if k not in UNSET}, **env}
  out = subprocess.run([sys.executable, "-c", program, arg], capture_output=True, text=True, env=environ)
  assert out.returncode == 0, out.stderr[-2000:]
  return out.stdout


def run(mode: str, **env) -> list[str]:
  """PROGRAM's three answers (no compilation cache: nothing written to the user's home)."""
  return fresh(PROGRAM, mode, **{"NETS_COMPILATION_CACHE": "off", **env}).split()


def test_configure_moves_convolutions_off_ynnpack_and_only_before_the_backend_starts():
  assert run("configure") == ["True", "False", "False"]  # Set: no YNNPACK fusion.
  # XLA's default: the same convolution is a YNNPACK fusion, and once the backend runs, asking for Eigen's
  # does nothing (XLA read its flags) and says so.
  assert run("none") == ["None", "True", "False"]


def test_the_user_keeps_ynnpack_by_asking_or_by_naming_its_fusions():
  assert run("configure", NETS_CPU_CONV="ynnpack")[:2] == ["False", "True"]
  own = "--xla_cpu_experimental_ynn_fusion_type=individual_convolution"
  assert run("configure", XLA_FLAGS=own)[:2] == ["False", "True"]


# Compiles a program after runtime.configure() (JAX caches only compiles of at least a minimum time: 0 here),
# and prints the cache directory set and its files.
CACHED = """
import json, os, sys
if sys.argv[1] == "jax first":  # As nets-serve: JAX imported before configure() runs.
  import jax
from nets import runtime
settings = runtime.configure()
import jax, jax.numpy as jnp
def f(x):
  return jnp.sin(x) @ x
jax.jit(f)(jnp.ones((8, 8))).block_until_ready()
directory = settings["compilation_cache"]
print(json.dumps([directory, sorted(os.listdir(directory)) if directory else []]))
"""


def cached(home, order="configure first", **env) -> tuple[str, list[str]]:
  """(the cache directory configure() set, its files) of CACHED, its home cache `home`."""
  env = {"XDG_CACHE_HOME": str(home), "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0", **env}
  return tuple(json.loads(fresh(CACHED, order, **env)))


def test_configure_keeps_compiled_programs_in_the_users_cache(tmp_path):
  directory, files = cached(tmp_path)
  assert directory == str(tmp_path / "nets" / "jax") and any(f.startswith("jit_f-") for f in files)
  directory, files = cached(tmp_path / "late", "jax first")
  assert directory == str(tmp_path / "late" / "nets" / "jax") and any(f.startswith("jit_f-") for f in files)
  assert cached(tmp_path / "off", NETS_COMPILATION_CACHE="off") == ("", [])
  assert not (tmp_path / "off").exists()
  own = tmp_path / "own"
  assert cached(tmp_path / "else", JAX_COMPILATION_CACHE_DIR=str(own))[0] == ""
  assert any(f.startswith("jit_f-") for f in os.listdir(own))  # The user's own directory, as JAX uses it.
