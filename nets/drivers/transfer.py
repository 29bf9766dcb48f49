"""Transfer: masked-character pre-training of a Transformer encoder, then topic classification.

1. Pre-train a bidirectional CharTransformer on the pydoc training text (task masked_lm).
2. Fine-tune it to tell which of the `num_topics` longest pydoc topics a snippet comes from, with
   1%, 10% and 100% of the labelled training snippets, beside the same model from scratch. A
   subset is tiled back to the full training size, so every run takes the same number of steps.
Every run is the one loop in a sub-directory of the workdir; the pre-trained encoder enters the
classifier through `init_from` (parameters whose names and shapes match; the new head does not).
"""

import copy
import os

import ml_collections
import numpy as np

from nets import data
from nets.data import Dataset, text
from nets.errors import ConfigError
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def label_subset(dataset: Dataset, fraction: float, seed: int) -> Dataset:
  """`fraction` of the training examples (at least one), tiled back to the full training size."""
  if not 0 < fraction <= 1:
    raise ConfigError(f"label fractions must be in (0, 1], got {fraction}")
  train = dataset.splits["train"]
  n = len(train["y"])
  keep = np.random.default_rng(seed).permutation(n)[: max(1, round(fraction * n))]
  tiled = np.resize(keep, n)
  splits = {**dataset.splits, "train": {k: v[tiled] for k, v in train.items()}}
  return Dataset(dataset.name, splits, dataset.num_classes)


def pretrain_finetune(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: pre-train once, fine-tune for each label fraction from pre-trained and from scratch."""
  pre = train_and_evaluate(config.pretrain, os.path.join(workdir, "pretrain"))
  labelled = data.load(config.data.name, config.data.get("data_dir", ""), **config.data.options.to_dict())
  results = {
    "pretrain": {k: pre[k] for k in ("val_bits_per_char", "val_accuracy", "train_seconds", "num_params")},
    "topics": text.topic_names(labelled.num_classes),
    "train_snippets": int(len(labelled.splits["train"]["y"])),
    "val_snippets": int(len(labelled.splits["validation"]["y"])),
    "majority_val_accuracy": float(np.bincount(labelled.splits["validation"]["y"]).max())
    / len(labelled.splits["validation"]["y"]),
    "val_accuracy": {"pretrained": {}, "scratch": {}},
    "labels": {},
  }
  for fraction in config.fractions:
    subset = label_subset(labelled, fraction, config.seed)
    results["labels"][str(fraction)] = len(np.unique(subset.splits["train"]["x"], axis=0))
    for start in ("pretrained", "scratch"):
      run = copy.deepcopy(config.finetune)
      run.init_from = os.path.join(workdir, "pretrain") if start == "pretrained" else ""
      r = train_and_evaluate(run, os.path.join(workdir, f"finetune_{start}_{fraction}"), subset)
      results["val_accuracy"][start][str(fraction)] = r["val_accuracy"]
  rows = {f"{s} {f}": v for s, accs in results["val_accuracy"].items() for f, v in accs.items()}
  _figure(workdir, results, list(config.fractions))
  return write_results(workdir, results, rows, title="validation accuracy by start and label fraction")


def _figure(workdir: str, results: dict, fractions: list[float]) -> None:
  fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
  records = [r for r in read_jsonl(os.path.join(workdir, "pretrain", "metrics.jsonl")) if "val_accuracy" in r]
  a.plot([r["epoch"] for r in records], [r["val_accuracy"] for r in records], "o-")
  a.set(xlabel="epoch", ylabel="masked-character accuracy (validation)", title="pre-training")
  for start, marker in (("pretrained", "o-"), ("scratch", "s--")):
    b.plot(fractions, [results["val_accuracy"][start][str(f)] for f in fractions], marker, label=start)
  b.axhline(results["majority_val_accuracy"], color="gray", lw=1, ls=":", label="majority class")
  b.set(xscale="log", xlabel="fraction of labels", ylabel="validation accuracy", title="topic classification")
  b.set_xticks(fractions, [f"{f:g}" for f in fractions])
  b.legend()
  save_figure(fig, workdir, "transfer.png", dpi=120)
