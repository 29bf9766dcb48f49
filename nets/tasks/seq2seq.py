"""Sequence-to-sequence transduction: x = source ids [B, S], y = target ids [B, T] ending in EOS.

Training feeds the true previous token (teacher forcing); evaluation also decodes greedily and
scores exact_match: every target token up to and including EOS right.
"""

import dataclasses

import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models
from nets.data import Dataset
from nets.errors import ConfigError
from nets.models.seq2seq import BOS, PAD
from nets.tasks.language_model import _one_hot, sequence_cross_entropy, token_metrics
from nets.tasks.supervised import Batch, Supervised, TrainState, cast_floats, compute_dtype


def shift_right(y_BxT: jax.Array) -> jax.Array:
  """Decoder inputs: BOS, then the targets one step late."""
  return jnp.concatenate([jnp.full_like(y_BxT[:, :1], BOS), y_BxT[:, :-1]], axis=1)


def scored(y_BxT: jax.Array) -> jax.Array:
  return jnp.where(y_BxT == PAD, -1, y_BxT)


def exact_match(logits_BxTxV: jax.Array, y_BxT: jax.Array) -> jax.Array:
  ok_BxT = (jnp.argmax(logits_BxTxV, -1) == y_BxT) | (y_BxT == PAD)
  return jnp.all(ok_BxT, axis=1).astype(jnp.float32)


@dataclasses.dataclass(frozen=True)
class Seq2Seq(Supervised):
  def _forward(self, params, model_state, batch: Batch, key, mix_targets=None):
    if mix_targets is not None:
      raise ConfigError("MixUp mixes one-hot class targets; a sequence-to-sequence task has none")
    del key  # No dropout in this model.
    if self.compute_dtype != jnp.float32:  # The model in compute_dtype; loss and gradients in float32.
      params = cast_floats(params, self.compute_dtype)
    logits = self.model.apply({"params": params, **model_state}, batch["x"], shift_right(batch["y"]))
    logits = logits.astype(jnp.float32)
    y = scored(batch["y"])
    return self.loss(logits, self.targets(y, logits)), (logits, model_state)

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    loss_B, (logits, _) = self._forward(state.params, state.model_state, batch, None)
    T = batch["y"].shape[1]
    greedy = jnp.full_like(batch["y"], -1).at[:, 0].set(BOS)
    decoded = self.model.apply({"params": state.params, **state.model_state}, batch["x"], greedy[:, :T])
    return {
      "loss": loss_B,
      "token_accuracy": token_metrics(logits, scored(batch["y"]))["accuracy"],
      "exact_match": exact_match(decoded, batch["y"]),
    }

  def predict(self, state: TrainState, x: jax.Array) -> jax.Array:
    return jnp.argmax(self.model.apply({"params": state.params, **state.model_state}, x), -1)


def seq2seq(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  V = dataset.num_classes

  def metrics(logits, y):
    return {"token_accuracy": token_metrics(logits, scored(y))["accuracy"]}

  model, dtype = models.make(config.model, V), compute_dtype(config)
  return Seq2Seq(model, tx, sequence_cross_entropy, _one_hot(V), metrics, dtype)
