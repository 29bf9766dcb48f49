"""A procedurally generated image dataset of any size: the stream's proof at scale.

`procedural_blobs` (options `num_train`, default 100,000, and `num_test`, default 10,000): 32 x 32 x 3
uint8 images of a bright blob of random size and colour on a noisy background with a dimmer distractor
blob; the class (10) is which cell of a 2 x 5 grid holds the bright blob's centre. Every chunk of 1,000
images is drawn from its own seed (split, chunk), so a dataset of any size is the same on every machine
and a larger one starts with the images of a smaller one. One image is 3,072 bytes on disk and 12,292
decoded (float32 pixels + label): 1,000,000 images are 3 GB of array_record and would need 12.3 GB on
the device.
"""

import numpy as np
import tensorflow_datasets as tfds
from tensorflow_datasets.core import shuffle

SHAPE = (32, 32, 3)
NUM_CLASSES = 10
NUM_TEST = 10_000
CHUNK = 1000
_GRID = (2, 5)  # rows x columns of class cells
_SEEDS = {"train": 0, "test": 1}


def blobs(split: str, chunk: int, n: int = CHUNK) -> tuple[np.ndarray, np.ndarray]:
  """(images uint8 [n, 32, 32, 3], labels int [n]) of chunk `chunk` of `split`."""
  rng = np.random.default_rng([_SEEDS[split], chunk])
  labels = rng.integers(0, NUM_CLASSES, n)
  rows, cols = np.divmod(labels, _GRID[1])
  cell_h, cell_w = SHAPE[0] / _GRID[0], SHAPE[1] / _GRID[1]
  centre_y = (rows + rng.uniform(0.2, 0.8, n)) * cell_h
  centre_x = (cols + rng.uniform(0.2, 0.8, n)) * cell_w
  decoy_y, decoy_x = rng.uniform(0, SHAPE[0], n), rng.uniform(0, SHAPE[1], n)
  yy = np.arange(SHAPE[0], dtype=np.float32)  # The image is square: one axis of pixel positions.

  def blob(cy, cx, radius):  # [n, 32, 32] float32: separable, exp(-dy^2 / 2r^2) * exp(-dx^2 / 2r^2)
    scale = (-0.5 / radius**2).astype(np.float32)[:, None]
    gy = np.exp((yy[None] - cy[:, None].astype(np.float32)) ** 2 * scale)
    gx = np.exp((yy[None] - cx[:, None].astype(np.float32)) ** 2 * scale)
    return gy[:, :, None] * gx[:, None, :]

  colour = rng.uniform(0.6, 1.0, (n, 1, 1, 3)).astype(np.float32)
  bright = blob(centre_y, centre_x, rng.uniform(1.5, 3.5, n))[..., None] * colour
  dim = blob(decoy_y, decoy_x, rng.uniform(1.5, 3.5, n))[..., None] * rng.uniform(0.1, 0.35, (n, 1, 1, 3))
  noise = rng.standard_normal((n, *SHAPE), dtype=np.float32) * 0.08 + 0.15
  images = np.clip(bright + dim.astype(np.float32) + noise, 0, 1) * 255
  return images.round().astype(np.uint8), labels


class ProceduralBlobs(tfds.core.GeneratorBasedBuilder):
  """Blobs on a 2 x 5 grid (the module docstring): `num_train` images for training, `num_test` for test."""

  name = "procedural_blobs"
  VERSION = tfds.core.Version("1.0.0")

  def __init__(self, *, num_train: int = 100_000, num_test: int = NUM_TEST, **kwargs):
    for option, n in (("num_train", num_train), ("num_test", num_test)):
      if not isinstance(n, int) or n < CHUNK or n % CHUNK:
        from nets.errors import ConfigError  # noqa: PLC0415

        raise ConfigError(f"procedural_blobs: {option} must be a positive multiple of {CHUNK}, got {n!r}")
    self.num_train, self.num_test = num_train, num_test
    name = f"train_{num_train}" + (f"_test_{num_test}" if num_test != NUM_TEST else "")
    config = tfds.core.BuilderConfig(name=name, version=self.VERSION)
    super().__init__(config=config, **kwargs)

  def _info(self) -> tfds.core.DatasetInfo:
    return tfds.core.DatasetInfo(
      builder=self,
      description=__doc__,
      features=tfds.features.FeaturesDict(
        {
          # The pixels as one bytes value: 17x faster to write than TFDS's default list of int64s.
          "image": tfds.features.Tensor(shape=SHAPE, dtype=np.uint8, encoding=tfds.features.Encoding.BYTES),
          "label": tfds.features.ClassLabel(num_classes=NUM_CLASSES),
        }
      ),
      supervised_keys=("image", "label"),
      disable_shuffling=True,  # Written in chunk order: no shuffle pass over gigabytes.
    )

  def _download_and_prepare(self, *args, **kwargs):
    # TFDS's writer holds a split's serialized examples in memory up to MAX_MEM_BUFFER_SIZE (1 GB) and
    # spills the rest to disk only through TensorFlow, which is not installed: let it hold the whole
    # split (3.1 GB for 1,000,000 images) while building. Training then streams it from disk.
    limit = shuffle.MAX_MEM_BUFFER_SIZE
    shuffle.MAX_MEM_BUFFER_SIZE = max(limit, (self.num_train + self.num_test) * 3200)
    try:
      return super()._download_and_prepare(*args, **kwargs)
    finally:
      shuffle.MAX_MEM_BUFFER_SIZE = limit

  def _split_generators(self, dl_manager):
    del dl_manager  # Nothing is downloaded.
    return {
      "train": self._generate_examples("train", self.num_train),
      "test": self._generate_examples("test", self.num_test),
    }

  def _generate_examples(self, split: str, n: int):
    for chunk in range(n // CHUNK):
      images, labels = blobs(split, chunk)
      for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        yield chunk * CHUNK + i, {"image": image, "label": int(label)}


BUILDERS = {ProceduralBlobs.name: ProceduralBlobs}
