"""Records read by row: the fast decoder equals TFDS's, the procedural dataset is fixed and checked."""

import numpy as np
import pytest

from nets import data
from nets.data.procedural import blobs
from nets.errors import ConfigError


@pytest.mark.parametrize("name", ["mnist_5k", "mnist1d"])  # uint8 images as int64 lists; float32 signals
def test_the_fast_decoder_reads_what_tfds_decodes(name):
  train = data.records(name).splits["train"]
  assert train.decode is not None
  rows = np.random.default_rng(0).permutation(len(train))[:300]
  tfds_records = train.source.__getitems__(train.indices[rows].tolist())  # TFDS's own decoder
  fast = train.decode(train.source.data_source.__getitems__(train.indices[rows].tolist()))
  np.testing.assert_array_equal(fast["image"], np.stack([r["image"] for r in tfds_records]))
  np.testing.assert_array_equal(fast["label"], [r["label"] for r in tfds_records])
  assert fast["image"].dtype == tfds_records[0]["image"].dtype


def test_split_rows_and_moments_read_as_the_whole_split():
  records = data.records("mnist1d", validation_size=500, standardize=True)
  whole = records.read()
  train = records.splits["train"]
  rows = np.array([7, 0, 3499, 7])
  np.testing.assert_array_equal(train.read(rows)["x"], whole.splits["train"]["x"][rows])
  x = whole.splits["train"]["x"]
  assert abs(float(x.mean())) < 1e-5 and float(x.std()) == pytest.approx(1.0, abs=1e-4)
  assert records.nbytes == (3500 + 500 + 1000) * (40 * 4 + 4)


def test_procedural_blobs_are_fixed_by_chunk_and_a_larger_set_starts_with_a_smaller_one(tmp_path):
  x0, y0 = blobs("train", 0)
  x0_again, _ = blobs("train", 0)
  np.testing.assert_array_equal(x0, x0_again)
  assert x0.shape == (1000, 32, 32, 3) and x0.dtype == np.uint8 and set(np.unique(y0)) == set(range(10))
  assert not np.array_equal(blobs("test", 0)[0], x0)
  # The class is where the bright blob is: the brightest pixel lies in the label's cell of the 2 x 5 grid.
  flat = x0.astype(int).sum(-1).reshape(1000, -1).argmax(-1)
  cells = (flat // 32 // 16) * 5 + (flat % 32) * 5 // 32
  assert np.mean(cells == y0) > 0.9
  small = data.records("procedural_blobs", str(tmp_path), num_train=1000, num_test=1000)
  assert {k: len(s) for k, s in small.splits.items()} == {"train": 1000, "test": 1000}
  np.testing.assert_array_equal(small.splits["train"].read(np.arange(1000))["y"], y0)
  with pytest.raises(ConfigError, match="num_train must be a positive multiple of 1000, got 1500"):
    data.records("procedural_blobs", str(tmp_path), num_train=1500)


def test_train_and_test_examples_keep_a_fixed_random_subset_of_each_split():
  whole = data.records("mnist1d", validation_size=500)
  some = data.records("mnist1d", validation_size=500, train_examples=300, test_examples=200, standardize=True)
  assert [len(some.splits[k]) for k in ("train", "validation", "test")] == [300, 500, 200]
  kept = some.splits["train"].indices
  assert set(kept) <= set(whole.splits["train"].indices) and list(kept) == sorted(kept)
  assert list(kept) != list(whole.splits["train"].indices[:300])  # drawn across the split, not its head
  np.testing.assert_array_equal(some.splits["validation"].indices, whole.splits["validation"].indices)
  again = data.records("mnist1d", validation_size=500, train_examples=300, test_examples=200)
  np.testing.assert_array_equal(again.splits["test"].indices, some.splits["test"].indices)
  x = some.read().splits["train"]["x"]  # standardised with the moments of the 300 it trains on
  assert abs(float(x.mean())) < 1e-5 and float(x.std()) == pytest.approx(1.0, abs=1e-4)
  with pytest.raises(ConfigError, match=r"train_examples must be in \(0, 3500\] for mnist1d, got 3501"):
    data.records("mnist1d", validation_size=500, train_examples=3501)


def test_the_loop_opens_the_data_with_its_example_counts(tiny_config):
  from nets.training.loop import open_data

  tiny_config.data.update(train_examples=120, test_examples=70)
  records = open_data(tiny_config.data)
  assert len(records.splits["train"]) == 120 and len(records.splits["test"]) == 70
