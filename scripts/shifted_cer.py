"""Greedy CER of a text recognizer's run on its held-out-font test lines, each moved by whole pixels: how much
the model depends on where a line's ink sits (the service places it by its centre of mass, rounded); and
with --shrink, each line shrunk and enlarged back: how much it depends on the resolution it is given.

  python scripts/shifted_cer.py --workdir=runs/recognizer_text_page --shifts=0:0,-1:0,1:0,2:0,0:1,0:2
  python scripts/shifted_cer.py --workdir=runs/recognizer_text_page --shifts= --shrink=0.85,0.7,0.6,0.5

A shift DY:DX moves every line DY rows down (negative: up) and DX columns right, the rows and columns pushed
off one edge coming back at the other (the lines' margins are blank, so no ink moves round). A shrink F
resizes every line to F times its size and back (bilinear both ways, as photos.photograph scales a page):
a page photographed at half size gives its lines half the rows, whatever the service enlarges them to.
"""

import argparse
import os
import sys

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets.drivers.recognizer_text import cer, read_split  # noqa: E402
from nets.errors import ConfigError  # noqa: E402
from nets.recognizer.pipeline import Recognizer  # noqa: E402
from nets.training.workdir import read_config  # noqa: E402


def shifted(x_NxHxW: np.ndarray, down: int, right: int) -> np.ndarray:
  return np.roll(x_NxHxW, (down, right), axis=(1, 2))


def resized(image_HxW: np.ndarray, width: int, height: int) -> np.ndarray:
  return np.asarray(Image.fromarray(image_HxW).resize((width, height), Image.Resampling.BILINEAR))


def shrunk(x_NxHxW: np.ndarray, factor: float) -> np.ndarray:
  _, height, width = x_NxHxW.shape
  small = (max(1, round(width * factor)), max(1, round(height * factor)))
  return np.stack([resized(resized(line, *small), width, height) for line in x_NxHxW.astype(np.float32)])


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--workdir", required=True, help="a recognizer_text training workdir")
  parser.add_argument("--shifts", default="0:0,-1:0,1:0,2:0,0:1,0:2", help="DY:DX shifts, comma-separated")
  parser.add_argument("--shrink", default="", help="factors (0, 1] to shrink the lines by, comma-separated")
  args = parser.parse_args()
  factors = []
  for text in filter(None, args.shrink.split(",")):
    try:
      factor = float(text)
    except ValueError:
      factor = float("nan")
    if not 0 < factor <= 1:  # Checked before the model loads: 0 would shrink a line to one pixel.
      parser.error(f"--shrink: {text!r} is not a factor in (0, 1]")
    factors.append(factor)
  try:
    config, recognizer = read_config(args.workdir), Recognizer.from_workdir(args.workdir)
  except ConfigError as e:
    sys.exit(f"error: {e}")
  x, texts, fonts = read_split(config, "test")
  for shift in filter(None, args.shifts.split(",")):
    down, right = (int(v) for v in shift.split(":"))
    rate, _ = cer(recognizer.transcribe(shifted(x, down, right)), texts, fonts)
    print(f"shift {down:+d} rows {right:+d} columns: CER {rate:.1%} over {len(x)} lines", flush=True)
  for factor in factors:
    rate, _ = cer(recognizer.transcribe(shrunk(x, factor)), texts, fonts)
    print(f"shrunk to {factor:g} and back: CER {rate:.1%} over {len(x)} lines", flush=True)


if __name__ == "__main__":
  main()
