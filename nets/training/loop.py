"""The one training loop: `train_and_evaluate(config, workdir)` drives any task.

Each compiled call runs `steps_per_call` steps inside `lax.scan` on the batches of a per-epoch
permutation, gathered on the device from whole splits there or read from disk by a stream
(nets/training/pipelines.py: config.data.pipeline). Metrics come back one call late, so the device
never waits for the host; a non-finite loss stops the run before its state is saved.
"""

import dataclasses
import os
import time
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

import jax
import ml_collections
import numpy as np
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

from nets import data, optim, options, tasks
from nets.distributed import is_primary
from nets.errors import ConfigError
from nets.tasks import Task
from nets.training import pipelines
from nets.training.checkpoint import Checkpoints, warm_start
from nets.training.logbook import Logbook
from nets.training.pipelines import StepsFn
from nets.training.profile import StepProfiler
from nets.training.workdir import write_config, write_results

try:  # A notebook's widget bar where ipywidgets is installed; tqdm.auto without it warns on every import.
  import ipywidgets  # noqa: F401
  from tqdm.auto import tqdm
except ImportError:
  from tqdm import tqdm


def _forward_layout(params, rank: int) -> bool:
  """Whether a convolution is laid out as a forward pass: input and output batch first and features last,
  kernel spatial... x in x out, no input dilation - what nets.models.conv's CPU layer emits, while
  autodiff's gradients of a convolution (batch as the contracted feature, kernel in/out swapped, output
  gradient dilated by the stride) are not."""
  dims = params["dimension_numbers"]
  image = (0, rank - 1, *range(1, rank - 1))
  kernel = (rank - 1, rank - 2, *range(rank - 2))
  undilated = all(d == 1 for d in params["lhs_dilation"])
  return (
    tuple(dims.lhs_spec) == tuple(dims.out_spec) == image and tuple(dims.rhs_spec) == kernel and undilated
  )


def _overlapping(eqn) -> bool:
  """Whether the convolution a gradient convolution comes from had overlapping windows (stride < kernel):
  the stride shows as a dilation (the input's for the input gradient, the kernel's for the weight
  gradient), the kernel as the window (input gradient) or the output (weight gradient), the smaller."""
  p, dims = eqn.params, eqn.params["dimension_numbers"]
  window = [eqn.invars[1].aval.shape[d] for d in dims.rhs_spec[2:]]
  out = [eqn.outvars[0].aval.shape[d] for d in dims.out_spec[2:]]
  strides = map(max, p["window_strides"], p["lhs_dilation"], p["rhs_dilation"])
  return any(s < min(w, o) for s, w, o in zip(strides, window, out, strict=True))


def has_slow_convolution(jaxpr) -> bool:
  """Whether a jaxpr (or one nested in it) has a convolution that XLA's CPU backend runs an order of
  magnitude slower inside a while loop: the gradient of one with overlapping windows, in autodiff's
  layouts (anything but _forward_layout). scripts/bench.py: a CNN step with nn.Conv 11-14x slower in
  lax.scan than called alone; with nets.models.conv's layer (forward-layout convolutions and matmuls only)
  no slower (docs/guide/cpu_convolutions.md); a Transformer's patch embedding (windows that do not
  overlap) as fast or faster in the scan."""
  return any(
    eqn.primitive.name == "conv_general_dilated"
    and not _forward_layout(eqn.params, eqn.invars[0].aval.ndim)
    and _overlapping(eqn)
    for eqn in pipelines.all_eqns(jaxpr)
  )


def auto_steps_per_call(task: Task, state, batch, steps_per_epoch: int) -> int:
  """steps_per_call=0: a whole epoch a call, except one step a call on CPU for steps with convolutions
  that XLA's CPU backend runs an order of magnitude slower inside a while loop (has_slow_convolution:
  autodiff's gradients of nn.Conv), while a Transformer (patches: windows that do not overlap) and
  nets.models.conv's layer ran as fast or faster in the scan."""
  if jax.default_backend() != "cpu":
    return steps_per_epoch
  jaxpr = jax.make_jaxpr(task.train_step)(state, batch).jaxpr  # Tracing only, no compile.
  return 1 if has_slow_convolution(jaxpr) else steps_per_epoch


def steps_per_call(config: ml_collections.ConfigDict, task: Task, state, batch, max_steps: int) -> int:
  """config.steps_per_call, or auto_steps_per_call's choice for 0, never more than `max_steps` (an epoch,
  or fewer where the pipeline reads each call from disk: pipelines.STREAM_CALL_BYTES)."""
  chunk = config.steps_per_call or auto_steps_per_call(task, state, batch, max_steps)
  return min(chunk, max_steps)


# Fields of config.data that say which data and how it is prepared; any other field of config.data is
# the dataset's own option (e.g. seq_len of a text dataset) and is passed to its builder as given.
_LOAD_FIELDS = tuple(f.name for f in dataclasses.fields(options.Data))
# on_epoch(task, state, epoch) -> scalars for that epoch's record (or None): samples, figures, ...
EpochHook = Callable[[Task, Any, int], Mapping[str, float] | None]
# on_end(task, state, dataset) -> figures that join results.json (or None): evaluations beyond eval_step.
EndHook = Callable[[Task, Any, data.Dataset], Mapping[str, Any] | None]
# read_back(start, metrics): a call's metrics, handed over after the next call is dispatched.
ReadBack = Callable[[int, dict[str, jax.Array]], None]


def load_data(cfg_data: ml_collections.ConfigDict) -> data.Dataset:
  """The dataset config.data names, with its options, read whole: what the drivers train on."""
  return open_data(cfg_data).read()


def open_data(cfg_data: ml_collections.ConfigDict) -> data.Records:
  """The dataset config.data names, with its options, opened (not read): what the loop trains on."""
  return data.records(
    cfg_data.name,
    cfg_data.data_dir,
    standardize=cfg_data.standardize,
    validation_size=cfg_data.validation_size,
    folds=cfg_data.folds,
    fold=cfg_data.fold,
    train_examples=cfg_data.train_examples,
    test_examples=cfg_data.test_examples,
    **dataset_options(cfg_data),
  )


def dataset_options(cfg_data: ml_collections.ConfigDict) -> dict:
  """The fields of config.data that are the dataset's own options (given to its builder or reader)."""
  return {k: v for k, v in cfg_data.items() if k not in _LOAD_FIELDS}


def steps_per_epoch(n_train: int, batch_size: int) -> int:
  if n_train // batch_size == 0:
    raise ConfigError(f"batch_size {batch_size} exceeds the {n_train} training examples")
  return n_train // batch_size


def data_mesh(batch_size: int) -> jax.sharding.Mesh:
  """A ("data",) mesh over every device (of every process); the batch is split along it."""
  mesh = jax.make_mesh((jax.device_count(),), ("data",), axis_types=(AxisType.Auto,))
  if batch_size % mesh.size:
    raise ConfigError(f"batch_size {batch_size} must be divisible by the {mesh.size} devices")
  return mesh


def epoch_permutation(perm_key: jax.Array, epoch: int, n: int) -> jax.Array:
  """The order of the training examples in `epoch`: drawn from the run's key, so a resumed run repeats it."""
  return jax.random.permutation(jax.random.fold_in(perm_key, epoch), n)


def train_epoch(run_steps: StepsFn, state, perm, *, num_steps: int, chunk: int, read_back: ReadBack):
  """One epoch of `num_steps` steps in calls of at most `chunk` steps. Each call's metrics are read back
  after the next call is dispatched, so the device never waits for the host."""
  pending = None
  for start in range(0, num_steps, chunk):
    state, metrics = run_steps(state, perm, start, min(chunk, num_steps - start))
    if pending is not None:
      read_back(*pending)
    pending = (start, metrics)
  read_back(*pending)
  return state


def raise_if_not_finite(loss_xS: np.ndarray, first_step: int, epoch: int) -> None:
  """FloatingPointError naming the first step (of the last axis) whose loss is NaN or infinite."""
  bad = np.flatnonzero(~np.all(np.isfinite(loss_xS.reshape(-1, loss_xS.shape[-1])), axis=0))
  if bad.size:
    value = loss_xS[..., bad[0]].reshape(-1)
    raise FloatingPointError(
      f"loss is {value[~np.isfinite(value)][0]} at step {first_step + int(bad[0]) + 1} (epoch {epoch + 1}); "
      "stopping. The last checkpoint saved before it is intact; lower the learning rate or clip gradients."
    )


def _lower_is_better(metric: str) -> bool:
  return metric.endswith(("loss", "error"))


class EarlyStopping:
  """Stop after `patience` epochs without improving `metric`; the best state is kept in workdir/best.
  Its bookkeeping (best, best_epoch, bad_epochs) lives in the checkpoint's meta, so it survives a resume."""

  def __init__(self, config: ml_collections.ConfigDict, splits: dict, workdir: str):
    self.patience, self.metric = config.early_stopping.patience, config.early_stopping.metric
    if self.patience and self.metric.startswith("val_") and "validation" not in splits:
      raise ConfigError(f"early stopping on {self.metric} needs config.data.validation_size > 0")
    self.directory = os.path.join(workdir, "best")
    self.ckpts = Checkpoints(self.directory, max_to_keep=1) if self.patience else None

  def update(self, meta: dict, record: dict, state) -> bool:
    """Record this epoch's figure in `meta`, save the state if it is the best; True: stop now."""
    if not self.patience:
      return False
    value, epoch = record[self.metric], record["epoch"]
    best = meta["best"]
    if best is None or (value < best if _lower_is_better(self.metric) else value > best):
      meta.update(best=value, best_epoch=epoch, bad_epochs=0)
      self.ckpts.save(epoch, state, meta)
    else:
      meta["bad_epochs"] += 1
    return meta["bad_epochs"] >= self.patience

  def best_state(self, meta: dict, state):
    if not (self.patience and meta["best_epoch"]):
      return state
    return Checkpoints(self.directory, max_to_keep=1).restore(state)[0]

  def close(self) -> None:
    if self.ckpts:
      self.ckpts.close()


def _progress_bar(workdir: str, total_steps: int, done_steps: int) -> tqdm:
  return tqdm(
    disable=not is_primary(),
    total=total_steps,
    initial=done_steps,
    unit="step",
    desc=os.path.basename(os.path.normpath(workdir)),
    dynamic_ncols=True,
  )


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
  config = options.resolve(config)  # Drivers hand sub-configs (pretrain, folds) here: checked too.
  write_config(workdir, config)
  mesh = data_mesh(config.batch_size)
  records = open_data(config.data) if dataset is None else data.in_memory(dataset)
  pipeline, why = pipelines.make(config, records, mesh, dataset=dataset)
  if is_primary():
    print(f"data pipeline: {pipeline.name} ({why})")
  epoch_steps = steps_per_epoch(pipeline.n_train, config.batch_size)
  total_steps = config.num_epochs * epoch_steps
  task = tasks.make(config, pipeline.dataset, optim.make_optimizer(config.optimizer, total_steps))

  init_key, perm_key = jax.random.split(jax.random.PRNGKey(config.seed))
  stopping = EarlyStopping(config, pipeline.splits, workdir)
  ckpts = Checkpoints(os.path.join(workdir, "checkpoints"))
  state, meta = _start_or_resume(
    config, task, init_key, pipeline.first_batch, ckpts, NamedSharding(mesh, P())
  )
  num_params = sum(x.size for x in jax.tree.leaves(state.params))

  max_call = min(epoch_steps, pipeline.max_call_steps)
  chunk = steps_per_call(config, task, state, pipeline.first_batch, max_call)
  run_steps, evaluate = pipeline.steps(task, chunk=chunk), pipelines.evaluator(pipeline, task)
  schedule = optim.make_schedule(config.optimizer, total_steps)
  logbook = Logbook(workdir, enabled=is_primary())
  bar = _progress_bar(workdir, total_steps, meta["epoch"] * epoch_steps)
  log_calls = bool(config.steps_per_call) and chunk < epoch_steps
  profiler = StepProfiler(config.profile_steps, workdir)
  record = {}
  try:
    for epoch in range(meta["epoch"], config.num_epochs):
      t0 = time.perf_counter()
      sums: dict[str, float] = {}
      read_back = partial(_read_back, sums, bar, epoch, epoch * epoch_steps, logbook if log_calls else None)
      perm = epoch_permutation(perm_key, epoch, pipeline.n_train)
      steps_fn = profiler.wrap(run_steps, first_step=epoch * epoch_steps)
      state = train_epoch(steps_fn, state, perm, num_steps=epoch_steps, chunk=chunk, read_back=read_back)
      record = {"epoch": epoch + 1, **{f"train_{k}": v / epoch_steps for k, v in sums.items()}}
      record.update(_evaluate_splits(evaluate, state))
      meta["train_seconds"] += time.perf_counter() - t0
      if on_epoch is not None:
        record.update(on_epoch(task, state, epoch + 1) or {})
      record["learning_rate"] = float(schedule((epoch + 1) * epoch_steps))
      record["train_seconds"] = meta["train_seconds"]
      logbook.write((epoch + 1) * epoch_steps, record)
      bar.set_postfix({k: f"{v:.4g}" for k, v in record.items() if "accuracy" in k or "loss" in k})
      meta["epoch"] = epoch + 1
      stop = stopping.update(meta, record, state)
      if stop or epoch + 1 == config.num_epochs or (epoch + 1) % config.checkpoint_every_epochs == 0:
        ckpts.save(epoch + 1, state, meta)
      if stop:
        break
  finally:
    for closing in (bar, logbook, ckpts, stopping, profiler):
      closing.close()

  state = stopping.best_state(meta, state)
  results = {
    **_evaluate_splits(evaluate, state),
    **{k: v for k, v in record.items() if k.startswith("train_") and k != "train_seconds"},
    **_run_figures(config, meta, epoch_steps, stopping.patience),
    **{"num_params": int(num_params), "num_devices": mesh.size, "num_processes": jax.process_count()},
    **{"dataset": records.name, "model": config.model.name, "pipeline": pipeline.name},
  }
  if on_end is not None:
    results.update(on_end(task, state, pipeline.dataset) or {})
  return write_results(workdir, results)


def _start_or_resume(config, task: Task, init_key, first_batch, ckpts: Checkpoints, replicated):
  """(state, meta): the newest checkpoint's if there is one, else a fresh (or warm-started) state."""
  state = jax.device_put(jax.jit(task.init)(init_key, first_batch), replicated)
  if config.init_from:  # Warm start: parameters of another run, where names and shapes match.
    state = state.replace(params=warm_start(state.params, config.init_from, tuple(config.init_exclude)))
  meta = {"epoch": 0, "train_seconds": 0.0, "best": None, "best_epoch": 0, "bad_epochs": 0}
  if ckpts.latest_step() is not None:
    state, meta = ckpts.restore(state)
    state = jax.device_put(state, replicated)
  return state, meta


def _run_figures(config, meta: dict, epoch_steps: int, patience: int) -> dict:
  """How long the run was: steps, epochs, where it stopped, and its speed."""
  steps = meta["epoch"] * epoch_steps
  return {
    "train_seconds": round(meta["train_seconds"], 3),
    "steps": steps,
    "epochs": meta["epoch"],
    "best_epoch": meta["best_epoch"] or meta["epoch"],
    "stopped_early": bool(patience) and meta["epoch"] < config.num_epochs,
    "examples_per_second": round(steps * config.batch_size / max(meta["train_seconds"], 1e-9), 1),
  }


def _evaluate_splits(evaluate: pipelines.EvaluateFn, state) -> dict[str, float]:
  """Mean metrics of each held-out split there is (text datasets have no test split): val_*, test_*."""
  prefix = {"validation": "val", "test": "test"}
  return {
    f"{prefix[split]}_{k}": float(v) for split, means in evaluate(state).items() for k, v in means.items()
  }


def _read_back(sums: dict, bar, epoch: int, epoch_first_step: int, logbook, start: int, metrics) -> None:
  """Fetch one call's per-step metrics; stop on a non-finite loss; add them to `sums`, advance the bar,
  and, when `logbook` is given (several calls an epoch were asked for), show and log the call's means."""
  metrics = jax.device_get(metrics)
  first_step = epoch_first_step + start
  raise_if_not_finite(np.asarray(metrics["loss"]), first_step, epoch)
  for k, v in metrics.items():
    sums[k] = sums.get(k, 0.0) + float(np.sum(v))
  num_steps = len(metrics["loss"])
  bar.update(num_steps)
  if logbook is not None:
    means = {f"train_{k}": float(np.mean(v)) for k, v in metrics.items()}
    bar.set_postfix({k: f"{v:.4g}" for k, v in means.items()})
    logbook.write(first_step + num_steps, {"epoch": epoch + 1, **means})
