"""nets.allocator: later calls of a jitted program reuse freed pages instead of faulting in new ones."""

import os
import platform
import subprocess
import sys

import pytest

from nets import allocator

glibc = pytest.mark.skipif(
  platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's"
)

# A program whose one intermediate, x @ w, is 96 MiB, called from a thread other than the main one (as
# nets-serve's workers call the model): under glibc's defaults the thread allocates from its own
# arena, whose heaps hold at most 64 MiB, so every call maps the intermediate afresh and faults in its pages.
PROGRAM = """
import resource, sys, threading
from nets import allocator
print(allocator.keep_freed_memory() if sys.argv[1] == "tuned" else False)
import jax, jax.numpy as jnp
f = jax.jit(lambda x, w, v: jnp.tanh(x @ w) @ v)
x, w, v = jnp.ones((6144, 8)), jnp.ones((8, 4096)) * 1e-3, jnp.ones((4096, 1))
def calls():
  for _ in range(2):
    f(x, w, v).block_until_ready()
  before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
  for _ in range(20):
    f(x, w, v).block_until_ready()
  print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20)
thread = threading.Thread(target=calls)
thread.start()
thread.join()
"""


def faults_per_call(mode: str, **env) -> tuple[bool, float]:
  """(whether the allocator was set, minor page faults per call) of PROGRAM in a fresh process."""
  environ = {k: v for k, v in os.environ.items() if k != "NETS_MALLOC" and not k.startswith("MALLOC_")}
  run = subprocess.run(
    [sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, env={**environ, **env}, check=True
  )
  applied, faults = run.stdout.split()
  return applied == "True", float(faults)


@glibc
def test_later_calls_reuse_freed_memory():
  applied, tuned = faults_per_call("tuned")
  _, default = faults_per_call("default")
  assert applied
  if default < 20_000:
    pytest.skip(f"glibc's defaults faulted {default:.0f} pages a call here; nothing to compare with")
  # Set: a few of the first calls still grow the heap while freed blocks settle (a tenth of the pages in 20
  # calls, measured); by default every call faults in the whole intermediate's 24,576 pages.
  assert tuned < default / 4, f"{tuned:.0f} page faults a call with keep_freed_memory, {default:.0f} without"


def test_the_user_keeps_glibc_defaults_when_asked(monkeypatch):
  for key in [k for k in os.environ if k.startswith("MALLOC_") or k in ("NETS_MALLOC", "GLIBC_TUNABLES")]:
    monkeypatch.delenv(key)
  assert not allocator._user_chose()
  for key, value in (
    ("NETS_MALLOC", "glibc"),
    ("MALLOC_ARENA_MAX", "4"),
    ("GLIBC_TUNABLES", "glibc.malloc.arena_max=2"),
  ):
    with monkeypatch.context() as env:
      env.setenv(key, value)
      assert allocator.keep_freed_memory() is False, (
        f"{key}={value} set, and the allocator was set all the same"
      )
