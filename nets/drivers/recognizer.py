"""The recognizer experiment: train a line recognizer on synthetic digit lines with the one loop, then
measure the whole pipeline (line finder + recognizer) on synthetic paragraphs of unseen digits.

results.json adds to the loop's figures: `test_cer` (edits / characters over all test lines),
`line_precision` / `line_recall` of the line finder (a found line counts when it overlaps a true line
with IoU >= 0.5), `paragraph_cer` (edit distance of the whole text, lines joined by newlines) and
`photo_paragraph_cer`, the same on `num_photos` photographed pages (nets/recognizer/photos.py).
"""

import io
import os

import ml_collections
import numpy as np
from PIL import Image

from nets import data, options
from nets.data import lines
from nets.recognizer import photos
from nets.recognizer.ctc import text_edit_distance
from nets.recognizer.pipeline import Recognizer, normalize_line, to_ink
from nets.recognizer.segment import find_lines, match
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def line_dataset(config: ml_collections.ConfigDict) -> data.Dataset:
  config = options.resolve(config)  # Also called outside the driver (tests, scripts) with a file's config.
  c = config.lines
  dataset = lines.load(
    config.data.data_dir,
    seed=config.seed,
    num_train=c.num_train,
    num_test=c.num_test,
    min_len=c.min_len,
    max_len=c.max_len,
    overlap=tuple(c.overlap),
    squeeze=tuple(c.squeeze),
    thicken=tuple(c.thicken),
    downsample=c.downsample,
  )
  if c.photo_fraction > 0:
    train = dataset.splits["train"]
    x = photographed_lines(train["x"][..., 0], c.photo_fraction, config.seed, c.downsample)
    splits = {**dataset.splits, "train": {**train, "x": x[..., None]}}
    dataset = data.Dataset(dataset.name, splits, lines.num_classes(lines.DIGITS))
  return dataset


def photographed_lines(x_NxHxW: np.ndarray, fraction: float, seed: int, downsample: int) -> np.ndarray:
  """The training lines, `fraction` of them photographed (nets/recognizer/photos.py) and read back
  through the served pipeline's own steps (background removal, deskew, line finder, normalize_line):
  the recognizer learns from what it will be given, JPEG blocks and residual tilt included."""
  rng = np.random.default_rng(seed + 77)
  out = x_NxHxW.copy()
  height, width = x_NxHxW.shape[1:]
  for i in np.flatnonzero(rng.random(len(out)) < fraction):
    page = np.kron(x_NxHxW[i], np.ones((downsample, downsample), np.float32))  # Back to 28-pixel digits.
    ink = to_ink(Image.open(io.BytesIO(photos.photograph(page, rng))))
    spans = find_lines(ink)
    if spans:  # The whole of what the finder saw: one line, or one split in pieces.
      out[i] = normalize_line(ink[spans[0][0] : spans[-1][1]], height, width)
  return out


def evaluate_paragraphs(recognizer: Recognizer, images_by_class, num: int, seed: int, max_len: int):
  """Line-finder precision/recall and paragraph CER over `num` synthetic paragraphs; and examples."""
  rng = np.random.default_rng(seed)
  found_n = true_n = matched = edits = chars = 0
  examples = []
  for _ in range(num):
    image, texts, rows = lines.make_paragraph(images_by_class, rng, max_len=max_len)
    found = find_lines(image)
    found_n, true_n, matched = found_n + len(found), true_n + len(rows), matched + match(found, rows)
    pred, _ = recognizer.read(image)
    truth = "\n".join(texts)
    edits, chars = edits + text_edit_distance(pred, truth), chars + len(truth)
    if len(examples) < 2:
      examples.append((image, found, pred))
  return {
    "line_precision": matched / max(found_n, 1),
    "line_recall": matched / max(true_n, 1),
    "paragraph_cer": edits / max(chars, 1),
    "paragraphs": num,
  }, examples


def plot(path: str, test: dict, recognizer: Recognizer, examples) -> None:
  """Test lines with their transcriptions, and paragraphs with the lines found and the text read."""
  fig, axes = plt.subplots(6 + len(examples), 1, figsize=(8, 9), gridspec_kw={"hspace": 0.6})
  preds = recognizer.transcribe(test["x"][:6, ..., 0])
  for ax, x, y, p in zip(axes, test["x"][:6], test["y"][:6], preds, strict=False):
    ax.imshow(x[..., 0], cmap="gray")
    ax.set_title(f"true {lines.decode(y)}   read {p}", fontsize=9, loc="left")
    ax.axis("off")
  for ax, (image, found, pred) in zip(axes[6:], examples, strict=True):
    ax.imshow(image, cmap="gray")
    for t, b in found:
      ax.axhspan(t, b, color="tab:orange", alpha=0.25)
    ax.set_title("read: " + " / ".join(pred.split("\n")), fontsize=9, loc="left")
    ax.axis("off")
  save_figure(fig, path)


@options.resolved
def train_recognizer(config: ml_collections.ConfigDict, workdir: str) -> dict:
  dataset = line_dataset(config)
  results = train_and_evaluate(config, workdir, dataset=dataset)
  results["test_cer"] = results["test_edits"] / results["test_chars"]
  recognizer = Recognizer.from_workdir(workdir)
  digits = data.load("mnist_5k", config.data.data_dir).splits["test"]
  by_class = lines.by_class(digits["x"][..., 0], digits["y"])
  para, examples = evaluate_paragraphs(
    recognizer, by_class, config.lines.num_paragraphs, config.seed + 1000, config.lines.max_len
  )
  results.update(para)
  results["photo_paragraph_cer"], photo_examples = photos.evaluate(
    recognizer, by_class, config.lines.num_photos, config.seed + 2000
  )
  results["photo_pages"] = config.lines.num_photos
  if photo_examples:  # num_photos = 0 (allowed) has none; plotting no rows raised after training.
    photos.plot(os.path.join(workdir, "photos.png"), photo_examples)
  plot(os.path.join(workdir, "recognizer.png"), dataset.splits["test"], recognizer, examples)
  keys = ("test_cer", "line_precision", "line_recall", "paragraph_cer", "photo_paragraph_cer")
  return write_results(workdir, results, {k: results[k] for k in keys}, title="the pipeline")
