"""Process settings for training and serving on CPU, made once before XLA starts: `configure()`.

Three settings, each measured on the project's 2-core AMD EPYC (docs/guide/cpu_convolutions.md):

- glibc's malloc keeps freed memory (`nets.allocator`): a train step stops paying for page faults.
- XLA's CPU convolutions run on Eigen instead of YNNPACK (``CONV_FLAG`` added to ``XLA_FLAGS``). jaxlib 0.10's
  YNNPACK convolutions run on one core; Eigen's use every core. scripts/bench.py's CNN with flax's
  nn.Conv (batch 128), three runs each way, alternating processes, load 1.5: 75-89 ms a step against
  106-129 ms, 1.06-1.07x PyTorch eager against 0.73-0.77x. XLA's other CPU kernels (matmuls, fusions) are
  unchanged, and the flag is a CPU compiler option: GPU and TPU programs ignore it.
- JAX's persistent compilation cache in ``~/.cache/nets/jax`` (``$XDG_CACHE_HOME`` respected; at most
  2 GiB, least recently used first out): a program compiled once, for at least a second, is read back by
  the next run of the same shapes and flags instead of compiled again.

``NETS_MALLOC=glibc`` keeps malloc's defaults, ``NETS_CPU_CONV=ynnpack`` XLA's own convolutions, and an
``XLA_FLAGS`` that names the YNNPACK fusion types itself is left as it is; ``NETS_COMPILATION_CACHE=off``
compiles every run afresh, and a ``JAX_COMPILATION_CACHE_DIR`` of the user's own is used as it is. The tests
call none of them (one malloc arena slows compiling, most of a test's time; tests/conftest.py gives the test
run a cache of its own); tests/test_runtime.py and tests/test_allocator.py check the settings in fresh
processes, and train.py's processes started by tests make them as any run does.
"""

import os
import sys

from nets import allocator

CONV_FLAG = "--xla_cpu_experimental_ynn_fusion_type=-individual_convolution"


def threaded_convolutions() -> bool:
  """Add CONV_FLAG to ``XLA_FLAGS`` (see above); whether it was added. XLA reads its flags once, when JAX's
  backend starts: after that this does nothing and says so."""
  flags = os.environ.get("XLA_FLAGS", "")
  if os.environ.get("NETS_CPU_CONV") == "ynnpack" or "ynn_fusion_type" in flags or _backend_started():
    return False
  os.environ["XLA_FLAGS"] = f"{flags} {CONV_FLAG}".strip()
  return True


def _backend_started() -> bool:
  """Whether JAX has created a backend in this process (after that, XLA_FLAGS is not read again)."""
  if "jax" not in sys.modules:  # Not imported yet: nothing started, and importing it here would cost 1 s.
    return False
  from jax._src import xla_bridge  # noqa: PLC0415 - the one place that knows; no public API says it.

  return bool(xla_bridge._backends)


CACHE_MAX_BYTES = 2 << 30


def compilation_cache() -> str:
  """Turn on JAX's persistent compilation cache (see above); its directory, or "" where it was left off
  (``NETS_COMPILATION_CACHE=off``) or left to the user's own ``JAX_COMPILATION_CACHE_DIR``."""
  if os.environ.get("NETS_COMPILATION_CACHE") == "off" or os.environ.get("JAX_COMPILATION_CACHE_DIR"):
    return ""
  home = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
  directory = os.path.join(home, "nets", "jax")
  if "jax" in sys.modules:  # JAX read its environment when imported: tell its config instead.
    import jax  # noqa: PLC0415

    jax.config.update("jax_compilation_cache_dir", directory)
    jax.config.update("jax_compilation_cache_max_size", CACHE_MAX_BYTES)
  else:
    os.environ["JAX_COMPILATION_CACHE_DIR"] = directory
    os.environ["JAX_COMPILATION_CACHE_MAX_SIZE"] = str(CACHE_MAX_BYTES)
  return directory


def configure() -> dict:
  """The three settings (above) for this process; what was set, for a run's records."""
  return {
    "malloc_keeps_freed_memory": allocator.keep_freed_memory(),
    "eigen_convolutions": threaded_convolutions(),
    "compilation_cache": compilation_cache(),
  }
