"""Line recognition with CTC: the supervised task with optax's CTC loss and character-error metrics.

The model maps a line image to per-frame logits [B, T, C]; y holds 0-padded label sequences [B, L].
eval_step reports per line `edits` (Levenshtein distance of the greedy decoding) and `chars`, whose
means' ratio is the character error rate, and `line_cer`, the line's own rate.

Of config.augment, the transforms that keep a line's text take effect (crop, shrink, max_shift,
max_degrees); those that would change it are not this task's fields (nets.options refuses them before any
data is read): mirroring reverses the text, erasing deletes characters the label still has, and MixUp mixes
two texts that CTC cannot score as one.
"""

import ml_collections
import optax

from nets import models
from nets.data import Dataset
from nets.recognizer.ctc import ctc_loss, line_metrics
from nets.tasks.supervised import Supervised, compute_dtype, regularisers


def ctc(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation) -> Supervised:
  model = models.make(config.model, dataset.num_classes)
  return Supervised(
    model, tx, ctc_loss, lambda y, outputs: y, line_metrics, compute_dtype(config), **regularisers(config)
  )
