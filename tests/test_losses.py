"""Losses against numbers computed by hand."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import losses
from nets.errors import UnknownNameError

OUT = jnp.array([[1.0, 2.0], [0.0, 0.0]])
TGT = jnp.array([[0.0, 4.0], [0.0, 3.0]])


def test_regression_losses_by_hand():
  # Squared errors: [1, 4] and [0, 9]; absolute errors: [1, 2] and [0, 3].
  np.testing.assert_allclose(losses.mse(OUT, TGT), [2.5, 4.5])
  np.testing.assert_allclose(losses.quadratic(OUT, TGT), [2.5, 4.5])  # 1/2 * sum
  np.testing.assert_allclose(losses.mae(OUT, TGT), [1.5, 1.5])
  # Huber, delta 1: 0.5 e^2 inside, |e| - 0.5 outside -> [0.5, 1.5] and [0, 2.5].
  np.testing.assert_allclose(losses.huber(OUT, TGT), [1.0, 1.25])


def test_cross_entropy_by_hand():
  logits = jnp.array([[0.0, jnp.log(3.0)]])  # softmax = [1/4, 3/4]
  np.testing.assert_allclose(losses.cross_entropy(logits, jnp.array([[0.0, 1.0]])), [np.log(4 / 3)], 1e-6)
  np.testing.assert_allclose(losses.cross_entropy_int(logits, jnp.array([0])), [np.log(4.0)], 1e-6)
  # A smoothed target [0.5, 0.5]: the mean of both log-losses.
  np.testing.assert_allclose(
    losses.cross_entropy(logits, jnp.array([[0.5, 0.5]])), [0.5 * (np.log(4.0) + np.log(4 / 3))], 1e-6
  )


def test_binary_cross_entropy_by_hand():
  # sigmoid(0) = 1/2 -> log 2 whatever the target; sigmoid(log 3) = 3/4 -> -log(3/4) for target 1.
  logits = jnp.array([[0.0, jnp.log(3.0)]])
  np.testing.assert_allclose(
    losses.binary_cross_entropy(logits, jnp.array([[1.0, 1.0]])), [0.5 * (np.log(2) + np.log(4 / 3))], 1e-6
  )


def test_gaussian_nll_by_hand():
  # mean 1, log_var log 4 (sigma 2), target 3: 0.5 (log 2pi + log 4 + 4/4).
  out = jnp.array([[1.0, jnp.log(4.0)]])
  expected = 0.5 * (np.log(2 * np.pi) + np.log(4.0) + 1.0)
  np.testing.assert_allclose(losses.gaussian_nll(out, jnp.array([[3.0]])), [expected], 1e-6)
  with pytest.raises(ValueError, match="twice"):
    losses.gaussian_nll(out, jnp.array([[3.0, 1.0]]))


def test_huber_is_robust_where_mse_is_not():
  # The gradient of Huber with respect to an outlier's prediction is bounded by delta.
  g_huber = jax.grad(lambda o: losses.huber(o, jnp.zeros((1, 1))).sum())(jnp.array([[100.0]]))
  g_mse = jax.grad(lambda o: losses.mse(o, jnp.zeros((1, 1))).sum())(jnp.array([[100.0]]))
  assert float(g_huber[0, 0]) == pytest.approx(1.0) and float(g_mse[0, 0]) == pytest.approx(200.0)


def test_unknown_loss_lists_valid_names():
  with pytest.raises(UnknownNameError, match="unknown loss 'hinge'; valid names: binary_cross_entropy"):
    losses.get("hinge")
