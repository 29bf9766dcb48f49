import re
from functools import partial

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from nets import models
from nets.errors import ConfigError
from nets.models.cnn import ConvFeatures
from nets.models.linecnn import space_to_depth
from nets.models.norm import normalize
from nets.models.recurrent import Recurrent
from nets.models.transformer import sinusoidal_positions
from nets.training.checkpoint import Checkpoints

CASES = [
  (dict(name="cnn", features=(4, 8), widths=(16,)), (2, 8, 8, 1)),
  (dict(name="cnn", features=(4,), strides=2, pool="none", separable=True, norm="weight"), (2, 8, 8, 1)),
  (
    dict(name="cnn", features=(4, 4), kernel_size=(5, 3), pool="avg", norm="layer", global_pool=True),
    (2, 40, 1),
  ),
  (dict(name="cnn", features=(4,), norm="batch", dropout_rate=0.5), (2, 8, 8, 1)),
  (dict(name="resnet", widths=(4, 8)), (2, 8, 8, 1)),
  (dict(name="resnet", widths=(4,), norm="none"), (2, 40, 1)),
  (dict(name="rnn", cell="rnn", hidden=5, num_layers=2), (2, 10, 1)),
  (dict(name="rnn", cell="lstm", hidden=5, bidirectional=True), (2, 4, 4, 1)),
  (dict(name="rnn", cell="gru", hidden=5, bidirectional=True, readout="flatten"), (2, 10, 1)),
  (dict(name="rnn", cell="gru", hidden=5, readout="mean"), (2, 10, 1)),
  (dict(name="transformer", patch_size=4, dim=8, heads=2, mlp_dim=8, depth=1), (2, 8, 8, 1)),
  (dict(name="transformer", patch_size=1, dim=8, heads=2, positions="sinusoidal", depth=1), (2, 40, 1)),
]


@pytest.mark.parametrize("cfg,shape", CASES, ids=[f"{c['name']}-{i}" for i, (c, _) in enumerate(CASES)])
def test_every_model_maps_a_batch_to_scores(cfg, shape):
  model = models.make(ml_collections.ConfigDict(cfg), 10)

  @jax.jit  # One compile per model: eager Flax compiles every op on its own, 3x slower.
  def train_and_eval_outputs(x):
    variables = model.init({"params": jax.random.PRNGKey(1), "dropout": jax.random.PRNGKey(2)}, x)
    mutable = [k for k in variables if k != "params"]
    out, _ = model.apply(variables, x, train=True, rngs={"dropout": jax.random.PRNGKey(3)}, mutable=mutable)
    return out, model.apply(variables, x, train=False)

  out, out_eval = train_and_eval_outputs(jax.random.normal(jax.random.PRNGKey(0), shape))
  assert out.shape == (2, 10) and np.all(np.isfinite(out))
  assert out_eval.shape == (2, 10) and np.all(np.isfinite(out_eval))


def test_building_blocks_keep_sequence_and_spatial_axes():
  x = jax.ShapeDtypeStruct((3, 32, 128, 1), jnp.float32)  # A text line: height 32, width 128.
  # Shapes only: eval_shape traces without compiling.
  feats = jax.eval_shape(
    ConvFeatures(features=(4, 8), pool="max").init_with_output, jax.random.PRNGKey(0), x
  )[0]
  assert feats.shape == (3, 8, 32, 8)
  seq = jax.ShapeDtypeStruct((3, 32, 8 * 8), jnp.float32)  # Width becomes time: (3, 32, height x channels).
  layer = Recurrent(hidden=6, cell="lstm", bidirectional=True)
  out = jax.eval_shape(layer.init_with_output, jax.random.PRNGKey(0), seq)[0]
  assert out.shape == (3, 32, 12)


@partial(jax.jit, static_argnums=0)
def _output_change(bidirectional, x_2xTxD):
  """|output(x_2xTxD[0]) - output(x_2xTxD[1])|: both inputs in one batch, so one scan."""
  layer = Recurrent(hidden=3, cell="gru", bidirectional=bidirectional)
  # Any generic weights show which steps see which: fixed ones skip init's costly orthogonal draws.
  shapes = jax.eval_shape(layer.init, jax.random.PRNGKey(1), x_2xTxD)
  weights = lambda s: jnp.sin(jnp.arange(1.0, s.size + 1)).reshape(s.shape)
  out_2xTxH = layer.apply(jax.tree.map(weights, shapes), x_2xTxD)
  return jnp.abs(out_2xTxH[0] - out_2xTxH[1])


def test_bidirectional_outputs_depend_on_the_future_unidirectional_do_not():
  x = jax.random.normal(jax.random.PRNGKey(0), (1, 6, 2))
  x_later = x.at[:, 4].add(1.0)  # Change step 4 only.
  for bidirectional, changes_step_0 in ((False, False), (True, True)):
    delta_TxH = _output_change(bidirectional, jnp.concatenate([x, x_later]))
    assert bool(delta_TxH[0].max() > 1e-6) == changes_step_0
    assert delta_TxH[5].max() > 1e-6  # A later step sees the change either way.


def test_sinusoidal_positions_match_the_formula():
  table = sinusoidal_positions(3, 4)
  assert table[0].tolist() == [0.0, 1.0, 0.0, 1.0]
  np.testing.assert_allclose(table[2], [np.sin(2), np.cos(2), np.sin(2 / 100), np.cos(2 / 100)], rtol=1e-6)


def test_batch_norm_uses_batch_statistics_in_training_and_running_ones_in_evaluation():
  x = jnp.array([[1.0], [3.0]])
  bn = normalize("batch", train=True)
  variables = bn.init(jax.random.PRNGKey(0), x)
  y, updated = bn.apply(variables, x, mutable=["batch_stats"])
  np.testing.assert_allclose(y[:, 0], [-1, 1], atol=1e-5)  # (x - 2) / sqrt(1)
  stats = updated["batch_stats"]  # momentum 0.9: 0.9 * (0, 1) + 0.1 * (2, 1)
  np.testing.assert_allclose([stats["mean"][0], stats["var"][0]], [0.2, 1.0], rtol=1e-6)
  y_eval = normalize("batch", train=False).apply({**variables, **updated}, x)
  np.testing.assert_allclose(y_eval[:, 0], (x[:, 0] - 0.2) / np.sqrt(1.0 + 1e-5), rtol=1e-5)


def test_bad_model_settings_are_one_line_errors():
  x = jnp.ones((2, 8, 8, 1))
  bad = [
    (dict(name="cnn", norm="group"), "unknown norm 'group'; valid names: batch, layer, none, weight"),
    (dict(name="cnn", features=(4, 4), strides=(1,)), "strides (1,) needs one entry per layer"),
    (dict(name="transformer", dim=10, heads=4), "dim 10 must be divisible by heads 4"),
    (dict(name="rnn", cell="tree"), "unknown cell 'tree'; valid names: gru, lstm, rnn"),
    (dict(name="cnn", width=3), "model 'cnn' has no field 'width' (did you mean 'widths'?)"),
  ]
  for cfg, message in bad:
    with pytest.raises(ConfigError, match=re.escape(message)):
      models.make(ml_collections.ConfigDict(cfg), 10).init(jax.random.PRNGKey(0), x)
  with pytest.raises(ConfigError, match=r"N x L x C signals or N x H x W x C images, got shape \(2, 64\)"):
    models.make(ml_collections.ConfigDict(dict(name="resnet")), 10).init(
      jax.random.PRNGKey(0), x.reshape(2, 64)
    )


def test_resnet_batch_statistics_are_trained_checkpointed_and_used_at_evaluation(tiny_config, tmp_path):
  from nets import data, optim, tasks
  from nets.training.loop import train_and_evaluate
  from nets.training.pipelines import masked_sums, reduce_split

  config = tiny_config
  config.data.name, config.batch_size = "digits", 256  # 5 steps
  config.steps_per_call = 5  # A whole epoch per call, without auto's cost analysis.
  config.model = dict(name="resnet", widths=(4,))
  results = train_and_evaluate(config, str(tmp_path))
  dataset = data.load("digits", standardize=True)
  task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, 1))
  first = {k: v[:256] for k, v in dataset.splits["train"].items()}
  fresh = jax.jit(task.init)(jax.random.PRNGKey(0), first)
  ckpts = Checkpoints(str(tmp_path / "checkpoints"))
  state, _ = ckpts.restore(fresh)
  ckpts.close()
  stats = state.model_state["batch_stats"]
  means = [v for path, v in jax.tree_util.tree_leaves_with_path(stats) if path[-1].key == "mean"]
  assert len(means) == 3  # the stem's and the block's two (same width: no projection)
  assert any(float(jnp.abs(m).max()) > 1e-3 for m in means)  # Moved from their initial zeros.
  test = jax.tree.map(jnp.asarray, dataset.splits["test"])
  sums = lambda state: reduce_split(partial(masked_sums, task), state, test, batch_size=360)
  evaluate_test = jax.jit(
    lambda state: jax.tree.map(lambda v: v / 360, sums(state))
  )  # One compile, two calls.
  restored = evaluate_test(state)
  assert float(restored["loss"]) == pytest.approx(results["test_loss"], rel=1e-5)
  untrained_stats = evaluate_test(state.replace(model_state=fresh.model_state))
  assert abs(float(untrained_stats["loss"]) - results["test_loss"]) > 1e-3


def test_line_trunk_patches_are_pixel_blocks_and_keep_the_frame_width():
  x_1x4x4x1 = jnp.arange(16.0).reshape(1, 4, 4, 1)
  blocks = space_to_depth(x_1x4x4x1, 2)
  assert blocks.shape == (1, 2, 2, 4)
  np.testing.assert_array_equal(blocks[0, 0, 0], [0, 1, 4, 5])  # The top-left 2 x 2 pixels, row by row.
  np.testing.assert_array_equal(blocks[0, 1, 0], [8, 9, 12, 13])
  line = jax.ShapeDtypeStruct((2, 32, 128, 1), jnp.float32)
  for patch in (1, 2, 4):  # A frame is 2**width_pools = 4 pixels wide whatever the patch.
    model = models.make(
      ml_collections.ConfigDict(dict(name="line_lstm", channels=(4, 8), hidden=4, patch=patch)), 7
    )
    assert jax.eval_shape(model.init_with_output, jax.random.PRNGKey(0), line)[0].shape == (2, 32, 7)
  for patch, message in [(8, "up to 2**width_pools = 4, not 8"), (3, "power of 2")]:
    model = models.make(ml_collections.ConfigDict(dict(name="line_cnn", channels=(4,), patch=patch)), 7)
    with pytest.raises(ConfigError, match=re.escape(message)):
      jax.eval_shape(model.init, jax.random.PRNGKey(0), line)
