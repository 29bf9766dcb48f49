"""A generative adversarial network (Goodfellow et al. 2014), the non-saturating variant.

Two players, each with its own parameters and optimizer state, updated alternately by one pure
`train_step`: the discriminator D learns to tell real images (logit > 0) from generated ones, then
the generator G learns to make D call its images real. Any registered model can play either part:
config.generator maps a noise vector z to every pixel (reshaped to the images' shape; a sigmoid
output puts them in [0, 1]), config.discriminator maps an image to one logit.
"""

import dataclasses
import math
from typing import Any

import flax
import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models, optim
from nets.data import Dataset
from nets.tasks.supervised import Batch

_EVAL = 2**31 - 1  # Folded into the key for evaluation noise: never a train step number.


@flax.struct.dataclass
class GANState:
  step: jax.Array
  gen_params: Any
  disc_params: Any
  gen_opt_state: Any
  disc_opt_state: Any
  key: jax.Array  # Folded with `step` for each step's noise.

  @property
  def params(self) -> dict:
    return {"generator": self.gen_params, "discriminator": self.disc_params}


def discriminator_loss(real_logits_B: jax.Array, fake_logits_B: jax.Array) -> jax.Array:
  """Cross-entropy of D calling real images real and generated ones fake: -log D(x) - log(1 - D(G(z)))."""
  return jax.nn.softplus(-real_logits_B) + jax.nn.softplus(fake_logits_B)


def generator_loss(fake_logits_B: jax.Array) -> jax.Array:
  """Non-saturating: -log D(G(z)), whose gradient stays large while D rejects the fakes."""
  return jax.nn.softplus(-fake_logits_B)


@dataclasses.dataclass(frozen=True)
class GAN:
  generator: nn.Module
  discriminator: nn.Module
  tx: optax.GradientTransformation  # Each player gets its own state of it.
  image_shape: tuple[int, ...]
  latent_dim: int

  def generate(self, gen_params, z_BxK: jax.Array) -> jax.Array:
    pixels = self.generator.apply({"params": gen_params}, z_BxK, train=False)
    return pixels.reshape(z_BxK.shape[0], *self.image_shape)

  def _logits(self, disc_params, x: jax.Array, key: jax.Array | None = None) -> jax.Array:
    train = key is not None
    rngs = {"dropout": key} if train else {}
    return self.discriminator.apply({"params": disc_params}, x, train=train, rngs=rngs)[:, 0]

  def _noise(self, key: jax.Array, batch_size: int) -> jax.Array:
    return jax.random.normal(key, (batch_size, self.latent_dim))

  def init(self, key: jax.Array, batch: Batch) -> GANState:
    gen_key, disc_key, state_key = jax.random.split(key, 3)
    gen_params = self.generator.init(gen_key, self._noise(gen_key, 1))["params"]
    disc_params = self.discriminator.init(disc_key, batch["x"][:1])["params"]
    return GANState(
      jnp.zeros((), jnp.int32),
      gen_params,
      disc_params,
      self.tx.init(gen_params),
      self.tx.init(disc_params),
      state_key,
    )

  def train_step(self, state: GANState, batch: Batch) -> tuple[GANState, dict[str, jax.Array]]:
    real = batch["x"]
    z_key, z2_key, d_key, d2_key = jax.random.split(jax.random.fold_in(state.key, state.step), 4)
    fake = self.generate(state.gen_params, self._noise(z_key, real.shape[0]))

    def d_loss_fn(disc_params):
      real_logits, fake_logits = (
        self._logits(disc_params, real, d_key),
        self._logits(disc_params, fake, d_key),
      )
      return discriminator_loss(real_logits, fake_logits).mean(), (real_logits, fake_logits)

    (d_loss, (real_logits, fake_logits)), d_grads = jax.value_and_grad(d_loss_fn, has_aux=True)(
      state.disc_params
    )
    disc_params, disc_opt_state, d_health = optim.apply_gradients(
      self.tx, d_grads, state.disc_opt_state, state.disc_params
    )

    def g_loss_fn(gen_params):  # Against the discriminator just updated: the players alternate.
      fake = self.generate(gen_params, self._noise(z2_key, real.shape[0]))
      return generator_loss(self._logits(disc_params, fake, d2_key)).mean()

    g_loss, g_grads = jax.value_and_grad(g_loss_fn)(state.gen_params)
    gen_params, gen_opt_state, g_health = optim.apply_gradients(
      self.tx, g_grads, state.gen_opt_state, state.gen_params
    )
    state = state.replace(
      step=state.step + 1,
      gen_params=gen_params,
      disc_params=disc_params,
      gen_opt_state=gen_opt_state,
      disc_opt_state=disc_opt_state,
    )
    metrics = {
      "loss": d_loss + g_loss,
      "d_loss": d_loss,
      "g_loss": g_loss,
      "d_real": jax.nn.sigmoid(real_logits).mean(),  # D's probability that a real image is real
      "d_fake": jax.nn.sigmoid(fake_logits).mean(),  # ... and that a generated one is
      **{f"d_{k}": v for k, v in d_health.items()},  # Each player's own health figures.
      **{f"g_{k}": v for k, v in g_health.items()},
    }
    return state, metrics

  def eval_step(self, state: GANState, batch: Batch) -> dict[str, jax.Array]:
    """D's loss and verdicts on held-out real images beside as many generated ones."""
    real = batch["x"]
    fake = self.generate(state.gen_params, self._noise(jax.random.fold_in(state.key, _EVAL), real.shape[0]))
    real_logits, fake_logits = self._logits(state.disc_params, real), self._logits(state.disc_params, fake)
    return {
      "d_loss": discriminator_loss(real_logits, fake_logits),
      "d_real": jax.nn.sigmoid(real_logits),
      "d_fake": jax.nn.sigmoid(fake_logits),
    }

  def sample(self, state: GANState, key: jax.Array, num: int) -> jax.Array:
    return self.generate(state.gen_params, self._noise(key, num))


def gan(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation) -> GAN:
  """Generator config.generator (from config.latent_dim noise values), discriminator config.discriminator."""
  shape = tuple(dataset.input_shape)
  generator = models.make(config.generator, math.prod(shape))
  return GAN(generator, models.make(config.discriminator, 1), tx, shape, config.latent_dim)
