"""Learning problems by name. A task is pure functions over its own state:

  state = task.init(key, batch)
  state, metrics = task.train_step(state, batch)       # metrics: scalars (batch means)
  metrics = task.eval_step(state, batch)               # metrics: per-example values, shape [B]

`batch` is {"x": inputs, "y": targets}. The one loop (nets/training/loop.py) drives any task.
"""

from collections.abc import Callable

import ml_collections
import optax

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

TASKS: dict[str, Callable] = {
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


def make(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """The task `config.task`, built for `dataset` with optimizer `tx`."""
  return lookup(TASKS, "task", config.task)(config, dataset, tx)
