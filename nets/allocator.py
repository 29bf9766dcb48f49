"""glibc's malloc set to keep freed memory for the next call: XLA's CPU programs stop paying for page faults.

XLA's CPU runtime mallocs every call's buffers (activations, gradients, a loop's stacked outputs) and
frees them when the call returns. Under glibc's defaults such large blocks are mmapped, or come from
per-thread arenas that hand freed memory back to the kernel, so the next call touches fresh pages and the
kernel zero-fills each 4 KiB on first touch. scripts/bench.py's CNN train step (batch 128) took 21,800
minor page faults a step, its nn.Conv twin 63,000, the Transformer 11,000; with `keep_freed_memory()` 0-2,200,
0-340 and 0, and the steps' CPU time fell by 12-53% (docs/performance.md has the table;
`tests/test_allocator.py` counts the faults).

`keep_freed_memory()` sets four of glibc's malloc parameters (mallopt(3)), once per process, before XLA
starts its threads: one arena (XLA's worker threads allocate from the main heap, which grows as needed,
instead of thread heaps of at most 64 MiB that spill into mmap and are trimmed), nothing below 1 GiB
mmapped, freed memory at the top of the heap kept up to 1 GiB instead of 128 KiB, and the heap grown 64 MiB
beyond each request (fewer brk calls). The price: a process
holds on to what its largest call needed (five bench models in one process: peak resident memory
1,075-1,101 MiB against 920-929 MiB), and XLA's compiler, whose threads now share one arena, is slower
(four bench steps compiled in 21.6-22.9 s against 13.3-16.0 s; the default experiment's whole run 13.5-14.1 s
against 12.6-13.9 s). `nets-train`, `nets-serve` and the benchmarks call it first, where steps outweigh
compiling; the tests, which mostly compile, do not (tests/test_allocator.py sets it in fresh processes).
``NETS_MALLOC=glibc`` leaves glibc's defaults, as does an environment that sets glibc's own (``MALLOC_*``
variables or ``GLIBC_TUNABLES``).
"""

import ctypes
import ctypes.util
import os
import platform

# mallopt(3)'s parameter numbers (malloc.h) and the values set.
M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -2, -3, -8
SETTINGS = ((M_ARENA_MAX, 1), (M_MMAP_THRESHOLD, 1 << 30), (M_TRIM_THRESHOLD, 1 << 30), (M_TOP_PAD, 64 << 20))


def _user_chose() -> bool:
  """True where the environment asks for glibc's defaults or sets malloc's parameters itself."""
  env = os.environ
  glibc_own = "GLIBC_TUNABLES" in env or any(k.startswith("MALLOC_") for k in env)
  return env.get("NETS_MALLOC") == "glibc" or glibc_own


def keep_freed_memory() -> bool:
  """Set glibc's malloc to keep freed memory (above); whether it was set. A no-op off glibc (macOS,
  Windows, musl) and where the user chose (``NETS_MALLOC=glibc`` or glibc's own ``MALLOC_*`` settings)."""
  if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc" or _user_chose():
    return False
  libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
  return all(libc.mallopt(param, value) == 1 for param, value in SETTINGS)
