"""Next-pixel prediction: an autoregressive model of binarised images, p(x) = prod_i p(x_i | x_<i).

Images are binarised at 0.5. The model (MADE) gives every pixel's logit given the pixels before it
in raster order; training minimises the exact negative log-likelihood, reported per image in nats
(`loss`) and per pixel in bits (`bits_per_pixel`). Samples are drawn one pixel at a time.
"""

import dataclasses
import math

import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models, optim
from nets.data import Dataset
from nets.errors import ConfigError
from nets.models.made import MADE
from nets.tasks.supervised import Batch, TrainState


def binarise(x: jax.Array) -> jax.Array:
  return (x > 0.5).astype(jnp.float32)


def bernoulli_nll(logits: jax.Array, x: jax.Array) -> jax.Array:
  """-log p(x) per example, in nats: the pixels' binary cross-entropies summed."""
  nll = optax.sigmoid_binary_cross_entropy(logits, x)
  return nll.reshape(x.shape[0], -1).sum(axis=-1)


@dataclasses.dataclass(frozen=True)
class NextPixel:
  model: MADE
  tx: optax.GradientTransformation
  image_shape: tuple[int, ...]

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    init_key, state_key = jax.random.split(key)
    params = self.model.init(init_key, binarise(batch["x"]))["params"]
    return TrainState(jnp.zeros((), jnp.int32), params, {}, self.tx.init(params), state_key)

  def nll(self, params, x: jax.Array) -> jax.Array:
    x = binarise(x)
    return bernoulli_nll(self.model.apply({"params": params}, x), x)

  def train_step(self, state: TrainState, batch: Batch):
    loss, grads = jax.value_and_grad(lambda p: self.nll(p, batch["x"]).mean())(state.params)
    params, opt_state, health = optim.apply_gradients(self.tx, grads, state.opt_state, state.params)
    state = state.replace(step=state.step + 1, params=params, opt_state=opt_state)
    bits = loss / (math.prod(self.image_shape) * math.log(2))
    return state, {"loss": loss, "bits_per_pixel": bits, **health}

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    nll_B = self.nll(state.params, batch["x"])
    return {"loss": nll_B, "bits_per_pixel": nll_B / (math.prod(self.image_shape) * math.log(2))}

  def sample(self, state: TrainState, key: jax.Array, num: int) -> jax.Array:
    """`num` images drawn pixel by pixel: pixel i from p(x_i | the i - 1 drawn before it)."""
    num_pixels = math.prod(self.image_shape)
    uniforms = jax.random.uniform(key, (num, num_pixels))

    def draw(i, x_BxD):
      logits = self.model.apply({"params": state.params}, x_BxD.reshape(num, *self.image_shape))
      p_i = jax.nn.sigmoid(logits.reshape(num, -1)[:, i])
      return x_BxD.at[:, i].set((uniforms[:, i] < p_i).astype(x_BxD.dtype))

    x = jax.lax.fori_loop(0, num_pixels, draw, jnp.zeros((num, num_pixels)))
    return x.reshape(num, *self.image_shape)


def nextpixel(config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation):
  """MADE with config.model.widths hidden units on the binarised images of config.data."""
  model = models.make(config.model)
  if not isinstance(model, MADE):
    raise ConfigError(f"task 'nextpixel' needs model 'made', got {config.model.name!r}")
  return NextPixel(model, tx, tuple(dataset.input_shape))


def independent_pixels_bits(train_x: jax.Array, test_x: jax.Array) -> float:
  """The baseline: each pixel an independent Bernoulli with its (add-one smoothed) training frequency;
  the test negative log-likelihood in bits per pixel."""
  train, test = binarise(train_x), binarise(test_x)
  p = (train.sum(axis=0) + 1.0) / (train.shape[0] + 2.0)
  logits = jnp.log(p) - jnp.log1p(-p)
  nll = bernoulli_nll(jnp.broadcast_to(logits, test.shape), test)
  return float(nll.mean() / (math.prod(test.shape[1:]) * math.log(2)))
