"""Skip-gram with negative sampling (Mikolov et al. 2013): word vectors from (word, context) pairs.

Batches are {"x": center word ids [B], "y": context word ids [B]}. Each pair is scored against
`negatives` words drawn from the contexts' unigram distribution to the 3/4 power:
  loss = -log sigmoid(u_x . v_y) - sum_k log sigmoid(-u_x . v_k).
The word vectors are the "input" table u.
"""

import dataclasses

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax

from nets import optim
from nets.data import Dataset
from nets.tasks.supervised import Batch, TrainState


def sgns_loss(u_BxD: jax.Array, v_BxD: jax.Array, neg_BxKxD: jax.Array) -> jax.Array:
  """Negative-sampling loss per pair [B]."""
  positive = jax.nn.log_sigmoid(jnp.sum(u_BxD * v_BxD, -1))
  negative = jax.nn.log_sigmoid(-jnp.einsum("bd,bkd->bk", u_BxD, neg_BxKxD)).sum(-1)
  return -(positive + negative)


@dataclasses.dataclass(frozen=True)
class SkipGram:
  vocab_size: int
  dim: int
  negatives: int
  noise_cdf: jax.Array  # [V] cumulative negative-sampling distribution
  tx: optax.GradientTransformation

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    del batch
    init_key, state_key = jax.random.split(key)
    # word2vec's initialisation: inputs uniform in +-0.5/dim, outputs zero.
    u = jax.random.uniform(init_key, (self.vocab_size, self.dim), minval=-0.5, maxval=0.5) / self.dim
    params = {"input": u, "output": jnp.zeros((self.vocab_size, self.dim))}
    return TrainState(jnp.zeros((), jnp.int32), params, {}, self.tx.init(params), state_key)

  def _loss(self, params, batch: Batch, key: jax.Array) -> jax.Array:
    # Inverse-CDF sampling: cheaper than categorical's Gumbel noise over the whole vocabulary.
    u_BxK = jax.random.uniform(key, (*batch["x"].shape, self.negatives))
    neg_BxK = jnp.minimum(jnp.searchsorted(self.noise_cdf, u_BxK), self.vocab_size - 1)
    u, out = params["input"][batch["x"]], params["output"]
    return sgns_loss(u, out[batch["y"]], out[neg_BxK])

  def train_step(self, state: TrainState, batch: Batch):
    key = jax.random.fold_in(state.key, state.step)
    loss, grads = jax.value_and_grad(lambda p: self._loss(p, batch, key).mean())(state.params)
    params, opt_state, health = optim.apply_gradients(self.tx, grads, state.opt_state, state.params)
    return state.replace(step=state.step + 1, params=params, opt_state=opt_state), {"loss": loss, **health}

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    return {"loss": self._loss(state.params, batch, jax.random.PRNGKey(0))}


def skipgram(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  noise = np.bincount(dataset.splits["train"]["y"], minlength=dataset.num_classes) ** 0.75
  return SkipGram(
    dataset.num_classes,
    config.model.dim,
    config.negatives,
    jnp.asarray(np.cumsum(noise) / noise.sum(), jnp.float32),
    tx,
  )
