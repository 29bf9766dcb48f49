import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
import pytest

from nets import augment, optim
from nets.errors import ConfigError
from nets.training.loop import train_and_evaluate

IMAGE = jnp.arange(16.0).reshape(4, 4, 1)
# Compiled once each: eager map_coordinates and random draws compile every op on their own.
warp = jax.jit(augment.warp)
shift_rotate = jax.jit(augment.shift_rotate)


def test_warp_shifts_by_whole_pixels_and_turns_by_quarter_turns_exactly():
  down = warp(IMAGE, jnp.array([1.0, 0.0]), jnp.array(0.0))
  np.testing.assert_allclose(down[1:], IMAGE[:-1], atol=1e-5)  # Row i moved to row i + 1 ...
  np.testing.assert_allclose(down[0], IMAGE[0], atol=1e-5)  # ... the top row repeated.
  quarter = warp(IMAGE, jnp.zeros(2), jnp.array(np.pi / 2))  # Counter-clockwise as shown.
  np.testing.assert_allclose(quarter[..., 0], np.rot90(IMAGE[..., 0], k=1), atol=1e-4)


def test_shift_rotate_draws_from_its_key_within_range_and_is_identity_at_zero():
  x = jax.random.uniform(jax.random.PRNGKey(0), (3, 8, 8, 2))
  key = jax.random.PRNGKey(1)
  np.testing.assert_allclose(shift_rotate(key, x, 0.0, 0.0), x, atol=1e-6)
  a, b = shift_rotate(key, x, 2.0, 10.0), shift_rotate(key, x, 2.0, 10.0)
  assert jnp.array_equal(a, b) and not jnp.allclose(a, x)
  with pytest.raises(ConfigError, match=r"shifts and rotates N x H x W x C images, got .* \(3, 40, 1\)"):
    augment.shift_rotate(key, jnp.ones((3, 40, 1)), 1.0, 0.0)


def test_random_erase_replaces_one_rectangle_of_the_drawn_size_in_the_chosen_images():
  x = jnp.full((64, 12, 10, 1), 5.0)
  x = x.at[:, 0, 0].set(-5.0)  # The batch's moments are not the fill's: the noise takes the batch's.
  erased = np.asarray(jax.jit(augment.random_erase, static_argnums=2)(jax.random.PRNGKey(0), x, 0.5))
  changed = erased != np.asarray(x)
  counts = changed.reshape(64, -1).sum(1)
  assert 16 < (counts > 0).sum() < 48  # About half the images, each at most one rectangle ...
  for image in changed[counts > 0, ..., 0]:
    rows, cols = np.nonzero(image.any(1))[0], np.nonzero(image.any(0))[0]
    box = image[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    assert box.mean() > 0.97  # ... filled (noise can equal 5.0 only by chance) and nothing outside it,
    assert 0.02 * 120 - 2 <= box.size <= 0.4 * 120 + 12  # of 2-40% of the area, up to rounding.
  noise = erased[changed]
  assert abs(noise.mean() - float(x.mean())) < 0.5 and abs(noise.std() - float(x.std())) < 0.5
  np.testing.assert_array_equal(augment.random_erase(jax.random.PRNGKey(0), x, 0.0), x)
  with pytest.raises(ConfigError, match=r"erases from N x H x W x C images, got .* \(3, 40, 1\)"):
    augment.random_erase(jax.random.PRNGKey(1), jnp.ones((3, 40, 1)), 0.5)


def test_random_crop_moves_each_image_by_whole_pixels_within_pad_and_is_identity_at_zero():
  x = jax.random.uniform(jax.random.PRNGKey(0), (64, 9, 11, 2))
  cropped = np.asarray(jax.jit(augment.random_crop, static_argnums=2)(jax.random.PRNGKey(1), x, 2))
  padded = np.pad(np.asarray(x), ((0, 0), (2, 2), (2, 2), (0, 0)), mode="edge")
  offsets = []
  for out, source in zip(cropped, padded, strict=True):  # Each output is exactly one window, no blending.
    found = [(i, j) for i in range(5) for j in range(5) if np.array_equal(out, source[i : i + 9, j : j + 11])]
    assert len(found) == 1
    offsets.append(found[0])
  assert len(set(offsets)) > 15  # Drawn over the 25 places, not one.
  np.testing.assert_array_equal(augment.random_crop(jax.random.PRNGKey(1), x, 0), x)
  with pytest.raises(ConfigError, match=r"crops N x H x W x C images, got .* \(3, 40, 1\)"):
    augment.random_crop(jax.random.PRNGKey(1), jnp.ones((3, 40, 1)), 2)


def test_shrink_enlarge_loses_what_a_smaller_image_cannot_hold_at_a_factor_drawn_per_image():
  from PIL import Image

  lines = np.zeros((64, 32, 384, 1), np.float32)
  lines[:, 8:24:2, 50:300] = 1.0  # Stripes a row apart: an image of fewer rows cannot hold them.
  lines[:, 8:24, 310:360] = 1.0  # A band 16 rows tall: half the rows can.
  small = Image.fromarray(lines[0, ..., 0]).resize((192, 16), Image.Resampling.BILINEAR)
  pil_half = np.asarray(small.resize((384, 32), Image.Resampling.BILINEAR))
  np.testing.assert_allclose(
    augment.shrunk_and_enlarged(lines[0], jnp.float32(0.5))[..., 0], pil_half, atol=1e-5
  )
  np.testing.assert_allclose(augment.shrunk_and_enlarged(lines[0], jnp.float32(1.0)), lines[0], atol=1e-6)
  out = np.asarray(jax.jit(augment.shrink_enlarge, static_argnums=2)(jax.random.PRNGKey(0), lines, 0.5))
  assert out.shape == lines.shape and out.dtype == np.float32
  contrast_B = np.ptp(out[:, 10:22, 100, 0], axis=1)
  assert contrast_B.min() < 0.1 and contrast_B.max() > 0.5  # Some shrunk near half, some barely.
  assert out[:, 10:22, 330].min() > 0.9 and np.abs(out[:, :5]).max() < 0.05  # The band kept, in place.
  with pytest.raises(ConfigError, match=r"shrinks and enlarges N x H x W x C images"):
    augment.shrink_enlarge(jax.random.PRNGKey(1), jnp.ones((3, 40, 1)), 0.5)


def test_flip_mirrors_about_half_the_images_exactly_and_rejects_other_shapes():
  x = jax.random.uniform(jax.random.PRNGKey(0), (64, 5, 6, 2))
  flipped = jax.jit(augment.flip_left_right)(jax.random.PRNGKey(1), x)
  mirrored = [bool(jnp.array_equal(f, i[:, ::-1])) for f, i in zip(flipped, x, strict=True)]
  kept = [bool(jnp.array_equal(f, i)) for f, i in zip(flipped, x, strict=True)]
  assert all(m != k for m, k in zip(mirrored, kept, strict=True))  # Each image one or the other, ...
  assert 20 <= sum(mirrored) <= 44  # ... about half mirrored (32 +- 3 sd of Binomial(64, 1/2)).
  with pytest.raises(ConfigError, match=r"flips N x H x W x C images, got .* \(3, 40, 1\)"):
    augment.flip_left_right(jax.random.PRNGKey(1), jnp.ones((3, 40, 1)))


def test_mixup_mixes_inputs_and_targets_with_one_weight():
  lam, perm = jax.jit(augment.mixup_pairs, static_argnums=1)(jax.random.PRNGKey(0), 5, 0.4)
  assert 0 <= float(lam) <= 1 and sorted(perm.tolist()) == [0, 1, 2, 3, 4]
  targets = jnp.eye(3)[jnp.array([0, 1])]
  mixed = jax.jit(augment.mix)(targets, jnp.array(0.25), jnp.array([1, 0]))
  np.testing.assert_allclose(mixed, [[0.25, 0.75, 0], [0.75, 0.25, 0]])


def test_decoupled_weight_decay_shrinks_weights_apart_from_the_gradient():
  w = {"w": jnp.array([2.0, -4.0])}
  zero = {"w": jnp.zeros(2)}
  cfg = dict(learning_rate=0.1, weight_decay=0.5)
  adamw = optim.make_optimizer(ml_collections.ConfigDict(dict(name="adamw", **cfg)), 10)
  updates, _ = adamw.update(zero, adamw.init(w), w)
  np.testing.assert_allclose(optax.apply_updates(w, updates)["w"], [2.0 * 0.95, -4.0 * 0.95], rtol=1e-6)
  # Adam + L2 instead normalises the decay's gradient: a step of lr in its sign, whatever the weight.
  adam_l2 = optim.make_optimizer(ml_collections.ConfigDict(dict(name="adam", **cfg)), 10)
  updates, _ = adam_l2.update(zero, adam_l2.init(w), w)
  np.testing.assert_allclose(optax.apply_updates(w, updates)["w"], [1.9, -3.9], rtol=1e-5)


def test_early_stopping_stops_after_patience_epochs_without_improvement(tiny_config, tmp_path):
  config = tiny_config
  config.data.name, config.data.validation_size, config.batch_size = "digits", 200, 100
  config.optimizer.name, config.optimizer.learning_rate = "sgd", 1e-30  # Parameters never change.
  config.num_epochs, config.early_stopping.patience = 10, 2
  config.steps_per_call = 12  # 1,237 / 100: a whole epoch per call, without auto's cost analysis.
  results = train_and_evaluate(config, str(tmp_path))
  assert (results["epochs"], results["best_epoch"], results["stopped_early"]) == (3, 1, True)


def test_regularisers_change_training_but_not_evaluation(tiny_config, tmp_path):
  """One step on the same batch: dropout, augmentation, flips and MixUp each change the training loss."""
  from nets import data, tasks

  dataset = data.load("digits")
  batch = {k: jnp.asarray(v[:32]) for k, v in dataset.splits["train"].items()}
  config = tiny_config
  config.data.name = "digits"
  losses, eval_losses, state = {}, set(), None
  for name, change in {
    "plain": {},
    "dropout": {"model.dropout_rate": 0.5},
    "augment": {"augment.max_shift": 1.0, "augment.max_degrees": 10.0},
    "crop": {"augment.crop": 2},
    "shrink": {"augment.shrink": 0.5},
    "flip": {"augment.flip": True},
    "erase": {"augment.erase": 1.0},
    "mixup": {"mixup_alpha": 0.4},
  }.items():
    c = config.copy_and_resolve_references()
    for field, value in change.items():
      c.update_from_flattened_dict({field: value})
    task = tasks.make(c, dataset, optax.sgd(0.1))
    if state is None:  # The regularisers add no parameters: every task starts from one state.
      state = jax.jit(task.init)(jax.random.PRNGKey(0), batch)
    _, metrics = jax.jit(task.train_step)(state, batch)
    losses[name] = float(metrics["loss"])
    eval_losses.add(round(float(jax.jit(task.eval_step)(state, batch)["loss"].mean()), 6))
  assert len(set(losses.values())) == 8, losses  # Each regulariser changes the training loss ...
  assert len(eval_losses) == 1  # ... and none touches evaluation.
  c = config.copy_and_resolve_references()
  c.mixup_alpha = -1.0
  with pytest.raises(ConfigError, match=r"config field mixup_alpha=-1.0: accepts a number >= 0"):
    tasks.make(c, dataset, optax.sgd(0.1))
  c = config.copy_and_resolve_references()
  c.augment.crop = -1
  with pytest.raises(ConfigError, match=r"config field augment.crop=-1: accepts an integer >= 0"):
    tasks.make(c, dataset, optax.sgd(0.1))
  c = config.copy_and_resolve_references()
  c.augment.shrink = 1.0  # A factor of 0 would enlarge nothing back.
  with pytest.raises(ConfigError, match=r"config field augment.shrink=1.0: accepts a number in \[0, 1\)"):
    tasks.make(c, dataset, optax.sgd(0.1))
  c = config.copy_and_resolve_references()
  c.augment.erase = 1.5
  with pytest.raises(ConfigError, match=r"config field augment.erase=1.5: accepts a number in \[0, 1\]"):
    tasks.make(c, dataset, optax.sgd(0.1))


def test_test_flip_adds_the_accuracy_of_the_mean_softmax_of_image_and_mirror_beside_the_plain(tiny_config):
  from nets import data, tasks

  dataset = data.load("digits")
  batch = {k: jnp.asarray(v[:64]) for k, v in dataset.splits["train"].items()}
  config = tiny_config
  config.data.name = "digits"
  plain = tasks.make(config, dataset, optax.sgd(0.1))
  config.augment.test_flip = True
  tta = tasks.make(config, dataset, optax.sgd(0.1))
  state = jax.jit(plain.init)(jax.random.PRNGKey(0), batch)
  state, _ = jax.jit(plain.train_step)(state, batch)  # Away from the start, where the mirror matters.
  with_tta, without = jax.jit(tta.eval_step)(state, batch), jax.jit(plain.eval_step)(state, batch)
  assert set(with_tta) == set(without) | {"tta_accuracy"}
  for k, v in without.items():  # The plain figures are untouched.
    np.testing.assert_array_equal(with_tta[k], v)
  x = np.asarray(batch["x"])
  probs = jax.nn.softmax(plain.predict(state, x)) + jax.nn.softmax(plain.predict(state, x[:, :, ::-1]))
  expected = (np.argmax(probs, -1) == np.asarray(batch["y"])).astype(np.float32)
  np.testing.assert_array_equal(with_tta["tta_accuracy"], expected)
  assert not np.array_equal(expected, without["accuracy"])  # The mirror changed some predictions.
  with pytest.raises(ConfigError, match=r"mirrors N x H x W x C images, got .* \(3, 40\)"):
    augment.mirror(jnp.ones((3, 40)))
  flat = {**batch, "x": batch["x"].reshape(64, -1)}  # Refused at init, before any training is done.
  with pytest.raises(ConfigError, match=r"mirrors N x H x W x C images, got .* \(64, 64\)"):
    tta.init(jax.random.PRNGKey(0), flat)
