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
# A program compiled again in this session (a restored run's init, a second fine-tune of the same
# shapes) is read back from this cache instead of being compiled twice.
jax.config.update("jax_compilation_cache_dir", tempfile.mkdtemp(prefix="nets-jax-cache-"))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.2)
# The same settings for the scripts the tests start as processes (train.py, seeds.py, export, a killed
# run): JAX reads its flags from the environment too, so they compile fast and share the cache.
os.environ.update(
  JAX_DISABLE_MOST_OPTIMIZATIONS="1",
  JAX_COMPILATION_CACHE_DIR=jax.config.jax_compilation_cache_dir,
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
