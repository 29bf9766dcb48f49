"""Sample lines of handwriting_lines: training fonts above, held-out fonts below, each with its text.

  python scripts/handwriting_figure.py --out=docs/figures/handwriting_lines.png

Draws examples 0..N-1 of the train and test splits exactly as the dataset builder does (no build needed;
the fonts are fetched into the data directory on first use).
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets.data import fonts, handwriting  # noqa: E402
from nets.training.workdir import pyplot, save_figure  # noqa: E402


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--out", default="docs/figures/handwriting_lines.png")
  parser.add_argument("--lines", type=int, default=6, help="lines of each split")
  args = parser.parse_args()
  font_bytes = fonts.load(fonts.directory())
  plt = pyplot()
  fig, axes = plt.subplots(2 * args.lines, 1, figsize=(8, 0.85 * 2 * args.lines), gridspec_kw={"hspace": 0.7})
  for row, (split, names) in enumerate((("train", fonts.training()), ("test", fonts.held_out()))):
    for i in range(args.lines):
      image, _, font, text = handwriting.example(split, i, names, font_bytes)
      ax = axes[row * args.lines + i]
      ax.imshow(255 - image[..., 0], cmap="gray", vmin=0, vmax=255)
      kind = "training font" if split == "train" else "held-out font"
      ax.set_title(f"{kind} {font}: {text!r}", fontsize=8, loc="left")
      ax.axis("off")
  save_figure(fig, args.out)
  print(f"wrote {args.out}")


if __name__ == "__main__":
  main()
