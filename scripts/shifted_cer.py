"""Greedy CER of a text recognizer's run on its held-out-font test lines, each moved by whole pixels: how much
the model depends on where a line's ink sits (the service places it by its centre of mass, rounded).

  python scripts/shifted_cer.py --workdir=runs/recognizer_text_all --shifts=0:0,-1:0,1:0,2:0,0:1,0:2

A shift DY:DX moves every line DY rows down (negative: up) and DX columns right, the rows and columns pushed
off one edge coming back at the other (the lines' margins are blank, so no ink moves round).
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets.drivers.recognizer_text import cer, read_split  # noqa: E402
from nets.errors import ConfigError  # noqa: E402
from nets.recognizer.pipeline import Recognizer  # noqa: E402
from nets.training.workdir import read_config  # noqa: E402


def shifted(x_NxHxW: np.ndarray, down: int, right: int) -> np.ndarray:
  return np.roll(x_NxHxW, (down, right), axis=(1, 2))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--workdir", required=True, help="a recognizer_text training workdir")
  parser.add_argument("--shifts", default="0:0,-1:0,1:0,2:0,0:1,0:2", help="DY:DX shifts, comma-separated")
  args = parser.parse_args()
  try:
    config, recognizer = read_config(args.workdir), Recognizer.from_workdir(args.workdir)
  except ConfigError as e:
    sys.exit(f"error: {e}")
  x, texts, fonts = read_split(config, "test")
  for shift in args.shifts.split(","):
    down, right = (int(v) for v in shift.split(":"))
    rate, _ = cer(recognizer.transcribe(shifted(x, down, right)), texts, fonts)
    print(f"shift {down:+d} rows {right:+d} columns: CER {rate:.1%} over {len(x)} lines", flush=True)


if __name__ == "__main__":
  main()
