"""Synthetic handwritten lines and paragraphs pasted from real digit images (like FSDL's EMNISTLines).

A line is a random string of `min_len`..`max_len` digits; each character is a random image of that
digit pasted `(1 - overlap) * 28` pixels after the previous one, the overlap drawn per character from
`overlap`; ink that overlaps takes the brighter pixel. For writing as people do it on a page, each digit
can also be thickened (`thicken`, whole pixels) and narrowed (`squeeze`, a factor of its width, the
overlap then a share of the narrowed width); by default neither is drawn. Lines are 28 x (28 * max_len)
pixels, then shrunk `downsample` times in each direction. A paragraph stacks several lines with random
gaps and left offsets. Everything is a pure function of its seed; test lines use only the test split's digits.

Labels are CTC targets: character i of the alphabet is class i + 1 (digit d is class d + 1), class 0 is
the CTC blank and pads the label to max_len. The alphabets live here, named: "digits" (these lines; 11
classes with the blank) and "text" (nets/data/handwriting.py's lines; 78 classes). A recognizer's
config names its alphabet in `config.lines.alphabet` (absent: digits, as every digit run before it).
"""

import string

import numpy as np
from PIL import Image
from scipy import ndimage

from nets import data  # Its attributes are read at call time: nets.data imports this module's users.

CHAR = 28  # Pixels of one source character image.
BLANK = 0  # CTC blank; also pads labels.
DIGITS = string.digits
# Letters, digits, space and the punctuation people write in notes: 77 characters, 78 classes.
TEXT = string.ascii_lowercase + string.ascii_uppercase + string.digits + " .,;:!?'\"()-/&%"
ALPHABETS = {"digits": DIGITS, "text": TEXT}


def alphabet_of(config) -> str:
  """The characters a recognizer config reads: ALPHABETS[config.lines.alphabet]."""
  from nets.errors import lookup  # noqa: PLC0415
  from nets.options import Lines  # noqa: PLC0415

  c = config.lines  # A config resolved by nets.options has it; else the one default, Lines'.
  return lookup(ALPHABETS, "alphabet", c.alphabet if "alphabet" in c else Lines.alphabet)


def num_classes(alphabet: str) -> int:
  return len(alphabet) + 1  # With the CTC blank.


def line_shape(config) -> tuple[int, int]:
  """(height, width) of a recognizer config's line images: its `height` and `width` if it sets them
  (text lines), else a digit line's: 28-pixel digits, max_len of them, shrunk `downsample` times."""
  c = config.lines
  if "height" in c:
    return c.height, c.width
  return CHAR // c.downsample, CHAR * c.max_len // c.downsample


def encode(text: str, alphabet: str = DIGITS) -> list[int]:
  """Class ids of `text`; ValueError names the first character outside the alphabet."""
  index = {c: i + 1 for i, c in enumerate(alphabet)}
  try:
    return [index[c] for c in text]
  except KeyError as e:
    raise ValueError(f"{e.args[0]!r} is not in the alphabet {alphabet!r}") from None


def decode(labels, alphabet: str = DIGITS) -> str:
  """The text of class ids; blanks (and padding) are skipped."""
  return "".join(alphabet[int(c) - 1] for c in labels if c != BLANK)


def by_class(x_Nx28x28: np.ndarray, y_N: np.ndarray) -> list[np.ndarray]:
  """The images of each digit 0..9."""
  return [x_Nx28x28[y_N == c] for c in range(10)]


def squeezed(img_28x28: np.ndarray, factor: float) -> np.ndarray:
  """The character image narrowed to round(28 * factor) columns (bilinear), its height kept."""
  columns = max(1, int(round(CHAR * factor)))
  return np.asarray(Image.fromarray(img_28x28.astype(np.float32)).resize((columns, CHAR), Image.BILINEAR))


def render_line(
  images: list[np.ndarray],
  rng: np.random.Generator,
  *,
  width: int,
  overlap=(0.0, 0.33),
  squeeze=(1.0, 1.0),
  thicken=(0, 0),
):
  """Paste 28x28 character images left to right into a 28 x `width` canvas (brighter pixel wins), each
  thickened by a whole number of pixels drawn from `thicken` (a pen or a finger draws wider strokes than
  MNIST's), narrowed by a factor drawn from `squeeze` (people write narrower than MNIST's boxes) and
  pasted (1 - overlap) of the previous one's width after it. The defaults draw nothing for either: the
  lines of a seed are those it gave before these existed."""
  canvas = np.zeros((CHAR, width), np.float32)
  x, previous = 0, CHAR
  for i, img in enumerate(images):
    if i:
      x += int(round(previous * (1 - rng.uniform(*overlap))))
    if tuple(thicken) != (0, 0):
      img = ndimage.grey_dilation(img, size=1 + int(rng.integers(thicken[0], thicken[1] + 1)))
    if tuple(squeeze) != (1.0, 1.0):
      img = squeezed(img, rng.uniform(*squeeze))
    previous = img.shape[1]
    w = max(0, min(previous, width - x))
    canvas[:, x : x + w] = np.maximum(canvas[:, x : x + w], img[:, :w])
  return canvas


def shrink(image: np.ndarray, factor: int) -> np.ndarray:
  """Mean of each factor x factor block (the image's sides must be multiples of factor)."""
  if factor == 1:
    return image
  h, w = image.shape
  return image.reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def make_lines(
  images_by_class: list[np.ndarray],
  num: int,
  seed: int,
  *,
  min_len: int = 1,
  max_len: int = 16,
  overlap=(0.0, 0.33),
  squeeze=(1.0, 1.0),
  thicken=(0, 0),
  downsample: int = 2,
) -> tuple[np.ndarray, np.ndarray]:
  """`num` lines: images [N, H, W, 1] float32 in [0, 1] and labels [N, max_len] int32 (0-padded)."""
  rng = np.random.default_rng(seed)
  width = CHAR * max_len
  x = np.zeros((num, CHAR // downsample, width // downsample, 1), np.float32)
  y = np.zeros((num, max_len), np.int32)
  for n in range(num):
    digits = rng.integers(0, 10, rng.integers(min_len, max_len + 1))
    imgs = [images_by_class[d][rng.integers(len(images_by_class[d]))] for d in digits]
    line = render_line(imgs, rng, width=width, overlap=overlap, squeeze=squeeze, thicken=thicken)
    x[n, ..., 0] = shrink(line, downsample)
    y[n, : len(digits)] = digits + 1
  return x, y


def make_paragraph(
  images_by_class: list[np.ndarray],
  rng: np.random.Generator,
  *,
  num_lines=(1, 4),
  max_len: int = 16,
  gap=(4, 28),
  max_offset: int = 56,
  overlap=(0.0, 0.33),
) -> tuple[np.ndarray, list[str], list[tuple[int, int]]]:
  """A paragraph image [H, W] (28-pixel characters), its lines' texts and ink rows (top, bottom)."""
  texts, rows, strips = [], [], []
  top = int(rng.integers(*gap))
  width = CHAR * max_len + max_offset
  for _ in range(rng.integers(num_lines[0], num_lines[1] + 1)):
    digits = rng.integers(0, 10, rng.integers(1, max_len + 1))
    imgs = [images_by_class[d][rng.integers(len(images_by_class[d]))] for d in digits]
    line = render_line(imgs, rng, width=CHAR * max_len, overlap=overlap)
    offset = int(rng.integers(0, max_offset + 1))
    strips.append((top, offset, line))
    texts.append("".join(map(str, digits)))
    inked = np.flatnonzero(line.max(axis=1) > 0)
    rows.append((top + int(inked[0]), top + int(inked[-1]) + 1))
    top += CHAR + int(rng.integers(*gap))
  image = np.zeros((top, width), np.float32)
  for t, offset, line in strips:
    image[t : t + CHAR, offset : offset + line.shape[1]] = line
  return image, texts, rows


def load(
  directory: str = "", *, seed: int = 0, num_train: int = 10000, num_test: int = 2000, **kwargs
) -> "data.Dataset":
  """Lines from mnist_5k: training lines from its train digits, test lines from its test digits."""
  digits = data.load("mnist_5k", directory)
  splits = {}
  for i, (split, num) in enumerate((("train", num_train), ("test", num_test))):
    s = digits.splits[split]
    x, y = make_lines(by_class(s["x"][..., 0], s["y"]), num, seed * 2 + i, **kwargs)
    splits[split] = {"x": x, "y": y}
  return data.Dataset("mnist_lines", splits, num_classes=num_classes(DIGITS))
