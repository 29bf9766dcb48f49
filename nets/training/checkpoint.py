"""Orbax checkpoints of a train state plus JSON bookkeeping (epoch, best metric, ...)."""

import os
from typing import Any

import jax
import orbax.checkpoint as ocp

from nets.errors import ConfigError


class Checkpoints:
  """Numbered checkpoints in `directory`, the newest `max_to_keep` kept.

  read_only: for a reader (a service): nothing is created, saved or cleaned up in `directory`.
  """

  def __init__(self, directory: str, max_to_keep: int = 2, read_only: bool = False):
    self.directory = os.path.abspath(directory)
    if read_only:
      options = ocp.CheckpointManagerOptions(
        read_only=True, create=False, max_to_keep=None, save_interval_steps=0, cleanup_tmp_directories=False
      )
    else:
      options = ocp.CheckpointManagerOptions(max_to_keep=max_to_keep, create=True)
    self._manager = ocp.CheckpointManager(self.directory, options=options)

  def latest_step(self) -> int | None:
    return self._manager.latest_step()

  def save(self, step: int, state: Any, meta: dict) -> None:
    self._manager.save(
      step,
      args=ocp.args.Composite(state=ocp.args.StandardSave(state), meta=ocp.args.JsonSave(meta)),
      force=True,
    )

  def restore(self, like: Any, step: int | None = None) -> tuple[Any, dict]:
    """The state saved at `step` (default: latest), shaped like `like`, and its bookkeeping.

    A checkpoint that cannot be read is left untouched and reported as a ConfigError.
    """
    step = self.latest_step() if step is None else step
    abstract = jax.tree.map(ocp.utils.to_shape_dtype_struct, like)
    try:
      restored = self._manager.restore(
        step, args=ocp.args.Composite(state=ocp.args.StandardRestore(abstract), meta=ocp.args.JsonRestore())
      )
    except Exception as e:  # Orbax and TensorStore raise many kinds for a damaged file.
      others = [s for s in self._manager.all_steps() if s != step]
      raise ConfigError(
        f"checkpoint {step} in {self.directory} cannot be restored ({type(e).__name__}: "
        f"{(str(e).splitlines() or [''])[0][:300]}). Nothing was deleted. If the model or optimizer "
        f"changed since it was written, use a new --workdir; if it is damaged, move "
        f"{os.path.join(self.directory, str(step))} away to resume from an older one ({others or 'none'})."
      ) from e
    return restored["state"], dict(restored["meta"])

  def close(self) -> None:
    self._manager.wait_until_finished()
    self._manager.close()


def warm_start(params: Any, workdir: str, exclude: tuple[str, ...] = ()) -> Any:
  """`params` with every leaf whose path and shape match taken from the run in `workdir`, except those
  whose path (as jax.tree_util.keystr writes it, e.g. "['Dense_2']['kernel']") contains a string of
  `exclude`: a new head for a new task even where its shape matches the old head's.

  Transfer learning: a pre-trained body goes into a model with a new head. It is an error if
  nothing matches, so a wrong workdir never silently trains from scratch.
  """
  directory = os.path.join(os.path.abspath(workdir), "checkpoints")
  if not os.path.isdir(directory):
    raise ConfigError(f"init_from: no checkpoints in {directory}")
  manager = ocp.CheckpointManager(directory)
  step = manager.latest_step()
  if step is None:
    raise ConfigError(f"init_from: no checkpoints in {directory}")
  restored = manager.restore(step, args=ocp.args.Composite(state=ocp.args.StandardRestore()))
  manager.close()
  source = {jax.tree_util.keystr(path): leaf for path, leaf in _leaves(restored["state"]["params"])}
  copied = 0

  def take(path, leaf):
    nonlocal copied
    key = jax.tree_util.keystr(path)
    other = None if any(part in key for part in exclude) else source.get(key)
    if other is not None and other.shape == leaf.shape:
      copied += 1
      return jax.numpy.asarray(other, leaf.dtype)
    return leaf

  params = jax.tree_util.tree_map_with_path(take, params)
  if not copied:
    raise ConfigError(f"init_from: no parameter of {workdir} matches this model's names and shapes")
  return params


def _leaves(tree: Any):
  return jax.tree_util.tree_flatten_with_path(tree)[0]
