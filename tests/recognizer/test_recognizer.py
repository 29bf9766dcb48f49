import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets.data import lines
from nets.recognizer import ctc
from nets.recognizer.pipeline import normalize_line
from nets.recognizer.segment import find_lines, iou, match


def test_greedy_decode_merges_repeats_and_drops_blanks():
  frames = jnp.array([[3, 3, 0, 2, 2, 0, 0, 3], [1, 0, 1, 1, 0, 0, 0, 0]])
  decoded = ctc.greedy_decode(jax.nn.one_hot(frames, 5))
  np.testing.assert_array_equal(decoded, [[3, 2, 3, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0]])


@pytest.mark.parametrize(
  "hyp, ref, distance",
  [("123", "13", 1), ("", "13", 2), ("556", "13", 3), ("kitten", "sitting", 3), ("13", "13", 0)],
)
def test_edit_distance_matches_hand_counts(hyp, ref, distance):
  assert ctc.text_edit_distance(hyp, ref) == distance
  codes = {c: i + 1 for i, c in enumerate(sorted(set(hyp + ref)))}
  pad = lambda s, n: jnp.array([codes[c] for c in s] + [0] * (n - len(s)))
  assert int(ctc.edit_distance(pad(hyp, 9), pad(ref, 8))) == distance


def test_greedy_confidence_is_the_mean_probability_of_the_emitted_characters():
  p = jnp.array(
    [
      [[0.9, 0.05, 0.05], [0.1, 0.8, 0.1], [0.2, 0.2, 0.6], [0.95, 0.03, 0.02]],  # Emits at frames 1, 2.
      [[0.5, 0.25, 0.25], [0.7, 0.2, 0.1], [0.9, 0.05, 0.05], [0.6, 0.2, 0.2]],  # Only blanks.
    ]
  )
  confidence = ctc.greedy_confidence(jnp.log(p))
  np.testing.assert_allclose(confidence, [(0.8 + 0.6) / 2, (0.5 + 0.7 + 0.9 + 0.6) / 4], rtol=1e-5)


def test_ctc_loss_of_uniform_scores_is_log_classes():
  # One frame, label "a": the only path emits "a", with probability 1/4.
  loss = ctc.ctc_loss(jnp.zeros((1, 1, 4)), jnp.array([[1, 0]]))
  np.testing.assert_allclose(loss, [np.log(4.0)], rtol=1e-5)


def test_lines_are_pasted_with_the_drawn_overlap():
  images = [np.full((28, 28), (d + 1) / 10, np.float32) for d in range(10)]
  rng = np.random.default_rng(0)
  line = lines.render_line([images[2], images[5]], rng, width=84, overlap=(0.0, 0.0))
  np.testing.assert_allclose(line[0, [0, 27, 28, 55, 56]], [0.3, 0.3, 0.6, 0.6, 0.0], rtol=1e-6)
  x, y = lines.make_lines([im[None] for im in images], 50, seed=3, max_len=4, downsample=2)
  assert x.shape == (50, 14, 56, 1) and y.shape == (50, 4)
  for xi, yi in zip(x, y, strict=True):  # Each digit's constant brightness is its left-most pixel.
    n = int((yi > 0).sum())
    assert 1 <= n <= 4 and (yi[n:] == 0).all() and np.isclose(xi[0, 0, 0], yi[0] / 10)
  again, _ = lines.make_lines([im[None] for im in images], 50, seed=3, max_len=4, downsample=2)
  np.testing.assert_array_equal(x, again)  # Deterministic given the seed.
  assert lines.decode([3, 1, 10, 0]) == "209" and lines.encode("209") == [3, 1, 10]


def test_squeezed_thickened_lines_narrow_and_thicken_each_digit_and_keep_the_overlap():
  bar = np.zeros((28, 28), np.float32)
  bar[4:24, 8:20] = 1.0  # 12 columns of ink in its 28-pixel box.
  rng = np.random.default_rng(0)
  line = lines.render_line([bar, bar], rng, width=84, overlap=(0.0, 0.0), squeeze=(0.5, 0.5))
  cols = np.flatnonzero(line.max(axis=0) > 0.5)  # Two 6-column bars in 14-column boxes, side by side.
  np.testing.assert_array_equal(cols, np.r_[4:10, 18:24])
  thick = lines.render_line([bar], rng, width=28, thicken=(2, 2))
  assert (thick.max(axis=0) > 0.5).sum() == 12 + 2 and (thick.max(axis=1) > 0.5).sum() == 20 + 2
  digits = [np.pad(np.ones((20, 12), np.float32), ((4, 4), (8, 8)))[None] for _ in range(10)]
  plain, _ = lines.make_lines(digits, 20, seed=5, max_len=6)
  varied, _ = lines.make_lines(digits, 20, seed=5, max_len=6, squeeze=(0.5, 0.9), thicken=(0, 2))
  again, _ = lines.make_lines(digits, 20, seed=5, max_len=6, squeeze=(0.5, 0.9), thicken=(0, 2))
  np.testing.assert_array_equal(varied, again)  # Deterministic given the seed.
  assert not np.array_equal(varied, plain)


def test_line_finder_finds_every_line_of_synthetic_paragraphs():
  images = [np.pad(np.ones((20, 12), np.float32), ((4, 4), (8, 8)))[None] for _ in range(10)]
  rng = np.random.default_rng(0)
  for _ in range(20):
    image, texts, rows = lines.make_paragraph(images, rng)
    found = find_lines(image)
    assert found == rows and match(found, rows) == len(texts)
  assert iou((0, 10), (5, 15)) == pytest.approx(5 / 15)
  assert match([(0, 10), (30, 40)], [(0, 10)]) == 1 and match([(0, 10)], [(20, 30)]) == 0


def test_normalize_line_scales_ink_to_a_digits_height():
  strip = np.zeros((100, 300), np.float32)
  strip[10:90, 50:90] = 1.0  # 80 x 40 ink -> 20 x 10 (MNIST's ink height), rows 4-23 and columns 4-13
  inked = np.argwhere(normalize_line(strip, 14, 224) > 0.5)  # of a 28-pixel line, halved
  assert (inked[:, 0].min(), inked[:, 0].max(), inked[:, 1].min(), inked[:, 1].max()) == (2, 11, 2, 6)
  strip[:] = 0.0
  strip[8:29, 50:70] = 1.0  # Digits 21 rows tall are at a synthetic line's scale: kept, rows 4-24, halved.
  inked = np.argwhere(normalize_line(strip, 14, 224) > 0.5)
  assert (inked[:, 0].min(), inked[:, 0].max(), inked[:, 1].min(), inked[:, 1].max()) == (2, 11, 2, 11)
  strip[:] = 0.0
  strip[8:34, 50:60] = strip[8:34, 70:80] = 1.0  # Two blobs 26 rows tall: a photo at 1.3x, brought to 20.
  inked = np.argwhere(normalize_line(strip, 14, 224) > 0.5)
  assert inked[:, 0].max() - inked[:, 0].min() + 1 == 10  # 20 rows, halved.


def test_normalize_line_gives_back_a_synthetic_line_as_training_made_it():
  rng = np.random.default_rng(0)
  rows_21 = 0.6 + 0.4 * np.hanning(23)[1:-1]  # symmetric: the centre of mass is row 14 of 28, as in MNIST
  digits = []
  for _ in range(3):
    d = np.zeros((28, 28), np.float32)
    d[4:25, 4:24] = np.outer(rows_21, rng.uniform(0.6, 1.0, 20))  # digits 21 rows tall (digit_height)
    digits.append(d)
  full = lines.render_line(digits, rng, width=28 * 16, overlap=(0.0, 0.0))
  page = np.zeros((60, 500), np.float32)
  page[17:45, 30 : 30 + full.shape[1]] = full  # somewhere on a page
  np.testing.assert_allclose(normalize_line(page, 14, 224), lines.shrink(full, 2), atol=1e-6)


def test_tiny_recognizer_learns_to_read_held_out_lines(tmp_path):
  from experiments.recognizer_cnn import get_config
  from nets.drivers import run
  from nets.drivers.recognizer import line_dataset
  from nets.recognizer.pipeline import Recognizer

  config = get_config()
  config.lines.update(num_train=768, num_test=128, max_len=3, num_paragraphs=2, num_photos=2)
  config.model.update(channels=(8, 16), hidden=32, dropout_rate=0.0, bn_momentum=0.9)
  config.optimizer.update(learning_rate=5e-3, schedule="constant")
  # 96 steps, one a call: heavy conv steps run slower inside lax.scan on CPU.
  config.update(batch_size=24, num_epochs=3, steps_per_call=1, eval_batch_size=128)
  results = run(config, str(tmp_path))
  assert results["test_cer"] == pytest.approx(results["test_edits"] / results["test_chars"])
  assert results["test_cer"] < 0.5, results  # Untrained, it reads nothing: CER 1.
  # Whole pages, their lines found and read (0.33 here), and photographed (0.5): reading nothing is CER 1.
  assert results["paragraph_cer"] < 0.75 and results["line_recall"] == results["line_precision"] == 1.0
  assert results["photo_paragraph_cer"] < 0.9 and results["photo_pages"] == 2
  # The served pipeline restores the same weights and reads the test lines as the loop scored them.
  recognizer = Recognizer.from_workdir(str(tmp_path))
  test = line_dataset(config).splits["test"]
  preds = recognizer.transcribe(test["x"][..., 0])
  edits = sum(ctc.text_edit_distance(p, lines.decode(y)) for p, y in zip(preds, test["y"], strict=True))
  assert edits / (test["y"] > 0).sum() == pytest.approx(results["test_cer"], abs=1e-6)
  # An export of the run (no model code at serving time) reads the same lines the same way.
  from nets.export import export

  export(str(tmp_path), str(tmp_path / "export"))
  exported = Recognizer.load(str(tmp_path / "export"))
  assert exported.model is None and exported.transcribe(test["x"][:32, ..., 0]) == preds[:32]


@pytest.mark.parametrize("name", ["line_cnn", "line_lstm"])
def test_line_models_emit_a_frame_per_four_columns_and_train_under_ctc(name):
  from nets.models import MODELS

  model = MODELS[name](11, channels=(2, 4), hidden=4)
  x = jnp.ones((1, 14, 56, 1))
  # Jitted: op by op, the CNN's gradient took 21 s of the suite, compiling each op alone.
  variables = jax.jit(model.init)(jax.random.PRNGKey(0), x)
  assert jax.jit(model.apply)(variables, x).shape == (1, 14, 11)
  labels = jnp.array([[1, 2, 0]])

  def loss(params):
    rngs = {"dropout": jax.random.PRNGKey(1)}
    out, _ = model.apply({**variables, "params": params}, x, train=True, mutable=["batch_stats"], rngs=rngs)
    return ctc.ctc_loss(out, labels).mean()

  value, grads = jax.jit(jax.value_and_grad(loss))(variables["params"])
  assert np.isfinite(value) and all(np.isfinite(g).all() for g in jax.tree.leaves(grads))


def test_ctc_task_shifts_lines_as_config_augment_says_and_refuses_what_would_change_their_text():
  import optax

  from experiments.recognizer_text import get_config
  from nets import options
  from nets.errors import ConfigError
  from nets.tasks.ctc import ctc as ctc_task

  dataset = type("Lines", (), {"num_classes": 78})()
  config = get_config()
  config.augment.crop, config.augment.max_shift = 2, 1.5
  task = ctc_task(options.resolve(config), dataset, optax.adam(1e-3))
  assert (task.crop, task.max_shift, task.flip, task.erase, task.mixup_alpha) == (2, 1.5, False, 0.0, 0.0)
  for path, value in (
    ("augment.flip", True),
    ("augment.erase", 0.5),
    ("augment.test_flip", True),
    ("mixup_alpha", 0.2),
  ):
    refused = get_config()
    section, _, field = path.rpartition(".")
    (refused[section] if section else refused)[field] = value
    with pytest.raises(ConfigError, match=f"^config field {path}={value!r}: task ctc does not read it"):
      options.resolve(refused)
