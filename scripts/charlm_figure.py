"""Validation bits per character of the four next-character models against training time, mean +- std
over seeds, beside the n-gram baselines (the four are sized alike: ~145,000 parameters each).

python scripts/seeds.py --config=experiments/charlm_NAME.py --seeds=3 --workdir=runs/seeds/charlm_NAME
python train.py --config=experiments/char_ngram.py --workdir=runs/char_ngram
python scripts/charlm_figure.py --runs=runs/seeds --ngram=runs/char_ngram --out=docs/figures/charlm_bpc.png
"""

import argparse
import glob
import json
import os

import numpy as np

from nets.training.workdir import pyplot

plt = pyplot()


def curves(run_dir: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
  """(mean training seconds, mean and std of validation bits per character) at each epoch, over seeds."""
  seconds, bits = [], []
  for path in sorted(glob.glob(os.path.join(run_dir, "seed_*", "metrics.jsonl"))):
    records = [json.loads(line) for line in open(path) if "val_bits_per_char" in line]
    seconds.append([r["train_seconds"] for r in records])
    bits.append([r["val_bits_per_char"] for r in records])
  if not bits:
    raise SystemExit(f"error: no {run_dir}/seed_*/metrics.jsonl: run scripts/seeds.py first")
  epochs = min(map(len, bits))  # a seed still running has fewer
  seconds, bits = np.array([s[:epochs] for s in seconds]), np.array([b[:epochs] for b in bits])
  return seconds.mean(0), bits.mean(0), bits.std(0)


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--runs", default="runs/seeds")
  parser.add_argument("--ngram", default="runs/char_ngram")
  parser.add_argument("--out", default="docs/figures/charlm_bpc.png")
  args = parser.parse_args()
  fig, ax = plt.subplots(figsize=(6.5, 4))
  for name in ("rnn", "lstm", "gru", "transformer"):
    seconds, mean, std = curves(os.path.join(args.runs, f"charlm_{name}"))
    ax.plot(seconds, mean, ".-", label=name)
    ax.fill_between(seconds, mean - std, mean + std, alpha=0.3)
  ngram = json.load(open(os.path.join(args.ngram, "results.json")))
  for name, style in (("unigram", ":"), ("bigram", "--")):
    ax.axhline(ngram[f"val_{name}_bits_per_char"], color="gray", ls=style, label=name)
  ax.set(
    xlabel="training seconds (2-core CPU)",
    ylabel="validation bits per character",
    title="next-character models, ~145k parameters each, pydoc text",
    ylim=(1.8, 5.0),
  )
  ax.legend()
  fig.tight_layout()
  os.makedirs(os.path.dirname(args.out), exist_ok=True)
  fig.savefig(args.out, dpi=120)


if __name__ == "__main__":
  main()
