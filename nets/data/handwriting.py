"""Text lines in handwriting fonts, each glyph varied, as the TFDS dataset `handwriting_lines`.

A line is up to MAX_LEN characters of nets.data.lines.TEXT (letters, digits, space and . , ; : ! ? '
" ( ) - / & %) drawn glyph by glyph in one of the 262 handwriting fonts of nets/data/fonts.py, at twice
the final resolution, then shrunk: 32 x 384 pixels, bright ink on black (as the recognizer reads). Each
glyph gets its own size, baseline shift, rotation and spacing; each line its own font size, slant,
stroke width, elastic distortion, ink strength and paper noise (STYLE gives the ranges). Labels are CTC
targets over TEXT, 0-padded to MAX_LEN.

Text: 70% of lines are runs of words of the pydoc corpus (nets/data/text.py), characters outside the
alphabet replaced by spaces; 30% are mixes of digits and punctuation (dates, times, amounts, codes,
phone numbers, percentages, short notes). Splits, by font AND by text:
  train            the 250 training fonts, the corpus's training text (its first 90% of each topic)
  test             the 12 held-out fonts (never in training), the corpus's validation text
  test_seen_fonts  the training fonts, the validation text: the gap to `test` is the cost of a new hand
Example i of a split is a pure function of (split, i): the same pixels on every build.

Written lines: with `written` > 0 that fraction of the training lines (test lines never) is drawn as the
recognizer's page gets text written with a mouse or a pen (render_written): the glyphs thinned and traced
into strokes, redrawn black on white with a round pen of a width drawn from a wide range, and read as the
service reads a canvas. Which lines are written is drawn from a seed of its own, so every other line keeps
its pixels, and a build with written = 0 is the build from before the option.

Photographed lines: with `photographed` > 0 that fraction of the training lines (test lines never), drawn
either way above, is printed on paper and photographed as nets/recognizer/photos.py photographs the test
pages (scale, rotation, light, sensor noise, JPEG), then read back as the service reads a photo
(render_photographed): the model learns from what a photographed page gives it. Which lines are
photographed is drawn from a seed of its own; a build with photographed = 0 is the build from before.

MNIST digits: with `mnist_digits` > 0 each digit of a training line is, with that probability, one of
mnist_5k's 4,000 training digits (the digit recognizer's; real people's handwriting, scaled to the font's
digit height) instead of the font's glyph, so that a text model reads digits as people write them, not only
as fonts draw them. Test lines keep the fonts' digits; a build with mnist_digits = 0 is the build from
before the option.

Digit lines: with `digit_lines` > 0 that fraction of the training lines (test lines never) is digits alone
(digit_line: 1 to 3 groups of 1 to 10), drawn as people write numbers on the recognizer's page
(DIGIT_LINE_STYLE: glyphs farther apart and narrower, each glyph's advance varied, digits up to 25 rows tall)
and laid out as the service lays out a line (pipeline.normalize_text_line), where other lines' digits are
spaced as the font sets them and 12 to 18 rows tall. Which lines is drawn from a seed of its own.

Options (nets.data.load("handwriting_lines", num_train=..., num_test=...)): `num_train` lines for training
(default 10,000), `num_test` for each test split (default 1,000), `written` the fraction of training lines
written with a pen (default 0), `photographed` the fraction photographed (default 0), `mnist_digits` the
probability that a training line's digit is an MNIST digit (default 0), `digit_lines` the fraction of
digits alone (default 0), `source_dir` the font tarballs' directory (default
<data_dir>/downloads/handwriting_fonts, fetched there on first use), `workers` the processes that draw the
lines (default 1; the same bytes with any number; `--config.data.workers=2` halves a build on 2 cores).
"""

import functools
import inspect
import io
import multiprocessing
import os
import re
import threading
import time
from concurrent import futures

import numpy as np
import tensorflow_datasets as tfds
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

from nets.data import fonts, text
from nets.data.lines import TEXT, encode, shrink
from nets.errors import ConfigError
from nets.recognizer import strokes

HEIGHT, WIDTH, MAX_LEN = 32, 384, 32
SCALE = 2  # Glyphs are drawn at twice the size, then shrunk by block means (anti-aliasing).
MIX_FRACTION = 0.3
MIN_WORDS_LEN = 8  # Shortest corpus line, in characters.
SPLITS = {"train": (0, False), "test": (1, True), "test_seen_fonts": (2, False)}  # id, held-out fonts
TEXT_PART = {"train": 0, "test": 1, "test_seen_fonts": 1}  # Corpus part: 0 training, 1 validation.
PARALLEL_FROM, PARALLEL_CHUNK = 64, 16  # Fewer lines draw faster in one process than a pool starts.
# Ranges each line (or glyph) draws from, uniformly unless said otherwise.
STYLE = dict(
  line_size=(0.6, 0.8),  # The letters' ascender top to descender bottom, as a fraction of the height.
  glyph_size_sigma=0.06,  # Each glyph's size: the line's times exp(N(0, sigma)).
  baseline_sigma=0.03,  # Each glyph's baseline shift, N(0, sigma) of the line's height.
  rotation_sigma=4.0,  # Each glyph's rotation, degrees, N(0, sigma).
  spacing=(0.85, 1.2),  # The line's advance factor; each glyph's own is that times U(glyph_spacing).
  glyph_spacing=(0.93, 1.07),
  word_space=(0.8, 1.6),  # A space's advance, times the font's.
  slant=(-0.35, 0.35),  # Shear: x moves by slant * (height above the baseline).
  stroke=(0, 2),  # Extra stroke width in drawing pixels (an integer in [0, 2)); thinned when 0 sometimes.
  thin_probability=0.25,
  elastic=(0.0, 1.6),  # Displacement RMS in drawing pixels, of a field smooth over elastic_cell pixels.
  elastic_cell=8,
  ink=(0.6, 1.0),  # The strokes' brightness.
  noise=(0.0, 0.05),  # Paper noise: N(0, sigma) over the whole line, then clipped to [0, 1].
  blur=(0.0, 0.8),  # Gaussian blur in final pixels.
  margin=(0, 12),  # Final pixels before the first ink.
  # Written lines (render_written): the letters' span (ascender top to descender bottom) on the canvas, in
  # canvas pixels, and the round pen's width as a fraction of it, log-uniform: from a thin stylus to the
  # page's 14 px pen on small writing (0.2 of the span at a 72 px font size, 0.28 at 50 px).
  written_size=(40.0, 120.0),
  written_pen=(0.03, 0.3),
  mnist_digits=0.0,  # The probability that a digit is drawn as one of mnist_5k's training digits.
  mnist_jitter=False,  # Whether an MNIST digit's advance varies as a font glyph's does (False: as before).
)
# Digit lines (`digit_lines`) are spaced and shaped as people write numbers on the page, where six digits 80
# px tall and 35 wide come a glyph every 45 to 80 px: an advance factor up to twice the widest of other
# lines (gaps up to about a digit's height), each glyph's own varying as much as in the digit recognizer's
# lines (their overlap of 0-0.33) and spaces between groups wider than those, each line's glyphs narrowed
# by a factor of its own, and a pen at most 0.2 of the letters' span (digits span about 0.6 of it; the
# page's 14 px pen is 0.18 of 80 px).
# Digits alone may be drawn up to 1.2 of the letters' span (their lines span 16 to 25 of 32 rows, median 22):
# the service scales a line of tall digits to 22 rows (pipeline.normalize_text_line), where other lines'
# digits are 12 to 18.
DIGIT_LINE_STYLE = dict(
  line_size=(0.6, 1.2),
  spacing=(0.9, 2.2),
  glyph_spacing=(0.75, 1.25),
  mnist_jitter=True,
  word_space=(1.5, 2.5),
  squeeze=(0.55, 1.0),
  written_pen=(0.03, 0.2),
)
_OUTSIDE = re.compile("[^" + re.escape(TEXT) + "]")


# --- text ------------------------------------------------------------------------------------------------


@functools.cache
def corpus_words(part: int) -> tuple[str, ...]:
  """The words of the pydoc corpus's training (0) or validation (1) text, outside characters -> spaces."""
  joined = " ".join(text.split_text(t)[part] for t in text.topics().values())
  return tuple(_OUTSIDE.sub(" ", joined).split())


def corpus_line(words: tuple[str, ...], rng: np.random.Generator, max_len: int = MAX_LEN) -> str:
  """Consecutive words from a random place, as many as fit a length drawn from [MIN_WORDS_LEN, max_len]."""
  target = int(rng.integers(MIN_WORDS_LEN, max_len + 1))
  i = int(rng.integers(len(words)))
  line = words[i][:max_len]
  while i + 1 < len(words) and len(line) + 1 + len(words[i + 1]) <= target:
    i += 1
    line += " " + words[i]
  return line


_MONTHS = "January February March April May June July August September October November December".split()


def mixed_line(rng: np.random.Generator) -> str:
  """A line of digits and punctuation, as notes have: a date, time, amount, code, phone number, ..."""
  r = lambda lo, hi: int(rng.integers(lo, hi + 1))  # noqa: E731
  letters = lambda n: "".join(rng.choice(list("ABCDEFGHJKLMNPQRSTUVWXYZ"), n))  # noqa: E731
  kinds = [
    lambda: f"{r(1, 28):02d}/{r(1, 12):02d}/{r(1950, 2030)}",
    lambda: f"{r(1950, 2030)}-{r(1, 12):02d}-{r(1, 28):02d}",
    lambda: f"{_MONTHS[r(0, 11)]} {r(1, 28)}, {r(1950, 2030)}",
    lambda: f"{r(0, 23)}:{r(0, 59):02d}" + rng.choice(["", " am", " pm", "h"]),
    lambda: f"{r(0, 9999):,}.{r(0, 99):02d}",
    lambda: f"{r(1, 99)}% of {r(10, 999)}",
    lambda: f"{letters(r(1, 3))}-{r(10, 99999)}",
    lambda: f"({r(100, 999)}) {r(100, 999)}-{r(1000, 9999)}",
    lambda: f"{r(1, 9)} x {r(1, 99)} ({r(1, 999)})!",
    lambda: f"No. {r(1, 999)}; ref {letters(2)}/{r(1, 99)}",
    lambda: f"'{letters(1)}{r(0, 9)}' & \"{r(0, 99)}\"?",
    lambda: f"Room {letters(1)}{r(1, 9)}, {r(1, 12)}:{r(0, 59):02d}",
  ]
  parts = [kinds[r(0, len(kinds) - 1)]() for _ in range(r(1, 3))]
  return " ".join(parts)[:MAX_LEN].strip()


def digit_line(rng: np.random.Generator) -> str:
  """A line of digits alone, as a number, code or list of numbers is written: 1 to 3 groups of 1 to 10."""
  groups = [rng.integers(0, 10, int(rng.integers(1, 11))) for _ in range(1 + int(rng.binomial(2, 0.25)))]
  return " ".join("".join(map(str, g)) for g in groups)[:MAX_LEN].strip()


def line_text(split: str, rng: np.random.Generator) -> str:
  if rng.random() < MIX_FRACTION:
    return mixed_line(rng)
  return corpus_line(corpus_words(TEXT_PART[split]), rng)


# --- rendering -------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _font(font: bytes, size: int) -> ImageFont.FreeTypeFont:
  return ImageFont.truetype(io.BytesIO(font), size)


@functools.cache
def _extent(font: bytes) -> tuple[int, int]:
  """Rows (relative to the baseline, at size 100) from the ascenders' tops to the descenders' bottoms."""
  _, top, _, bottom = _font(font, 100).getbbox("bdfhklgjpqy", anchor="ls")
  return top, bottom


def _glyph(font: ImageFont.FreeTypeFont, ch: str, stroke: int, degrees: float):
  """The glyph's mask (uint8) and its top-left corner relative to the pen on the baseline."""
  left, top, right, bottom = font.getbbox(ch, anchor="ls", stroke_width=stroke)
  pad = 2 + int(abs(degrees) / 10 * max(right - left, bottom - top))
  image = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
  ImageDraw.Draw(image).text((pad - left, pad - top), ch, 255, font, anchor="ls", stroke_width=stroke)
  if degrees:
    image = image.rotate(degrees, Image.Resampling.BILINEAR)
  return np.asarray(image), (left - pad, top - pad)


def _paste(canvas: np.ndarray, mask: np.ndarray, x: int, y: int) -> None:
  """canvas = max(canvas, mask) where mask lands, clipped to the canvas."""
  h, w = mask.shape
  y0, x0, y1, x1 = max(y, 0), max(x, 0), min(y + h, canvas.shape[0]), min(x + w, canvas.shape[1])
  if y1 > y0 and x1 > x0:
    view = canvas[y0:y1, x0:x1]
    np.maximum(view, mask[y0 - y : y1 - y, x0 - x : x1 - x], out=view)


@functools.cache
def mnist_train_digits() -> tuple[np.ndarray, ...]:
  """mnist_5k's training digits by class (uint8 [n, 28, 28], ink bright): the split Mnist5k trains on
  (builders.mnist_5k_arrays), so test digits never reach a training line."""
  from nets.data.builders import mnist_5k_arrays  # noqa: PLC0415 - it imports nets.data, as this does.

  x, y = mnist_5k_arrays()["train"]
  x = x.reshape(-1, 28, 28).astype(np.uint8)
  return tuple(x[y == d] for d in range(10))


def _mnist_glyph(font: ImageFont.FreeTypeFont, ch: str, rng: np.random.Generator) -> np.ndarray:
  """A training MNIST digit `ch`, cropped to its ink and scaled to the height of the font's own `ch`."""
  pool = mnist_train_digits()[int(ch)]
  digit = pool[int(rng.integers(len(pool)))]
  rows, cols = np.flatnonzero(digit.max(axis=1) > 40), np.flatnonzero(digit.max(axis=0) > 40)
  crop = digit[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
  _, top, _, bottom = font.getbbox(ch, anchor="ls")
  height = max(4, bottom - top)
  width = max(1, round(crop.shape[1] * height / crop.shape[0]))
  return np.asarray(Image.fromarray(crop).resize((width, height), Image.Resampling.BILINEAR))


def draw_glyphs(line: str, font: bytes, rng: np.random.Generator, height: int, style: dict):
  """The line drawn glyph by glyph on a wide canvas [height, W] (uint8) and its baseline row."""
  top, bottom = _extent(font)  # Fonts' own metrics vary too much: the letters' ink is measured instead.
  size = rng.uniform(*style["line_size"]) * height * 100 / (bottom - top)
  baseline = int(round(height * 0.5 - (top + bottom) / 2 * size / 100))
  spacing, stroke = rng.uniform(*style["spacing"]), int(rng.integers(*style["stroke"]))
  squeeze = rng.uniform(*style["squeeze"]) if "squeeze" in style else 1.0  # Only lines styled so draw one.
  canvas = np.zeros((height, int(size * 1.5 * (len(line) + 2)) + 8 * height), np.uint8)
  x = float(height)  # Room for slanted or rotated ink left of the first glyph.
  for ch in line:
    glyph_size = max(4, int(round(size * np.exp(rng.normal(0, style["glyph_size_sigma"])))))
    f = _font(font, glyph_size)
    jitter = rng.uniform(*style["glyph_spacing"])
    advance = f.getlength(ch) * spacing * jitter
    if ch == " ":
      x += advance * rng.uniform(*style["word_space"])
      continue
    if style["mnist_digits"] and ch.isdigit() and rng.random() < style["mnist_digits"]:
      mask = _mnist_glyph(f, ch, rng)  # Its bottom on the baseline; its own width and a gap of a tenth.
      dx, dy, advance = 0, -mask.shape[0], (mask.shape[1] + 0.1 * mask.shape[0]) * spacing
      advance *= jitter if style["mnist_jitter"] else 1.0
    else:
      mask, (dx, dy) = _glyph(f, ch, stroke, float(rng.normal(0, style["rotation_sigma"])))
    if squeeze != 1.0:
      narrow = max(1, round(mask.shape[1] * squeeze))
      mask = np.asarray(Image.fromarray(mask).resize((narrow, mask.shape[0]), Image.Resampling.BILINEAR))
      dx, advance = dx * squeeze, advance * squeeze
    shift = rng.normal(0, style["baseline_sigma"]) * height
    _paste(canvas, mask, int(round(x + dx)), int(round(baseline + shift + dy)))
    x += advance
  if stroke == 0 and rng.random() < style["thin_probability"]:
    thinner = ndimage.grey_erosion(canvas, size=(2, 2))
    if (thinner > 127).sum() > 0.5 * (canvas > 127).sum():  # A thin font's strokes would vanish.
      canvas = thinner
  return canvas, baseline


def slant(canvas: np.ndarray, baseline: int, k: float) -> np.ndarray:
  """Shear: a pixel at height h above the baseline moves k * h to the right."""
  h, w = canvas.shape
  # PIL's affine maps output (x, y) to input (a x + b y + c, ...): x_in = x_out + k (y_out - baseline).
  image = Image.fromarray(canvas).transform(
    (w, h), Image.Transform.AFFINE, (1, k, -k * baseline, 0, 1, 0), Image.Resampling.BILINEAR
  )
  return np.asarray(image)


def elastic(ink: np.ndarray, rng: np.random.Generator, rms: float, cell: int) -> np.ndarray:
  """Ink moved by a smooth random displacement field of about `rms` pixels: independent N(0, rms)
  displacements on a grid of `cell` pixels, interpolated bilinearly in between (4x faster than
  smoothing a per-pixel field with a Gaussian, to the same effect)."""
  if rms <= 0:
    return ink
  h, w = ink.shape
  grid = (h // cell + 2, w // cell + 2)
  fields = [ndimage.zoom(rng.normal(0, rms, grid), cell, order=1)[:h, :w] for _ in range(2)]
  rows, cols = np.meshgrid(np.arange(ink.shape[0]), np.arange(ink.shape[1]), indexing="ij")
  return ndimage.map_coordinates(ink, [rows + fields[0], cols + fields[1]], order=1, mode="constant")


def render(line: str, font: bytes, rng: np.random.Generator, *, height=HEIGHT, width=WIDTH, style=None):
  """`line` in `font` with drawn variation: ink in [0, 1], float32 [height, width]."""
  style = {**STYLE, **(style or {})}
  h, w = height * SCALE, width * SCALE
  canvas, baseline = draw_glyphs(line, font, rng, h, style)
  canvas = slant(canvas, baseline, rng.uniform(*style["slant"]))
  cols = np.flatnonzero(canvas.max(axis=0) > 0)
  margin = int(rng.integers(*style["margin"])) * SCALE
  ink = np.zeros((h, w), np.float32)
  if cols.size:
    strip = canvas[:, cols[0] : cols[-1] + 1].astype(np.float32) / 255.0
    if strip.shape[1] > w - margin:  # Too long for the line: squeezed to fit, as a writer would.
      strip = np.asarray(Image.fromarray(strip).resize((w - margin, h), Image.Resampling.BOX))
    ink[:, margin : margin + strip.shape[1]] = strip
  ink = elastic(ink, rng, rng.uniform(*style["elastic"]), style["elastic_cell"])
  ink = ndimage.gaussian_filter(shrink(ink, SCALE), rng.uniform(*style["blur"]))
  # Strokes reach the drawn ink level, however thin and blurred (as remove_background stretches a page's).
  ink = ink * (rng.uniform(*style["ink"]) / max(float(ink.max()), 1e-6))
  ink = ink + rng.normal(0, rng.uniform(*style["noise"]), ink.shape)
  return np.clip(ink, 0.0, 1.0).astype(np.float32)


def render_written(
  line: str, font: bytes, rng: np.random.Generator, *, height=HEIGHT, width=WIDTH, style=None
):
  """`line` written with a round pen as on the recognizer's page, laid out as the service gives it to the
  model: ink in [0, 1], float32 [height, width]. The line is drawn glyph by glyph with render's variation
  (size, baseline, rotation, spacing, slant), thinned and traced into pen strokes (strokes.glyph_strokes),
  scaled so its letters span `written_size` canvas pixels, drawn black on white with a round pen
  `written_pen` of that span wide (strokes.render, as the page's canvas draws), and read as the service
  reads a canvas: pipeline.to_ink (background, deskew), then normalize_text_line."""
  from nets.recognizer import pipeline  # noqa: PLC0415  (it imports nets.data, which imports this module)

  style = {**STYLE, **(style or {})}
  h = height * SCALE
  canvas, baseline = draw_glyphs(line, font, rng, h, style)
  canvas = slant(canvas, baseline, rng.uniform(*style["slant"]))
  cols = np.flatnonzero(canvas.max(axis=0) > 0)
  if not cols.size:
    return np.zeros((height, width), np.float32)
  drawn = strokes.glyph_strokes(canvas[:, cols[0] : cols[-1] + 1].astype(np.float32) / 255.0)
  letters = rng.uniform(*style["written_size"])  # Canvas pixels; draw_glyphs' letters span about 0.7 h.
  pen = max(1, round(letters * np.exp(rng.uniform(*np.log(style["written_pen"])))))
  scale, corner = letters / (0.7 * h), pen + 2.0
  placed = [line_xy * scale + corner for line_xy in drawn]
  far = np.concatenate(placed).max(axis=0)
  shape = (int(far[1] + corner) + 1, int(far[0] + corner) + 1)
  page = Image.fromarray(strokes.render(placed, shape, pen))
  return pipeline.normalize_text_line(pipeline.to_ink(page), height, width)


def render_photographed(ink_HxW: np.ndarray, rng: np.random.Generator) -> np.ndarray:
  """A drawn line (ink in [0, 1], [height, width]) printed, photographed (photos.photograph: scale 0.5-2x,
  rotation, light gradient, sensor noise, JPEG) and read back as the service reads a photographed page:
  pipeline.to_ink (background, deskew), find_lines, and normalize_text_line of all the rows it found."""
  from nets.recognizer import photos, pipeline, segment  # noqa: PLC0415  (they import nets.data)

  page = pipeline.to_ink(Image.open(io.BytesIO(photos.photograph(ink_HxW, rng))))
  spans = segment.find_lines(page)
  if not spans:  # Nothing left above the ink threshold: the line as drawn.
    return ink_HxW
  return pipeline.normalize_text_line(page[spans[0][0] : spans[-1][1]], *ink_HxW.shape)


def _redrawn(split: str, index: int, fraction: float, stream: int) -> bool:
  """Whether training example `index` is among `fraction` redrawn, from a seed of its own (`stream`)."""
  return (
    split == "train"
    and fraction > 0
    and np.random.default_rng([SPLITS[split][0], index, stream]).random() < fraction
  )


def is_written(split: str, index: int, written: float) -> bool:
  """Whether example `index` of `split` is written: drawn from a seed of its own; training lines only."""
  return _redrawn(split, index, written, 1)


def is_photographed(split: str, index: int, photographed: float) -> bool:
  """Whether example `index` of `split` is photographed: drawn from a seed of its own; training lines only."""
  return _redrawn(split, index, photographed, 2)


def is_digit_line(split: str, index: int, digit_lines: float) -> bool:
  """Whether example `index` of `split` is a line of digits alone: a seed of its own; training lines only."""
  return _redrawn(split, index, digit_lines, 3)


def example(
  split: str,
  index: int,
  font_names: list[str],
  font_bytes: dict[str, bytes],
  written: float = 0.0,
  mnist_digits: float = 0.0,
  photographed: float = 0.0,
  digit_lines: float = 0.0,
):
  """Example `index` of `split`: (ink uint8 [HEIGHT, WIDTH, 1], label int32 [MAX_LEN], font name, text);
  its text digits alone, spaced and narrowed as DIGIT_LINE_STYLE says, where is_digit_line(split, index,
  digit_lines); written with a pen (render_written) where is_written(split, index, written); each digit of
  a training line an MNIST training digit with probability `mnist_digits`; then photographed
  (render_photographed) where is_photographed(split, index, photographed)."""
  rng = np.random.default_rng([SPLITS[split][0], index])
  line = line_text(split, rng)
  name = font_names[int(rng.integers(len(font_names)))]
  draw = render_written if is_written(split, index, written) else render
  style = {"mnist_digits": mnist_digits if split == "train" else 0.0}
  digit = is_digit_line(split, index, digit_lines)
  if digit:
    line = digit_line(np.random.default_rng([SPLITS[split][0], index, 3, 1]))
    style.update(DIGIT_LINE_STYLE)
  ink = draw(line, font_bytes[name], rng, style=style)
  if digit and draw is render:  # As the service lays it out: digits without ascenders scaled up (as written).
    from nets.recognizer import pipeline  # noqa: PLC0415  (it imports nets.data, which imports this module)

    ink = pipeline.normalize_text_line(ink, *ink.shape)
  if is_photographed(split, index, photographed):
    ink = render_photographed(ink, rng)
  label = np.zeros(MAX_LEN, np.int32)
  label[: len(line)] = encode(line, TEXT)
  return np.round(ink * 255).astype(np.uint8)[..., None], label, name, line


# --- the TFDS builder ------------------------------------------------------------------------------------


class HandwritingLines(tfds.core.GeneratorBasedBuilder):
  """Text lines in handwriting fonts, split by font and by text (see the module docstring)."""

  name = "handwriting_lines"
  # 2.0.0: the training fonts grew from 37 to every Google Fonts handwriting font that draws the alphabet
  # (scripts/handwriting_fonts.py); the held-out fonts, and so the `test` split's pixels, are 1.0.0's.
  VERSION = tfds.core.Version("2.0.0")
  RELEASE_NOTES = {
    "1.0.0": "49 fonts, 12 held out.",
    "2.0.0": "The same 12 held out; every other Google Fonts handwriting font that draws the alphabet trains",
  }

  def __init__(
    self,
    *,
    num_train: int = 10_000,
    num_test: int = 1_000,
    written: float = 0.0,
    mnist_digits: float = 0.0,
    photographed: float = 0.0,
    digit_lines: float = 0.0,
    source_dir: str = "",
    workers: int = 1,
    **kwargs,
  ):
    for option, n in (("num_train", num_train), ("num_test", num_test), ("workers", workers)):
      if not isinstance(n, int) or n < 1:
        raise ConfigError(f"handwriting_lines: {option} must be a positive integer, got {n!r}")
    fractions = dict(
      written=written, mnist_digits=mnist_digits, photographed=photographed, digit_lines=digit_lines
    )
    for option, p in fractions.items():
      if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
        raise ConfigError(f"handwriting_lines: {option} must be a fraction in [0, 1], got {p!r}")
    self.num_train, self.num_test, self.written = num_train, num_test, float(written)
    self.mnist_digits, self.photographed = float(mnist_digits), float(photographed)
    self.digit_lines = float(digit_lines)
    # Processes drawing the lines; not in the config's name: the bytes are the same. More than one spawns
    # processes that import the main script again: it needs `if __name__ == "__main__":` (a script read
    # from stdin hangs), so one is the default.
    self.workers = workers
    self.source_dir = source_dir or os.environ.get(fonts.ENV_VAR, "")
    name = f"train_{num_train}_test_{num_test}" + (f"_written_{self.written:g}" if self.written else "")
    name += f"_mnist_digits_{self.mnist_digits:g}" if self.mnist_digits else ""
    name += f"_photographed_{self.photographed:g}" if self.photographed else ""
    name += f"_digit_lines_{self.digit_lines:g}" if self.digit_lines else ""
    config = tfds.core.BuilderConfig(name=name, version=self.VERSION)
    super().__init__(config=config, **kwargs)

  def _info(self) -> tfds.core.DatasetInfo:
    names = [e["name"] for e in fonts.manifest()]
    return tfds.core.DatasetInfo(
      builder=self,
      description=__doc__,
      features=tfds.features.FeaturesDict(
        {
          "image": tfds.features.Tensor(
            shape=(HEIGHT, WIDTH, 1), dtype=np.uint8, encoding=tfds.features.Encoding.BYTES
          ),
          "label": tfds.features.Tensor(shape=(MAX_LEN,), dtype=np.int32),
          "font": tfds.features.ClassLabel(names=names),
        }
      ),
      supervised_keys=("image", "label"),
      disable_shuffling=True,  # Example i of a split stays example i.
    )

  def _font_bytes(self) -> dict[str, bytes]:
    default = fonts.default_dir(os.fspath(self.data_dir_root))
    return fonts.load(os.path.expanduser(self.source_dir or default), fetch_missing=not self.source_dir)

  def _split_generators(self, dl_manager):
    del dl_manager  # The fonts come by npm (fonts.fetch), not by TFDS's downloader.
    font_bytes = self._font_bytes()
    sizes = {"train": self.num_train, "test": self.num_test, "test_seen_fonts": self.num_test}
    return {split: self._generate_examples(split, n, font_bytes) for split, n in sizes.items()}

  def _generate_examples(self, split: str, n: int, font_bytes: dict[str, bytes]):
    # Example i is key i, whichever process draws it.
    redrawn = (self.written, self.mnist_digits, self.photographed, self.digit_lines)
    jobs = [(split, i, *redrawn) for i in range(n)]
    if self.workers == 1 or n < PARALLEL_FROM:
      _start_worker(font_bytes)
      yield from map(_example_at, jobs)
      return
    # Spawned, not forked: the building process may hold JAX's threads, which a fork would copy broken.
    context = multiprocessing.get_context("spawn")
    with futures.ProcessPoolExecutor(self.workers, context, _start_pool_worker, (font_bytes,)) as pool:
      yield from pool.map(_example_at, jobs, chunksize=PARALLEL_CHUNK)


_worker_fonts: dict[str, bytes] = {}


def _start_worker(font_bytes: dict[str, bytes]) -> None:
  _worker_fonts.update(font_bytes)


def _start_pool_worker(font_bytes: dict[str, bytes]) -> None:
  """_start_worker in a pool's process, which also ends when the building process does: killed (SIGTERM, say)
  it cannot shut its pool down, and a worker waiting for work would otherwise wait forever."""
  _start_worker(font_bytes)
  threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _exit_when_orphaned(parent: int) -> None:
  while os.getppid() == parent:  # A process whose parent has ended is given another.
    time.sleep(1)
  os._exit(1)


def _example_at(job: tuple[str, int, float, float, float, float]):
  """(key, features) of example `index` of `split`, in a process holding the fonts (_start_worker)."""
  split, i, *redrawn = job
  names = fonts.held_out() if SPLITS[split][1] else fonts.training()
  image, label, font, _ = example(split, i, names, _worker_fonts, *redrawn)
  return i, {"image": image, "label": label, "font": font}


def builder_option(options: dict, name: str):
  """Option `name` as a build with `options` takes it: given there, else the builder's own default."""
  return options.get(name, inspect.signature(HandwritingLines).parameters[name].default)


BUILDERS = {HandwritingLines.name: HandwritingLines}
NUM_CLASSES = {HandwritingLines.name: len(TEXT) + 1}  # CTC classes, with the blank (labels are sequences).
