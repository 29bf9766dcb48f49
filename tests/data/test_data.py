import numpy as np
import pytest
import tensorflow_datasets as tfds

from nets import data
from nets.errors import ConfigError, UnknownNameError


@pytest.mark.parametrize(
  "name, shape, n_train, n_test",
  [("mnist_5k", (28, 28, 1), 4000, 1000), ("digits", (8, 8, 1), 1437, 360), ("mnist1d", (40, 1), 4000, 1000)],
)
def test_offline_datasets(name, shape, n_train, n_test):
  ds = data.load(name)
  train, test = ds.splits["train"], ds.splits["test"]
  assert ds.input_shape == shape and ds.num_classes == 10
  assert train["x"].shape == (n_train, *shape) and test["x"].shape == (n_test, *shape)
  assert train["x"].dtype == np.float32 and train["y"].dtype == np.int32
  if name != "mnist1d":  # pixels scaled to [0, 1]
    assert train["x"].min() == 0.0 and train["x"].max() == 1.0
  # Stratified: every class equally often in test (mnist1d's own split is not stratified).
  if name != "mnist1d":
    assert len(set(np.bincount(test["y"]))) == 1


def test_second_load_reads_the_same_cached_examples():
  a, b = data.load("digits"), data.load("digits")
  np.testing.assert_array_equal(a.splits["train"]["x"], b.splits["train"]["x"])


def test_mnist_5k_holds_real_digits_not_noise():
  # Real digits: the mean image of class 1 has far less ink than that of class 0.
  train = data.load("mnist_5k").splits["train"]
  ink = [train["x"][train["y"] == c].mean() for c in (0, 1)]
  assert ink[1] < 0.6 * ink[0]


def test_standardize_and_validation_split():
  ds = data.load("digits", standardize=True, validation_size=137)
  train = ds.splits["train"]
  assert len(train["y"]) == 1300 and len(ds.splits["validation"]["y"]) == 137
  assert abs(train["x"].mean()) < 1e-4 and abs(train["x"].std() - 1.0) < 1e-3
  with pytest.raises(ConfigError, match="validation_size must be in"):
    data.load("digits", validation_size=5000)


def test_unknown_dataset_lists_names():
  with pytest.raises(UnknownNameError, match="unknown dataset 'mnsit'; valid names: cifar10, digits, emnist"):
    data.load("mnsit")


def test_catalog_dataset_without_tensorflow_says_how(monkeypatch, tmp_path):
  monkeypatch.setattr(data, "_tensorflow_installed", lambda: False)
  with pytest.raises(ConfigError, match=r"needs a network and `pip install -e '.\[tf\]'`; the offline"):
    data.load("fashion_mnist", str(tmp_path))


@pytest.mark.parametrize("name, shape, classes", [("mnist", (28, 28, 1), 10), ("cifar10", (32, 32, 3), 10)])
def test_catalog_loading_code_on_mock_data(monkeypatch, name, shape, classes):
  monkeypatch.setattr(data, "_tensorflow_installed", lambda: True)
  with tfds.testing.mock_data(num_examples=24):
    ds = data.load(name, standardize=True)
  assert ds.num_classes == classes and ds.input_shape == shape
  assert ds.splits["train"]["x"].shape == (24, *shape) and ds.splits["test"]["y"].shape == (24,)
  assert ds.splits["train"]["y"].max() < classes
