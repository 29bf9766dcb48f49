"""The text recognizer experiment: train a line recognizer on handwriting_lines (nets/data/handwriting.py)
with the one loop, then read each test split back through the Recognizer and score it by font.

results.json adds to the loop's figures: `test_cer` (edits / characters over the `test` split: fonts never
seen in training, text never trained on), `seen_fonts_cer` (the same text in the training fonts: the gap
is the cost of a new hand), `font_cer` (each held-out font's CER), `worst_font` and its CER; all of greedy
decoding. With config.decoding.beam > 0 also `test_cer_beam` (prefix beam search, no LM),
`test_cer_beam_lm` and `seen_fonts_cer_beam_lm` (shallow fusion of a character n-gram counted on lines of
the training text), `font_cer_beam_lm`, and the LM's bits per character on the test split's text.
"""

import os

import jax
import ml_collections
import numpy as np

from nets import data, options
from nets.data import handwriting
from nets.data.lines import TEXT, decode
from nets.errors import ConfigError
from nets.recognizer.beam import decode_batch
from nets.recognizer.charlm import CharNgram
from nets.recognizer.ctc import text_edit_distance
from nets.recognizer.pipeline import Recognizer
from nets.training.loop import dataset_options, train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()
SCORED_SPLITS = ("test", "test_seen_fonts")


def line_config(config: ml_collections.ConfigDict) -> None:
  """config.lines completed with handwriting_lines' line shape and alphabet, which the Recognizer and
  export read back from config.json; a value set otherwise is a ConfigError (the dataset fixes them)."""
  if config.data.name != handwriting.HandwritingLines.name:
    raise ConfigError(f"driver recognizer_text trains on handwriting_lines, not {config.data.name!r}")
  want = dict(
    alphabet="text", height=handwriting.HEIGHT, width=handwriting.WIDTH, max_len=handwriting.MAX_LEN
  )
  if "lines" not in config:
    config.lines = ml_collections.ConfigDict()
  wrong = {k: config.lines[k] for k in want if config.lines.get(k) not in (None, 0, want[k])}  # 0: unset
  if wrong:
    raise ConfigError(f"config.lines {wrong} does not describe handwriting_lines' lines, {want}")
  config.lines.update(want)


def read_split(config: ml_collections.ConfigDict, split: str):
  """(ink [N, H, W], texts, font names) of a split of the config's handwriting_lines."""
  d = config.data
  info, sources = data.sources(d.name, d.data_dir, **dataset_options(d))
  source = sources[split]
  records = source.__getitems__(list(range(len(source))))
  names = info.features["font"].names
  x = np.stack([r["image"][..., 0] for r in records]).astype(np.float32) / 255.0
  return x, [decode(r["label"], TEXT) for r in records], [names[int(r["font"])] for r in records]


def text_lm(config: ml_collections.ConfigDict) -> CharNgram:
  """The character n-gram of config.decoding's `lm_lines` lines of training text, drawn as the config's train
  split draws its lines (corpus runs and digit mixes, and its fraction of lines of digits alone) but from
  seeds of their own, so they are not the training lines' texts."""
  digit_lines = handwriting.builder_option(dataset_options(config.data), "digit_lines")
  lines = [lm_line(i, digit_lines) for i in range(config.decoding.lm_lines)]
  return CharNgram(lines, TEXT, config.decoding.lm_order)


def lm_line(i: int, digit_lines: float) -> str:
  if np.random.default_rng([7, i, 3]).random() < digit_lines:
    return handwriting.digit_line(np.random.default_rng([7, i, 3, 1]))
  return handwriting.line_text("train", np.random.default_rng([7, i]))


def line_logits(recognizer: Recognizer, x, batch: int = 100) -> np.ndarray:
  """The model's frame logits [N, T, C] of normalized lines [N, H, W]."""
  apply = jax.jit(lambda v, xb: recognizer.model.apply(v, xb, train=False))
  out = []
  for start in range(0, len(x), batch):
    chunk = np.zeros((batch, *x.shape[1:], 1), np.float32)
    n = len(x[start : start + batch])
    chunk[:n, ..., 0] = x[start : start + batch]
    out.append(np.asarray(apply(recognizer.variables, chunk))[:n])
  return np.concatenate(out)


def cer(preds, texts, fonts) -> tuple[float, dict[str, float]]:
  """(CER over all lines, CER of each font)."""
  edits, chars = {}, {}
  for pred, truth, font in zip(preds, texts, fonts, strict=True):
    edits[font] = edits.get(font, 0) + text_edit_distance(pred, truth)
    chars[font] = chars.get(font, 0) + len(truth)
  by_font = {f: edits[f] / max(chars[f], 1) for f in sorted(edits)}
  return sum(edits.values()) / max(sum(chars.values()), 1), by_font


def score(recognizer: Recognizer, x, texts, fonts) -> tuple[float, dict[str, float], list[str]]:
  """(CER over all lines, CER of each font, the readings) of greedy decoding."""
  preds = recognizer.transcribe(x)
  return *cer(preds, texts, fonts), preds


def fused_readings(logits_NxTxC: np.ndarray, decoding: ml_collections.ConfigDict, lm: CharNgram) -> list[str]:
  """Beam search with the character LM fused (shallow fusion) as config.decoding says: the run's readings."""
  return decode_batch(logits_NxTxC, TEXT, beam=decoding.beam, lm=lm, alpha=decoding.alpha, beta=decoding.beta)


def score_beam(config, recognizer: Recognizer, lm: CharNgram) -> dict:
  """Beam search without and with the LM on the test splits: their CERs."""
  d, out = config.decoding, {}
  for split, prefix in (("test", "test"), ("test_seen_fonts", "seen_fonts")):
    x, texts, fonts = read_split(config, split)
    logits = line_logits(recognizer, x)
    options = dict(beam=d.beam, beta=0.0)
    if split == "test":
      out["test_cer_beam"] = cer(decode_batch(logits, TEXT, **options), texts, fonts)[0]
      out["lm_bits_per_char"] = lm.bits_per_char(texts)
    fused = fused_readings(logits, d, lm)
    out[f"{prefix}_cer_beam_lm"], by_font = cer(fused, texts, fonts)
    if split == "test":
      out["font_cer_beam_lm"] = by_font
  return out


def plot(path: str, x, texts, fonts, preds, rows: int = 10) -> None:
  """Test lines of held-out fonts with what was read."""
  fig, axes = plt.subplots(rows, 1, figsize=(8, 1.0 * rows), gridspec_kw={"hspace": 0.9})
  for ax, xi, t, f, p in zip(axes, x, texts, fonts, preds, strict=False):
    ax.imshow(1.0 - xi, cmap="gray", vmin=0, vmax=1)
    ax.set_title(f"{f}: true {t!r}\nread {p!r}", fontsize=8, loc="left")
    ax.axis("off")
  save_figure(fig, path)


@options.resolved
def train_text_recognizer(config: ml_collections.ConfigDict, workdir: str) -> dict:
  line_config(config)
  results = train_and_evaluate(config, workdir)  # It writes config.json again, lines complete.
  return evaluate(config, workdir, results)


def evaluate(config: ml_collections.ConfigDict, workdir: str, results: dict) -> dict:
  """The trained run's test splits read back through the Recognizer (greedy) and by beam search, added
  to the loop's `results` in results.json (also on its own: a finished run scored again)."""
  recognizer = Recognizer.from_workdir(workdir)
  for split in SCORED_SPLITS:
    x, texts, fonts = read_split(config, split)
    split_cer, by_font, preds = score(recognizer, x, texts, fonts)
    if split == "test":
      worst = max(by_font, key=by_font.get)
      results.update(test_cer=split_cer, font_cer=by_font, worst_font=worst, worst_font_cer=by_font[worst])
      plot(os.path.join(workdir, "recognizer_text.png"), x, texts, fonts, preds)
    else:
      results["seen_fonts_cer"] = split_cer
  keys = ("test_cer", "seen_fonts_cer", "worst_font", "worst_font_cer")
  if config.decoding.beam:
    results.update(score_beam(config, recognizer, text_lm(config)))
    keys += ("test_cer_beam", "test_cer_beam_lm", "seen_fonts_cer_beam_lm")
  return write_results(workdir, results, {k: results[k] for k in keys}, title="text lines by font")
