"""Image in, text out: decode the image, find its lines, transcribe them all in one batch.

`Recognizer.from_workdir(path)` restores a trained line recognizer from a training workdir (its
config.json and its best checkpoint if it kept one, else its newest). `Recognizer.read(image)` takes a
grayscale image of any size with dark ink on light paper or light ink on dark, and returns the text,
one line per row. A recognizer reads the alphabet its config names (nets/data/lines.py: "digits", or
"text" for handwriting_lines models), and lays each found line out as its training lines were
(NORMALIZERS, by alphabet). A text recognizer whose run decodes by beam search with a character LM
(config.decoding: fused_decoder; an export carries the LM) reads by that; others read greedily.
"""

import dataclasses
import os
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from PIL import Image
from scipy import ndimage

from nets import optim, tasks
from nets.data import Dataset
from nets.data.lines import ALPHABETS, CHAR, alphabet_of, decode, line_shape, num_classes, shrink
from nets.errors import ConfigError
from nets.recognizer import ctc
from nets.recognizer.beam import Fused
from nets.recognizer.segment import find_lines
from nets.training.checkpoint import Checkpoints
from nets.training.workdir import checkpoint_dir, read_config

INK_HEIGHT = 20  # MNIST digits fill a 20-pixel box inside their 28-pixel image.
BATCH_LINES = 32  # Lines a model call reads at most: batches of 1, 2, 4, ..., 32 lines compile.
MAX_LINES = 256  # Lines a page may have; beyond it read() refuses rather than spend seconds on one image.
# Lines read less surely are marked unsure. 0.7: about the 5th percentile of 40 lines of digits written with
# the mouse (scripts/written_cer.py's strokes, spacing 55 and 80 px) as recognizer_cnn reads them (0.68).
# A digit model is about as sure of letters (median 0.86 against 0.88): it does not flag them reliably.
LOW_CONFIDENCE = 0.7
LEFT_MARGIN = 4  # Pixels before a line's first ink, about a digit's margin in its 28-pixel box.


class TooManyLines(ValueError):
  def __init__(self, count: int):
    super().__init__(f"the page has {count} lines; the limit is {MAX_LINES} lines")
    self.count = count


def to_ink(image: Image.Image) -> np.ndarray:
  """Grayscale float [H, W] in [0, 1], bright ink on black (transparent pixels count as paper).

  Light paper (a scan, a photo) goes through remove_background; the page is then deskewed. A clean
  page (white paper, level lines) comes out as 1 - gray exactly.
  """
  if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
    paper = Image.new("RGBA", image.size, "white")
    paper.alpha_composite(image.convert("RGBA"))
    image = paper
  gray = np.asarray(image.convert("L"), np.float32) / 255.0
  return deskew(remove_background(gray) if np.median(gray) > 0.5 else gray)


def remove_background(gray_HxW: np.ndarray, window: int = 15) -> np.ndarray:
  """Dark ink on uneven light paper -> bright ink on black, noise below 3 sigma of the paper removed.

  The paper's brightness is the local maximum over `window` pixels (wider than any stroke), smoothed;
  ink is the fraction of that light it absorbs. Sensor noise is measured on the paper (median absolute
  deviation) and everything within 3 sigma of it set to 0; the ink is then stretched so strokes reach 1.
  """
  paper = ndimage.uniform_filter(ndimage.maximum_filter(gray_HxW, size=window), size=window)
  ink = 1.0 - gray_HxW / np.maximum(paper, 1e-3)
  ink = ink - np.median(ink)
  floor = min(0.4, 3 * 1.4826 * float(np.median(np.abs(ink))))
  ink = np.clip(ink - floor, 0.0, None)
  strokes = ink[ink > 0.3]
  if strokes.size:
    ink = ink / max(float(np.percentile(strokes, 95)), 0.5)
  return np.clip(ink, 0.0, 1.0).astype(np.float32)


def deskew(ink_HxW: np.ndarray, max_degrees: float = 8.0, step: float = 0.25) -> np.ndarray:
  """The page rotated so that its lines are level: the angle whose row profile is sharpest.

  Level lines concentrate ink in few rows, which maximises the sum of squared row sums. Each angle's
  profile is a weighted histogram of the inked pixels' rotated rows (no image is rotated to search).
  A page whose best angle gains under 2% over 0 is left as it is.
  """
  ys, xs = np.nonzero(ink_HxW > 0.3)
  if ys.size < 2:
    return ink_HxW
  pick = slice(None, None, max(1, ys.size // 50_000))  # Enough pixels for a profile, in bounded time.
  ys, xs = ys[pick].astype(np.float32), xs[pick].astype(np.float32)
  weights = ink_HxW[ys.astype(int), xs.astype(int)].astype(np.float64)

  def sharpness(degrees: float) -> float:  # PIL's rotate(degrees) turns counter-clockwise, y down.
    a = np.deg2rad(degrees)
    rows = np.round(ys * np.cos(a) - xs * np.sin(a)).astype(np.int64)
    return float((np.bincount(rows - rows.min(), weights) ** 2).sum())

  angles = np.arange(-max_degrees, max_degrees + step / 2, step)
  scores = [sharpness(a) for a in angles]
  best = float(angles[int(np.argmax(scores))])
  if best == 0.0 or max(scores) < 1.02 * sharpness(0.0):
    return ink_HxW
  return np.asarray(Image.fromarray(ink_HxW).rotate(best, Image.Resampling.BILINEAR, expand=True))


def digit_height(ink_HxW: np.ndarray, threshold: float = 0.3) -> float:
  """The median height of the line's blobs of ink (digits, or a few touching): about 20 pixels at the
  training lines' scale in 95% of them, where the whole line's ink spans 20 to 27 rows."""
  idx = np.flatnonzero(ink_HxW.max(axis=0) > threshold)
  if idx.size == 0:
    return float(INK_HEIGHT)
  breaks = np.flatnonzero(np.diff(idx) > 1)
  starts, ends = np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]] + 1
  heights = []
  for s, e in zip(starts, ends, strict=True):
    if e - s >= 2:  # Not a speck of noise.
      rows = np.flatnonzero(ink_HxW[:, s:e].max(axis=1) > threshold)
      heights.append(rows[-1] - rows[0] + 1)
  return float(np.median(heights)) if heights else float(INK_HEIGHT)


def normalize_line(strip_HxW: np.ndarray, height: int, width: int) -> np.ndarray:
  """A line's ink laid out as a synthetic training line is, then shrunk as those were.

  Ink whose digits are 19 to 22 pixels tall (digit_height) is at the training lines' scale and is kept
  as it is; other ink (a drawing, a scan, a photo) is first scaled so its digits are MNIST's 20 pixels.
  The ink goes into a 28-pixel-tall line with its centre of mass in the middle row (as MNIST centres
  each digit) and 4 pixels from the left, and the line is shrunk by block means: a synthetic line
  comes out as its training twin did, to a pixel.
  """
  factor = CHAR // height
  cols = np.flatnonzero(strip_HxW.max(axis=0) > 0.1)
  rows = np.flatnonzero(strip_HxW.max(axis=1) > 0.1)
  if cols.size == 0:
    return np.zeros((height, width), np.float32)
  ink = strip_HxW[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float32)
  digit = digit_height(ink)
  if not INK_HEIGHT - 1 <= digit <= INK_HEIGHT + 2:
    scale = INK_HEIGHT / digit
    size = (max(1, round(ink.shape[1] * scale)), max(1, round(ink.shape[0] * scale)))
    filter_ = Image.Resampling.BOX if scale < 1 else Image.Resampling.BILINEAR
    ink = np.asarray(Image.fromarray(ink).resize(size, filter_))
  ink = ink[:CHAR]  # Taller ink (lines the finder could not part) loses its bottom rather than fail.
  line = np.zeros((CHAR, width * factor), np.float32)
  # MNIST centres each digit's centre of mass in its 28 x 28 box; do the same for the line's ink.
  com = float((ink.sum(axis=1) * np.arange(ink.shape[0])).sum() / max(ink.sum(), 1e-6))
  top, left = int(np.clip(round(CHAR / 2 - com), 0, CHAR - ink.shape[0])), LEFT_MARGIN
  w = min(ink.shape[1], line.shape[1] - left)
  line[top : top + ink.shape[0], left : left + w] = np.clip(ink[:, :w], 0.0, 1.0)
  return shrink(line, factor)


# Where handwriting_lines puts a line's ink (its 300 test lines, rows and columns inked above INKED, the line
# finder's threshold): spanning 15 to 26 of 32 rows (10th to 90th percentile, median 21), its centre of mass
# on row 14.6 (sd 1.1). As fractions of the height:
TEXT_INK_ROWS = (0.47, 0.81)  # Ink spanning this many rows is at the training scale: kept at its size.
TEXT_INK = 0.69  # Other ink is scaled to span this many (22 of 32 rows).
TEXT_CENTRE = 0.455  # The row of the ink's centre of mass.
INKED = 0.3  # A pixel brighter than this is ink (find_lines' threshold).


def normalize_text_line(strip_HxW: np.ndarray, height: int, width: int) -> np.ndarray:
  """A line of text laid out as nets/data/handwriting.py's lines are: ink spanning TEXT_INK_ROWS of the
  height kept at its size, other ink scaled to span TEXT_INK of it; its centre of mass on the row
  TEXT_CENTRE of the height, 4 pixels from the left; squeezed to the width if longer. Only the ink is
  measured, so a line without ascenders or descenders that is scaled comes out larger than its training
  twins. (The 300 test lines, read clean by continued_lstm8 at 32.9% CER greedy, read at 32.2% laid out
  so again; at 44.6% when this centred the ink's rows and always scaled them to 0.7 of the height.)"""
  cols = np.flatnonzero(strip_HxW.max(axis=0) > INKED)
  rows = np.flatnonzero(strip_HxW.max(axis=1) > INKED)
  line = np.zeros((height, width), np.float32)
  if cols.size == 0:
    return line
  # A pixel of paper around the measured ink keeps the strokes' faint edges.
  top, bottom = max(rows[0] - 1, 0), min(rows[-1] + 2, strip_HxW.shape[0])
  left, right = max(cols[0] - 1, 0), min(cols[-1] + 2, strip_HxW.shape[1])
  ink = strip_HxW[top:bottom, left:right].astype(np.float32)
  spans = rows[-1] - rows[0] + 1
  low, high = (f * height for f in TEXT_INK_ROWS)
  scale = 1.0 if low <= spans <= high else TEXT_INK * height / spans
  h = min(height, max(1, round(ink.shape[0] * scale)))
  w = min(width - LEFT_MARGIN, max(1, round(ink.shape[1] * scale)))
  if (h, w) != ink.shape:
    filter_ = Image.Resampling.BOX if w < ink.shape[1] or h < ink.shape[0] else Image.Resampling.BILINEAR
    ink = np.asarray(Image.fromarray(ink).resize((w, h), filter_))
  centre = float((ink.sum(axis=1) * np.arange(h)).sum() / max(float(ink.sum()), 1e-6))
  top = int(np.clip(round(TEXT_CENTRE * height - centre), 0, height - h))
  line[top : top + h, LEFT_MARGIN : LEFT_MARGIN + w] = np.clip(ink, 0.0, 1.0)
  return line


NORMALIZERS = {"digits": normalize_line, "text": normalize_text_line}


@dataclasses.dataclass
class Recognizer:
  model: Any  # A Flax module: line images [B, H, W, 1] -> logits [B, T, C].
  variables: Any
  height: int
  width: int

  # (variables, lines [B, H, W, 1]) -> (greedy CTC ids [B, T], confidence [B]); jitted. None: the model's own.
  decode_fn: Any = None
  alphabet: str = "digits"  # The name of what it reads (nets.data.lines.ALPHABETS).
  # What is served, without filesystem paths: {"run", "step", "source"} and an export's "sha256".
  identity: dict = dataclasses.field(default_factory=dict)
  # How lines' texts are read from the model's frames: None greedily (decode_fn's ids), else beam search with
  # the LM fused (from decode_fn's third output, the frame logits).
  decoder: Fused | None = None

  def __post_init__(self):
    self._decode = self.decode_fn or jax.jit(partial(_decode_lines, self.model))

  @classmethod
  def load(cls, path: str, lm: bool = True) -> "Recognizer":
    """A training workdir, or a directory written by scripts/export.py (it holds spec.json), reading as
    the run decodes (lm: by beam search with its LM where it has one, as the service reads) or greedily."""
    if os.path.isfile(os.path.join(path, "spec.json")):
      return cls.from_export(path, lm)
    return cls.from_workdir(path, lm)

  @classmethod
  def from_export(cls, directory: str, lm: bool = False) -> "Recognizer":
    """The recognizer of a jax.export artifact: no model code, no checkpoint, no training stack. With `lm`,
    it reads by beam search with the LM the export carries, if it carries one."""
    from nets.export import load  # noqa: PLC0415

    predict, spec = load(directory)  # Refuses an artifact outside `directory` or not of spec's SHA-256.
    _, height, width, _ = spec["input"]["shape"]
    decode = jax.jit(lambda variables, x: _decoded(predict(x)))
    alphabet = spec.get("alphabet", "digits")  # Exports from before the text alphabet read digits.
    run = os.path.basename(os.path.normpath(spec["workdir"])) if spec.get("workdir") else None
    identity = {"run": run, "step": spec.get("step"), "source": "export", "sha256": spec["sha256"]}
    decoder, d = None, spec.get("decoding")
    if lm and d:  # Its LM is refused, as the artifact is, unless of the SHA-256 spec.json records.
      from nets.export import read_checked  # noqa: PLC0415
      from nets.recognizer.charlm import CharNgram  # noqa: PLC0415

      ngram = CharNgram.from_bytes(read_checked(directory, d["lm"], d["lm_sha256"]))
      decoder = Fused(ngram, float(d["alpha"]), float(d["beta"]), int(d["beam"]))
    read = dict(decode_fn=decode, alphabet=alphabet, identity=identity, decoder=decoder)
    return cls(None, None, int(height), int(width), **read)

  @classmethod
  def from_workdir(cls, workdir: str, lm: bool = False) -> "Recognizer":
    """The recognizer of a training workdir; with `lm`, reading by beam search with the run's LM if its
    config has one (fused_decoder: counted again, a few seconds)."""
    if not os.path.exists(os.path.join(workdir, "config.json")):
      raise ConfigError(f"{workdir} is not a training workdir (no config.json); train one first")
    config = read_config(workdir)
    alphabet = config.lines.alphabet
    (height, width), classes = line_shape(config), num_classes(alphabet_of(config))
    task = tasks.make(
      config, Dataset(config.data.name, {}, classes), optim.make_optimizer(config.optimizer, 1)
    )
    batch = {"x": jnp.zeros((1, height, width, 1)), "y": jnp.zeros((1, config.lines.max_len), jnp.int32)}
    like = task.init(jax.random.PRNGKey(0), batch)
    directory = checkpoint_dir(workdir)  # best/ if the run kept one, as workdir.restore chooses.
    if not os.path.isdir(directory):
      raise ConfigError(f"{workdir} has no checkpoint; train it first")
    ckpts = Checkpoints(directory, read_only=True)  # Serving never writes into the run.
    step = ckpts.latest_step()
    if step is None:
      raise ConfigError(f"{workdir} has no checkpoint; train it first")
    state, _ = ckpts.restore(like, step)
    ckpts.close()
    run = os.path.basename(os.path.abspath(workdir))
    identity = {"run": run, "step": int(step), "source": os.path.basename(directory)}
    variables = {"params": state.params, **state.model_state}
    decoder = fused_decoder(config) if lm else None
    return cls(task.model, variables, height, width, alphabet=alphabet, identity=identity, decoder=decoder)

  def transcribe(self, lines_NxHxW: np.ndarray) -> list[str]:
    """Texts of normalized line images (transcribe_scored without the confidences)."""
    return [text for text, _ in self.transcribe_scored(lines_NxHxW)]

  def transcribe_scored(self, lines_NxHxW: np.ndarray) -> list[tuple[str, float]]:
    """(text, confidence) of normalized line images, BATCH_LINES a model call, each call padded to a
    power of two so that few shapes compile. Texts by the decoder if there is one, else greedy;
    confidence: ctc.greedy_confidence of the frames, whichever decoding read the text."""
    scored = []
    for start in range(0, len(lines_NxHxW), BATCH_LINES):
      chunk = lines_NxHxW[start : start + BATCH_LINES]
      n = len(chunk)
      batch = np.zeros((1 << (n - 1).bit_length(), self.height, self.width, 1), np.float32)
      batch[:n, ..., 0] = chunk
      chars = ALPHABETS[self.alphabet]
      ids, confidence, *logits = (np.asarray(a)[:n] for a in self._decode(self.variables, batch))
      texts = self.decoder.read(logits[0], chars) if self.decoder else [decode(row, chars) for row in ids]
      scored += [(text, float(c)) for text, c in zip(texts, confidence, strict=True)]
    return scored

  def lines(self, image_HxW: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The normalized line images of a bright-ink page and their row spans; TooManyLines past MAX_LINES."""
    spans = find_lines(image_HxW)
    if len(spans) > MAX_LINES:
      raise TooManyLines(len(spans))
    strips = np.zeros((len(spans), self.height, self.width), np.float32)
    normalize = NORMALIZERS[self.alphabet]
    for i, (t, b) in enumerate(spans):
      strips[i] = normalize(image_HxW[t:b], self.height, self.width)
    return strips, spans

  def read(self, image_HxW: np.ndarray) -> tuple[str, list[dict]]:
    """The text of a bright-ink image, one line per row, and each line's rows, text and confidence."""
    strips, spans = self.lines(image_HxW)
    return answer(self.transcribe_scored(strips), spans)


def answer(scored: list[tuple[str, float]], spans: list[tuple[int, int]]) -> tuple[str, list[dict]]:
  """The page's text and its lines, as read() and the service give them."""
  lines = [
    {"text": s, "confidence": c, "unsure": c < LOW_CONFIDENCE, "top": t, "bottom": b}
    for (s, c), (t, b) in zip(scored, spans, strict=True)
  ]
  return "\n".join(s for s, _ in scored), lines


def fused_decoder(config) -> Fused | None:
  """The beam search with a character LM that a text run's config.decoding describes (recognizer_text
  scored its test lines so), or None (digits, or beam 0): greedy decoding. The LM is counted again
  from the corpus, as recognizer_text counts it (a few seconds)."""
  # A resolved config (read_config) has every declared field; only recognizer_text's has a decoding section.
  if "decoding" not in config or config.lines.alphabet != "text" or not config.decoding.beam:
    return None
  from nets.drivers.recognizer_text import text_lm  # noqa: PLC0415 - the training data's text.

  d = config.decoding
  return Fused(text_lm(config), float(d.alpha), float(d.beta), int(d.beam))


def _decoded(logits_BxTxC):
  """(greedy ids, confidence, the logits themselves: a Fused decoder reads them)."""
  return ctc.greedy_decode(logits_BxTxC), ctc.greedy_confidence(logits_BxTxC), logits_BxTxC


def _decode_lines(model, variables, x_BxHxWx1):
  return _decoded(model.apply(variables, x_BxHxWx1, train=False))
