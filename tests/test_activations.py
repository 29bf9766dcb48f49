"""Activations against numbers computed by hand, and their gradients against finite differences."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import activations

X = jnp.array([-2.0, 0.0, 1.0])


@pytest.mark.parametrize(
  "name, expected",
  [
    ("step", [0.0, 0.0, 1.0]),
    ("sigmoid", [1 / (1 + np.e**2), 0.5, 1 / (1 + np.e**-1)]),
    ("tanh", [np.tanh(-2.0), 0.0, np.tanh(1.0)]),
    ("relu", [0.0, 0.0, 1.0]),
    ("leaky_relu", [-0.02, 0.0, 1.0]),
    ("softplus", [np.log1p(np.e**-2), np.log(2.0), np.log1p(np.e)]),
    ("identity", [-2.0, 0.0, 1.0]),
    # tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    ("gelu", [0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3))) for x in (-2.0, 0.0, 1.0)]),
  ],
)
def test_values_by_hand(name, expected):
  np.testing.assert_allclose(activations.get(name)(X), expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "gelu", "softplus"])
def test_gradient_matches_central_differences(name):
  f = activations.get(name)
  x = jnp.array([-1.3, -0.4, 0.7, 2.1], jnp.float32)  # away from the kinks at 0
  h = 1e-3
  numeric = (f(x + h) - f(x - h)) / (2 * h)
  np.testing.assert_allclose(jax.vmap(jax.grad(f))(x), numeric, rtol=1e-2, atol=1e-4)


def test_step_has_zero_gradient():
  # Why the perceptron cannot be trained by gradient descent.
  assert float(jax.grad(activations.step)(0.5)) == 0.0
