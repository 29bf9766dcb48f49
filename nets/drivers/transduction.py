"""Encoder-decoder with attention on a synthetic transduction: reverse a string of digits.

Sources are digit strings (ids 3..12, padded with 0 to the longest length); targets are the
reversed digits then EOS. Training strings have lengths uniform in [1, train_max_len]; the
"validation" split holds strings of the longest training lengths (longer than most training inputs)
and the "test" split strings longer than any training input (extrapolation). No evaluation string
occurs in training. Exact match = the whole output right, greedily decoded.
"""

import os

import jax
import ml_collections
import numpy as np

from nets import options
from nets.data import Dataset
from nets.errors import ConfigError
from nets.models.seq2seq import EOS
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, restore, save_figure, write_results

plt = pyplot()

DIGIT0, VOCAB_SIZE = 3, 13


def strings(rng: np.random.Generator, n: int, lengths: tuple[int, int], exclude: set) -> list[tuple]:
  """`n` distinct digit strings (tuples) of lengths in [lo, hi], none in `exclude`."""
  out = set()
  while len(out) < n:
    s = tuple(rng.integers(0, 10, rng.integers(lengths[0], lengths[1] + 1)))
    if s not in exclude:
      out.add(s)
  return sorted(out, key=lambda s: (len(s), s))


def encode(pairs: list[tuple], width: int) -> dict[str, np.ndarray]:
  """x: digits + padding [N, width]; y: reversed digits, EOS, padding [N, width + 1]."""
  x = np.zeros((len(pairs), width), np.int32)
  y = np.zeros((len(pairs), width + 1), np.int32)
  for i, s in enumerate(pairs):
    x[i, : len(s)] = np.asarray(s) + DIGIT0
    y[i, : len(s)] = np.asarray(s[::-1]) + DIGIT0
    y[i, len(s)] = EOS
  return {"x": x, "y": y}


def reversal(cfg: ml_collections.ConfigDict, seed: int = 0) -> Dataset:
  lo, hi, longest = cfg.held_out_min_len, cfg.train_max_len, cfg.test_max_len
  if not 1 <= lo <= hi < longest:
    raise ConfigError(
      f"need 1 <= held_out_min_len <= train_max_len < test_max_len, got {lo}, {hi}, {longest}"
    )
  rng = np.random.default_rng(seed)
  val = strings(rng, cfg.num_eval, (lo, hi), set())
  test = strings(rng, cfg.num_eval, (hi + 1, longest), set())
  train = strings(rng, cfg.num_train, (1, hi), set(val))
  splits = {
    "train": encode(train, longest),
    "validation": encode(val, longest),
    "test": encode(test, longest),
  }
  perm = rng.permutation(len(train))  # Mixed lengths in every batch.
  splits["train"] = {k: v[perm] for k, v in splits["train"].items()}
  return Dataset("reversal", splits, VOCAB_SIZE)


@options.resolved
def reverse_digits(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: train the encoder-decoder, then exact match by input length and a figure."""
  dataset = reversal(config.data, config.seed)
  results = train_and_evaluate(config, workdir, dataset)
  task, state = restore(config, dataset, workdir)
  by_length = {}
  for split in ("validation", "test"):
    s = dataset.splits[split]
    match = np.asarray(jax.jit(task.eval_step)(state, s)["exact_match"])
    lengths = (s["x"] > 0).sum(1)
    by_length.update({int(n): float(match[lengths == n].mean()) for n in np.unique(lengths)})
  train_lengths = (dataset.splits["train"]["x"] > 0).sum(1)
  results["exact_match_by_length"] = by_length
  results["held_out_longer_than_fraction_of_train"] = float(
    np.mean(train_lengths < config.data.held_out_min_len)
  )
  _figure(workdir, by_length, config.data.train_max_len)
  summary = {f"exact_match_len_{n}": v for n, v in by_length.items()}
  return write_results(workdir, results, summary, title="exact match by length")


def _figure(workdir: str, by_length: dict[int, float], train_max_len: int) -> None:
  records = [r for r in read_jsonl(os.path.join(workdir, "metrics.jsonl")) if "val_exact_match" in r]
  fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.6))
  epochs = [r["epoch"] for r in records]
  a.plot(epochs, [r["val_exact_match"] for r in records], "o-", label="held out, lengths in training range")
  a.plot(epochs, [r["test_exact_match"] for r in records], "s-", label="longer than any training input")
  a.set(xlabel="epoch", ylabel="exact match", title="learning curves", ylim=(-0.02, 1.02))
  a.legend(fontsize=8)
  lengths = sorted(by_length)
  colors = ["tab:blue" if n <= train_max_len else "tab:orange" for n in lengths]
  b.bar(lengths, [by_length[n] for n in lengths], color=colors)
  b.axvline(train_max_len + 0.5, color="k", ls="--", lw=1)
  b.set(xlabel="input length (dashed: longest in training)", ylabel="exact match", title="by length")
  save_figure(fig, workdir, "reverse_digits.png", dpi=120)
