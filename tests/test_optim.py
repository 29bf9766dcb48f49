import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
import pytest

from nets import optim
from nets.errors import ConfigError, UnknownNameError


def cfg(**kw):
  return ml_collections.ConfigDict({"name": "sgd", "learning_rate": 0.1, **kw})


def step(tx, params, grads):
  updates, _ = tx.update(grads, tx.init(params), params)
  return optax.apply_updates(params, updates)


def test_sgd_step_by_hand():
  new = step(optim.make_optimizer(cfg(), 10), jnp.array([1.0]), jnp.array([2.0]))
  np.testing.assert_allclose(new, [1.0 - 0.1 * 2.0])


def test_l2_weight_decay_and_clipping():
  # grad 3 + decay 0.5 * w(=1) = 3.5, clipped to norm 1 before decay: 1 + 0.5 = 1.5.
  tx = optim.make_optimizer(cfg(weight_decay=0.5, grad_clip_norm=1.0), 10)
  np.testing.assert_allclose(step(tx, jnp.array([1.0]), jnp.array([3.0])), [1.0 - 0.1 * 1.5], 1e-6)


@pytest.mark.parametrize("name", optim.OPTIMIZERS)
def test_every_optimizer_reduces_a_quadratic(name):
  tx = optim.make_optimizer(cfg(name=name, learning_rate=0.05), 100)
  params = jnp.array([3.0, -2.0])
  state = tx.init(params)
  loss = lambda p: jnp.sum(p**2)
  for _ in range(20):
    updates, state = tx.update(jax.grad(loss)(params), state, params)
    params = optax.apply_updates(params, updates)
  assert loss(params) < 13.0 * 0.9


# Over 100 steps at learning rate 0.1 (warmup 10 steps): the rate at step 0, the step of the peak, the rate
# halfway and at the end. one_cycle starts at 0.1 / 25, peaks 30% in and ends at 0.1 / 25 / 1e4 (optax's).
SCHEDULE_SHAPES = {
  "constant": (0.1, 0, 0.1, 0.1),
  "cosine": (0.1, 0, 0.05, 0.0),
  "warmup_cosine": (0.0, 10, 0.1 * (1 + np.cos(np.pi * 40 / 90)) / 2, 0.0),
  "one_cycle": (0.004, 30, None, 4e-7),
}


@pytest.mark.parametrize("name", optim.SCHEDULES)
def test_schedules_peak_at_the_learning_rate_where_they_should(name):
  schedule = optim.make_schedule(cfg(schedule=name, warmup_steps=10), 100)
  values = np.array([schedule(s) for s in range(101)])
  first, peak_step, halfway, last = SCHEDULE_SHAPES[name]
  assert values.max() == pytest.approx(0.1, rel=1e-6) and np.argmax(values) == peak_step
  assert values[0] == pytest.approx(first, abs=1e-7) and values[100] == pytest.approx(last, abs=1e-7)
  if halfway is not None:
    assert values[50] == pytest.approx(halfway, rel=1e-5)
  # It rises to its peak and falls after it, never the other way.
  assert np.all(np.diff(values[: peak_step + 1]) >= 0) and np.all(np.diff(values[peak_step:]) <= 0)


def test_bad_names_and_values():
  with pytest.raises(UnknownNameError, match="valid names: adagrad, adam, adamw, momentum"):
    optim.make_optimizer(cfg(name="lbfgs"), 10)
  with pytest.raises(UnknownNameError, match="unknown schedule 'linear'"):
    optim.make_optimizer(cfg(schedule="linear"), 10)
  with pytest.raises(ConfigError, match=r"optimizer.learning_rate=0.0: accepts a number > 0"):
    optim.make_optimizer(cfg(learning_rate=0.0), 10)


def test_warmup_longer_than_training_is_named():
  schedule = optim.make_schedule(cfg(schedule="warmup_cosine", warmup_steps=9), 10)
  assert float(schedule(9)) == pytest.approx(0.1)  # the last step is the peak: 9 up, 1 down
  for warmup in (10, 50):
    with pytest.raises(ConfigError, match=rf"warmup_steps \({warmup}\) must be fewer than the 10 training"):
      optim.make_optimizer(cfg(schedule="warmup_cosine", warmup_steps=warmup), 10)
  with pytest.raises(ConfigError, match="fewer than the 1 training steps"):
    optim.make_schedule(cfg(schedule="warmup_cosine", warmup_steps=0), 1)


def test_apply_gradients_reports_exact_health_norms():
  params = {"w": jnp.array([1.0, 2.0]), "b": jnp.array([2.0])}  # ||p|| = 3
  grads = {"w": jnp.array([3.0, 0.0]), "b": jnp.array([4.0])}  # ||g|| = 5
  tx = optax.sgd(0.1)
  new, _, health = optim.apply_gradients(tx, grads, tx.init(params), params)
  # updates = -0.1 g: ||u|| = 0.5; new params (0.7, 2.0), (1.6): ||p'|| = sqrt(0.49 + 4 + 2.56)
  assert float(health["l2_grads"]) == pytest.approx(5.0)
  assert float(health["l2_updates"]) == pytest.approx(0.5)
  assert float(health["l2_params"]) == pytest.approx(np.sqrt(7.05))
  assert float(health["update_ratio"]) == pytest.approx(0.5 / np.sqrt(7.05))
  assert float(new["w"][0]) == pytest.approx(0.7)
