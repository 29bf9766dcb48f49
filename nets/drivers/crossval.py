"""k-fold cross-validation: `config.kfold` runs of the one loop, fold i of the training split held out
as validation in run i; per-fold figures and their mean +- std go to results.json."""

import os

import ml_collections
import numpy as np

from nets import options
from nets.errors import ConfigError
from nets.training.loop import train_and_evaluate
from nets.training.workdir import write_results


def summarise(runs: list[dict]) -> dict[str, dict[str, float]]:
  """{metric: {"mean", "std"}} over runs for every numeric val_/test_ figure they share."""
  names = [k for k, v in runs[0].items() if k.startswith(("val_", "test_")) and isinstance(v, float)]
  return {
    k: {"mean": float(np.mean([r[k] for r in runs])), "std": float(np.std([r[k] for r in runs]))}
    for k in names
  }


@options.resolved
def kfold(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Train on k-1 folds and validate on the k-th, for each of the `config.kfold` folds."""
  k = config.kfold
  if not isinstance(k, int) or k < 2:
    raise ConfigError(f"driver 'kfold' needs config.kfold >= 2, got {k!r}")
  if config.data.validation_size:
    raise ConfigError("k-fold holds its own validation folds out; set config.data.validation_size=0")
  runs = []
  for fold in range(k):
    fold_config = config.copy_and_resolve_references()
    with fold_config.unlocked():
      fold_config.driver = "train"
      fold_config.data.folds, fold_config.data.fold = k, fold
    runs.append(train_and_evaluate(fold_config, os.path.join(workdir, f"fold_{fold}")))
  results = {"kfold": k, "summary": summarise(runs), "folds": runs}
  rows = {
    f"{name} (mean +- std)": f"{s['mean']:.4f} +- {s['std']:.4f}" for name, s in results["summary"].items()
  }
  return write_results(workdir, results, rows, title=f"{k}-fold cross-validation")
