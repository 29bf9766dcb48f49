"""k-nearest neighbours on raw pixels (nets/evals/knn.py): the baseline beside the networks.

No training, no randomness: the training split is the model. Test accuracy for each k in config.k.
A dataset with its own validation split (mnist_50k) also reports validation accuracy with the training
split alone (the place to choose k), then scores the test split against train + validation: for
mnist_50k that is MNIST's full 60,000 training digits, the set LeCun's published k-NN errors use.
"""

import time

import ml_collections
import numpy as np

from nets import data, options
from nets.evals import knn
from nets.training.workdir import write_results


def _timed(train: dict, split: dict, ks, num_classes: int, chunk_size: int) -> tuple[dict, float]:
  start = time.perf_counter()
  acc = knn.accuracies(train, split, ks, num_classes, chunk_size)  # floats: computed and read back.
  return acc, time.perf_counter() - start


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: k-NN test accuracy for each k in config.k on config.data.name."""
  ds = data.load(config.data.name, config.data.data_dir, standardize=config.data.standardize)
  ks, chunk = tuple(int(k) for k in config.k), int(config.chunk_size)
  train = ds.splits["train"]
  results = {"dataset": ds.name, "k": list(ks), "num_train": int(len(train["y"]))}
  summary = {}
  if "validation" in ds.splits:
    val, seconds = _timed(train, ds.splits["validation"], ks, ds.num_classes, chunk)
    results.update(val_accuracy={str(k): v for k, v in val.items()}, val_seconds=seconds)
    results["best_k_by_validation"] = max(ks, key=lambda k: (val[k], -k))
    summary.update({f"val_accuracy k={k}": v for k, v in val.items()})
    train = {key: np.concatenate([train[key], ds.splits["validation"][key]]) for key in train}
    results["num_train_for_test"] = int(len(train["y"]))
  test, seconds = _timed(train, ds.splits["test"], ks, ds.num_classes, chunk)
  results.update(
    test_accuracy={str(k): v for k, v in test.items()},
    test_error={str(k): 1.0 - v for k, v in test.items()},
    test_seconds=seconds,
    num_test=int(len(ds.splits["test"]["y"])),
    num_features=int(np.prod(ds.input_shape)),
  )
  summary.update({f"test_accuracy k={k}": v for k, v in test.items()}, test_seconds=seconds)
  return write_results(workdir, results, summary, title=f"k-NN on {ds.name}")
