"""Where a run's batches come from: whole splits on the device, or a stream read from disk.

`config.data.pipeline`:
  device  every split is read once and put on the device; each compiled call gathers its batches there
          from the epoch's permutation (fast for data that fits: no host work per step).
  stream  records are read from disk as the steps need them (nets/data/stream.py: grain threads, prefetch,
          each call placed on the mesh before its turn); evaluation streams too. Host and device hold a
          few calls of batches, whatever the dataset's size.
  auto    (default) device if every split, decoded, fits `config.data.device_budget_mb` (0: a quarter of
          the device's memory where JAX reports it, else of the host's), stream otherwise.
Both feed the same batches in the same order (the permutation is the run's, drawn from its key), so a run
gives the same figures either way, to float tolerance; both resume from an epoch's checkpoint at that
epoch's first batch (an epoch's batches are a function of the seed and the epoch alone).
"""

import math
import os
from collections.abc import Callable, Iterator
from functools import partial

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
from jax.sharding import NamedSharding
from jax.sharding import PartitionSpec as P

from nets import data
from nets.data import stream
from nets.errors import ConfigError
from nets.tasks import Task

PIPELINES = ("auto", "device", "stream")
# A stream call holds at most this many bytes of batches (decoded), so that the calls read ahead stay
# small while a call still runs enough steps to hide its dispatch: fsdl_mlp at batch 128 gets 40 steps.
STREAM_CALL_BYTES = 16 << 20
# Steps per iteration of the scan's while loop. For 3Blue1Brown's MLP at batch 32 (a tiny, dispatch-bound
# step) on the 2-core CPU, 4 made the loop's epoch as fast as a plain scan over pre-batched data
# (scripts/bench.py); 1 cost it 1.3-1.5x, 2 and 8 about 1.2x.
SCAN_UNROLL = 4
# Matmul and convolution FLOPs per step from which the scan does not unroll: such a step runs for
# milliseconds, against microseconds for a while-loop iteration, and each unrolled copy only adds compile
# time (mnist_cnn_full's CNN, 0.83 GFLOP a step at batch 128, fast layer: its first epoch 7.8-8.0 s at
# unroll 1 against 9.7-10.9 s at 4, later epochs within noise; 3Blue1Brown's MLP at batch 32: 2 MFLOP).
UNROLL_BELOW_FLOPS = 100e6

# run_steps(state, perm, start, num_steps) -> (state, per-step metrics): one compiled call.
StepsFn = Callable[[object, jax.Array, int, int], tuple[object, dict[str, jax.Array]]]
# fn(state, batch) -> sums over the rows of the batch whose batch["mask"] is 1 (the rest is padding).
SumsFn = Callable[[object, dict[str, jax.Array]], object]
# reduce(state, split) -> a SumsFn's sums over every batch of that split.
ReduceFn = Callable[[object, str], object]
# evaluate(state) -> {split: {metric: mean over the split}} for every held-out split.
EvaluateFn = Callable[[object], dict[str, dict[str, float]]]


def all_eqns(jaxpr) -> Iterator:
  """Every equation of a jaxpr and of the jaxprs nested in it (jit, custom_vjp, scan, cond bodies...)."""
  for eqn in jaxpr.eqns:
    yield eqn
    for value in eqn.params.values():
      for sub in value if isinstance(value, tuple | list) else (value,):
        inner = getattr(sub, "jaxpr", sub)  # ClosedJaxpr -> Jaxpr
        if hasattr(inner, "eqns"):
          yield from all_eqns(inner)


def matmul_flops(jaxpr) -> float:
  """FLOPs of a jaxpr's matmuls and convolutions (2 per multiply-add), counted once per appearance (a
  loop body once, whatever its trip count)."""
  total = 0.0
  for eqn in all_eqns(jaxpr):
    if eqn.primitive.name == "dot_general":
      (contract, _), _ = eqn.params["dimension_numbers"]
      lhs = eqn.invars[0].aval.shape
      total += 2 * math.prod(eqn.outvars[0].aval.shape) * math.prod(lhs[d] for d in contract)
    elif eqn.primitive.name == "conv_general_dilated":
      rhs, spec = eqn.invars[1].aval.shape, eqn.params["dimension_numbers"].rhs_spec
      total += 2 * math.prod(eqn.outvars[0].aval.shape) * math.prod(rhs[d] for d in spec[1:])
  return total


def scan_steps(step, state, xs, num_steps: int):
  """`step` over the leading axis of `xs`, in a scan: up to SCAN_UNROLL steps unrolled whole and one step
  called alone (no while loop: XLA's CPU convolutions ran 12x slower inside one, scripts/bench.py); longer
  scans SCAN_UNROLL steps an iteration for light steps (UNROLL_BELOW_FLOPS), one for heavy ones."""
  if 1 < num_steps <= SCAN_UNROLL:  # Unrolled whole: no while loop at all.
    return jax.lax.scan(step, state, xs, unroll=num_steps)
  first = jax.tree.map(lambda v: v[0], xs)
  if num_steps == 1:
    state, metrics = step(state, first)
    return state, jax.tree.map(lambda m: m[None], metrics)
  shapes = jax.tree.map(lambda v: jax.ShapeDtypeStruct(v.shape, v.dtype), (state, first))
  light = matmul_flops(jax.make_jaxpr(step)(*shapes).jaxpr) < UNROLL_BELOW_FLOPS
  return jax.lax.scan(step, state, xs, unroll=SCAN_UNROLL if light else 1)


def device_budget_bytes(cfg_data: ml_collections.ConfigDict) -> tuple[int, str]:
  """(bytes, what they are): config.data.device_budget_mb, else a quarter of the device's memory."""
  if cfg_data.device_budget_mb:
    return int(cfg_data.device_budget_mb * 2**20), "config.data.device_budget_mb"
  stats = jax.local_devices()[0].memory_stats() or {}
  if stats.get("bytes_limit"):
    return stats["bytes_limit"] // 4, f"a quarter of {jax.local_devices()[0].device_kind}'s memory"
  host = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
  return host // 4, "a quarter of the host's memory"


def choose(cfg_data: ml_collections.ConfigDict, records: data.Records) -> tuple[str, str]:
  """(pipeline, why): config.data.pipeline, with `auto` resolved; `device` over budget is refused."""
  asked = cfg_data.pipeline
  if asked not in PIPELINES:
    raise ConfigError(f"config.data.pipeline must be one of {', '.join(PIPELINES)}, got {asked!r}")
  if asked == "stream":
    return "stream", "config.data.pipeline=stream"
  need, (budget, what) = records.nbytes, device_budget_bytes(cfg_data)
  fits = need <= budget
  size = f"{records.name}'s splits need {need / 2**20:,.0f} MiB decoded, {what} is {budget / 2**20:,.0f} MiB"
  if asked == "device" and not fits:
    raise ConfigError(f"{size}: too large for config.data.pipeline=device; use stream (or auto)")
  if asked == "device":
    return "device", "config.data.pipeline=device"
  return ("device", f"auto: {size}") if fits else ("stream", f"auto: {size}")


class DevicePipeline:
  """Every split on the device, replicated over the mesh; batches gathered inside the compiled call."""

  name = "device"

  def __init__(self, dataset: data.Dataset, *, batch_size: int, eval_batch_size: int, mesh):
    self.dataset, self.records, self.mesh = dataset, data.in_memory(dataset), mesh
    self.batch_size, self.eval_batch_size = batch_size, eval_batch_size
    self.splits = jax.device_put(dataset.splits, NamedSharding(mesh, P()))
    self.n_train = len(dataset.splits["train"]["x"])
    self.first_batch = {k: v[:batch_size] for k, v in self.splits["train"].items()}
    self.max_call_steps = self.n_train // batch_size  # A whole epoch can be one call.

  def steps(self, task: Task, *, chunk: int = 0, members: bool = False) -> StepsFn:
    """`train_steps` compiled once per number of steps, with the state donated. `members=True`: states
    and permutations carry a leading axis of ensemble members (vmapped), the data is shared."""
    del chunk  # Any call size: every row is on the device.
    by_example, compiled, train = NamedSharding(self.mesh, P("data")), {}, self.splits["train"]

    def run_steps(state, perm, start, num_steps):
      if num_steps not in compiled:
        fn = partial(train_steps, task, num_steps=num_steps, batch_size=self.batch_size, sharding=by_example)
        fn = jax.vmap(fn, in_axes=(0, None, 0, None)) if members else fn
        compiled[num_steps] = jax.jit(fn, donate_argnums=0)
      return compiled[num_steps](state, train, perm, start)

    return run_steps

  def reducer(self, fn: SumsFn, *, members: bool = False) -> ReduceFn:
    """reduce(state, split): `fn`'s sums over the split in batches of eval_batch_size, on the device."""
    reduce = partial(reduce_split, fn, batch_size=self.eval_batch_size)
    reduce = jax.jit(jax.vmap(reduce, (0, None)) if members else reduce)
    return lambda state, split: reduce(state, self.splits[split])


def train_steps(task: Task, state, arrays, perm, start, *, num_steps: int, batch_size: int, sharding):
  """`num_steps` train steps; step i uses examples perm[(start + i) * B : (start + i + 1) * B]."""
  idx_SxB = jax.lax.dynamic_slice_in_dim(perm, start * batch_size, num_steps * batch_size)

  def body(state, idx_B):
    batch = {k: jax.lax.with_sharding_constraint(v[idx_B], sharding) for k, v in arrays.items()}
    return task.train_step(state, batch)

  return scan_steps(body, state, idx_SxB.reshape(num_steps, batch_size), num_steps)


def reduce_split(fn: SumsFn, state, arrays, *, batch_size: int):
  """Sum of `fn(state, batch)` over a whole split in batches of `batch_size`, the last one padded
  ("mask" 0 on the padding)."""
  n = len(next(iter(arrays.values())))
  num_batches = -(-n // batch_size)
  pad = num_batches * batch_size - n
  batched = {
    k: jnp.pad(v, [(0, pad)] + [(0, 0)] * (v.ndim - 1)).reshape(num_batches, batch_size, *v.shape[1:])
    for k, v in arrays.items()
  }
  batched["mask"] = (jnp.arange(num_batches * batch_size) < n).reshape(num_batches, batch_size)
  return jax.tree.map(lambda v: jnp.sum(v, axis=0), jax.lax.map(partial(fn, state), batched))


def masked_sums(task: Task, state, batch) -> dict[str, jax.Array]:
  """Sums of each per-example metric of `task.eval_step` over the rows whose "mask" is 1."""
  inputs = {k: v for k, v in batch.items() if k != "mask"}
  return {k: jnp.sum(jnp.where(batch["mask"], v, 0.0)) for k, v in task.eval_step(state, inputs).items()}


def evaluator(pipeline, task: Task, *, members: bool = False) -> EvaluateFn:
  """evaluate(state): the mean of each per-example metric over each held-out split of `pipeline`."""
  reduce = pipeline.reducer(partial(masked_sums, task), members=members)
  sizes = {s: len(pipeline.records.splits[s]) for s in ("validation", "test") if s in pipeline.records.splits}
  return lambda state: {
    s: {k: np.asarray(v) / n for k, v in jax.device_get(reduce(state, s)).items()} for s, n in sizes.items()
  }


def train_batches(task: Task, state, batches, *, num_steps: int, sharding):
  """`num_steps` train steps on batches with a leading step axis [S, B, ...], as the stream reads them."""

  def body(state, batch):
    return task.train_step(
      state, {k: jax.lax.with_sharding_constraint(v, sharding) for k, v in batch.items()}
    )

  return scan_steps(body, state, batches, num_steps)


def batch_rows(sharding: NamedSharding, shape: tuple[int, ...], axis: int) -> slice:
  """The rows along `axis` of a global array of `shape` that this process's devices hold under
  `sharding`: the part of every global batch this process reads."""
  spans = {
    (s[axis].start or 0, s[axis].stop or shape[axis])
    for s in sharding.addressable_devices_indices_map(shape).values()
  }
  lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
  if sum(b - a for a, b in spans) != hi - lo:
    raise ConfigError("this process's devices do not hold one contiguous block of the batch")
  return slice(lo, hi)


class StreamPipeline:
  """Batches read from the splits' records call by call (nets/data/stream.py); no split on the device."""

  name = "stream"

  def __init__(self, records: data.Records, *, batch_size: int, eval_batch_size: int, mesh, options):
    self.records, self.batch_size, self.mesh, self.options = records, batch_size, mesh, options
    self.eval_batch_size = -(-eval_batch_size // mesh.size) * mesh.size  # Each device an equal share.
    self.train = records.splits["train"]
    self.n_train = len(self.train)
    self.splits = dict.fromkeys(records.splits)  # The split names (EarlyStopping asks which there are).
    self.dataset = records.described()  # What tasks.make reads: shapes, classes.
    self.max_call_steps = max(1, STREAM_CALL_BYTES // (batch_size * self.train.example_bytes))
    rows = self._rows(P("data"), (batch_size,))
    self.first_batch = self._place(self.train.read(np.arange(batch_size)[rows]), P("data"))

  def _rows(self, spec: P, shape: tuple[int, ...]) -> slice:
    return batch_rows(NamedSharding(self.mesh, spec), shape, list(spec).index("data"))

  def _place(self, arrays: dict, spec: P) -> dict[str, jax.Array]:
    """This process's rows of a global batch as one global array, sharded by `spec` (rows on "data")."""
    axis, share = list(spec).index("data"), self.mesh.size // len(self.mesh.local_devices)
    sharding, out = NamedSharding(self.mesh, spec), {}
    for k, v in arrays.items():
      shape = (*v.shape[:axis], v.shape[axis] * share, *v.shape[axis + 1 :])
      out[k] = jax.make_array_from_process_local_data(sharding, v, shape)
    return out

  def steps(self, task: Task, *, chunk: int, members: bool = False) -> StepsFn:
    """A StepsFn whose call (start, S) trains on steps start..start+S-1 of `perm`, as the stream read
    them: from an epoch's first call (start 0) on, it reads that epoch's calls of `chunk` steps ahead."""
    epoch_steps = self.n_train // self.batch_size
    spec = P(*[None] * (2 if members else 1), "data")  # [M,] S, B, ...
    by_example, compiled, calls = NamedSharding(self.mesh, P("data")), {}, iter(())  # A step's [B, ...]
    rows = self._rows(spec, (*(1,) * (len(spec) - 1), self.batch_size))
    place = lambda call: (call[0], self._place(call[1], spec))

    def run_steps(state, perm, start, num_steps):
      nonlocal calls
      if start == 0:
        perm = np.asarray(jax.device_get(perm))
        read = stream.epoch_calls(
          self.train,
          perm,
          rows,
          batch_size=self.batch_size,
          num_steps=epoch_steps,
          chunk=chunk,
          options=self.options,
        )
        calls = stream.to_device(read, place, self.options.device_prefetch)
      got, batches = next(calls)
      if (got, batches["y"].shape[len(spec) - 2]) != (start, num_steps):  # The loop's plan is the stream's.
        raise RuntimeError(
          f"the stream read steps from {got}, the loop asked for {start}..{start + num_steps}"
        )
      if num_steps not in compiled:
        fn = partial(train_batches, task, num_steps=num_steps, sharding=by_example)
        compiled[num_steps] = jax.jit(jax.vmap(fn) if members else fn, donate_argnums=0)
      return compiled[num_steps](state, batches)

    return run_steps

  def reducer(self, fn: SumsFn, *, members: bool = False) -> ReduceFn:
    """reduce(state, split): `fn`'s sums over the split in batches of eval_batch_size, read by the stream."""
    sums = jax.jit(jax.vmap(fn, (0, None)) if members else fn)
    rows = self._rows(P("data"), (self.eval_batch_size,))
    place = lambda batch: self._place(batch, P("data"))

    def reduce(state, split):
      total = None
      read = stream.eval_batches(
        self.records.splits[split], rows, batch_size=self.eval_batch_size, options=self.options
      )
      for batch in stream.to_device(read, place, self.options.device_prefetch):
        part = sums(state, batch)
        total = part if total is None else jax.tree.map(jnp.add, total, part)
      return total

    return reduce


def make(
  config: ml_collections.ConfigDict, records: data.Records, mesh, *, dataset: data.Dataset | None = None
):
  """(pipeline, why) for `records` as config.data.pipeline says; `dataset`: the arrays, if already read."""
  name, why = choose(config.data, records)
  sizes = dict(batch_size=config.batch_size, eval_batch_size=config.eval_batch_size, mesh=mesh)
  if name == "device":
    return DevicePipeline(dataset if dataset is not None else records.read(), **sizes), why
  options = stream.StreamOptions(**config.data.stream.to_dict())  # Its fields checked by nets.options.
  return StreamPipeline(records, options=options, **sizes), why
