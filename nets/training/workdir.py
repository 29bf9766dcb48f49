"""A run's workdir: the one writer of config.json and results.json, the plotting backend, and reading a
finished run back (its config and its newest or best checkpointed train state).

Every driver writes through here, so the files a person reads have one format and, in a multi-process run,
one writer (process 0).
"""

import json
import os

import jax
import ml_collections

from nets import optim, options, tasks
from nets.data import Dataset
from nets.distributed import is_primary
from nets.errors import ConfigError
from nets.training.checkpoint import Checkpoints
from nets.training.logbook import format_table


def pyplot():
  """matplotlib.pyplot on the file-only Agg backend (never a window): the one place the backend is set.

  A backend the user chose with MPLBACKEND is kept: a Jupyter kernel sets it to its inline backend, and
  forcing Agg there would leave every later `plt.show()` in the notebook drawing nothing.
  """
  import matplotlib  # noqa: PLC0415 - imported on first use: the loop itself draws nothing.

  if not os.environ.get("MPLBACKEND"):
    matplotlib.use("Agg")
  import matplotlib.pyplot as plt  # noqa: PLC0415

  return plt


def save_figure(fig, *path: str, dpi: int = 110) -> str:
  """Save `fig` as a PNG at os.path.join(*path) and close it."""
  filename = os.path.join(*path)
  fig.savefig(filename, dpi=dpi, bbox_inches="tight")
  pyplot().close(fig)
  return filename


def write_config(workdir: str, config: ml_collections.ConfigDict) -> None:
  """config.json: the resolved config of the run (process 0 only)."""
  os.makedirs(workdir, exist_ok=True)
  if is_primary():
    with open(os.path.join(workdir, "config.json"), "w") as f:
      f.write(config.to_json_best_effort(indent=2))


def write_results(workdir: str, results: dict, summary: dict | None = None, title: str = "results") -> dict:
  """results.json: the run's final figures (process 0 only); prints `summary` (default: the scalar
  figures of `results`) as the closing table, and returns `results`."""
  if is_primary():
    path = os.path.join(workdir, "results.json")
    with open(path, "w") as f:
      json.dump(results, f, indent=2)
    if summary is None:
      summary = {k: v for k, v in results.items() if not isinstance(v, list | dict)}
    if summary:
      print(format_table(summary, title=f"{title} ({path})"))
  return results


def _tuples(value):
  """JSON lists back to the tuples the config held (Flax module fields must be hashable)."""
  if isinstance(value, dict):
    return {k: _tuples(v) for k, v in value.items()}
  return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def read_config(workdir: str) -> ml_collections.ConfigDict:
  """The config a run in `workdir` was trained with, its lists back as tuples."""
  path = os.path.join(workdir, "config.json")
  if not os.path.exists(path):
    raise ConfigError(f"no run in {workdir}: {path} does not exist")
  with open(path) as f:
    return options.resolve(_tuples(json.load(f)), past_run=True)  # Gains the fields added since, too.


def checkpoint_dir(workdir: str) -> str:
  """Where a run's served or exported parameters are: best/ if the run kept one, else checkpoints/."""
  best = os.path.join(workdir, "best")
  return best if os.path.isdir(best) else os.path.join(workdir, "checkpoints")


def restore(config: ml_collections.ConfigDict, dataset: Dataset, workdir: str):
  """(task, state) of the run in `workdir`: its best checkpoint if it kept one, else its newest."""
  # The optimizer's state has the same shape whatever its schedule's length: any length past warmup.
  steps = config.optimizer.warmup_steps + 2
  task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, steps))
  batch = {k: v[:1] for k, v in dataset.splits["train"].items()}
  like = task.init(jax.random.PRNGKey(0), batch)
  ckpts = Checkpoints(checkpoint_dir(workdir), read_only=True)
  if ckpts.latest_step() is None:
    raise ConfigError(f"no checkpoint in {ckpts.directory}")
  state, _ = ckpts.restore(like)
  ckpts.close()
  return task, state
