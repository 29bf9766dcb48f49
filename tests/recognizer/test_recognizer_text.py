"""The recognizer reading the text alphabet: decoding, the text line layout, and a tiny training on
handwriting_lines read back by the Recognizer and by its export (that one needs the fetched fonts)."""

import dataclasses

import numpy as np
import pytest

from nets.data import lines
from nets.recognizer.pipeline import TEXT_CENTRE, TEXT_INK, Recognizer, normalize_text_line
from tests.data.test_handwriting import needs_fonts


def test_a_text_recognizer_decodes_its_ids_as_text_and_lays_lines_out_as_text():
  ids = np.zeros((1, 96), np.int32)
  ids[0, :8] = lines.encode("Hi, 5pm!", lines.TEXT)
  fixed = lambda variables, x: (np.repeat(ids, len(x), axis=0), np.ones(len(x)))  # noqa: E731
  text = Recognizer(None, None, 32, 384, decode_fn=fixed, alphabet="text")
  assert text.transcribe(np.zeros((3, 32, 384), np.float32)) == ["Hi, 5pm!"] * 3
  digit_ids = np.array([[8, 9, 10, 0]])
  digits = Recognizer(
    None, None, 32, 384, decode_fn=lambda v, x: (np.repeat(digit_ids, len(x), 0), np.ones(len(x)))
  )
  assert digits.transcribe(np.zeros((1, 32, 384), np.float32)) == ["789"]  # Unset alphabet: digits.
  assert text.transcribe(np.zeros((1, 32, 384), np.float32)) != ["789"]
  page = np.zeros((100, 300), np.float32)
  page[40:70, 20:80] = 1.0  # Two rows of writing would be two lines; this page has one.
  strips, spans = text.lines(page)
  np.testing.assert_array_equal(strips[0], normalize_text_line(page[spans[0][0] : spans[0][1]], 32, 384))


def test_a_recognizer_with_an_lm_reads_by_beam_search_and_keeps_the_greedy_confidence():
  import jax.numpy as jnp

  from nets.recognizer.beam import Fused
  from nets.recognizer.charlm import CharNgram
  from nets.recognizer.pipeline import _decoded

  # Two frames: "H" 0.5 or "N" 0.4, then "i" 0.9. Greedy reads "Hi"; an LM of lines "Ni" overrules it.
  probs = np.full((2, len(lines.TEXT) + 1), 1e-4)
  (
    probs[0, 1 + lines.TEXT.index("H")],
    probs[0, 1 + lines.TEXT.index("N")],
    probs[1, 1 + lines.TEXT.index("i")],
  ) = (
    0.5,
    0.4,
    0.9,
  )
  logits = np.log(probs / probs.sum(-1, keepdims=True))[None]
  frames = lambda variables, x: _decoded(jnp.asarray(np.repeat(logits, len(x), 0)))  # noqa: E731
  lm = Fused(CharNgram(["Ni"] * 5 + ["Ni!"], lines.TEXT, order=3), alpha=1.0, beta=0.0, beam=4)
  greedy = Recognizer(None, None, 32, 384, decode_fn=frames, alphabet="text")
  fused = Recognizer(None, None, 32, 384, decode_fn=frames, alphabet="text", decoder=lm)
  x = np.zeros((2, 32, 384), np.float32)
  assert [t for t, _ in greedy.transcribe_scored(x)] == ["Hi", "Hi"]
  assert [t for t, _ in fused.transcribe_scored(x)] == ["Ni", "Ni"]
  assert [c for _, c in fused.transcribe_scored(x)] == [c for _, c in greedy.transcribe_scored(x)]


def test_normalize_text_line_keeps_ink_at_the_training_scale_scales_other_ink_and_squeezes_long_lines():
  def laid_out(strip):
    line = normalize_text_line(strip, 32, 384)
    rows, cols = (np.flatnonzero(line.max(axis=a) > 0.5) for a in (1, 0))
    centre = (line.sum(axis=1) * np.arange(32)).sum() / line.sum()
    return line, rows, cols, centre

  strip = np.zeros((60, 500), np.float32)
  strip[20:40, 100:300] = 1.0  # 20 rows of ink: within TEXT_INK_ROWS of 32, a training line's scale.
  line, rows, cols, centre = laid_out(strip)
  assert len(rows) == 20 and (cols[0], len(cols)) == (5, 200)  # Its size; a pixel of paper before it.
  assert abs(centre - TEXT_CENTRE * 32) <= 0.5 and line.max() == 1.0
  strip[:] = 0
  strip[10:50, 100:300] = 1.0  # 40 rows: scaled to span TEXT_INK of the height.
  _, rows, cols, centre = laid_out(strip)
  assert abs(len(rows) - TEXT_INK * 32) <= 1.5 and abs(len(cols) - 200 * TEXT_INK * 32 / 40) <= 1.5
  assert abs(centre - TEXT_CENTRE * 32) <= 0.5 and cols[0] in (4, 5)
  wide = np.zeros((20, 4000), np.float32)
  wide[:, :50] = wide[:, -50:] = 1.0  # Ink at both ends of a line far longer than the width.
  _, rows, cols, _ = laid_out(wide)
  assert (cols[0], cols[-1]) == (4, 383) and len(rows) == 20  # Squeezed into the width, not cut.
  assert not normalize_text_line(np.zeros((10, 10), np.float32), 32, 384).any()


@needs_fonts
def test_tiny_text_recognizer_trains_and_is_read_back_by_the_pipeline_and_its_export(tmp_path):
  from experiments.recognizer_text import get_config
  from nets.data import fonts
  from nets.drivers import run
  from nets.drivers.recognizer_text import read_split
  from nets.export import export
  from nets.recognizer.ctc import text_edit_distance

  config = get_config()
  config.data.update(num_train=48, num_test=8, source_dir=fonts.directory(), data_dir=str(tmp_path / "data"))
  config.model.update(name="line_cnn", channels=(4, 8), hidden=16, dropout_rate=0.0)
  config.update(batch_size=16, num_epochs=1, steps_per_call=1, eval_batch_size=8)
  config.decoding.update(beam=4, lm_lines=300)
  results = run(config, str(tmp_path / "run"))
  for key in ("test_cer_beam", "test_cer_beam_lm", "seen_fonts_cer_beam_lm", "lm_bits_per_char"):
    assert 0 <= results[key] < 50, key
  assert set(results["font_cer_beam_lm"]) == set(results["font_cer"])
  assert set(results["font_cer"]) <= set(fonts.held_out())
  assert results["worst_font_cer"] == max(results["font_cer"].values()) and 0 <= results["test_cer"]
  # The Recognizer reads the test lines as the driver scored them: by beam search with the run's LM (the
  # run has one: config.decoding), and greedily without it (the loop's decoding, the same CER).
  recognizer = Recognizer.from_workdir(str(tmp_path / "run"), lm=True)
  x, texts, _ = read_split(config, "test")
  fused = recognizer.transcribe(x)
  fused_cer = sum(map(text_edit_distance, fused, texts)) / sum(map(len, texts))
  assert fused_cer == pytest.approx(results["test_cer_beam_lm"], abs=1e-9)
  recognizer = dataclasses.replace(recognizer, decoder=None)
  preds = recognizer.transcribe(x)
  assert recognizer.alphabet == "text" and all(set(p) <= set(lines.TEXT) for p in preds)
  cer = sum(map(text_edit_distance, preds, texts)) / sum(map(len, texts))
  assert cer == pytest.approx(results["test_edits"] / results["test_chars"], abs=1e-6)
  assert cer == pytest.approx(results["test_cer"], abs=1e-9)
  spec = export(str(tmp_path / "run"), str(tmp_path / "export"))
  assert spec["alphabet"] == "text" and spec["input"]["shape"] == ["b", 32, 384, 1]
  assert spec["output"]["shape"][-1] == 78 and spec["decoding"]["beam"] == 4
  exported = Recognizer.load(str(tmp_path / "export"))
  assert exported.transcribe(x) == fused
  assert dataclasses.replace(exported, decoder=None).transcribe(x) == preds


def test_the_driver_gives_the_config_the_datasets_line_shape_and_refuses_another():
  from experiments.recognizer_text import get_config
  from nets.drivers.recognizer_text import line_config
  from nets.errors import ConfigError

  config = get_config()
  line_config(config)
  assert lines.line_shape(config) == (32, 384) and lines.alphabet_of(config) == lines.TEXT
  assert config.lines.max_len == 32
  config.lines.width = 8
  with pytest.raises(ConfigError, match=r"config.lines \{'width': 8\} does not describe handwriting_lines"):
    line_config(config)


def test_the_lm_counts_lines_of_digits_alone_at_the_fraction_the_training_lines_have_them():
  """The served model's LM (fused_decoder) is the one its run was scored with (text_lm), both counting that
  fraction of digit lines; with none, the lines of before the option."""
  from experiments.recognizer_text import get_config
  from nets.data import handwriting
  from nets.drivers.recognizer_text import text_lm
  from nets.recognizer.pipeline import fused_decoder

  config = get_config()
  config.decoding.update(lm_lines=300, lm_order=3)
  before = [handwriting.line_text("train", np.random.default_rng([7, i])) for i in range(300)]
  del config.data["digit_lines"]  # A run's config from before the option: the builder's default, none.
  assert list(text_lm(config).lines) == before
  config.data.digit_lines = 0.5
  counted = fused_decoder(config).lm.lines
  assert counted == text_lm(config).lines
  alone = [line for line in counted if set(line) <= set("0123456789 ")]
  assert 110 <= len(alone) <= 190 and all(a == b or a in alone for a, b in zip(counted, before, strict=True))
