"""Validation bits per character of the four next-character models by epoch, beside the n-gram baselines.

python scripts/charlm_figure.py --runs=runs --out=docs/figures/charlm_bpc.png
"""

import argparse
import json
import os

from nets.training.workdir import pyplot

plt = pyplot()


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--runs", default="runs")
  parser.add_argument("--out", default="docs/figures/charlm_bpc.png")
  args = parser.parse_args()
  fig, ax = plt.subplots(figsize=(6.5, 4))
  for name in ("rnn", "lstm", "gru", "transformer"):
    path = os.path.join(args.runs, f"charlm_{name}", "metrics.jsonl")
    records = [json.loads(line) for line in open(path) if "val_bits_per_char" in line]
    ax.plot([r["epoch"] for r in records], [r["val_bits_per_char"] for r in records], "o-", label=name)
  ngram = json.load(open(os.path.join(args.runs, "char_ngram", "results.json")))
  for name, style in (("unigram", ":"), ("bigram", "--")):
    ax.axhline(ngram[f"val_{name}_bits_per_char"], color="gray", ls=style, label=name)
  ax.set(xlabel="epoch", ylabel="validation bits per character", title="next-character models, pydoc text")
  ax.legend()
  fig.tight_layout()
  os.makedirs(os.path.dirname(args.out), exist_ok=True)
  fig.savefig(args.out, dpi=120)


if __name__ == "__main__":
  main()
