"""Measured experiments on the lecture's core ideas, each a driver (nets.drivers.DRIVERS).

Each writes results.json and PNG figures into its workdir and returns the results dict.
"""

import json
import os

import matplotlib

matplotlib.use("Agg")  # Files only, never a window.
import matplotlib.pyplot as plt  # noqa: E402

from nets.training.logbook import format_table  # noqa: E402


def save_figure(fig, workdir: str, name: str) -> str:
  path = os.path.join(workdir, name)
  fig.savefig(path, dpi=110, bbox_inches="tight")
  plt.close(fig)
  return path


def write_results(workdir: str, results: dict, summary: dict | None = None) -> dict:
  """results.json in `workdir`; print `summary` (flat name -> value) as the closing table."""
  with open(os.path.join(workdir, "results.json"), "w") as f:
    json.dump(results, f, indent=2)
  if summary:
    print(format_table(summary, title=f"results ({os.path.join(workdir, 'results.json')})"))
  return results
