import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets.errors import ConfigError
from nets.models.dropout import Dropout, keep_probability, random_uint16


def _apply(rate, x, deterministic=False, seed=0):
  return Dropout(rate).apply({}, x, deterministic, rngs={"dropout": jax.random.PRNGKey(seed)})


def test_keep_probability_is_the_rate_rounded_to_a_65536th():
  assert keep_probability(0.5) == 0.5
  assert keep_probability(0.1) == 1 - 6554 / 65536
  assert keep_probability(0.0) == 1.0 and keep_probability(1.0) == 0.0


@pytest.mark.parametrize("rate", [0.1, 0.5, 0.9])
def test_drops_the_rate_and_keeps_the_expectation(rate):
  y = np.asarray(_apply(rate, jnp.ones((1000, 1000))))
  kept = y != 0
  # 1e6 Bernoulli draws: the kept fraction's standard deviation is at most 5e-4.
  assert abs(kept.mean() - (1 - rate)) < 3e-3
  np.testing.assert_allclose(y[kept], 1 / keep_probability(rate), rtol=1e-6)
  assert abs(y.mean() - 1.0) < 3e-3 / (1 - rate)


def test_identity_when_deterministic_or_rate_zero_and_zeros_at_rate_one():
  x = jax.random.normal(jax.random.PRNGKey(1), (3, 5, 7))  # odd size: 105 draws from 53 words
  np.testing.assert_array_equal(_apply(0.5, x, deterministic=True), x)
  np.testing.assert_array_equal(_apply(0.0, x), x)
  np.testing.assert_array_equal(_apply(1.0, x), jnp.zeros_like(x))
  y = _apply(0.5, x)
  assert y.shape == x.shape and y.dtype == x.dtype
  np.testing.assert_allclose(y[y != 0], 2 * x[y != 0], rtol=1e-6)


def test_masks_differ_between_keys_and_repeat_for_one_key():
  x = jnp.ones((64, 64))
  np.testing.assert_array_equal(_apply(0.5, x, seed=3), _apply(0.5, x, seed=3))
  assert not np.array_equal(_apply(0.5, x, seed=3), _apply(0.5, x, seed=4))


def test_random_uint16_uses_both_halves_of_each_word_uniformly():
  bits = np.asarray(random_uint16(jax.random.PRNGKey(0), (200_001,)), np.int64)
  assert bits.shape == (200_001,)
  halves = bits[:-1].reshape(-1, 2)
  assert np.mean(halves[:, 0] == halves[:, 1]) < 1e-3  # the two halves are not copies
  counts = np.bincount(bits >> 12, minlength=16)  # 16 bins of 4,096 values each
  expected = len(bits) / 16
  assert np.all(np.abs(counts - expected) < 6 * np.sqrt(expected))


@pytest.mark.parametrize("rate", [-0.1, 1.5])
def test_a_rate_outside_zero_one_is_a_config_error(rate):
  with pytest.raises(ConfigError, match=r"dropout rate must be in \[0, 1\]"):
    _apply(rate, jnp.ones((2, 3)))
