"""Unsupervised tasks: the losses against hand-computed values, the MADE mask, one real step of each."""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets.data import Dataset
from nets.errors import ConfigError, UnknownNameError
from nets.evals import frechet
from nets.models.autoencoder import Autoencoder, ConvEncoder
from nets.models.made import MADE
from nets.optim import make_optimizer
from nets.tasks import TASKS, make
from nets.tasks.autoencode import negative_elbo
from nets.tasks.contrastive import augment, nt_xent
from nets.tasks.nextpixel import independent_pixels_bits


def test_negative_elbo_by_hand():
  # Two pixels, logits 0 (p = 1/2): reconstruction 2 log 2.
  # q = N(1, 1) against N(0, 1): KL = 1/2 (1 + 1 - 1 - 0).
  nelbo, recon, kl = negative_elbo(
    jnp.zeros((1, 2)), jnp.array([[1.0, 0.0]]), jnp.ones((1, 1)), jnp.zeros((1, 1))
  )
  np.testing.assert_allclose(recon, [2 * math.log(2)], rtol=1e-6)
  np.testing.assert_allclose(kl, [0.5], rtol=1e-6)
  np.testing.assert_allclose(nelbo, [2 * math.log(2) + 0.5], rtol=1e-6)
  # q = N(0, e^2): KL = 1/2 (e^2 - 1 - 2).
  _, _, kl = negative_elbo(jnp.zeros((1, 1)), jnp.ones((1, 1)), jnp.zeros((1, 1)), jnp.full((1, 1), 2.0))
  np.testing.assert_allclose(kl, [0.5 * (math.e**2 - 3)], rtol=1e-6)


def test_nt_xent_by_hand():
  # Pairs (a1, b1) = ([1, 0], [2, 0]) and (a2, b2) = ([0, 1], [0, 3]): after normalisation each view has
  # cosine 1 to its partner and 0 to the two others, so every loss is -log(e^(1/t) / (e^(1/t) + 2)).
  z1, z2 = jnp.array([[1.0, 0.0], [0.0, 1.0]]), jnp.array([[2.0, 0.0], [0.0, 3.0]])
  for t in (1.0, 0.5):
    expected = math.log(math.exp(1 / t) + 2) - 1 / t
    np.testing.assert_allclose(nt_xent(z1, z2, t), [expected, expected], rtol=1e-6)
  # A pair whose views disagree costs more: a2's partner is now orthogonal and a1 is its twin.
  loss = nt_xent(z1, jnp.array([[2.0, 0.0], [1.0, 0.0]]), 1.0)
  assert loss[1] > loss[0]


def test_frechet_distance_by_hand():
  # N(0, I) against N([1, 0], 4I) in 2-D: |m1 - m2|^2 + tr(I + 4I - 2 * 2I) = 1 + 2.
  assert frechet.frechet_distance(
    np.zeros(2), np.eye(2), np.array([1.0, 0.0]), 4 * np.eye(2)
  ) == pytest.approx(3.0)
  x = np.random.default_rng(0).normal(size=(500, 3))
  assert frechet.frechet_distance(*frechet.statistics(x), *frechet.statistics(x)) == pytest.approx(
    0.0, abs=1e-6
  )


def test_made_never_sees_the_pixel_itself_or_later_ones():
  model = MADE(widths=(32, 32))
  x = (jax.random.uniform(jax.random.PRNGKey(0), (1, 4, 4, 1)) > 0.5).astype(jnp.float32)
  params = model.init(jax.random.PRNGKey(1), x)["params"]
  # Random (nonzero) biases and weights everywhere; d logit_i / d x_j must vanish for every j >= i.
  jac = jax.jacobian(lambda v: model.apply({"params": params}, v.reshape(x.shape)).reshape(-1))(x.reshape(-1))
  jac = np.abs(np.asarray(jac))
  assert np.all(jac[np.triu_indices(16)] == 0.0)
  assert np.all(jac[np.tril_indices(16, -1)] > 0.0)  # ... and every earlier pixel is seen.


def test_independent_pixels_baseline_by_hand():
  train = np.array([[1.0, 0.0], [1.0, 0.0]])  # Smoothed frequencies 3/4 and 1/4.
  test = np.array([[1.0, 1.0]])
  expected = -(math.log2(0.75) + math.log2(0.25)) / 2
  assert independent_pixels_bits(train, test) == pytest.approx(expected, rel=1e-6)


def _tiny_dataset(shape=(8, 8, 1), n=16):
  x = np.asarray(jax.random.uniform(jax.random.PRNGKey(0), (n, *shape)))
  y = np.arange(n, dtype=np.int32) % 10
  return Dataset("tiny", {"train": {"x": x, "y": y}, "test": {"x": x, "y": y}}, 10)


def _config(task, **fields):
  from experiments import autoencoder_mlp_2d, gan, made, simclr, vae

  config = {
    "autoencode": autoencoder_mlp_2d,
    "vae": vae,
    "gan": gan,
    "nextpixel": made,
    "contrastive": simclr,
  }[task].get_config()
  config.task = task
  for k, v in fields.items():
    config[k] = v
  return config


@pytest.mark.parametrize(
  "task,overrides",
  [
    ("autoencode", {}),
    ("autoencode", {"noise_std": 0.5}),
    ("vae", {}),
    ("gan", {}),
    ("nextpixel", {}),
    ("contrastive", {}),
  ],
)
def test_one_real_step_lowers_nothing_to_nan(task, overrides):
  """One compiled train step changes the parameters and gives finite metrics; eval gives [B] metrics."""
  dataset = _tiny_dataset()
  config = _config(task, **overrides)
  if task == "gan":  # Its `model` is a label; the players are the models.
    config.generator.widths = config.discriminator.widths = (8,)
  else:
    config.model.widths = (4, 8) if task == "contrastive" else (8,)
  task_fns = make(config, dataset, make_optimizer(config.optimizer, 10))
  batch = {k: jnp.asarray(v[:4]) for k, v in dataset.splits["train"].items()}
  state = jax.jit(task_fns.init)(jax.random.PRNGKey(0), batch)
  before = jax.tree.map(np.asarray, state.params)
  new_state, metrics = jax.jit(task_fns.train_step)(state, batch)
  assert np.isfinite(float(metrics["loss"])) and int(new_state.step) == 1
  changed = jax.tree.map(lambda a, b: not np.allclose(a, b), before, jax.device_get(new_state.params))
  assert all(jax.tree.leaves(changed))  # Every parameter moved (both players, for the GAN).
  for name, v in jax.jit(task_fns.eval_step)(new_state, batch).items():
    assert v.shape == (4,) and np.all(np.isfinite(v)), name


def test_autoencoder_codes_and_reconstructions_have_the_right_shapes():
  model = Autoencoder((8, 8, 1), latent_dim=3, kind="conv", widths=(4, 8))
  x = jnp.zeros((2, 8, 8, 1))
  params = model.init(jax.random.PRNGKey(0), x)["params"]
  assert model.apply({"params": params}, x, method=Autoencoder.encode).shape == (2, 3)
  assert model.apply({"params": params}, x).shape == (2, 8, 8, 1)


def test_augment_makes_views_of_images_and_signals():
  key = jax.random.PRNGKey(0)
  image_HxWxC = jax.random.uniform(key, (8, 8, 1))
  signal_LxC = 3.0 * jax.random.normal(key, (40, 1))  # MNIST-1D's signals are real-valued, not pixels
  for x in (image_HxWxC, signal_LxC):
    # No zoom, no shift, no noise: the view is the input itself.
    np.testing.assert_allclose(augment(key, x, 0.0, (1.0, 1.0), 0.0), x, atol=1e-5)
  # A whole-sample shift of a signal moves it along L (zeros come in at the edge); the same with a
  # random shift in [-1, 1] leaves the shape and the unclipped range alone.
  view = augment(key, signal_LxC, 1.0, (1.0, 1.0), 0.0)
  assert view.shape == (40, 1) and float(jnp.abs(view).max()) > 1.0
  assert not np.allclose(view, signal_LxC)
  # Noise on an image stays in the pixel range; on a signal it is not clipped.
  assert 0.0 <= float(augment(key, image_HxWxC, 2.0, (0.8, 1.2), 0.5).min())
  assert float(augment(key, jnp.zeros((40, 1)), 0.0, (1.0, 1.0), 0.5).min()) < 0.0


def test_conv_encoder_takes_signals_and_images():
  for x in (jnp.zeros((2, 40, 1)), jnp.zeros((2, 8, 8, 1))):
    encoder = ConvEncoder(num_outputs=5, widths=(4, 8))
    params = encoder.init(jax.random.PRNGKey(0), x)["params"]
    assert encoder.apply({"params": params}, x).shape == (2, 5)
    assert params["Conv_0"]["kernel"].shape == (3,) * (x.ndim - 2) + (1, 4)
  with pytest.raises(ConfigError, match="ConvEncoder takes N x L x C signals or N x H x W x C images"):
    ConvEncoder(num_outputs=5).init(jax.random.PRNGKey(0), jnp.zeros((2, 40)))


def test_bad_inputs_say_what_is_wrong():
  with pytest.raises(ConfigError, match="divisible by 4"):
    model = Autoencoder((10, 10, 1), kind="conv", widths=(4, 8))
    model.init(jax.random.PRNGKey(0), jnp.zeros((1, 10, 10, 1)))
  with pytest.raises(UnknownNameError, match="valid names: conv, mlp"):
    model = Autoencoder((8, 8, 1), kind="rnn")
    model.init(jax.random.PRNGKey(0), jnp.zeros((1, 8, 8, 1)))
  assert {"autoencode", "vae", "gan", "nextpixel", "contrastive"} <= set(TASKS)


def test_drivers_write_their_figures_and_numbers(tmp_path):
  """The autoencoder and GAN drivers end to end on the 8x8 digits, one short epoch each; the GAN's
  per-epoch figure and distance come through the loop's on_epoch hook, its final ones through on_end."""
  from experiments import autoencoder_mlp_2d, gan
  from nets.drivers import run
  from nets.training.logbook import read_jsonl

  config = autoencoder_mlp_2d.get_config()
  config.data.name, config.num_epochs, config.model.widths = "digits", 1, (8,)
  results = run(config, str(tmp_path / "ae"))
  assert results["figures"] == ["reconstructions.png", "latent.png"]
  assert all((tmp_path / "ae" / f).stat().st_size > 1000 for f in results["figures"])

  config = gan.get_config()
  config.data.name, config.num_epochs, config.batch_size, config.frechet_samples = "digits", 1, 100, 200
  config.generator.widths = config.discriminator.widths = (16,)
  config.classifier.num_epochs, config.classifier.model.widths = 1, (16, 8)
  results = run(config, str(tmp_path / "gan"))
  assert results["frechet_test_real"] < results["frechet_noise"]
  assert (tmp_path / "gan" / "samples" / "epoch_001.png").exists()
  (record,) = read_jsonl(tmp_path / "gan" / "metrics.jsonl")
  assert record["epoch"] == 1 and record["frechet_distance"] > 0
  assert {"samples.png", "progress.png", "frechet.png"} <= set(results["figures"])
