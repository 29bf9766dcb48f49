"""Autoencoders: reconstruct the input through a small code; denoising; the variational autoencoder.

Labels are never used. `autoencode` fits pixel logits to the clean image under `config.loss`
(binary cross-entropy by default); with `config.noise_std > 0` the encoder sees the image plus
Gaussian noise (clipped to [0, 1]) and must return the clean one - the denoising autoencoder.
`vae` maximises the evidence lower bound (ELBO) with the reparameterisation trick.
"""

import dataclasses

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import losses, models, optim
from nets.data import Dataset
from nets.errors import ConfigError
from nets.models.autoencoder import VAE, Autoencoder
from nets.tasks.supervised import Batch, TrainState

_EVAL = 2**31 - 1  # Folded into the key for evaluation noise: never a train step number.


def gaussian_kl(mean_BxK: jax.Array, log_var_BxK: jax.Array) -> jax.Array:
  """KL(N(mean, exp(log_var)) || N(0, I)) per example, in nats: 1/2 sum(mean^2 + var - 1 - log_var)."""
  return 0.5 * jnp.sum(mean_BxK**2 + jnp.exp(log_var_BxK) - 1.0 - log_var_BxK, axis=-1)


def negative_elbo(
  logits_BxD: jax.Array, x_BxD: jax.Array, mean_BxK: jax.Array, log_var_BxK: jax.Array
) -> tuple[jax.Array, jax.Array, jax.Array]:
  """(-ELBO, reconstruction, KL) per example, in nats.

  -ELBO = -E_q[log p(x|z)] + KL(q(z|x) || p(z)); the expectation is estimated by the one sample
  that produced `logits`, and p(x|z) is a Bernoulli per pixel (cross-entropy summed over pixels).
  """
  recon_B = jnp.sum(optax.sigmoid_binary_cross_entropy(logits_BxD, x_BxD), axis=-1)
  kl_B = gaussian_kl(mean_BxK, log_var_BxK)
  return recon_B + kl_B, recon_B, kl_B


def _flat(x: jax.Array) -> jax.Array:
  return x.reshape(x.shape[0], -1)


def _sgd_step(tx, state: TrainState, loss_fn) -> tuple[TrainState, tuple, dict]:
  (loss, aux), grads = jax.value_and_grad(loss_fn, has_aux=True)(state.params)
  params, opt_state, health = optim.apply_gradients(tx, grads, state.opt_state, state.params)
  return state.replace(step=state.step + 1, params=params, opt_state=opt_state), (loss, aux), health


def _init_state(model: nn.Module, tx, key: jax.Array, *args) -> TrainState:
  init_key, state_key = jax.random.split(key)
  params = model.init(init_key, *args)["params"]
  return TrainState(jnp.zeros((), jnp.int32), params, {}, tx.init(params), state_key)


@dataclasses.dataclass(frozen=True)
class Autoencode:
  model: Autoencoder
  tx: optax.GradientTransformation
  loss: losses.Loss
  noise_std: float = 0.0

  def corrupt(self, key: jax.Array, x: jax.Array) -> jax.Array:
    if self.noise_std <= 0:
      return x
    return jnp.clip(x + self.noise_std * jax.random.normal(key, x.shape, x.dtype), 0.0, 1.0)

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    return _init_state(self.model, self.tx, key, batch["x"])

  def train_step(self, state: TrainState, batch: Batch):
    x = batch["x"]
    noisy = self.corrupt(jax.random.fold_in(state.key, state.step), x)

    def mean_loss(params):
      logits = self.model.apply({"params": params}, noisy)
      return self.loss(_flat(logits), _flat(x)).mean(), logits

    state, (loss, logits), health = _sgd_step(self.tx, state, mean_loss)
    return state, {"loss": loss, "mse": jnp.mean((jax.nn.sigmoid(logits) - x) ** 2), **health}

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    x = batch["x"]
    noisy = self.corrupt(jax.random.fold_in(state.key, _EVAL), x)  # The same noise at every evaluation.
    logits = _flat(self.model.apply({"params": state.params}, noisy))
    metrics = {
      "loss": self.loss(logits, _flat(x)),
      "mse": jnp.mean((jax.nn.sigmoid(logits) - _flat(x)) ** 2, -1),
    }
    if self.noise_std > 0:  # What doing nothing scores: the noisy input against the clean image.
      metrics["noisy_mse"] = jnp.mean((_flat(noisy) - _flat(x)) ** 2, -1)
    return metrics

  def encode(self, state: TrainState, x: jax.Array) -> jax.Array:
    return self.model.apply({"params": state.params}, x, method=Autoencoder.encode)

  def reconstruct(self, state: TrainState, x: jax.Array) -> jax.Array:
    return jax.nn.sigmoid(self.model.apply({"params": state.params}, x))


@dataclasses.dataclass(frozen=True)
class Variational:
  model: VAE

  tx: optax.GradientTransformation

  def _terms(self, params, x, key):
    eps = jax.random.normal(key, (x.shape[0], self.model.latent_dim), x.dtype)
    logits, mean, log_var = self.model.apply({"params": params}, x, eps)
    return logits, negative_elbo(_flat(logits), _flat(x), mean, log_var)

  def corrupt(self, key: jax.Array, x: jax.Array) -> jax.Array:
    del key  # A VAE is fed its inputs as they are.
    return x

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    eps = jnp.zeros((batch["x"].shape[0], self.model.latent_dim))
    return _init_state(self.model, self.tx, key, batch["x"], eps)

  def train_step(self, state: TrainState, batch: Batch):
    key = jax.random.fold_in(state.key, state.step)

    def mean_loss(params):
      _, (nelbo_B, recon_B, kl_B) = self._terms(params, batch["x"], key)
      return nelbo_B.mean(), (recon_B.mean(), kl_B.mean())

    state, (loss, (recon, kl)), health = _sgd_step(self.tx, state, mean_loss)
    return state, {"loss": loss, "recon": recon, "kl": kl, **health}

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    x = batch["x"]
    logits, (nelbo_B, recon_B, kl_B) = self._terms(state.params, x, jax.random.fold_in(state.key, _EVAL))
    mse_B = jnp.mean((jax.nn.sigmoid(_flat(logits)) - _flat(x)) ** 2, -1)
    return {"loss": nelbo_B, "recon": recon_B, "kl": kl_B, "mse": mse_B}

  def encode(self, state: TrainState, x: jax.Array) -> jax.Array:
    return self.model.apply({"params": state.params}, x, method=VAE.encode)[0]

  def reconstruct(self, state: TrainState, x: jax.Array) -> jax.Array:
    z = self.encode(state, x)
    return jax.nn.sigmoid(self.model.apply({"params": state.params}, z, method=VAE.decode))

  def sample(self, state: TrainState, key: jax.Array, num: int) -> jax.Array:
    """Images decoded from codes drawn from the prior N(0, I) (pixel means, not Bernoulli draws)."""
    z = jax.random.normal(key, (num, self.model.latent_dim))
    return jax.nn.sigmoid(self.model.apply({"params": state.params}, z, method=VAE.decode))


def autoencode(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """An autoencoder (denoising when config.noise_std > 0); the model from config.model's fields."""
  model = models.make(config.model, image_shape=tuple(dataset.input_shape))
  if not isinstance(model, Autoencoder):
    raise ConfigError(f"task 'autoencode' needs model 'autoencoder', got {config.model.name!r}")
  return Autoencode(model, tx, losses.get(config.loss), config.noise_std)


def vae(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """A variational autoencoder with a Bernoulli decoder and a standard normal prior."""
  cfg = config.model.copy_and_resolve_references()
  with cfg.unlocked():
    cfg.name = {"autoencoder": "vae"}.get(cfg.name, cfg.name)  # experiments/vae.py names the autoencoder.
  model = models.make(cfg, image_shape=tuple(dataset.input_shape))
  if not isinstance(model, VAE):
    raise ConfigError(f"task 'vae' needs model 'vae' (or 'autoencoder'), got {config.model.name!r}")
  return Variational(model, tx)
