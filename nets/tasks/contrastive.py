"""Contrastive self-supervision (SimCLR, Chen et al. 2020): two random views of every image, and a
loss that picks each view's partner out of the batch. Labels are never used.

An encoder maps an image to its representation h; a small MLP head maps h to z, where the NT-Xent
loss compares views by cosine similarity. The representation is judged afterwards by a linear probe.
"""

import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models, optim
from nets.data import Dataset
from nets.errors import ConfigError
from nets.models.autoencoder import SimCLRConv
from nets.tasks.supervised import Batch, TrainState

_EVAL = 2**31 - 1  # Folded into the key for evaluation views: never a train step number.


def nt_xent(z1_BxD: jax.Array, z2_BxD: jax.Array, temperature: float) -> jax.Array:
  """Normalised temperature-scaled cross-entropy, per pair (the mean of its two directions).

  The 2B projections are normalised; view i's logits are its cosine similarities / temperature to
  the other 2B - 1 views, and the target is its partner: -log softmax at the partner.
  """
  z = jnp.concatenate([z1_BxD, z2_BxD])
  z = z / jnp.linalg.norm(z, axis=-1, keepdims=True)
  n = z.shape[0]
  sim_NxN = z @ z.T / temperature
  sim_NxN = jnp.where(jnp.eye(n, dtype=bool), -jnp.inf, sim_NxN)  # A view is not its own partner.
  partner_N = (jnp.arange(n) + n // 2) % n
  loss_N = jax.nn.logsumexp(sim_NxN, axis=-1) - sim_NxN[jnp.arange(n), partner_N]
  return 0.5 * (loss_N[: n // 2] + loss_N[n // 2 :])


def augment(key: jax.Array, x: jax.Array, max_shift: float, zoom: tuple[float, float], noise: float):
  """One random view of an H x W x C image or an L x C signal: zoomed by a factor in `zoom` about the
  centre, shifted up to `max_shift` pixels (samples) each way along every spatial axis (linear
  interpolation, zeros outside), plus Gaussian noise. Images are clipped back to the pixel range [0, 1];
  signals (MNIST-1D's are real-valued, about unit variance) are left unclipped."""
  zoom_key, shift_key, noise_key = jax.random.split(key, 3)
  dims = x.ndim - 1
  size = jnp.array(x.shape[:dims], jnp.float32)
  scale = jax.random.uniform(zoom_key, (), minval=zoom[0], maxval=zoom[1])
  shift = jax.random.uniform(shift_key, (dims,), minval=-max_shift, maxval=max_shift)
  axes = tuple(range(dims))
  view = jax.image.scale_and_translate(
    x, x.shape, axes, jnp.full((dims,), scale), (1 - scale) * size / 2 + shift, "linear"
  )
  view = view + noise * jax.random.normal(noise_key, view.shape)
  return jnp.clip(view, 0.0, 1.0) if dims == 2 else view


@dataclasses.dataclass(frozen=True)
class Contrastive:
  encoder: nn.Module
  head: nn.Module
  tx: optax.GradientTransformation
  temperature: float = 0.5
  max_shift: float = 3.0
  zoom: tuple[float, float] = (0.8, 1.2)
  noise: float = 0.1

  def views(self, key: jax.Array, x_BxHxWxC: jax.Array) -> jax.Array:
    """One view of every example (N x H x W x C images or N x L x C signals)."""
    keys = jax.random.split(key, x_BxHxWxC.shape[0])
    return jax.vmap(lambda k, x: augment(k, x, self.max_shift, self.zoom, self.noise))(keys, x_BxHxWxC)

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    enc_key, head_key, state_key = jax.random.split(key, 3)
    encoder = self.encoder.init(enc_key, batch["x"])["params"]
    head = self.head.init(head_key, self.encoder.apply({"params": encoder}, batch["x"]))["params"]
    params = {"encoder": encoder, "head": head}
    return TrainState(jnp.zeros((), jnp.int32), params, {}, self.tx.init(params), state_key)

  def _pair_loss(self, params, x, key) -> tuple[jax.Array, jax.Array]:
    k1, k2 = jax.random.split(key)
    both = jnp.concatenate([self.views(k1, x), self.views(k2, x)])
    z = self.head.apply({"params": params["head"]}, self.encoder.apply({"params": params["encoder"]}, both))
    z1, z2 = jnp.split(z, 2)
    return nt_xent(z1, z2, self.temperature), z

  def train_step(self, state: TrainState, batch: Batch):
    key = jax.random.fold_in(state.key, state.step)
    loss_fn = lambda p: self._pair_loss(p, batch["x"], key)[0].mean()
    loss, grads = jax.value_and_grad(loss_fn)(state.params)
    params, opt_state, health = optim.apply_gradients(self.tx, grads, state.opt_state, state.params)
    return state.replace(step=state.step + 1, params=params, opt_state=opt_state), {"loss": loss, **health}

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    """NT-Xent on held-out pairs, and whether each view's nearest other view is its partner."""
    loss_B, z = self._pair_loss(state.params, batch["x"], jax.random.fold_in(state.key, _EVAL))
    z = z / jnp.linalg.norm(z, axis=-1, keepdims=True)
    n = z.shape[0]
    sim = jnp.where(jnp.eye(n, dtype=bool), -jnp.inf, z @ z.T)
    hit_N = (jnp.argmax(sim, axis=-1) == (jnp.arange(n) + n // 2) % n).astype(jnp.float32)
    return {"loss": loss_B, "partner_top1": 0.5 * (hit_N[: n // 2] + hit_N[n // 2 :])}

  def represent(self, params, x: jax.Array) -> jax.Array:
    """The representation h (the encoder's output), for probes and downstream tasks."""
    return self.encoder.apply({"params": params["encoder"]}, x)


def contrastive(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """SimCLR with a conv encoder (config.model: widths, representation_dim) and an MLP head."""
  net, aug = models.make(config.model), config.augment
  if not isinstance(net, SimCLRConv):
    raise ConfigError(f"task 'contrastive' needs model 'simclr_conv', got {config.model.name!r}")
  encoder, head = net.encoder(), net.head()
  zoom = tuple(aug.zoom)
  return Contrastive(encoder, head, tx, config.temperature, aug.max_shift, zoom, aug.noise)
