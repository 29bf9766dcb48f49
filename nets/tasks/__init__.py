"""Learning problems by name. A task is pure functions over its own state:

  state = task.init(key, batch)
  state, metrics = task.train_step(state, batch)       # metrics: scalars (batch means)
  metrics = task.eval_step(state, batch)               # metrics: per-example values, shape [B]

`batch` is {"x": inputs, "y": targets}. The one loop (nets/training/loop.py) drives any task through
the `Task` protocol; a task may offer more (`predict`, `sample`, `encode`, ...), which the drivers that
use it name by the protocols of nets/tasks/protocol.py.
"""

import ml_collections
import optax

from nets import options
from nets.data import Dataset
from nets.errors import ConfigError, lookup
from nets.tasks import (
  autoencode,
  contrastive,
  ctc,
  gan,
  language_model,
  nextpixel,
  seq2seq,
  skipgram,
  supervised,
)
from nets.tasks.protocol import Batch, Generator, Metrics, Predictor, Reconstructor, State, Task, TaskFactory

TASKS: dict[str, TaskFactory] = {
  "classify": supervised.classification,
  "regress": supervised.regression,
  "language_model": language_model.next_token,
  "masked_lm": language_model.masked,
  "seq2seq": seq2seq.seq2seq,
  "skipgram": skipgram.skipgram,
  "autoencode": autoencode.autoencode,
  "vae": autoencode.vae,
  "gan": gan.gan,
  "nextpixel": nextpixel.nextpixel,
  "contrastive": contrastive.contrastive,
  "ctc": ctc.ctc,
}


# Tasks whose model computes in config.compute_dtype (parameters, optimizer state and loss stay float32).
MIXED_PRECISION = ("classify", "regress", "ctc", "language_model", "masked_lm", "seq2seq")


def make(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation) -> Task:
  """The task `config.task`, built for `dataset` with optimizer `tx`."""
  config = options.resolve(config)
  factory = lookup(TASKS, "task", config.task)
  dtype = config.compute_dtype
  if dtype == "float16":
    raise ConfigError(
      "compute_dtype 'float16' needs loss scaling, which nets does not do; use 'bfloat16' "
      "(float32's range, and as fast on GPUs and TPUs)"
    )
  if dtype != "float32" and config.task not in MIXED_PRECISION:
    raise ConfigError(
      f"task {config.task!r} computes in float32 only; compute_dtype {dtype!r} is honoured by "
      f"{', '.join(MIXED_PRECISION)}"
    )
  return factory(config, dataset, tx)


__all__ = [
  "TASKS",
  "Batch",
  "Generator",
  "Metrics",
  "Predictor",
  "Reconstructor",
  "State",
  "Task",
  "TaskFactory",
  "make",
]
