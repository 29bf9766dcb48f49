"""Unigram and bigram character models: the baselines a neural language model must beat.

Counted on the training windows of pydoc_chars with add-k smoothing (k = config.smoothing, set a
priori, not tuned), scored on the validation windows position by position exactly like the neural
models: y[t] given x[t] (bigram) or given nothing (unigram).
"""

import math
import os

import ml_collections
import numpy as np

from nets import data, options
from nets.training.workdir import write_results


def counts(x_N: np.ndarray, y_N: np.ndarray, vocab_size: int) -> tuple[np.ndarray, np.ndarray]:
  """(unigram counts [V] of y, bigram counts [V, V] of (x, y) pairs)."""
  unigram = np.bincount(y_N, minlength=vocab_size).astype(np.float64)
  bigram = np.bincount(x_N * vocab_size + y_N, minlength=vocab_size**2).astype(np.float64)
  return unigram, bigram.reshape(vocab_size, vocab_size)


def bits_per_char(probs: np.ndarray) -> float:
  return float(-np.mean(np.log2(probs)))


def evaluate(train: dict, split: dict, vocab_size: int, smoothing: float) -> dict[str, float]:
  """Unigram and bigram bits per character of `split` under add-k models counted on `train`."""
  x, y = train["x"].reshape(-1), train["y"].reshape(-1)
  unigram, bigram = counts(x, y, vocab_size)
  p_uni = (unigram + smoothing) / (unigram.sum() + smoothing * vocab_size)
  p_bi = (bigram + smoothing) / (bigram.sum(axis=1, keepdims=True) + smoothing * vocab_size)
  xs, ys = split["x"].reshape(-1), split["y"].reshape(-1)
  return {"unigram": bits_per_char(p_uni[ys]), "bigram": bits_per_char(p_bi[xs, ys])}


@options.resolved
def char_ngram(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: unigram/bigram bits per character on pydoc_chars' train and validation splits."""
  os.makedirs(workdir, exist_ok=True)
  dataset = data.load(config.data.name, config.data.data_dir, seq_len=config.data.seq_len)
  train, V, k = dataset.splits["train"], dataset.num_classes, config.smoothing
  results = {"uniform_bits_per_char": math.log2(V)}
  for split, prefix in (("train", "train"), ("validation", "val")):
    scores = evaluate(train, dataset.splits[split], V, k)
    results.update({f"{prefix}_{name}_bits_per_char": v for name, v in scores.items()})
  results.update(
    vocab_size=V,
    train_chars=int(train["y"].size),
    val_chars=int(dataset.splits["validation"]["y"].size),
    smoothing=k,
  )
  return write_results(workdir, results)
