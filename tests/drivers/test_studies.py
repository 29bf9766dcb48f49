"""The lecture-core studies (nets/drivers/studies) on tiny configs: they run, write results and figures, and
show the effect each is about."""

import json
import os

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
import pytest

from nets import drivers
from nets.drivers.studies.fit import minimise
from nets.errors import ConfigError
from nets.models import MLP


def _run(config, tmp_path, *figures):
  results = drivers.run(config, str(tmp_path))
  assert json.load(open(tmp_path / "results.json")) == json.loads(json.dumps(results))
  for name in figures:
    assert os.path.getsize(tmp_path / name) > 1000, name
  return results


def test_minimise_with_scaled_updates_is_sgd_at_that_rate():
  """f(w) = w^2 / 2 from w = 1 with SGD at 0.1: w <- 0.9 w, so losses 0.5, 0.405, 0.32805."""
  loss_fn = lambda w, _: 0.5 * w**2
  w, losses, evals = minimise(loss_fn, 1.0, optax.sgd(1.0), 3, scale=0.1, eval_fn=lambda w: w, eval_every=1)
  np.testing.assert_allclose(losses, [0.5, 0.405, 0.32805], rtol=1e-6)
  np.testing.assert_allclose(evals, [0.9, 0.81, 0.729], rtol=1e-6)
  assert w == pytest.approx(0.729)


def test_backprop_by_hand_matches_the_jax_loop(tmp_path):
  from experiments.backprop import get_config

  config = get_config()
  config.num_epochs = 1
  r = _run(config, tmp_path, "backprop_curves.png")
  assert abs(r["numpy_test_accuracy"] - r["jax_test_accuracy"]) <= 0.01
  assert r["jax_test_accuracy"] > 0.4


def test_universality_error_falls_with_width(tmp_path):
  from experiments.universality import get_config

  config = get_config()
  config.update(targets=("sin", "abs"), activations=("relu",), widths=(1, 16), num_points=64, num_steps=20)
  config.num_seeds = 1
  r = _run(config, tmp_path, "universality_fits.png", "universality_error_vs_width.png")
  for row in r["errors"]["relu"].values():
    assert row["rms"][1] < 0.2 * row["rms"][0] and row["max"][1] < row["max"][0]
  config.targets = ("sin", "cubic")
  with pytest.raises(ConfigError, match="unknown target 'cubic'; valid names: abs, sin, step, wiggly"):
    drivers.run(config, str(tmp_path))


def test_conditioning_and_newton(tmp_path):
  from experiments.conditioning import get_config

  config = get_config()
  config.update(num_steps=50, eval_every=10, newton_steps=2)
  config.methods = ml_collections.ConfigDict({"gd": config.methods.gd.to_dict()})
  r = _run(config, tmp_path, "conditioning.png", "newton.png")
  assert r["condition_number"]["raw"] > 1e4 and r["condition_number"]["standardized"] < 2
  newton_ls = r["newton"]["least_squares"]["newton"]
  assert newton_ls[1] == pytest.approx(r["least_squares_optimum"], rel=1e-3)  # One Newton step solves it.
  gd = r["methods"]
  assert gd["standardized"]["gd"]["final_loss"] < gd["raw"]["gd"]["final_loss"]


def test_robust_losses_ignore_outliers(tmp_path):
  from experiments.losses_outliers import get_config

  config = get_config()
  config.num_steps = 1000
  fits = _run(config, tmp_path, "losses_outliers.png")["fits"]
  assert fits["mse"]["intercept"] > 1.5  # Pulled up by the outliers.
  assert fits["mae"]["parameter_error"] < 0.1 and fits["huber"]["parameter_error"] < 0.2


def test_depth_sigmoid_gradients_vanish(tmp_path):
  from experiments.depth import get_config

  config = get_config()
  config.update(activations=("sigmoid",), normalizations=("none", "batch"), depth=6, width=8)
  config.update(num_steps=10, eval_every=10, probe_size=100)
  runs = _run(config, tmp_path, "vanishing_gradients.png", "depth_training.png", "activations.png")["runs"]
  assert runs["sigmoid/none"]["first_to_last_layer_ratio"] < 0.01  # 6 layers of f' <= 1/4
  assert runs["sigmoid/batch"]["first_to_last_layer_ratio"] > 0.1
  assert len(runs["sigmoid/batch"]["grad_norms_at_init"]) == 7


def test_learning_rate_sweep_and_optimizers(tmp_path):
  from experiments.learning_rate import get_config

  config = get_config()
  config.update(learning_rates=(0.001, 3.0, 1000.0), num_steps=100, eval_every=50)
  rates = _run(config, tmp_path / "lr", "learning_rate.png")["rates"]
  assert rates["3"]["test_accuracy"] > rates["0.001"]["test_accuracy"]
  assert rates["3"]["test_accuracy"] > rates["1000"]["test_accuracy"]

  from experiments.optimizers import get_config as optimizers_config

  config = optimizers_config()
  config.update(num_steps=20, eval_every=10, target_loss=1.5)
  config.methods = ml_collections.ConfigDict(
    {"adam": dict(optimizer="adam", learning_rates=(3e-3,), batch_size=100)}
  )
  adam = _run(config, tmp_path / "opt", "optimizers.png")["methods"]["adam"]
  assert adam["steps_to_target"] in (10, 20) and adam["final_loss"] < 1.5 and len(adam["curve"]) == 2


def test_mlp_normalizations():
  x = jnp.ones((4, 5))
  for norm, extra in [("batch", "BatchNorm_0"), ("layer", "LayerNorm_0"), ("weight", "WeightNorm_0")]:
    variables = MLP(num_outputs=2, widths=(3,), normalization=norm).init(jax.random.PRNGKey(0), x)
    assert extra in variables["params"]
  with pytest.raises(ConfigError, match="unknown normalization 'group'"):
    MLP(num_outputs=2, normalization="group").init(jax.random.PRNGKey(0), x)
