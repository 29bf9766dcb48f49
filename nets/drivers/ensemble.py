"""Ensembles trained in parallel: `jax.vmap` over member keys, so one compiled step trains N members.

Member m draws its initialisation, dropout and data order exactly as the one loop does with
seed = config.seed + m, so it equals that separate run (to float tolerance): the members' mean +- std
is an N-seed result. The ensemble averages the members' predicted probabilities. Members run every
epoch (no early stopping) and keep no checkpoints: an ensemble run is short, and restarts from scratch.
"""

import os
import time
from functools import partial

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from nets import optim, options, tasks
from nets.errors import ConfigError
from nets.tasks import Predictor
from nets.training import pipelines
from nets.training.logbook import Logbook
from nets.training.loop import (
  data_mesh,
  epoch_permutation,
  open_data,
  raise_if_not_finite,
  steps_per_call,
  steps_per_epoch,
  tqdm,
  train_epoch,
)
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def ensemble_correct(task: Predictor, states, batch) -> jax.Array:
  """[N]: how many rows of `batch` (its "mask" rows) the mean softmax of the first n members gets right,
  for n = 1..N."""
  probs_NxBxC = jax.nn.softmax(jax.vmap(task.predict, (0, None))(states, batch["x"]), axis=-1)
  mean_NxBxC = jnp.cumsum(probs_NxBxC, axis=0) / jnp.arange(1, len(probs_NxBxC) + 1)[:, None, None]
  return jnp.sum((jnp.argmax(mean_NxBxC, -1) == batch["y"]) * batch["mask"], axis=-1)


def train_members(config: ml_collections.ConfigDict, num_members: int):
  """(task, states with a leading member axis, per-epoch mean train metrics, seconds, pipeline).

  The same epoch function and data pipeline as the loop's, over vmapped members: member m's init,
  dropout and data order are those of the loop with seed = config.seed + m."""
  batch_size, mesh = config.batch_size, data_mesh(config.batch_size)
  pipeline, _ = pipelines.make(config, open_data(config.data), mesh)  # Loaded as the loop loads it.
  epoch_steps = steps_per_epoch(pipeline.n_train, batch_size)
  tx = optim.make_optimizer(config.optimizer, config.num_epochs * epoch_steps)
  task: Predictor = tasks.make(config, pipeline.dataset, tx)
  keys_Nx2 = jnp.stack([jax.random.split(jax.random.PRNGKey(config.seed + m)) for m in range(num_members)])
  init_keys, perm_keys = keys_Nx2[:, 0], keys_Nx2[:, 1]
  first_batch = pipeline.first_batch
  # Placed on the mesh as the steps' outputs are, so that the first call's state has their sharding: left
  # unplaced, the train step compiled twice (once for the initial state, again for its own outputs).
  states = jax.jit(jax.vmap(task.init, in_axes=(0, None)))(init_keys, first_batch)
  states = jax.device_put(states, NamedSharding(mesh, P()))
  one = jax.tree.map(lambda s: s[0], states)
  chunk = steps_per_call(config, task, one, first_batch, min(epoch_steps, pipeline.max_call_steps))
  run_steps = pipeline.steps(task, chunk=chunk, members=True)
  perms_fn = jax.jit(jax.vmap(partial(epoch_permutation, n=pipeline.n_train), (0, None)))
  history, seconds = [], 0.0
  for epoch in tqdm(range(config.num_epochs), desc=f"ensemble of {num_members}", unit="epoch"):
    t0 = time.perf_counter()
    calls = []

    def read_back(start, metrics, epoch=epoch, calls=calls):
      metrics = jax.device_get(metrics)  # N x steps each
      raise_if_not_finite(np.asarray(metrics["loss"]), epoch * epoch_steps + start, epoch)
      calls.append(metrics)

    perms = perms_fn(perm_keys, epoch)
    states = train_epoch(run_steps, states, perms, num_steps=epoch_steps, chunk=chunk, read_back=read_back)
    seconds += time.perf_counter() - t0
    history.append({f"train_{k}": float(np.mean(np.concatenate([c[k] for c in calls], 1))) for k in calls[0]})
  return task, states, history, seconds, pipeline


@options.resolved
def train_ensemble(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Train `config.ensemble_size` members together; member, mean +- std and ensemble test figures."""
  num_members = config.ensemble_size
  if not isinstance(num_members, int) or num_members < 1:
    raise ConfigError(f"driver 'ensemble' needs config.ensemble_size >= 1, got {num_members!r}")
  os.makedirs(workdir, exist_ok=True)
  task, states, history, seconds, pipeline = train_members(config, num_members)
  logbook = Logbook(workdir)
  for epoch, record in enumerate(history):
    logbook.write(epoch + 1, {"epoch": epoch + 1, **record})
  logbook.close()

  means = pipelines.evaluator(pipeline, task, members=True)(states)
  if not means:
    raise ConfigError(f"dataset {pipeline.records.name!r} has no validation or test split to evaluate on")
  prefix = {"validation": "val", "test": "test"}
  member = {
    f"{prefix[s]}_{k}": v.tolist() for s, split_means in means.items() for k, v in split_means.items()
  }
  results = {
    "ensemble_size": num_members,
    "seeds": [config.seed + m for m in range(num_members)],
    "members": member,
    **{f"{k}_mean": float(np.mean(v)) for k, v in member.items()},
    **{f"{k}_std": float(np.std(v)) for k, v in member.items()},
  }
  held_out = list(means)[-1]  # The test split, where there is one (text has only validation).
  if pipeline.records.num_classes:
    correct_N = pipeline.reducer(partial(ensemble_correct, task))(states, held_out)
    curve = (np.asarray(jax.device_get(correct_N)) / len(pipeline.records.splits[held_out])).tolist()
    results.update({f"ensemble_{prefix[held_out]}_accuracy": curve[-1], "ensemble_accuracy_by_size": curve})
    _plot(member[f"{prefix[held_out]}_accuracy"], curve, os.path.join(workdir, "ensemble.png"))
  results.update(
    {k: v for k, v in history[-1].items()},
    train_seconds=round(seconds, 3),
    epochs=config.num_epochs,
    dataset=pipeline.records.name,
    model=config.model.name,
    pipeline=pipeline.name,
  )
  return write_results(workdir, results, title="ensemble")


def _plot(member_accuracy: list[float], curve: list[float], path: str) -> None:
  fig, ax = plt.subplots(figsize=(5, 3.5))
  sizes = np.arange(1, len(curve) + 1)
  ax.plot(sizes, curve, "o-", label="ensemble of the first n")
  ax.plot(sizes, member_accuracy, "x", label="member n alone")
  ax.set(xlabel="members n", ylabel="test accuracy", xticks=sizes)
  ax.legend()
  save_figure(fig, path, dpi=120)
