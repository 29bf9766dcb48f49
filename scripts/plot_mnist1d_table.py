"""The MNIST-1D reproduction as a bar chart: ours (mean +- std over 3 seeds) beside the paper's numbers.

  python scripts/plot_mnist1d_table.py --runs=runs --out=docs/figures/mnist1d_table.png

Reads runs/{mnist1d_logreg_3seeds, mnist1d_mlp_3seeds, mnist1d_cnn, mnist1d_gru}/results.json,
written by the ensemble driver (3 members = seeds 0, 1, 2).
"""

import json
import os

import numpy as np
from absl import app, flags

from nets.training.workdir import pyplot

plt = pyplot()

_RUNS = flags.DEFINE_string("runs", "runs", "Folder holding the four runs.")
_OUT = flags.DEFINE_string("out", "docs/figures/mnist1d_table.png", "The PNG to write.")
ROWS = {  # label: (workdir, published test accuracy, Greydanus 2020 table 1)
  "logistic\nregression": ("mnist1d_logreg_3seeds", 0.32),
  "MLP": ("mnist1d_mlp_3seeds", 0.68),
  "CNN": ("mnist1d_cnn", 0.94),
  "GRU": ("mnist1d_gru", 0.91),
}


def main(_):
  ours = [json.load(open(os.path.join(_RUNS.value, run, "results.json"))) for run, _ in ROWS.values()]
  x = np.arange(len(ROWS))
  fig, ax = plt.subplots(figsize=(6, 3.5))
  ax.bar(x - 0.2, [p for _, p in ROWS.values()], 0.4, label="published", color="0.7")
  mean, std = [r["test_accuracy_mean"] for r in ours], [r["test_accuracy_std"] for r in ours]
  ax.bar(x + 0.2, mean, 0.4, yerr=std, capsize=3, label="ours (3 seeds)", color="tab:blue")
  for xi, m in zip(x, mean, strict=True):
    ax.text(xi + 0.2, m + 0.02, f"{100 * m:.1f}", ha="center", fontsize=8)
  ax.set(
    xticks=x, xticklabels=list(ROWS), ylabel="test accuracy", ylim=(0, 1.05), title="MNIST-1D (4,000 / 1,000)"
  )
  ax.legend(loc="upper left")
  fig.tight_layout()
  fig.savefig(_OUT.value, dpi=120)
  print(f"wrote {_OUT.value}")


if __name__ == "__main__":
  app.run(main)
