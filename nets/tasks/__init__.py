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
from nets.errors import lookup
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


def make(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation) -> Task:
  """The task `config.task`, built for `dataset` with optimizer `tx`."""
  config = options.resolve(config)  # Refuses a compute_dtype the task does not honour (MIXED_PRECISION).
  return lookup(TASKS, "task", config.task)(config, dataset, tx)


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
