"""Language modelling: next-token prediction and masked-token (BERT-style) pre-training.

Batches are {"x": ids [B, T], "y": targets [B, T]}; a target below 0 is not scored. Both tasks are
the supervised task with a per-sequence loss: the mean cross-entropy over the scored positions.
Metrics per sequence: bits_per_char (that loss in bits) and accuracy (of the scored positions).
"""

import dataclasses
import math

import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models
from nets.data import Dataset
from nets.errors import ConfigError
from nets.tasks.supervised import Batch, Supervised, TrainState, compute_dtype


def sequence_cross_entropy(logits_BxTxV: jax.Array, targets_BxTxV: jax.Array) -> jax.Array:
  """Mean cross-entropy per sequence [B] over positions whose target row is not all zero."""
  ce_BxT = optax.softmax_cross_entropy(logits_BxTxV, targets_BxTxV)
  scored_B = jnp.sum(targets_BxTxV, axis=(1, 2))
  return jnp.sum(ce_BxT, axis=1) / jnp.maximum(scored_B, 1.0)


def token_metrics(logits_BxTxV: jax.Array, y_BxT: jax.Array) -> dict[str, jax.Array]:
  scored_BxT = y_BxT >= 0
  n_B = jnp.maximum(scored_BxT.sum(axis=1), 1)
  ce_BxT = optax.softmax_cross_entropy_with_integer_labels(logits_BxTxV, jnp.maximum(y_BxT, 0))
  correct_BxT = (jnp.argmax(logits_BxTxV, -1) == y_BxT) & scored_BxT
  return {
    "bits_per_char": jnp.sum(ce_BxT * scored_BxT, axis=1) / n_B / math.log(2),
    "accuracy": correct_BxT.sum(axis=1) / n_B,
  }


def mask_tokens(
  key: jax.Array, x_BxT: jax.Array, *, rate: float, mask_id: int, vocab_size: int
) -> tuple[jax.Array, jax.Array]:
  """BERT's corruption: (inputs, targets). A `rate` of positions is chosen; of those 80% become
  `mask_id`, 10% a random token, 10% stay. Targets are the original ids there, -1 elsewhere."""
  choose_key, how_key, token_key = jax.random.split(key, 3)
  chosen_BxT = jax.random.bernoulli(choose_key, rate, x_BxT.shape)
  u_BxT = jax.random.uniform(how_key, x_BxT.shape)
  random_BxT = jax.random.randint(token_key, x_BxT.shape, 0, vocab_size, x_BxT.dtype)
  corrupted = jnp.where(u_BxT < 0.8, mask_id, jnp.where(u_BxT < 0.9, random_BxT, x_BxT))
  return jnp.where(chosen_BxT, corrupted, x_BxT), jnp.where(chosen_BxT, x_BxT, -1)


@dataclasses.dataclass(frozen=True)
class MaskedLM(Supervised):
  """Predict the original tokens at randomly corrupted positions from the whole corrupted window."""

  rate: float = 0.15
  mask_id: int = 1
  vocab_size: int = 0

  def _corrupt(self, key: jax.Array, batch: Batch) -> Batch:
    x, y = mask_tokens(key, batch["x"], rate=self.rate, mask_id=self.mask_id, vocab_size=self.vocab_size)
    return {"x": x, "y": y}

  def train_step(self, state: TrainState, batch: Batch):
    key = jax.random.fold_in(jax.random.fold_in(state.key, state.step), 1)  # Not the dropout key.
    return super().train_step(state, self._corrupt(key, batch))

  def eval_step(self, state: TrainState, batch: Batch):
    # The same corruption every evaluation, so validation figures are comparable across epochs.
    return super().eval_step(state, self._corrupt(jax.random.PRNGKey(0), batch))


def _one_hot(vocab_size: int):
  def targets(y_BxT, logits_BxTxV):
    if logits_BxTxV.shape[-1] != vocab_size:
      raise ConfigError(f"model outputs {logits_BxTxV.shape[-1]} values for a vocabulary of {vocab_size}")
    return jax.nn.one_hot(y_BxT, vocab_size)  # -1 gives a zero row: not scored.

  return targets


def next_token(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """Predict y = the next token at every position of x (a causal model)."""
  V = dataset.num_classes
  model, dtype = models.make(config.model, V), compute_dtype(config)
  return Supervised(model, tx, sequence_cross_entropy, _one_hot(V), token_metrics, dtype)


def masked(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """Masked-token pre-training on x (y is ignored): config.mask_rate of positions corrupted."""
  from nets.data.text import MASK  # noqa: PLC0415

  V = dataset.num_classes
  return MaskedLM(
    models.make(config.model, V),
    tx,
    sequence_cross_entropy,
    _one_hot(V),
    token_metrics,
    compute_dtype(config),
    rate=config.mask_rate,
    mask_id=MASK,
    vocab_size=V,
  )
