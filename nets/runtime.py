"""Process settings for training and serving on CPU, made once before XLA starts: `configure()`.

Two settings, each measured on the project's 2-core AMD EPYC (docs/guide/cpu_convolutions.md):

- glibc's malloc keeps freed memory (`nets.allocator`): a train step stops paying for page faults.
- XLA's CPU convolutions run on Eigen instead of YNNPACK (``CONV_FLAG`` added to ``XLA_FLAGS``). jaxlib 0.10's
  YNNPACK convolutions run on one core; Eigen's use every core. scripts/bench.py's CNN with flax's
  nn.Conv (batch 128), three runs each way, alternating processes, load 1.5: 75-89 ms a step against
  106-129 ms, 1.06-1.07x PyTorch eager against 0.73-0.77x. XLA's other CPU kernels (matmuls, fusions) are
  unchanged, and the flag is a CPU compiler option: GPU and TPU programs ignore it.

``NETS_MALLOC=glibc`` keeps malloc's defaults, ``NETS_CPU_CONV=ynnpack`` XLA's own convolutions, and an
``XLA_FLAGS`` that names the YNNPACK fusion types itself is left as it is. The tests call neither (one malloc
arena slows compiling, most of a test's time); tests/test_runtime.py and tests/test_allocator.py check the
settings in fresh processes, and train.py's processes started by tests make them as any run does.
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


def configure() -> dict:
  """Both settings (above) for this process; what was set, for a run's records."""
  return {
    "malloc_keeps_freed_memory": allocator.keep_freed_memory(),
    "eigen_convolutions": threaded_convolutions(),
  }
