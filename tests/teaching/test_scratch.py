import itertools

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import losses
from nets.errors import ConfigError
from nets.models import MLP
from nets.teaching import scratch

PAIRS = list(itertools.product(["sigmoid", "tanh", "relu"], ["quadratic", "cross_entropy"]))


def _problem(activation, cost_name, widths=(5, 4), seed=0):
  """A float64 Flax MLP, its parameters, a batch and one-hot targets."""
  output_activation = activation if cost_name == "quadratic" else "identity"
  model = MLP(num_outputs=3, widths=widths, activation=activation, output_activation=output_activation)
  rng = np.random.default_rng(seed)
  x = rng.standard_normal((7, 6))
  y = scratch.one_hot(rng.integers(0, 3, 7), 3, np.float64)
  with jax.enable_x64(True):
    params = jax.tree.map(lambda p: p.astype(jnp.float64), model.init(jax.random.PRNGKey(seed), x)["params"])
    params = jax.tree.map(lambda p: p + 0.1 * jnp.ones_like(p), params)  # Nonzero biases, few dead ReLUs.
  kw = dict(activation=activation, output_activation=output_activation, cost_name=cost_name)
  return model, params, x, y, kw


def _rel_err(a, b):
  return np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-12)


@pytest.mark.parametrize("activation,cost_name", PAIRS)
def test_backprop_equals_jax_grad(activation, cost_name):
  model, params, x, y, kw = _problem(activation, cost_name)
  jax_loss = losses.quadratic if cost_name == "quadratic" else losses.cross_entropy
  with jax.enable_x64(True):
    loss_fn = lambda p: jnp.mean(jax_loss(model.apply({"params": p}, x), y))
    want_loss, want = jax.value_and_grad(loss_fn)(params)
  loss, grads = scratch.loss_and_grads(scratch.from_flax(params), x, y, **kw)
  assert loss == pytest.approx(float(want_loss), rel=1e-12)
  for (dw, db), i in zip(grads, range(len(grads)), strict=True):
    assert dw.dtype == np.float64
    assert _rel_err(dw, np.asarray(want[f"Dense_{i}"]["kernel"])) <= 1e-6
    assert _rel_err(db, np.asarray(want[f"Dense_{i}"]["bias"])) <= 1e-6


@pytest.mark.parametrize("activation,cost_name", PAIRS)
def test_backprop_equals_finite_differences(activation, cost_name):
  _, params, x, y, kw = _problem(activation, cost_name, widths=(4,), seed=1)
  params = scratch.from_flax(params)
  _, grads = scratch.loss_and_grads(params, x, y, **kw)
  eps = 1e-6
  for layer, which in itertools.product(range(len(params)), range(2)):
    p, g = params[layer][which], grads[layer][which]
    numeric = np.zeros_like(p)
    for i in np.ndindex(p.shape):
      old = p[i]
      p[i] = old + eps
      up = scratch.cost(
        scratch.forward(params, x, kw["activation"], kw["output_activation"])[0], y, kw["cost_name"]
      )
      p[i] = old - eps
      down = scratch.cost(
        scratch.forward(params, x, kw["activation"], kw["output_activation"])[0], y, kw["cost_name"]
      )
      p[i] = old
      numeric[i] = (up - down) / (2 * eps)
    assert _rel_err(g, numeric) <= 1e-6


def test_sgd_step_by_hand():
  """One neuron, identity output, quadratic cost: w <- w - lr (w x + b - y) x."""
  params = [(np.array([[2.0]]), np.array([1.0]))]
  x, y = np.array([[3.0]]), np.array([[4.0]])
  # Output 2*3 + 1 = 7, error 3: dC/dw = 9, dC/db = 3.
  ((w, b),) = scratch.train(
    params, x, y, [np.array([0])], 0.1, activation="identity", output_activation="identity"
  )
  assert w[0, 0] == pytest.approx(2.0 - 0.9) and b[0] == pytest.approx(1.0 - 0.3)
  assert params[0][0][0, 0] == 2.0  # The caller's parameters are left alone.


def test_training_lowers_the_cost():
  rng = np.random.default_rng(0)
  x = rng.standard_normal((64, 2))
  labels = (x[:, 0] * x[:, 1] > 0).astype(int)  # XOR-like: needs the hidden layer.
  y = scratch.one_hot(labels, 2)
  params = scratch.init(rng, [2, 8, 2], np.float64)
  kw = dict(activation="tanh", output_activation="identity", cost_name="cross_entropy")
  before = scratch.loss_and_grads(params, x, y, **kw)[0]
  batches = [rng.permutation(64)[:16] for _ in range(300)]
  after = scratch.loss_and_grads(scratch.train(params, x, y, batches, 0.5, **kw), x, y, **kw)[0]
  assert after < 0.5 * before


def test_bad_names_are_one_line_errors():
  params = scratch.init(np.random.default_rng(0), [2, 2])
  with pytest.raises(ConfigError, match="valid names: .*sigmoid"):
    scratch.forward(params, np.zeros((1, 2)), "swish", "identity")
  with pytest.raises(ConfigError, match="unknown cost 'hinge'"):
    scratch.loss_and_grads(params, np.zeros((1, 2)), np.zeros((1, 2)), cost_name="hinge")
  with pytest.raises(ConfigError, match="logits"):
    scratch.loss_and_grads(params, np.zeros((1, 2)), np.zeros((1, 2)), cost_name="cross_entropy")
