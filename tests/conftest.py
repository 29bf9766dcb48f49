"""Test settings: fast compiles, a private data directory, a fixed small config."""

import os
import tempfile

import jax
import pytest
from hypothesis import settings

# Property-based tests (hypothesis, and schemathesis through it) draw the same examples on every run, so a
# failure in CI is one anyone reruns as it was; HYPOTHESIS_PROFILE=explore draws new ones each run.
settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

# Accuracy is not the point of a unit test; compile time is most of its cost.
jax.config.update("jax_disable_most_optimizations", True)
# A program compiled again in this run (a restored run's init, a second fine-tune of the same shapes, an
# experiment whose shrunk twin another xdist worker compiled) is read back from this cache instead of being
# compiled twice. One directory for all of a run's workers (xdist gives them one PYTEST_XDIST_TESTRUNUID),
# none kept from an earlier run: a test's time is what a fresh checkout pays. A size limit turns on JAX's
# file lock, so one worker never reads an entry another is still writing.
_run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
_cache = os.path.join(tempfile.gettempdir(), f"nets-jax-cache-{_run}") if _run else ""
jax.config.update("jax_compilation_cache_dir", _cache or tempfile.mkdtemp(prefix="nets-jax-cache-"))
jax.config.update("jax_compilation_cache_max_size", 4 << 30)
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
# The same settings for the scripts the tests start as processes (train.py, seeds.py, export, a killed
# run): JAX reads its flags from the environment too, so they compile fast and share the cache.
os.environ.update(
  JAX_DISABLE_MOST_OPTIMIZATIONS="1",
  JAX_COMPILATION_CACHE_DIR=jax.config.jax_compilation_cache_dir,
  JAX_COMPILATION_CACHE_MAX_SIZE=str(jax.config.jax_compilation_cache_max_size),
  JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0.2",
)
os.environ["NETS_DATA_DIR"] = os.environ.get("NETS_TEST_DATA_DIR") or tempfile.mkdtemp(prefix="nets-data-")


@pytest.fixture
def tiny_config():
  """mnist_mlp shrunk to seconds: a small MLP, one short epoch."""
  from experiments.mnist_mlp import get_config

  config = get_config()
  config.model.widths = (32,)
  config.num_epochs = 1
  config.batch_size = 50
  config.optimizer.update(name="adam", learning_rate=1e-2, schedule="constant", weight_decay=0.0)
  return config
