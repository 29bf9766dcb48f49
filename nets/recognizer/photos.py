"""Photographed pages: held-out sets of digit and text pages, and the CER of the pipeline on them.

  python -m nets.recognizer.photos --checkpoint=runs/recognizer_cnn --pages=40 --only=each \
    --figure=docs/figures/recognizer_photos.png
  python -m nets.recognizer.photos --checkpoint=runs/recognizer_text --pages=40 \
    --figure=docs/figures/recognizer_text_pages.png

A digit model's page is 1 to 3 synthetic lines of mnist_5k test digits; a text model's (alphabet "text") is 2
to 6 lines of handwriting_lines' `test` split (fonts never seen in training, text never trained on), taken in
order from the run's own test split and stacked as a writer would (text_page). The page is printed dark on
light paper and "photographed": scaled 0.5-2x, rotated within +-6 degrees, lit by a brightness gradient across
the sheet (75-100% white), given Gaussian sensor noise (std 0-0.06) and saved as JPEG at quality 30-90, each
drawn per page from the seed. `--only=NAME` applies one distortion alone, as the issue measured,
`--only=scale+jpeg` those two together. The Recognizer reads each page its full way: ink, deskew, line
finding, each line normalized, the model, decoding. A text model is read greedily and, when its run has a
character LM, by beam search with it (as the service reads); beside each, the CER of the same lines read clean
(the dataset's line images, straight to the model): the difference is what the page costs.
"""

import argparse
import dataclasses
import io
import json
import os
import time

import numpy as np
from PIL import Image

from nets.data import lines

DISTORTIONS = ("scale", "rotation", "light", "noise", "jpeg")
# Ranges of photograph()'s scale factor (0.5-2, drawn log-uniform) that a text page's CER is also given by:
# half the pages are shrunk, and at half size a 32-row line is 16 rows.
SCALE_BANDS = (0.5, 0.71, 1.0, 1.41, 2.0)


def photograph(
  ink_HxW: np.ndarray, rng: np.random.Generator, distortions=DISTORTIONS, draws: dict | None = None
) -> bytes:
  """JPEG (or PNG when "jpeg" is not among `distortions`) bytes of a bright-ink page photographed; `draws`
  gets the page's scale factor (1 when not drawn), for reports by it."""
  draws = {} if draws is None else draws
  draws["scale"] = 1.0
  margin = 24  # Paper around the text, so that rotation keeps every stroke on the sheet.
  ink = np.pad(ink_HxW.astype(np.float32), margin)
  image = Image.fromarray(255.0 * (1.0 - 0.9 * ink)).convert("L")  # Ink 10% white on white paper.
  if "scale" in distortions:
    factor = draws["scale"] = float(np.exp(rng.uniform(np.log(0.5), np.log(2.0))))
    size = (max(8, round(image.width * factor)), max(8, round(image.height * factor)))
    image = image.resize(size, Image.Resampling.BILINEAR)
  if "rotation" in distortions:
    image = image.rotate(rng.uniform(-6, 6), Image.Resampling.BILINEAR, expand=True, fillcolor=255)
  gray = np.asarray(image, np.float32) / 255.0
  if "light" in distortions:  # Bright at one edge, 75% at the other, in a random direction.
    angle = rng.uniform(0, 2 * np.pi)
    yy, xx = np.mgrid[: gray.shape[0], : gray.shape[1]]
    along = xx * np.cos(angle) + yy * np.sin(angle)
    along = (along - along.min()) / max(float(np.ptp(along)), 1.0)
    gray = gray * (1.0 - 0.25 * along)
  if "noise" in distortions:
    gray = gray + rng.normal(0.0, rng.uniform(0.0, 0.06), gray.shape)
  out = Image.fromarray((255 * np.clip(gray, 0, 1)).round().astype(np.uint8))
  buf = io.BytesIO()
  if "jpeg" in distortions:
    out.save(buf, format="JPEG", quality=int(rng.integers(30, 91)))
  else:
    out.save(buf, format="PNG")
  return buf.getvalue()


def pages(images_by_class, num: int, seed: int, distortions=DISTORTIONS):
  """(image bytes, truth) of `num` photographed pages of 1-3 lines, the same for the same seed."""
  rng = np.random.default_rng(seed)
  for _ in range(num):
    image, texts, _ = lines.make_paragraph(images_by_class, rng, num_lines=(1, 3))
    yield photograph(image, rng, distortions), "\n".join(texts)


def text_page(
  lines_NxHxW: np.ndarray, rng: np.random.Generator, gap=(4, 20), max_offset: int = 40
) -> np.ndarray:
  """A page of text lines (bright ink on black, as handwriting_lines renders them), top to bottom, each
  `gap` rows below the last (drawn per line, as make_paragraph does) and up to `max_offset` columns in."""
  n, height, width = lines_NxHxW.shape
  tops, offsets, top = [], [], int(rng.integers(*gap))
  for _ in range(n):
    tops.append(top)
    offsets.append(int(rng.integers(0, max_offset + 1)))
    top += height + int(rng.integers(*gap))
  page = np.zeros((top, width + max_offset), np.float32)
  for line, t, o in zip(lines_NxHxW, tops, offsets, strict=True):
    page[t : t + height, o : o + width] = line
  return page


def text_pages(x_NxHxW, texts, num: int, seed: int, distortions=DISTORTIONS, num_lines=(2, 6), draws=None):
  """(image bytes, truth) of `num` photographed pages of `num_lines` lines each (drawn per page), the
  lines of `x_NxHxW` and `texts` taken in order (wrapping around), the same for the same seed; a list
  `draws` gets each page's photograph() draws."""
  rng = np.random.default_rng(seed)
  start = 0
  for _ in range(num):
    take = (start + np.arange(rng.integers(num_lines[0], num_lines[1] + 1))) % len(x_NxHxW)
    start += len(take)
    page_draws = {}
    raw = photograph(text_page(x_NxHxW[take], rng), rng, distortions, page_draws)
    if draws is not None:
      draws.append(page_draws)
    yield raw, "\n".join(texts[i] for i in take)


def read_pages(recognizer, pages_):
  """Paragraph CER (edits / characters, a page's line breaks counted as characters) of the pipeline over
  (image bytes, truth) pages; the first 4 (bytes, truth, read) as examples; the seconds per page; and
  each page's (edits, characters)."""
  from nets.recognizer.ctc import text_edit_distance  # noqa: PLC0415
  from nets.recognizer.pipeline import to_ink  # noqa: PLC0415

  examples, seconds, counts = [], [], []
  for raw, truth in pages_:
    t0 = time.perf_counter()
    pred, _ = recognizer.read(to_ink(Image.open(io.BytesIO(raw))))
    seconds.append(time.perf_counter() - t0)
    counts.append((text_edit_distance(pred, truth), len(truth)))
    if len(examples) < 4:
      examples.append((raw, truth, pred))
  edits, chars = sum(e for e, _ in counts), sum(c for _, c in counts)
  return edits / max(chars, 1), examples, seconds, counts


def evaluate(recognizer, images_by_class, num: int, seed: int, distortions=DISTORTIONS):
  """Paragraph CER of the pipeline over `num` photographed digit pages; and examples."""
  cer, examples, _, _ = read_pages(recognizer, pages(images_by_class, num, seed, distortions))
  return cer, examples


def evaluate_text(recognizer, x_NxHxW, texts, num: int, seed: int, distortions=DISTORTIONS, num_lines=(2, 6)):
  """The CER over `num` photographed text pages (`page_cer`; with "scale" among `distortions`, also
  `page_cer_by_scale`: "LOW-HIGH": {"pages", "cer"} of the pages photographed at each SCALE_BANDS range),
  and that of the same lines read clean (`line_cer`: each line image straight to the model, line breaks
  not counted); examples; seconds a page."""
  from nets.recognizer.ctc import text_edit_distance  # noqa: PLC0415

  draws = []
  page_cer, examples, seconds, counts = read_pages(
    recognizer, text_pages(x_NxHxW, texts, num, seed, distortions, num_lines, draws)
  )
  used = sum(truth.count("\n") + 1 for _, truth in text_pages(x_NxHxW, texts, num, seed, (), num_lines))
  take = np.arange(used) % len(x_NxHxW)
  read = recognizer.transcribe(x_NxHxW[take])
  truth = [texts[i] for i in take]
  line_cer = sum(map(text_edit_distance, read, truth)) / max(sum(map(len, truth)), 1)
  scores = {"page_cer": page_cer, "line_cer": line_cer, "lines": int(used)}
  if "scale" in distortions:
    scales, counts_Px2 = np.array([d["scale"] for d in draws]), np.array(counts).reshape(-1, 2)
    by_scale = {}
    for low, high in zip(SCALE_BANDS, SCALE_BANDS[1:], strict=False):
      band = (low <= scales) & (scales < high)
      edits, chars = counts_Px2[band].sum(axis=0)
      by_scale[f"{low:g}-{high:g}"] = {"pages": int(band.sum()), "cer": round(edits / max(chars, 1), 4)}
    scores["page_cer_by_scale"] = by_scale
  return scores, examples, seconds


def plot_text(path: str, examples, title: str = "") -> None:
  """Photographed text pages, each beside what was read of each line (the truth above it)."""
  from nets.training.workdir import pyplot, save_figure  # noqa: PLC0415 - the service itself never draws.

  fig, axes = pyplot().subplots(
    len(examples), 2, figsize=(13, 2.9 * len(examples)), gridspec_kw={"width_ratios": [1.3, 1]}
  )
  fig.suptitle(title, fontsize=10)
  for (image_ax, text_ax), (raw, truth, pred) in zip(np.atleast_2d(axes), examples, strict=True):
    image_ax.imshow(Image.open(io.BytesIO(raw)), cmap="gray", vmin=0, vmax=255)
    image_ax.axis("off")
    true_lines, read_lines = truth.split("\n"), pred.split("\n")
    rows = []
    for i in range(max(len(true_lines), len(read_lines))):
      rows.append(f"true {true_lines[i] if i < len(true_lines) else ''}")
      rows.append(f"read {read_lines[i] if i < len(read_lines) else '(no line)'}")
    text_ax.text(
      0, 1, "\n".join(rows), va="top", family="monospace", fontsize=7.5, transform=text_ax.transAxes
    )
    text_ax.axis("off")
  save_figure(fig, path, dpi=100)


def plot(path: str, examples) -> None:
  from nets.training.workdir import pyplot, save_figure  # noqa: PLC0415 - the service itself never draws.

  fig, axes = pyplot().subplots(len(examples), 1, figsize=(8, 2.6 * len(examples)))
  for ax, (raw, truth, pred) in zip(np.atleast_1d(axes), examples, strict=True):
    ax.imshow(Image.open(io.BytesIO(raw)), cmap="gray", vmin=0, vmax=255)
    ax.set_title(f"true {' / '.join(truth.split())}\nread {' / '.join(pred.split())}", fontsize=9, loc="left")
    ax.axis("off")
  save_figure(fig, path, dpi=100)


def run_workdir(checkpoint: str) -> str:
  """The training workdir behind a --checkpoint: itself, or the run an export was made from."""
  spec = os.path.join(checkpoint, "spec.json")
  if os.path.isfile(spec):
    with open(spec) as f:
      return json.load(f)["workdir"]
  return checkpoint


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True, help="a training workdir, or an export of one")
  parser.add_argument("--pages", type=int, default=40)
  parser.add_argument("--seed", type=int, default=2026)
  parser.add_argument(
    "--only", default="", help="distortions joined by '+' (scale+jpeg), or 'each' for every one alone in turn"
  )
  parser.add_argument("--figure", default="")
  parser.add_argument("--page-lines", default="2,6", help="text pages: the fewest and most lines on a page")
  args = parser.parse_args()
  from nets import data  # noqa: PLC0415
  from nets.recognizer.pipeline import Recognizer  # noqa: PLC0415

  runs = {"all": DISTORTIONS}
  if args.only == "each":
    runs = {"none": (), **{d: (d,) for d in DISTORTIONS}, **runs}
  elif args.only:
    unknown = [d for d in args.only.split("+") if d not in DISTORTIONS]
    if unknown:
      parser.error(f"--only: unknown distortion {unknown[0]!r}; valid: {', '.join(DISTORTIONS)}, or 'each'")
    runs = {args.only: tuple(args.only.split("+"))}
  recognizer = Recognizer.load(args.checkpoint)
  if recognizer.alphabet == "text":
    return main_text(args, recognizer, runs)
  test = data.load("mnist_5k").splits["test"]
  by_class = lines.by_class(test["x"][..., 0], test["y"])
  results = {}
  for name, distortions in runs.items():
    cer, examples = evaluate(recognizer, by_class, args.pages, args.seed, distortions)
    results[name] = round(cer, 4)
    print(json.dumps({"distortions": name, "pages": args.pages, "paragraph_cer": results[name]}), flush=True)
    if name == "all" and args.figure:
      plot(args.figure, examples)


def main_text(args, recognizer, runs) -> None:
  """Pages of the run's held-out-font test lines, read greedily and (if the run has an LM) by beam search."""
  from nets.drivers.recognizer_text import read_split  # noqa: PLC0415 - the training data.
  from nets.training.workdir import read_config  # noqa: PLC0415

  x, texts, _ = read_split(read_config(run_workdir(args.checkpoint)), "test")
  num_lines = tuple(int(n) for n in args.page_lines.split(","))
  readers = {"greedy": dataclasses.replace(recognizer, decoder=None)}
  if recognizer.decoder:
    readers["beam_lm"] = recognizer
  for reader in readers.values():  # Every batch shape compiled first, as the service does: timed reading.
    for n in (1, 2, 4, 8):
      reader.transcribe(np.zeros((n, reader.height, reader.width), np.float32))
  for name, distortions in runs.items():
    for decoding, reader in readers.items():
      scores, examples, seconds = evaluate_text(
        reader, x, texts, args.pages, args.seed, distortions, num_lines
      )
      record = {"distortions": name, "decoding": decoding, "pages": args.pages, **scores}
      record.update(seconds_per_page=float(np.mean(seconds)), max_seconds=float(np.max(seconds)))
      print(
        json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in record.items()}), flush=True
      )
      if name == "all" and args.figure and decoding == list(readers)[-1]:
        run = os.path.basename(os.path.normpath(run_workdir(args.checkpoint)))
        how = "beam search + LM" if reader.decoder else "greedy"
        title = (
          f"{run}, {how}: CER {scores['page_cer']:.1%} over {args.pages} photographed pages of held-out "
          f"fonts ({scores['line_cer']:.1%} on the same lines clean)"
        )
        plot_text(args.figure, examples, title)


if __name__ == "__main__":
  main()
