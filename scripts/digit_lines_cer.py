"""CER of a recognizer on the digit recognizer's own test lines: 1-16 of mnist_5k's test digits each, pasted
with an overlap of 0-0.33 (nets/data/lines.py; recognizer_cnn reads them at 3.7%), laid out as the service
lays out a line (pipeline.NORMALIZERS of the model's alphabet), read as the service reads (with the LM a text
export carries; --greedy without).

  python scripts/digit_lines_cer.py --checkpoint=runs/recognizer_text_digits/export
  python scripts/digit_lines_cer.py --checkpoint=runs/recognizer_cnn --lines=1000

The lines are recognizer_cnn's test lines (make_lines, seed 1), the first --lines of them, at full resolution.
"""

import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets import data  # noqa: E402
from nets.data.lines import DIGITS, by_class, decode, make_lines  # noqa: E402
from nets.recognizer.ctc import text_edit_distance  # noqa: E402
from nets.recognizer.pipeline import NORMALIZERS, Recognizer  # noqa: E402

TEST_SEED = 1  # nets.data.lines.load draws the test split from seed * 2 + 1, seed 0.


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True, help="a training workdir or an export")
  parser.add_argument("--lines", type=int, default=300, help="how many of the test lines")
  parser.add_argument("--greedy", action="store_true", help="greedy decoding, not the export's LM")
  parser.add_argument("--show", type=int, default=4, help="lines to print")
  args = parser.parse_args()
  recognizer = Recognizer.load(args.checkpoint, lm=not args.greedy)
  test = data.load("mnist_5k").splits["test"]
  x, y = make_lines(by_class(test["x"][..., 0], test["y"]), args.lines, TEST_SEED, downsample=1)
  normalize = NORMALIZERS[recognizer.alphabet]
  lines = np.stack([normalize(line[..., 0], recognizer.height, recognizer.width) for line in x])
  truth = [decode(row, DIGITS) for row in y]
  preds = recognizer.transcribe(lines)
  cer = sum(map(text_edit_distance, preds, truth)) / sum(map(len, truth))
  shown = ", ".join(f"{t} -> {p!r}" for t, p in list(zip(truth, preds, strict=True))[: args.show])
  print(f"digit lines ({args.lines} of mnist_5k's test digits): CER {100 * cer:.1f}%; {shown}")


if __name__ == "__main__":
  main()
