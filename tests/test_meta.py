"""MAML's pieces: the task distribution, one inner step, and the second-order meta-gradient."""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import meta
from nets.models import MLP


def test_sines_are_drawn_from_the_papers_ranges():
  sines = meta.Sines()
  x, y, amplitude, phase = meta.sample_sines(jax.random.key(0), sines, 500, 20)
  assert x.shape == y.shape == (500, 20, 1)
  assert 0.1 <= amplitude.min() and amplitude.max() <= 5.0 and amplitude.max() > 4.9
  assert 0.0 <= phase.min() and phase.max() <= np.pi
  assert -5.0 <= x.min() and x.max() <= 5.0
  np.testing.assert_allclose(y, amplitude[:, None, None] * np.sin(x - phase[:, None, None]), atol=1e-5)


def test_adaptation_curve_starts_at_the_loss_and_takes_the_inner_steps():
  """A linear model w x + b on the one point (1, 2) from w = b = 0: MSE (2 - w - b)^2, whose gradient is
  -2 (2 - w - b) for w and b alike: a step of 0.25 lands on w = b = 1 (loss 0); a step of 0.1 on w = 0.4."""
  model = MLP(num_outputs=1, widths=(), bias_init="zeros")
  params = jax.tree.map(jnp.zeros_like, model.init(jax.random.key(0), jnp.zeros((1, 1))))
  x, y = jnp.ones((1, 1)), 2 * jnp.ones((1, 1))
  curve = meta.adaptation_curve(model, params, x, y, x, y, alpha=0.25, num_steps=2)
  np.testing.assert_allclose(curve, [4.0, 0.0, 0.0], atol=1e-6)
  adapted = meta.adapt(model, params, x, y, alpha=0.1, num_steps=1)
  np.testing.assert_allclose(adapted["params"]["Dense_0"]["kernel"], [[0.4]], rtol=1e-6)


@pytest.fixture
def x64():
  with jax.enable_x64(True):
    yield


def test_the_meta_gradient_goes_through_the_inner_step(x64):
  """jax.grad of the MAML loss = its finite-difference slope along a random direction (float64), and it
  differs from the first-order approximation's by far more than that error: the Hessian term is in."""
  model = MLP(num_outputs=1, widths=(8, 8), activation="tanh")
  key = jax.random.key(1)
  params = model.init(key, jnp.zeros((1, 1), jnp.float64))
  x, y, _, _ = meta.sample_sines(jax.random.key(2), meta.Sines(), 4, 10)
  x, y = x.astype(jnp.float64), y.astype(jnp.float64)
  support, query = (x[:, :5], y[:, :5]), (x[:, 5:], y[:, 5:])
  loss = jax.jit(meta.maml_loss, static_argnums=(0, 4, 5, 6))
  loss = partial(loss, model, support=support, query=query, alpha=0.05, inner_steps=2)
  direction = jax.tree.map(lambda w: jax.random.normal(jax.random.key(3), w.shape, jnp.float64), params)
  shifted = lambda eps: jax.tree.map(lambda w, d: w + eps * d, params, direction)
  eps = 1e-5
  finite_difference = (loss(shifted(eps)) - loss(shifted(-eps))) / (2 * eps)
  dot = lambda g: sum(
    jnp.vdot(a, b) for a, b in zip(jax.tree.leaves(g), jax.tree.leaves(direction), strict=True)
  )
  second_order = dot(jax.jit(jax.grad(loss))(params))
  first_order = dot(jax.jit(jax.grad(partial(loss, first_order=True)))(params))
  assert abs(second_order - finite_difference) < 1e-6 * abs(finite_difference)
  assert abs(first_order - finite_difference) > 1e-3 * abs(finite_difference)
