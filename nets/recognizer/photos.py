"""Photographed pages: a held-out set made from test digits, and the CER of the pipeline on it.

  python -m nets.recognizer.photos --checkpoint=runs/recognizer_cnn --pages=40 --only=each \
    --figure=docs/figures/recognizer_photos.png

A page (1 to 3 synthetic lines of mnist_5k test digits) is printed dark on light paper and
"photographed": scaled 0.5-2x, rotated within +-6 degrees, lit by a brightness gradient across the
sheet (75-100% white), given Gaussian sensor noise (std 0-0.06) and saved as JPEG at quality 30-90,
each drawn per page from the seed. `--only=NAME` applies one distortion alone, as the issue measured.
"""

import argparse
import io
import json

import numpy as np
from PIL import Image

from nets.data import lines

DISTORTIONS = ("scale", "rotation", "light", "noise", "jpeg")


def photograph(ink_HxW: np.ndarray, rng: np.random.Generator, distortions=DISTORTIONS) -> bytes:
  """JPEG (or PNG when "jpeg" is not among `distortions`) bytes of a bright-ink page photographed."""
  margin = 24  # Paper around the text, so that rotation keeps every stroke on the sheet.
  ink = np.pad(ink_HxW.astype(np.float32), margin)
  image = Image.fromarray(255.0 * (1.0 - 0.9 * ink)).convert("L")  # Ink 10% white on white paper.
  if "scale" in distortions:
    factor = float(np.exp(rng.uniform(np.log(0.5), np.log(2.0))))
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


def evaluate(recognizer, images_by_class, num: int, seed: int, distortions=DISTORTIONS):
  """Paragraph CER (edits / characters) of the pipeline over `num` photographed pages; and examples."""
  from nets.recognizer.ctc import text_edit_distance  # noqa: PLC0415
  from nets.recognizer.pipeline import to_ink  # noqa: PLC0415

  edits = chars = 0
  examples = []
  for raw, truth in pages(images_by_class, num, seed, distortions):
    pred, _ = recognizer.read(to_ink(Image.open(io.BytesIO(raw))))
    edits, chars = edits + text_edit_distance(pred, truth), chars + len(truth)
    if len(examples) < 4:
      examples.append((raw, truth, pred))
  return edits / max(chars, 1), examples


def plot(path: str, examples) -> None:
  from nets.training.workdir import pyplot, save_figure  # noqa: PLC0415 - the service itself never draws.

  fig, axes = pyplot().subplots(len(examples), 1, figsize=(8, 2.6 * len(examples)))
  for ax, (raw, truth, pred) in zip(np.atleast_1d(axes), examples, strict=True):
    ax.imshow(Image.open(io.BytesIO(raw)), cmap="gray", vmin=0, vmax=255)
    ax.set_title(f"true {' / '.join(truth.split())}\nread {' / '.join(pred.split())}", fontsize=9, loc="left")
    ax.axis("off")
  save_figure(fig, path, dpi=100)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True)
  parser.add_argument("--pages", type=int, default=40)
  parser.add_argument("--seed", type=int, default=2026)
  parser.add_argument("--only", default="", help="one distortion alone, or 'each' for every one in turn")
  parser.add_argument("--figure", default="")
  args = parser.parse_args()
  from nets import data  # noqa: PLC0415
  from nets.recognizer.pipeline import Recognizer  # noqa: PLC0415

  recognizer = Recognizer.load(args.checkpoint)
  test = data.load("mnist_5k").splits["test"]
  by_class = lines.by_class(test["x"][..., 0], test["y"])
  runs = {"all": DISTORTIONS}
  if args.only == "each":
    runs = {"none": (), **{d: (d,) for d in DISTORTIONS}, **runs}
  elif args.only:
    runs = {args.only: (args.only,)}
  results = {}
  for name, distortions in runs.items():
    cer, examples = evaluate(recognizer, by_class, args.pages, args.seed, distortions)
    results[name] = round(cer, 4)
    print(json.dumps({"distortions": name, "pages": args.pages, "paragraph_cer": results[name]}), flush=True)
    if name == "all" and args.figure:
      plot(args.figure, examples)


if __name__ == "__main__":
  main()
