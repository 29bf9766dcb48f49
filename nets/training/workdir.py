"""Reading a finished run back: its config and its newest (or best) checkpointed train state."""

import json
import os

import jax
import ml_collections

from nets import optim, tasks
from nets.data import Dataset
from nets.errors import ConfigError
from nets.training.checkpoint import Checkpoints


def read_config(workdir: str) -> ml_collections.ConfigDict:
  path = os.path.join(workdir, "config.json")
  if not os.path.exists(path):
    raise ConfigError(f"no run in {workdir}: {path} does not exist")
  with open(path) as f:
    return ml_collections.ConfigDict(json.load(f))


def restore(config: ml_collections.ConfigDict, dataset: Dataset, workdir: str):
  """(task, state) of the run in `workdir`: its best checkpoint if it kept one, else its newest."""
  task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, 1))
  batch = {k: v[:1] for k, v in dataset.splits["train"].items()}
  like = task.init(jax.random.PRNGKey(0), batch)
  best = os.path.join(workdir, "best")
  ckpts = Checkpoints(best if os.path.isdir(best) else os.path.join(workdir, "checkpoints"))
  if ckpts.latest_step() is None:
    raise ConfigError(f"no checkpoint in {ckpts.directory}")
  state, _ = ckpts.restore(like)
  ckpts.close()
  return task, state
