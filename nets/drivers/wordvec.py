"""Word vectors from the pydoc topic texts: skip-gram with negative sampling, nearest neighbours.

Words are lower-case runs of letters. The vocabulary is every word seen at least `min_count` times
in the training text; other words are dropped before pairing, as in word2vec. Frequent words are
subsampled once (keep with probability sqrt(t / f) + t / f) and each word is paired with the words
up to a random window size in [1, window] either side (word2vec's dynamic window).
"""

import collections
import os
import re

import ml_collections
import numpy as np

from nets import options
from nets.data import Dataset, text
from nets.errors import ConfigError
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, restore, save_figure, write_results

plt = pyplot()


def words(s: str) -> list[str]:
  return re.findall(r"[a-z]+", s.lower())


def pairs(ids: np.ndarray, window: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
  """(center, context) pairs within a dynamic window of up to `window` words."""
  spans = rng.integers(1, window + 1, len(ids))
  centers, contexts = [], []
  for offset in range(1, window + 1):
    near = spans[:-offset] >= offset  # center i reaches i + offset ...
    centers += [ids[:-offset][near]]
    contexts += [ids[offset:][near]]
    near = spans[offset:] >= offset  # ... and i - offset
    centers += [ids[offset:][near]]
    contexts += [ids[:-offset][near]]
  return {"x": np.concatenate(centers).astype(np.int32), "y": np.concatenate(contexts).astype(np.int32)}


def corpus(cfg: ml_collections.ConfigDict, seed: int = 0) -> tuple[Dataset, list[str]]:
  """Skip-gram pairs of the train and validation text, and the vocabulary."""
  parts = [text.split_text(t) for t in text.topics().values()]
  train_words = words(" ".join(p[0] for p in parts))
  counts = collections.Counter(train_words)
  vocab = sorted((w for w, c in counts.items() if c >= cfg.min_count), key=lambda w: (-counts[w], w))
  if len(vocab) < 2:
    raise ConfigError(f"min_count {cfg.min_count} leaves {len(vocab)} words")
  index = {w: i for i, w in enumerate(vocab)}
  freq = np.array([counts[w] for w in vocab]) / len(train_words)
  keep_p = np.minimum(1.0, np.sqrt(cfg.subsample / freq) + cfg.subsample / freq)
  rng = np.random.default_rng(seed)
  splits = {}
  for split, part in (("train", 0), ("validation", 1)):
    ids = np.array([index[w] for w in words(" ".join(p[part] for p in parts)) if w in index])
    if split == "train":
      ids = ids[rng.random(len(ids)) < keep_p[ids]]
    splits[split] = pairs(ids, cfg.window, rng)
  return Dataset("pydoc_words", splits, len(vocab)), vocab


def neighbours(vectors: np.ndarray, vocab: list[str], queries: list[str], k: int) -> dict[str, list]:
  """The k nearest words (cosine similarity, rounded) of each query word in the vocabulary."""
  unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True).clip(1e-9)
  index = {w: i for i, w in enumerate(vocab)}
  table = {}
  for q in queries:
    if q not in index:
      raise ConfigError(f"query word {q!r} is not in the vocabulary of {len(vocab)} words")
    sims = unit @ unit[index[q]]
    best = [i for i in np.argsort(-sims) if i != index[q]][:k]
    table[q] = [[vocab[i], round(float(sims[i]), 3)] for i in best]
  return table


@options.resolved
def skipgram_vectors(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: train word vectors, write the neighbour table and a figure."""
  dataset, vocab = corpus(config.data, config.seed)
  results = train_and_evaluate(config, workdir, dataset)
  _, state = restore(config, dataset, workdir)
  vectors = np.asarray(state.params["input"])
  results.update(
    vocab_size=len(vocab),
    train_pairs=len(dataset.splits["train"]["x"]),
    neighbours=neighbours(vectors, vocab, list(config.queries), config.num_neighbours),
  )
  write_results(workdir, results, summary={})  # The loop printed its figures; the neighbours follow.
  for q, near in results["neighbours"].items():
    print(f"{q:>12}: {', '.join(w for w, _ in near)}")
  _figure(workdir, vectors, vocab, list(config.queries), results["neighbours"])
  return results


def _figure(workdir, vectors, vocab, queries, table) -> None:
  records = [r for r in read_jsonl(os.path.join(workdir, "metrics.jsonl")) if "val_loss" in r]
  fig, (a, b) = plt.subplots(1, 2, figsize=(11, 4.2))
  a.plot([r["epoch"] for r in records], [r["train_loss"] for r in records], "o-", label="train")
  a.plot([r["epoch"] for r in records], [r["val_loss"] for r in records], "s-", label="validation")
  a.set(xlabel="epoch", ylabel="negative-sampling loss", title="learning curves")
  a.legend()
  index = {w: i for i, w in enumerate(vocab)}
  shown = list(dict.fromkeys([w for q in queries for w in [q] + [n for n, _ in table[q][:3]]]))
  x = vectors[[index[w] for w in shown]]
  x = x - x.mean(0)
  xy = x @ np.linalg.svd(x, full_matrices=False)[2][:2].T  # the first two principal axes
  b.scatter(xy[:, 0], xy[:, 1], s=8)
  for w, (px, py) in zip(shown, xy, strict=True):
    b.annotate(w, (px, py), fontsize=7, color="tab:red" if w in queries else "k")
  b.set(title="query words (red) and their 3 nearest, PCA", xticks=[], yticks=[])
  save_figure(fig, workdir, "word_vectors.png", dpi=120)
