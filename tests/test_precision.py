"""bfloat16 compute with float32 parameters: the step runs in bf16, learns, and keeps f32 state."""

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from nets import data, optim, tasks
from nets.errors import ConfigError


def _task(config, dtype):
  config.compute_dtype = dtype
  dataset = data.load(config.data.name, standardize=True)
  return tasks.make(config, dataset, optim.make_optimizer(config.optimizer, 100)), dataset


def test_bfloat16_compute_keeps_float32_parameters_and_learns(tiny_config):
  task16, dataset = _task(tiny_config, "bfloat16")
  task32, _ = _task(tiny_config, "float32")
  train = {k: v[:400] for k, v in dataset.splits["train"].items()}
  state = task16.init(jax.random.PRNGKey(0), train)
  step = jax.jit(task16.train_step)
  losses = []
  for _ in range(30):
    state, metrics = step(state, train)
    losses.append(float(metrics["loss"]))
  assert losses[-1] < 0.7 * losses[0]  # It learns.
  for leaf in jax.tree.leaves((state.params, state.opt_state)):
    assert leaf.dtype in (jnp.float32, jnp.int32), leaf.dtype
  # Same parameters, two precisions: the bf16 forward is near the f32 one, but not equal to it.
  loss16 = jax.jit(task16.eval_step)(state, train)["loss"]
  loss32 = jax.jit(task32.eval_step)(state, train)["loss"]
  assert loss16.dtype == jnp.float32
  np.testing.assert_allclose(loss16.mean(), loss32.mean(), rtol=3e-2)
  assert not np.allclose(loss16, loss32, rtol=1e-5, atol=0)
  # predict computes in bf16 too: near the bf16-cast model (XLA may keep excess precision inside
  # a fusion, so not bit-equal), off the f32 one by bf16 rounding (8 mantissa bits, about 4e-3).
  cast = lambda t: jax.tree.map(lambda a: a.astype(jnp.bfloat16), t)
  expected = jax.jit(task16.model.apply)({"params": cast(state.params)}, cast(train["x"]))
  logits16, logits32 = jax.jit(task16.predict)(state, train["x"]), jax.jit(task32.predict)(state, train["x"])
  assert logits16.dtype == jnp.float32
  np.testing.assert_allclose(logits16, expected.astype(jnp.float32), rtol=1e-2, atol=2e-2)
  assert np.abs(logits16 - logits32).max() > 1e-3


def test_unknown_compute_dtype_lists_the_valid_ones(tiny_config):
  tiny_config.compute_dtype = "float8"
  with pytest.raises(ConfigError, match="compute_dtype='float8': accepts a string one of float32, bfloat16"):
    tasks.make(tiny_config, data.load(tiny_config.data.name), optim.make_optimizer(tiny_config.optimizer, 1))


def _text_task(task: str, dtype: str):
  from nets.config import base_config
  from nets.data import Dataset

  config = base_config()
  config.task, config.compute_dtype = task, dtype
  config.model = ml_collections.ConfigDict(
    dict(name="char_transformer", d_model=16, num_heads=2, num_layers=1, max_len=8, causal=True)
  )
  ids = np.random.default_rng(0).integers(2, 20, (16, 9)).astype(np.int32)
  dataset = Dataset("toy", {"train": {"x": ids[:, :-1], "y": ids[:, 1:]}}, 20)
  return tasks.make(config, dataset, optim.make_optimizer(config.optimizer, 100)), dataset


def test_language_model_computes_in_bfloat16_with_float32_state():
  task16, dataset = _text_task("language_model", "bfloat16")
  task32, _ = _text_task("language_model", "float32")
  batch = dataset.splits["train"]
  state = task16.init(jax.random.PRNGKey(0), batch)
  new, metrics = jax.jit(task16.train_step)(state, batch)
  assert metrics["loss"].dtype == jnp.float32 and np.isfinite(float(metrics["loss"]))
  assert all(leaf.dtype in (jnp.float32, jnp.int32) for leaf in jax.tree.leaves((new.params, new.opt_state)))
  loss16, loss32 = (jax.jit(t.eval_step)(state, batch)["loss"] for t in (task16, task32))
  np.testing.assert_allclose(loss16, loss32, rtol=3e-2)
  assert not np.allclose(loss16, loss32, rtol=1e-6, atol=0)  # bf16 really is used, not ignored


@pytest.mark.parametrize("experiment", ["gan", "vae", "made", "simclr"])
def test_tasks_that_compute_in_float32_only_reject_bfloat16_in_one_line(experiment):
  import importlib

  config = importlib.import_module(f"experiments.{experiment}").get_config()
  config.compute_dtype = "bfloat16"
  with pytest.raises(
    ConfigError, match=f"compute_dtype='bfloat16': task {config.task} does not read it"
  ) as e:
    tasks.make(config, None, optim.make_optimizer(config.optimizer, 100))
  assert "\n" not in str(e.value)


def test_float16_is_rejected_for_want_of_loss_scaling(tiny_config):
  tiny_config.compute_dtype = "float16"
  with pytest.raises(ConfigError, match="'float16': accepts .*bfloat16 .*float16's range needs loss scaling"):
    tasks.make(tiny_config, data.load(tiny_config.data.name), optim.make_optimizer(tiny_config.optimizer, 1))
