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
from tqdm.auto import tqdm

from nets import data, optim, tasks
from nets.errors import ConfigError
from nets.tasks import Predictor
from nets.training.logbook import Logbook
from nets.training.loop import (
  compiled_steps,
  data_mesh,
  epoch_permutation,
  evaluate,
  load_data,
  raise_if_not_finite,
  steps_per_call,
  steps_per_epoch,
  train_epoch,
)
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def ensemble_accuracy(logits_NxBxC: jax.Array, labels_B: jax.Array) -> np.ndarray:
  """Accuracy of the mean softmax of the first n members, for n = 1..N."""
  probs_NxBxC = jax.nn.softmax(logits_NxBxC, axis=-1)
  mean_NxBxC = jnp.cumsum(probs_NxBxC, axis=0) / jnp.arange(1, len(probs_NxBxC) + 1)[:, None, None]
  return np.asarray((jnp.argmax(mean_NxBxC, -1) == labels_B).mean(axis=-1))


def train_members(config: ml_collections.ConfigDict, dataset: data.Dataset, num_members: int):
  """(task, states with a leading member axis, per-epoch mean train metrics, seconds).

  The same epoch function as the loop's, over vmapped members: member m's init, dropout and data order
  are those of the loop with seed = config.seed + m."""
  batch_size, epoch_steps = config.batch_size, steps_per_epoch(dataset, config.batch_size)
  tx = optim.make_optimizer(config.optimizer, config.num_epochs * epoch_steps)
  task: Predictor = tasks.make(config, dataset, tx)
  mesh = data_mesh(batch_size)
  splits = jax.device_put(dataset.splits, NamedSharding(mesh, P()))
  keys_Nx2 = jnp.stack([jax.random.split(jax.random.PRNGKey(config.seed + m)) for m in range(num_members)])
  init_keys, perm_keys = keys_Nx2[:, 0], keys_Nx2[:, 1]
  first_batch = {k: v[:batch_size] for k, v in splits["train"].items()}
  states = jax.jit(jax.vmap(task.init, in_axes=(0, None)))(init_keys, first_batch)
  chunk = steps_per_call(config, task, jax.tree.map(lambda s: s[0], states), first_batch, epoch_steps)
  run_steps = compiled_steps(task, splits["train"], batch_size=batch_size, mesh=mesh, members=True)
  n_train = len(splits["train"]["x"])
  perms_fn = jax.jit(jax.vmap(partial(epoch_permutation, n=n_train), (0, None)))
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
  return task, states, history, seconds


def train_ensemble(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Train `config.ensemble_size` members together; member, mean +- std and ensemble test figures."""
  num_members = config.get("ensemble_size", 0)
  if not isinstance(num_members, int) or num_members < 1:
    raise ConfigError(f"driver 'ensemble' needs config.ensemble_size >= 1, got {num_members!r}")
  os.makedirs(workdir, exist_ok=True)
  dataset = load_data(config.data)  # With the dataset's own options, exactly as the loop loads it.
  task, states, history, seconds = train_members(config, dataset, num_members)
  logbook = Logbook(workdir)
  for epoch, record in enumerate(history):
    logbook.write(epoch + 1, {"epoch": epoch + 1, **record})
  logbook.close()

  eval_fn = jax.jit(
    jax.vmap(partial(evaluate, task, batch_size=config.get("eval_batch_size", 1000)), (0, None))
  )
  member, held_out = {}, None  # Each held-out split there is, as the loop names them (text has no test).
  for split, prefix in (("validation", "val"), ("test", "test")):
    if split in dataset.splits:
      held_out, held_out_prefix = jax.device_put(dataset.splits[split]), prefix
      member.update({f"{prefix}_{k}": np.asarray(v).tolist() for k, v in eval_fn(states, held_out).items()})
  if held_out is None:
    raise ConfigError(f"dataset {dataset.name!r} has no validation or test split to evaluate the ensemble on")
  results = {
    "ensemble_size": num_members,
    "seeds": [config.seed + m for m in range(num_members)],
    "members": member,
    **{f"{k}_mean": float(np.mean(v)) for k, v in member.items()},
    **{f"{k}_std": float(np.std(v)) for k, v in member.items()},
  }
  if dataset.num_classes:
    logits_NxBxC = jax.jit(jax.vmap(task.predict, (0, None)))(states, held_out["x"])
    curve = ensemble_accuracy(logits_NxBxC, held_out["y"]).tolist()
    results.update({f"ensemble_{held_out_prefix}_accuracy": curve[-1], "ensemble_accuracy_by_size": curve})
    _plot(member[f"{held_out_prefix}_accuracy"], curve, os.path.join(workdir, "ensemble.png"))
  results.update(
    {k: v for k, v in history[-1].items()},
    train_seconds=round(seconds, 3),
    epochs=config.num_epochs,
    dataset=dataset.name,
    model=config.model.name,
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
