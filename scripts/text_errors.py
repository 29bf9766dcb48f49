"""Where a text recognizer's errors are: every edit between its readings of the held-out-font test lines and
their text, sorted by kind, with the CER that would be left if that kind were read right.

  python scripts/text_errors.py --workdir=runs/recognizer_text

Greedy decoding, and beam search with the run's character LM where its config decodes so. Each reading is
aligned with its text by a minimal edit script (Levenshtein; on ties, a substitution before a deletion before
an insertion), and each edit is one kind, the first of these that fits:
  case         a letter read as the same letter in the other case (c -> C)
  look-alike   a substitution within a set of shapes that fonts and hands draw alike (LOOK_ALIKE)
  space        a space dropped, added, or read as (or for) another character
  punctuation  an edit where the text's or the reading's character is punctuation
  other        the rest: a letter or digit read as another, dropped or added
each kind's edits split into characters substituted, dropped and added, and the most frequent
substitutions listed.
"""

import argparse
import collections
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

KINDS = ("case", "look-alike", "space", "punctuation", "other")
# Shapes that differ between letters and digits only by a font's or a hand's habits, not by their strokes.
LOOK_ALIKE = ("0Oo", "1lI", "5Ss", "2Zz")
PUNCTUATION = ".,;:!?'\"()-/&%"
OPS = ("substituted", "dropped", "added")  # A character of the text read as another, not read, read extra.


def alignment(text: str, reading: str) -> list[tuple[str, str]]:
  """A minimal edit script from `text` to `reading`: (text char, read char) pairs, '' on the side missing,
  matches left out."""
  n, m = len(text), len(reading)
  d = np.zeros((n + 1, m + 1), np.int32)
  d[:, 0], d[0, :] = np.arange(n + 1), np.arange(m + 1)
  for i in range(1, n + 1):
    for j in range(1, m + 1):
      d[i, j] = min(d[i - 1, j - 1] + (text[i - 1] != reading[j - 1]), d[i - 1, j] + 1, d[i, j - 1] + 1)
  edits, i, j = [], n, m
  while i or j:
    if i and j and d[i, j] == d[i - 1, j - 1] + (text[i - 1] != reading[j - 1]):
      if text[i - 1] != reading[j - 1]:
        edits.append((text[i - 1], reading[j - 1]))
      i, j = i - 1, j - 1
    elif i and d[i, j] == d[i - 1, j] + 1:
      edits.append((text[i - 1], ""))
      i -= 1
    else:
      edits.append(("", reading[j - 1]))
      j -= 1
  return edits[::-1]


def kind(truth: str, read: str) -> str:
  """The kind of one edit (truth or read '' for an insertion or a deletion)."""
  if truth and read and truth != read and truth.lower() == read.lower():
    return "case"
  if truth and read and any(truth in s and read in s for s in LOOK_ALIKE):
    return "look-alike"
  if " " in (truth, read):
    return "space"
  if (truth and truth in PUNCTUATION) or (read and read in PUNCTUATION):
    return "punctuation"
  return "other"


def error_kinds(readings, texts) -> tuple[collections.Counter, collections.Counter, int]:
  """(edits counted by (kind, one of OPS), substitutions (text char, read char) counted, characters of the
  texts)."""
  kinds, substitutions = collections.Counter(), collections.Counter()
  for reading, text in zip(readings, texts, strict=True):
    for truth, read in alignment(text, reading):
      kinds[kind(truth, read), OPS[(not read) + 2 * (not truth)]] += 1
      if truth and read:
        substitutions[truth, read] += 1
  return kinds, substitutions, sum(len(t) for t in texts)


def report(name: str, readings, texts, top: int) -> None:
  kinds, substitutions, chars = error_kinds(readings, texts)
  edits = sum(kinds.values())
  print(f"{name}: CER {edits / chars:.1%} ({edits} edits over {chars} characters)")
  for k in KINDS:
    n = sum(kinds[k, op] for op in OPS)
    share, without = n / max(edits, 1), (edits - n) / chars
    ops = ", ".join(f"{kinds[k, op]} {op}" for op in OPS)
    print(f"  {k:<12} {n:>5} edits ({ops}), {share:5.1%} of them; CER without them {without:.1%}")
  pairs = ", ".join(f"{t!r}->{r!r} {c}" for (t, r), c in substitutions.most_common(top))
  print(f"  most frequent substitutions: {pairs}", flush=True)


def main() -> None:
  from nets.drivers.recognizer_text import fused_readings, line_logits, read_split, text_lm
  from nets.errors import ConfigError
  from nets.recognizer.pipeline import Recognizer
  from nets.training.workdir import read_config

  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--workdir", required=True, help="a recognizer_text training workdir")
  parser.add_argument("--split", default="test", choices=("test", "test_seen_fonts"))
  parser.add_argument("--top", type=int, default=15, help="substitutions listed")
  args = parser.parse_args()
  try:
    config, recognizer = read_config(args.workdir), Recognizer.from_workdir(args.workdir)
  except ConfigError as e:
    sys.exit(f"error: {e}")
  x, texts, _ = read_split(config, args.split)
  report(f"{args.split}, greedy", recognizer.transcribe(x), texts, args.top)
  if config.decoding.beam:
    fused = fused_readings(line_logits(recognizer, x), config.decoding, text_lm(config))
    report(f"{args.split}, beam + LM", fused, texts, args.top)


if __name__ == "__main__":
  main()
