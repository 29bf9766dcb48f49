"""Transfer: pre-train a network, then fine-tune it on a fraction of a labelled task's labels, beside the
same network trained from scratch on the same labels for the same number of steps.

1. Pre-train `config.pretrain` with the one loop (once, or once per seed with `pretrain_each_seed`):
   masked characters of the pydoc text (experiments/pretrain_finetune.py), SimCLR on unlabelled digits
   (experiments/pretrain_finetune_images.py), or any run whose parameters the classifier can take.
2. For every label fraction and seed, fine-tune `config.finetune` on that fraction of the labelled
   training examples (drawn by the seed, at least one), tiled back to the full training size so every
   run takes the same number of steps, from the pre-trained start and from scratch.
Every run is the one loop in a sub-directory of the workdir; the pre-trained parameters enter the
classifier through `init_from` (those whose names and shapes match, minus `finetune.init_exclude`).
results.json holds the curve: start -> fraction -> mean, std and per-seed values of `config.metric`,
and the paired per-seed gap (pre-trained minus scratch: same labels, same seed).
"""

import copy
import os

import ml_collections
import numpy as np

from nets import data, options
from nets.data import Dataset
from nets.errors import ConfigError
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()
STARTS = ("pretrained", "scratch")


def label_subset(dataset: Dataset, fraction: float, seed: int) -> Dataset:
  """`fraction` of the training examples (at least one), tiled back to the full training size."""
  if not 0 < fraction <= 1:
    raise ConfigError(f"label fractions must be in (0, 1], got {fraction}")
  train = dataset.splits["train"]
  n = len(train["y"])
  keep = np.random.default_rng(seed).permutation(n)[: num_labels(n, fraction)]
  tiled = np.resize(keep, n)
  splits = {**dataset.splits, "train": {k: v[tiled] for k, v in train.items()}}
  return Dataset(dataset.name, splits, dataset.num_classes)


def num_labels(n: int, fraction: float) -> int:
  """How many of `n` labelled examples a fraction keeps: round(fraction * n), at least one."""
  return max(1, round(fraction * n))


def _spread(values: list[float]) -> dict:
  per_seed = [float(v) for v in values]
  return {"mean": float(np.mean(per_seed)), "std": float(np.std(per_seed)), "per_seed": per_seed}


@options.resolved
def pretrain_finetune(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: pre-train, then fine-tune each (label fraction, seed) from pre-trained and from scratch."""
  seeds = tuple(config.seeds) or (config.seed,)
  metric = config.metric
  each_seed = config.pretrain_each_seed
  pre_dirs = {s: os.path.join(workdir, f"pretrain_s{s}" if each_seed else "pretrain") for s in seeds}
  pre_runs = {}
  for seed, pre_dir in pre_dirs.items():
    if pre_dir not in pre_runs:
      pre = copy.deepcopy(config.pretrain)
      pre.seed = seed if each_seed else pre.seed
      pre_runs[pre_dir] = train_and_evaluate(pre, pre_dir)
  labelled = data.load(config.data.name, config.data.data_dir, **config.data.options.to_dict())
  held_out = labelled.splits["validation" if metric.startswith("val_") else "test"]["y"]
  n_train = len(labelled.splits["train"]["y"])
  values = {start: {str(f): [] for f in config.fractions} for start in STARTS}
  seconds = []
  for fraction in config.fractions:
    for seed in seeds:
      subset = label_subset(labelled, fraction, seed)
      for start in STARTS:
        run = copy.deepcopy(config.finetune)
        run.seed = seed
        run.init_from = pre_dirs[seed] if start == "pretrained" else ""
        r = train_and_evaluate(run, os.path.join(workdir, f"finetune_{start}_{fraction}_s{seed}"), subset)
        values[start][str(fraction)].append(r[metric])
        seconds.append(r["train_seconds"])
  results = {
    "metric": metric,
    "seeds": list(seeds),
    "pretrain": [
      {k: v for k, v in r.items() if k.startswith(("val_", "test_")) or k in ("train_seconds", "num_params")}
      for r in pre_runs.values()
    ],
    "train_examples": n_train,
    "labels": {str(f): num_labels(n_train, f) for f in config.fractions},
    "majority_class": float(np.bincount(held_out).max() / len(held_out)),
    "chance": 1.0 / labelled.num_classes,
    "curve": {start: {f: _spread(v) for f, v in curve.items()} for start, curve in values.items()},
    "gap": {f: _spread(np.subtract(values["pretrained"][f], v)) for f, v in values["scratch"].items()},
    "finetune_train_seconds": _spread(seconds) | {"total": float(np.sum(seconds))},
  }
  pct = lambda s: f"{100 * s['mean']:.1f} +- {100 * s['std']:.1f}%"
  rows = {f"{start} {f}": pct(s) for start, curve in results["curve"].items() for f, s in curve.items()}
  rows.update({f"gap {f}": pct(s) for f, s in results["gap"].items()})
  _figure(workdir, results, list(config.fractions), list(dict.fromkeys(pre_dirs.values())), config)
  title = f"{metric} by start and label fraction, {len(seeds)} seeds"
  return write_results(workdir, results, rows, title=title)


def _figure(workdir: str, results: dict, fractions: list[float], pre_dirs: list[str], config) -> None:
  fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
  pre_metric = config.pretrain_metric
  for pre_dir in pre_dirs:
    records = [r for r in read_jsonl(os.path.join(pre_dir, "metrics.jsonl")) if pre_metric in r]
    a.plot([r["epoch"] for r in records], [r[pre_metric] for r in records], "o-", ms=3)
  a.set(xlabel="epoch", ylabel=pre_metric, title=config.pretrain_title)
  for start, marker in (("pretrained", "o-"), ("scratch", "s--")):
    curve = results["curve"][start]
    means, stds = ([curve[str(f)][k] for f in fractions] for k in ("mean", "std"))
    b.errorbar(fractions, means, yerr=stds, fmt=marker, capsize=3, label=start)
  b.axhline(results["majority_class"], color="gray", lw=1, ls=":", label="majority class")
  n_seeds = len(results["seeds"])
  b.set(xscale="log", xlabel="fraction of labels", ylabel=results["metric"])
  b.set_title(f"{config.finetune_title} (mean +- std, {n_seeds} seeds)")
  b.set_xticks(fractions, [f"{f:g}\n({results['labels'][str(f)]})" for f in fractions])
  b.legend()
  save_figure(fig, workdir, config.figure, dpi=120)
