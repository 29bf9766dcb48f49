"""The one training loop: `train_and_evaluate(config, workdir)` drives any task.

Whole splits live on the device; each compiled call runs `steps_per_call` steps inside
`lax.scan`, gathering its batches from a per-epoch permutation. Metrics come back one call late,
so the device never waits for the host; a non-finite loss stops the run before its state is saved.
"""

import json
import os
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P
from tqdm.auto import tqdm

from nets import data, optim, tasks
from nets.distributed import is_primary
from nets.errors import ConfigError
from nets.training.checkpoint import Checkpoints, warm_start
from nets.training.logbook import Logbook, format_table

# Steps per iteration of the scan's while loop. For 3Blue1Brown's MLP at batch 32 (a tiny, dispatch-bound
# step) on the 2-core CPU, 4 made the loop's epoch as fast as a plain scan over pre-batched data
# (scripts/bench.py); 1 cost it 1.3-1.5x, 2 and 8 about 1.2x.
SCAN_UNROLL = 4


def train_steps(task, state, arrays, perm, start, *, num_steps: int, batch_size: int, sharding):
  """`num_steps` train steps; step i uses examples perm[(start + i) * B : (start + i + 1) * B]."""
  idx_SxB = jax.lax.dynamic_slice_in_dim(perm, start * batch_size, num_steps * batch_size)

  def body(state, idx_B):
    batch = {k: jax.lax.with_sharding_constraint(v[idx_B], sharding) for k, v in arrays.items()}
    return task.train_step(state, batch)

  if num_steps == 1:  # No while loop: XLA's CPU convolutions ran 12x slower inside one (scripts/bench.py).
    state, metrics = body(state, idx_SxB)
    return state, jax.tree.map(lambda m: m[None], metrics)
  return jax.lax.scan(body, state, idx_SxB.reshape(num_steps, batch_size), unroll=min(SCAN_UNROLL, num_steps))


def has_overlapping_convolution(jaxpr) -> bool:
  """Whether a jaxpr (or one nested in it) convolves with windows that overlap: stride < kernel size."""
  for eqn in jaxpr.eqns:
    if eqn.primitive.name == "conv_general_dilated":
      p = eqn.params
      kernel = [eqn.invars[1].aval.shape[d] for d in p["dimension_numbers"].rhs_spec[2:]]
      undilated = all(d == 1 for d in (*p["lhs_dilation"], *p["rhs_dilation"]))
      if undilated and any(s < k for s, k in zip(p["window_strides"], kernel, strict=True)):
        return True
    for value in eqn.params.values():
      for sub in value if isinstance(value, tuple | list) else (value,):
        inner = getattr(sub, "jaxpr", sub)  # ClosedJaxpr -> Jaxpr
        if hasattr(inner, "eqns") and has_overlapping_convolution(inner):
          return True
  return False


def auto_steps_per_call(task, state, batch, steps_per_epoch: int) -> int:
  """steps_per_call=0: a whole epoch a call, except one step a call on CPU for steps with overlapping
  convolutions (3 x 3 and the like), which XLA's CPU backend runs an order of magnitude slower inside a
  while loop: scripts/bench.py measured a CNN step 11-14x slower in lax.scan than called alone, while a
  Transformer (patches: windows that do not overlap) ran as fast or faster in the scan."""
  if jax.default_backend() != "cpu":
    return steps_per_epoch
  jaxpr = jax.make_jaxpr(task.train_step)(state, batch).jaxpr  # Tracing only, no compile.
  return 1 if has_overlapping_convolution(jaxpr) else steps_per_epoch


def evaluate(task, state, arrays, *, batch_size: int) -> dict[str, jax.Array]:
  """Mean of each per-example metric over a whole split, in batches of `batch_size`."""
  n = len(next(iter(arrays.values())))
  num_batches = -(-n // batch_size)
  pad = num_batches * batch_size - n
  batched = {
    k: jnp.pad(v, [(0, pad)] + [(0, 0)] * (v.ndim - 1)).reshape(num_batches, batch_size, *v.shape[1:])
    for k, v in arrays.items()
  }
  per_example = jax.lax.map(partial(task.eval_step, state), batched)
  return {k: jnp.sum(v.reshape(-1)[:n]) / n for k, v in per_example.items()}


def _lower_is_better(metric: str) -> bool:
  return metric.endswith(("loss", "error"))


_LOAD_FIELDS = ("name", "data_dir", "standardize", "validation_size")
# on_epoch(task, state, epoch) -> scalars for that epoch's record (or None): samples, figures, ...
EpochHook = Callable[[Any, Any, int], Mapping[str, float] | None]
# on_end(task, state, dataset) -> figures that join results.json (or None): evaluations beyond eval_step.
EndHook = Callable[[Any, Any, data.Dataset], Mapping[str, Any] | None]


def train_and_evaluate(
  config: ml_collections.ConfigDict,
  workdir: str,
  dataset: data.Dataset | None = None,
  *,
  on_epoch: EpochHook | None = None,
  on_end: EndHook | None = None,
) -> dict:
  """Train `config` in `workdir` (resuming what is there), evaluate, write results.json.

  `dataset` (e.g. one a driver made) replaces loading config.data; other config.data fields than
  the usual ones are the dataset's own options (e.g. seq_len). `on_epoch` runs after each epoch's
  evaluation, `on_end` on the final state: drivers use them for figures and evaluations a per-example
  `eval_step` cannot give (sample grids, probes, distances).
  """
  os.makedirs(workdir, exist_ok=True)
  primary = is_primary()  # In a multi-process run only process 0 writes what a person reads.
  if primary:
    with open(os.path.join(workdir, "config.json"), "w") as f:
      f.write(config.to_json_best_effort(indent=2))
  cfg_data = config.data
  if dataset is None:
    dataset = data.load(
      cfg_data.name,
      cfg_data.get("data_dir", ""),
      standardize=cfg_data.get("standardize", False),
      validation_size=cfg_data.get("validation_size", 0),
      **{k: v for k, v in cfg_data.items() if k not in _LOAD_FIELDS},
    )
  n_train, batch_size = len(next(iter(dataset.splits["train"].values()))), config.batch_size
  steps_per_epoch = n_train // batch_size
  if steps_per_epoch == 0:
    raise ConfigError(f"batch_size {batch_size} exceeds the {n_train} training examples")
  total_steps = config.num_epochs * steps_per_epoch
  tx = optim.make_optimizer(config.optimizer, total_steps)
  task = tasks.make(config, dataset, tx)

  mesh = jax.make_mesh((jax.device_count(),), ("data",), axis_types=(AxisType.Auto,))
  if batch_size % mesh.size:
    raise ConfigError(f"batch_size {batch_size} must be divisible by the {mesh.size} devices")
  replicated, by_example = NamedSharding(mesh, P()), NamedSharding(mesh, P("data"))
  splits = jax.device_put(dataset.splits, replicated)

  init_key, perm_key = jax.random.split(jax.random.PRNGKey(config.seed))
  first_batch = {k: v[:batch_size] for k, v in splits["train"].items()}
  state = jax.device_put(jax.jit(task.init)(init_key, first_batch), replicated)
  if config.get("init_from", ""):  # Warm start: parameters of another run, where names and shapes match.
    state = state.replace(params=warm_start(state.params, config.init_from))
  num_params = sum(x.size for x in jax.tree.leaves(state.params))

  stopping = config.get("early_stopping", ml_collections.ConfigDict({"patience": 0}))
  patience, watched = stopping.get("patience", 0), stopping.get("metric", "val_loss")
  if patience and watched.startswith("val_") and "validation" not in splits:
    raise ConfigError(f"early stopping on {watched} needs config.data.validation_size > 0")
  ckpts = Checkpoints(os.path.join(workdir, "checkpoints"))
  best_ckpts = Checkpoints(os.path.join(workdir, "best"), max_to_keep=1) if patience else None
  meta = {"epoch": 0, "train_seconds": 0.0, "best": None, "best_epoch": 0, "bad_epochs": 0}
  if ckpts.latest_step() is not None:
    state, meta = ckpts.restore(state)
    state = jax.device_put(state, replicated)

  chunk = config.get("steps_per_call", 0) or auto_steps_per_call(task, state, first_batch, steps_per_epoch)
  chunk = min(chunk, steps_per_epoch)
  log_calls = bool(config.get("steps_per_call", 0)) and chunk < steps_per_epoch
  compiled = {}

  def run_steps(state, perm, start, num_steps):
    if num_steps not in compiled:
      compiled[num_steps] = jax.jit(
        partial(train_steps, task, num_steps=num_steps, batch_size=batch_size, sharding=by_example),
        donate_argnums=0,
      )
    return compiled[num_steps](state, splits["train"], perm, start)

  eval_fn = jax.jit(partial(evaluate, task, batch_size=config.get("eval_batch_size", 1000)))
  schedule = optim.make_schedule(config.optimizer, total_steps)
  logbook = Logbook(workdir, enabled=primary)
  bar = tqdm(
    disable=not primary,
    total=total_steps,
    initial=meta["epoch"] * steps_per_epoch,
    unit="step",
    desc=os.path.basename(os.path.normpath(workdir)),
    dynamic_ncols=True,
  )
  record = {}
  try:
    for epoch in range(meta["epoch"], config.num_epochs):
      t0 = time.perf_counter()
      perm = jax.random.permutation(jax.random.fold_in(perm_key, epoch), n_train)
      sums, pending = {}, None
      for start in range(0, steps_per_epoch, chunk):
        state, metrics = run_steps(state, perm, start, min(chunk, steps_per_epoch - start))
        if pending is not None:
          _read_back(pending, sums, bar, epoch, log_calls, logbook)
        pending = (epoch * steps_per_epoch + start, metrics)
      _read_back(pending, sums, bar, epoch, log_calls, logbook)
      record = {"epoch": epoch + 1, **{f"train_{k}": v / steps_per_epoch for k, v in sums.items()}}
      record.update(_evaluate_splits(eval_fn, state, splits))
      meta["train_seconds"] += time.perf_counter() - t0
      if on_epoch is not None:
        record.update(on_epoch(task, state, epoch + 1) or {})
      record["learning_rate"] = float(schedule((epoch + 1) * steps_per_epoch))
      record["train_seconds"] = meta["train_seconds"]
      logbook.write((epoch + 1) * steps_per_epoch, record)
      bar.set_postfix({k: f"{v:.4g}" for k, v in record.items() if "accuracy" in k or "loss" in k})
      meta["epoch"] = epoch + 1
      stop = False
      if patience:
        value = record[watched]
        improved = meta["best"] is None or (
          value < meta["best"] if _lower_is_better(watched) else value > meta["best"]
        )
        if improved:
          meta.update(best=value, best_epoch=epoch + 1, bad_epochs=0)
          best_ckpts.save(epoch + 1, state, meta)
        else:
          meta["bad_epochs"] += 1
        stop = meta["bad_epochs"] >= patience
      last = stop or epoch + 1 == config.num_epochs
      if last or (epoch + 1) % config.get("checkpoint_every_epochs", 1) == 0:
        ckpts.save(epoch + 1, state, meta)
      if stop:
        break
  finally:
    bar.close()
    logbook.close()
    ckpts.close()
    if best_ckpts:
      best_ckpts.close()

  if patience and meta["best_epoch"]:
    state, _ = Checkpoints(os.path.join(workdir, "best"), max_to_keep=1).restore(state)
  results = {
    **_evaluate_splits(eval_fn, state, splits),
    **{k: v for k, v in record.items() if k.startswith("train_") and k != "train_seconds"},
    "train_seconds": round(meta["train_seconds"], 3),
    "steps": meta["epoch"] * steps_per_epoch,
    "epochs": meta["epoch"],
    "best_epoch": meta["best_epoch"] or meta["epoch"],
    "stopped_early": bool(patience) and meta["epoch"] < config.num_epochs,
    "examples_per_second": round(
      meta["epoch"] * steps_per_epoch * batch_size / max(meta["train_seconds"], 1e-9), 1
    ),
    "num_params": int(num_params),
    "num_devices": mesh.size,
    "num_processes": jax.process_count(),
    "dataset": dataset.name,
    "model": config.model.name,
  }
  if on_end is not None:
    results.update(on_end(task, state, dataset) or {})
  if primary:
    with open(os.path.join(workdir, "results.json"), "w") as f:
      json.dump(results, f, indent=2)
    print(format_table(results, title=f"results ({os.path.join(workdir, 'results.json')})"))
  return results


def _evaluate_splits(eval_fn, state, splits) -> dict[str, float]:
  """Mean metrics of each held-out split there is (text datasets have no test split): val_*, test_*."""
  means = {}
  for split, prefix in (("validation", "val"), ("test", "test")):
    if split in splits:
      means.update({f"{prefix}_{k}": float(v) for k, v in eval_fn(state, splits[split]).items()})
  return means


def _read_back(pending, sums, bar, epoch, log_calls, logbook) -> None:
  """Fetch one call's per-step metrics; stop on a non-finite loss; update sums, bar and log."""
  first_step, metrics = pending
  metrics = jax.device_get(metrics)
  loss = np.asarray(metrics["loss"])
  bad = np.flatnonzero(~np.isfinite(loss))
  if bad.size:
    step = first_step + int(bad[0]) + 1
    raise FloatingPointError(
      f"loss is {loss[bad[0]]} at step {step} (epoch {epoch + 1}); stopping. The last "
      f"checkpoint saved before it is intact; lower the learning rate or clip gradients."
    )
  for k, v in metrics.items():
    sums[k] = sums.get(k, 0.0) + float(np.sum(v))
  bar.update(len(loss))
  if log_calls:  # steps_per_call asked for several calls an epoch: show and log each one's means.
    means = {f"train_{k}": float(np.mean(v)) for k, v in metrics.items()}
    bar.set_postfix({k: f"{v:.4g}" for k, v in means.items()})
    logbook.write(first_step + len(loss), {"epoch": epoch + 1, **means})
