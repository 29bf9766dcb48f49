"""Ensembles trained in parallel: `jax.vmap` over member keys, so one compiled step trains N members.

Member m draws its initialisation, dropout and data order exactly as the one loop does with
seed = config.seed + m, so it equals that separate run (to float tolerance): the members' mean +- std
is an N-seed result. The ensemble averages the members' predicted probabilities. Members run every
epoch (no early stopping) and keep no checkpoints: an ensemble run is short, and restarts from scratch.
"""

import json
import os
import time
from functools import partial

import jax
import jax.numpy as jnp
import matplotlib
import ml_collections
import numpy as np
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P
from tqdm.auto import tqdm

from nets import data, optim, tasks
from nets.errors import ConfigError
from nets.training.logbook import Logbook, format_table
from nets.training.loop import auto_steps_per_call, evaluate, train_steps

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def ensemble_accuracy(logits_NxBxC: jax.Array, labels_B: jax.Array) -> np.ndarray:
  """Accuracy of the mean softmax of the first n members, for n = 1..N."""
  probs_NxBxC = jax.nn.softmax(logits_NxBxC, axis=-1)
  mean_NxBxC = jnp.cumsum(probs_NxBxC, axis=0) / jnp.arange(1, len(probs_NxBxC) + 1)[:, None, None]
  return np.asarray((jnp.argmax(mean_NxBxC, -1) == labels_B).mean(axis=-1))


def train_members(config: ml_collections.ConfigDict, dataset: data.Dataset, num_members: int):
  """(task, states with a leading member axis, per-epoch mean train metrics, seconds)."""
  n_train, batch_size = len(dataset.splits["train"]["y"]), config.batch_size
  steps_per_epoch = n_train // batch_size
  if steps_per_epoch == 0:
    raise ConfigError(f"batch_size {batch_size} exceeds the {n_train} training examples")
  task = tasks.make(
    config, dataset, optim.make_optimizer(config.optimizer, config.num_epochs * steps_per_epoch)
  )
  mesh = jax.make_mesh((jax.device_count(),), ("data",), axis_types=(AxisType.Auto,))
  splits = jax.device_put(dataset.splits, NamedSharding(mesh, P()))
  keys_Nx2 = jnp.stack([jax.random.split(jax.random.PRNGKey(config.seed + m)) for m in range(num_members)])
  init_keys, perm_keys = keys_Nx2[:, 0], keys_Nx2[:, 1]
  first_batch = {k: v[:batch_size] for k, v in splits["train"].items()}
  states = jax.jit(jax.vmap(task.init, in_axes=(0, None)))(init_keys, first_batch)
  chunk = config.get("steps_per_call", 0) or auto_steps_per_call(
    task, jax.tree.map(lambda s: s[0], states), first_batch, steps_per_epoch
  )
  chunk, compiled = min(chunk, steps_per_epoch), {}

  def run_steps(states, perms, start, num_steps):
    if num_steps not in compiled:
      steps = partial(
        train_steps, task, num_steps=num_steps, batch_size=batch_size, sharding=NamedSharding(mesh, P("data"))
      )
      compiled[num_steps] = jax.jit(jax.vmap(steps, in_axes=(0, None, 0, None)), donate_argnums=0)
    return compiled[num_steps](states, splits["train"], perms, start)

  perms_fn = jax.jit(
    jax.vmap(lambda k, e: jax.random.permutation(jax.random.fold_in(k, e), n_train), (0, None))
  )
  history, seconds = [], 0.0
  for epoch in tqdm(range(config.num_epochs), desc=f"ensemble of {num_members}", unit="epoch"):
    t0 = time.perf_counter()
    perms, calls = perms_fn(perm_keys, epoch), []
    for start in range(0, steps_per_epoch, chunk):
      states, metrics = run_steps(states, perms, start, min(chunk, steps_per_epoch - start))
      calls.append(metrics)
    metrics = {
      k: np.concatenate([c[k] for c in jax.device_get(calls)], axis=1) for k in calls[0]
    }  # N x steps
    seconds += time.perf_counter() - t0
    if not np.all(np.isfinite(metrics["loss"])):
      raise FloatingPointError(f"a member's loss is not finite in epoch {epoch + 1}; lower the learning rate")
    history.append({f"train_{k}": float(np.mean(v)) for k, v in metrics.items()})
  return task, states, history, seconds


def train_ensemble(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Train `config.ensemble_size` members together; member, mean +- std and ensemble test figures."""
  num_members = config.get("ensemble_size", 0)
  if not isinstance(num_members, int) or num_members < 1:
    raise ConfigError(f"driver 'ensemble' needs config.ensemble_size >= 1, got {num_members!r}")
  os.makedirs(workdir, exist_ok=True)
  with open(os.path.join(workdir, "config.json"), "w") as f:
    f.write(config.to_json_best_effort(indent=2))
  cfg_data = config.data
  dataset = data.load(
    cfg_data.name,
    cfg_data.get("data_dir", ""),
    standardize=cfg_data.get("standardize", False),
    validation_size=cfg_data.get("validation_size", 0),
  )
  task, states, history, seconds = train_members(config, dataset, num_members)
  logbook = Logbook(workdir)
  for epoch, record in enumerate(history):
    logbook.write(epoch + 1, {"epoch": epoch + 1, **record})
  logbook.close()

  test = jax.device_put(dataset.splits["test"])
  eval_fn = jax.jit(
    jax.vmap(partial(evaluate, task, batch_size=config.get("eval_batch_size", 1000)), (0, None))
  )
  member = {f"test_{k}": np.asarray(v).tolist() for k, v in eval_fn(states, test).items()}
  results = {
    "ensemble_size": num_members,
    "seeds": [config.seed + m for m in range(num_members)],
    "members": member,
    **{f"{k}_mean": float(np.mean(v)) for k, v in member.items()},
    **{f"{k}_std": float(np.std(v)) for k, v in member.items()},
  }
  if dataset.num_classes:
    logits_NxBxC = jax.jit(jax.vmap(task.predict, (0, None)))(states, test["x"])
    curve = ensemble_accuracy(logits_NxBxC, test["y"]).tolist()
    results.update(ensemble_test_accuracy=curve[-1], ensemble_accuracy_by_size=curve)
    _plot(member["test_accuracy"], curve, os.path.join(workdir, "ensemble.png"))
  results.update(
    {k: v for k, v in history[-1].items()},
    train_seconds=round(seconds, 3),
    epochs=config.num_epochs,
    dataset=dataset.name,
    model=config.model.name,
  )
  with open(os.path.join(workdir, "results.json"), "w") as f:
    json.dump(results, f, indent=2)
  shown = {k: v for k, v in results.items() if not isinstance(v, list | dict)}
  print(format_table(shown, title=f"ensemble ({os.path.join(workdir, 'results.json')})"))
  return results


def _plot(member_accuracy: list[float], curve: list[float], path: str) -> None:
  fig, ax = plt.subplots(figsize=(5, 3.5))
  sizes = np.arange(1, len(curve) + 1)
  ax.plot(sizes, curve, "o-", label="ensemble of the first n")
  ax.plot(sizes, member_accuracy, "x", label="member n alone")
  ax.set(xlabel="members n", ylabel="test accuracy", xticks=sizes)
  ax.legend()
  fig.tight_layout()
  fig.savefig(path, dpi=120)
  plt.close(fig)
