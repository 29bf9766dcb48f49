"""Batches read from disk as training needs them: grain over a split's records, never the whole split.

The unit is a *call*: the rows of `steps` consecutive batches, which the loop trains on in one compiled
call. An epoch is a grain MapDataset over its calls (`epoch_calls`): call c reads the rows
perm[start * B : (start + steps) * B] of the run's own per-epoch permutation, so the stream feeds exactly
the batches the device pipeline gathers on the device. Reading and decoding (SplitReader.read: pixels to
float32, standardizing) run in grain's worker threads (and, with `workers` > 0, processes), `prefetch`
calls ahead of the step; `to_device` places each call on the mesh a few calls ahead of its use.

In a multi-process run every process reads only its own part `mine` of each global batch (the rows its
devices hold along the mesh's "data" axis); nets/training/pipelines.py assembles the global array from
the parts (`jax.make_array_from_process_local_data`), so no process ever reads the whole batch.
"""

import collections
from collections.abc import Callable, Iterable, Iterator

import grain
import numpy as np
from absl import flags

from nets.data import SplitReader
from nets.options import Stream

# How the stream reads: its fields, defaults and meanings are declared in nets/options.py.
StreamOptions = Stream


def _iterate(calls: grain.MapDataset, options: StreamOptions) -> Iterator:
  read = grain.ReadOptions(num_threads=options.threads, prefetch_buffer_size=options.prefetch)
  ds = calls.to_iter_dataset(read)
  if options.workers:
    if not flags.FLAGS.is_parsed():  # grain's workers read absl flags; a program without absl.app has none.
      flags.FLAGS.mark_as_parsed()
    ds = ds.mp_prefetch(grain.MultiprocessingOptions(num_workers=options.workers))
  return iter(ds)


def epoch_calls(
  split: SplitReader,
  perm: np.ndarray,
  mine: slice,
  *,
  batch_size: int,
  num_steps: int,
  chunk: int,
  options: StreamOptions,
) -> Iterator[tuple[int, dict[str, np.ndarray]]]:
  """(start, this process's rows `mine` of each batch of steps start..start+S-1), in order, one epoch.

  `perm` is [N] (one run) or [M, N] (ensemble members, each its own order); a call's arrays are
  [(M,) S, B_local, ...]."""
  plan = [(start, min(chunk, num_steps - start)) for start in range(0, num_steps, chunk)]
  lead = perm.shape[:-1]

  def read(call):
    start, steps = call
    rows = perm[..., start * batch_size : (start + steps) * batch_size]
    rows = rows.reshape(*lead, steps, batch_size)[..., mine]
    arrays = split.read(rows.reshape(-1))
    return start, {k: v.reshape(*rows.shape, *v.shape[1:]) for k, v in arrays.items()}

  return _iterate(grain.MapDataset.source(plan).map(read), options)


def eval_batches(
  split: SplitReader, mine: slice, *, batch_size: int, options: StreamOptions
) -> Iterator[dict[str, np.ndarray]]:
  """A split in order, in batches of `batch_size` (this process's rows `mine` of each), the last one
  padded with copies of row 0 and "mask" 0 on the padding."""
  n = len(split)

  def read(lo):
    rows = np.arange(lo, lo + batch_size)
    mask = (rows < n).astype(np.float32)
    rows = np.where(rows < n, rows, 0)[mine]
    return {**split.read(rows), "mask": mask[mine]}

  return _iterate(grain.MapDataset.source(list(range(0, n, batch_size))).map(read), options)


def to_device(items: Iterable, place: Callable, ahead: int) -> Iterator:
  """`place(item)` for each item, `ahead` items before it is used, so the host-to-device copy of the
  next call overlaps the step on this one (jax.device_put returns before the copy is done)."""
  queue = collections.deque()
  for item in items:
    queue.append(place(item))
    if len(queue) > ahead:
      yield queue.popleft()
  while queue:
    yield queue.popleft()
