"""IAM Handwriting Database text lines, read from a directory you supply: nothing is fetched (IAM's
terms need registration), and none of the project's own figures are on it.

The directory is laid out as IAM ships it: `lines.txt` (or `ascii/lines.txt`) and the line images
`lines/a01/a01-000u/a01-000u-00.png` (form a01-000u, its line 00). lines.txt has '#' comment lines, then
one line per text line:

  a01-000u-00 ok 154 19 408 746 1661 89 A|MOVE|to|stop|Mr.|Gaitskell|from

the line's id, the word segmentation's result (ok or err), the gray level that binarizes it, its number
of components, its box on the form (x y w h), and its transcription with '|' between words (the usual
reading, used here: each '|' is a space, so punctuation tokens keep their spaces: "tomorrow . Mr.").

Splits: if the directory holds IAM's task files (trainset.txt, validationset1.txt, validationset2.txt,
testset.txt: one id a row, a line's or a form's), they decide; otherwise whole forms are split by a hash
of the form id (`test_fraction` of them to test), so no form is on both sides (writers may be).
"""

import dataclasses
import hashlib
import os

import numpy as np
from PIL import Image

from nets.data.lines import TEXT, encode
from nets.errors import ConfigError

TASK_FILES = {"train": ("trainset.txt",), "validation": ("validationset1.txt", "validationset2.txt")}
TASK_FILES["test"] = ("testset.txt",)


@dataclasses.dataclass(frozen=True)
class IamLine:
  id: str  # a01-000u-00
  ok: bool  # The word segmentation's result; err lines are still correctly transcribed.
  graylevel: int
  box: tuple[int, int, int, int]  # x, y, w, h on the form
  text: str

  @property
  def form(self) -> str:
    return self.id.rsplit("-", 1)[0]

  def image_path(self, root: str) -> str:
    return os.path.join(root, "lines", self.id.split("-")[0], self.form, self.id + ".png")


def parse_lines_txt(content: str, source: str = "lines.txt") -> list[IamLine]:
  """The lines of an IAM lines.txt; ConfigError names the first malformed row."""
  out = []
  for number, row in enumerate(content.splitlines(), 1):
    if not row.strip() or row.startswith("#"):
      continue
    fields = row.split(" ", 8)
    try:
      if len(fields) != 9 or fields[1] not in ("ok", "err") or fields[0].count("-") != 2:
        raise ValueError("expected: ID ok|err GRAY COMPONENTS X Y W H WORD|WORD|...")
      x, y, w, h = (int(v) for v in fields[4:8])
      out.append(
        IamLine(fields[0], fields[1] == "ok", int(fields[2]), (x, y, w, h), fields[8].replace("|", " "))
      )
    except ValueError as e:
      raise ConfigError(f"{source}:{number} is not an IAM lines.txt row ({e}): {row[:80]!r}") from None
  return out


def find_lines_txt(root: str) -> str:
  for path in (os.path.join(root, "lines.txt"), os.path.join(root, "ascii", "lines.txt")):
    if os.path.isfile(path):
      return path
  raise ConfigError(f"{root} holds no IAM lines.txt (looked for lines.txt and ascii/lines.txt)")


def read_lines(root: str) -> list[IamLine]:
  path = find_lines_txt(root)
  with open(path, encoding="utf-8") as f:
    return parse_lines_txt(f.read(), path)


def split_of(lines: list[IamLine], root: str, test_fraction: float = 0.1) -> dict[str, list[IamLine]]:
  """{split: lines}: IAM's task files where the directory has them, else forms split by hash."""
  if all(os.path.isfile(os.path.join(root, f)) for files in TASK_FILES.values() for f in files):
    owner = {}
    for split, files in TASK_FILES.items():
      for name in files:
        with open(os.path.join(root, name)) as f:
          owner.update({row.strip(): split for row in f if row.strip()})
    splits = {split: [] for split in TASK_FILES}
    for line in lines:
      split = owner.get(line.id, owner.get(line.form))
      if split:
        splits[split].append(line)
    return splits

  def to_test(form: str) -> bool:  # A hash, not Python's hash(): the same on every run and machine.
    return int(hashlib.sha256(form.encode()).hexdigest()[:8], 16) < test_fraction * 2**32

  return {
    "train": [ln for ln in lines if not to_test(ln.form)],
    "test": [ln for ln in lines if to_test(ln.form)],
  }


def ink(path: str) -> np.ndarray:
  """An IAM line image (dark ink on light paper) as ink in [0, 1], float32 [H, W]."""
  with Image.open(path) as image:
    return 1.0 - np.asarray(image.convert("L"), np.float32) / 255.0


def load(root: str, lines: list[IamLine], *, height: int, width: int, max_len: int, alphabet: str = TEXT):
  """{"x": [N, height, width, 1], "y": [N, max_len]} of the lines a recognizer of `alphabet` can learn,
  laid out as the text recognizer reads a found line; and {reason: lines skipped}."""
  from nets.recognizer.pipeline import normalize_text_line  # noqa: PLC0415 - the reading stack, to load.

  xs, ys, skipped = [], [], {}
  for line in lines:
    why = ""
    if set(line.text) - set(alphabet):
      why = "characters outside the alphabet"
    elif len(line.text) > max_len:
      why = f"longer than {max_len} characters"
    if not why and not os.path.isfile(line.image_path(root)):
      why = "no image"
    if why:
      skipped[why] = skipped.get(why, 0) + 1
      continue
    xs.append(normalize_text_line(ink(line.image_path(root)), height, width))
    label = np.zeros(max_len, np.int32)
    label[: len(line.text)] = encode(line.text, alphabet)
    ys.append(label)
  x = np.stack(xs)[..., None] if xs else np.zeros((0, height, width, 1), np.float32)
  return {"x": x, "y": np.stack(ys) if ys else np.zeros((0, max_len), np.int32)}, skipped
