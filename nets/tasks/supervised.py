"""Supervised learning: classification and regression with any model and loss."""

import dataclasses
from collections.abc import Callable
from typing import Any

import flax
import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import augment, losses, models, optim
from nets.data import Dataset
from nets.errors import ConfigError

Batch = dict[str, jax.Array]


def cast_floats(tree: Any, dtype) -> Any:
  return jax.tree.map(lambda a: a.astype(dtype) if jnp.issubdtype(a.dtype, jnp.floating) else a, tree)


@flax.struct.dataclass
class TrainState:
  step: jax.Array
  params: Any
  model_state: Any  # Non-parameter collections, e.g. {"batch_stats": ...}; {} if none.
  opt_state: Any
  key: jax.Array  # Folded with `step` for each step's dropout and other noise.


@dataclasses.dataclass(frozen=True)
class Supervised:
  """Fit model(x) to targets(y) under `loss`; `metrics` adds per-example figures (e.g. accuracy)."""

  model: nn.Module
  tx: optax.GradientTransformation
  loss: losses.Loss
  targets: Callable[[jax.Array, jax.Array], jax.Array]  # (y, outputs) -> dense targets
  metrics: Callable[[jax.Array, jax.Array], dict[str, jax.Array]]  # (outputs, y) -> {name: [B]}
  compute_dtype: Any = jnp.float32  # bfloat16: the f32 parameters and inputs are cast for the model

  def _apply(self, params, model_state, x, **kwargs):
    """The model in compute_dtype; gradients flow back through the cast to the float32 params."""
    if self.compute_dtype != jnp.float32:
      params, x = cast_floats(params, self.compute_dtype), cast_floats(x, self.compute_dtype)
    out = self.model.apply({"params": params, **model_state}, x, **kwargs)
    outputs, new_state = out if "mutable" in kwargs else (out, model_state)
    # Batch statistics keep their own (float32) dtype whatever the model computed them in.
    new_state = jax.tree.map(lambda new, old: new.astype(old.dtype), dict(new_state), dict(model_state))
    return cast_floats(outputs, jnp.float32), new_state

  # Training-time regularisers, drawn from the step's key: random shifts (pixels), rotations
  # (degrees), random crops (whole-pixel shifts up to `crop` pixels), shrinking and enlarging back (by up
  # to `shrink`), left-right mirroring and random erasing of images, and MixUp of inputs and targets with
  # Beta(alpha, alpha) weights.
  max_shift: float = 0.0
  max_degrees: float = 0.0
  crop: int = 0
  shrink: float = 0.0
  flip: bool = False
  erase: float = 0.0  # probability of random erasing per image
  mixup_alpha: float = 0.0
  # Test-time augmentation: evaluation also reports tta_<metric> of the mean softmax over each image and
  # its mirror; the plain metrics (and predict) are unchanged, so both are read from one run.
  test_flip: bool = False

  def init(self, key: jax.Array, batch: Batch) -> TrainState:
    init_key, dropout_key, state_key = jax.random.split(key, 3)
    if self.test_flip:  # A non-image input fails here, before training, not at the first evaluation.
      jax.eval_shape(augment.mirror, batch["x"])
    try:
      variables = self.model.init({"params": init_key, "dropout": dropout_key}, batch["x"])
    except ConfigError:  # A model's own message (a bad field) is not about the input's shape.
      raise
    except (TypeError, ValueError) as e:
      raise ConfigError(
        f"{type(self.model).__name__} cannot take inputs of shape {batch['x'].shape[1:]}: {e}"
      ) from e
    params = variables.pop("params")
    return TrainState(
      step=jnp.zeros((), jnp.int32),
      params=params,
      model_state=dict(variables),
      opt_state=self.tx.init(params),
      key=state_key,
    )

  def _forward(self, params, model_state, batch: Batch, key: jax.Array | None, mix_targets=None):
    if key is not None:  # Training updates mutable collections such as batch statistics.
      outputs, new_model_state = self._apply(
        params, model_state, batch["x"], train=True, rngs={"dropout": key}, mutable=list(model_state)
      )
    else:
      outputs, new_model_state = self._apply(params, model_state, batch["x"], train=False)
    targets = self.targets(batch["y"], outputs)
    loss_B = self.loss(outputs, targets if mix_targets is None else mix_targets(targets))
    return loss_B, (outputs, dict(new_model_state))

  def train_step(self, state: TrainState, batch: Batch) -> tuple[TrainState, dict[str, jax.Array]]:
    key = jax.random.fold_in(state.key, state.step)  # Dropout's; the regularisers fold in more.
    inputs, mix_targets = batch["x"], None
    if self.max_shift > 0 or self.max_degrees > 0:
      inputs = augment.shift_rotate(jax.random.fold_in(key, 1), inputs, self.max_shift, self.max_degrees)
    if self.crop > 0:
      inputs = augment.random_crop(jax.random.fold_in(key, 5), inputs, self.crop)
    if self.shrink > 0:
      inputs = augment.shrink_enlarge(jax.random.fold_in(key, 6), inputs, self.shrink)
    if self.flip:
      inputs = augment.flip_left_right(jax.random.fold_in(key, 3), inputs)
    if self.erase > 0:
      inputs = augment.random_erase(jax.random.fold_in(key, 4), inputs, self.erase)
    if self.mixup_alpha > 0:
      lam, perm_B = augment.mixup_pairs(jax.random.fold_in(key, 2), inputs.shape[0], self.mixup_alpha)
      inputs, mix_targets = augment.mix(inputs, lam, perm_B), lambda t: augment.mix(t, lam, perm_B)

    def mean_loss(params):
      loss_B, aux = self._forward(params, state.model_state, {**batch, "x": inputs}, key, mix_targets)
      return loss_B.mean(), aux

    (loss, (outputs, model_state)), grads = jax.value_and_grad(mean_loss, has_aux=True)(state.params)
    params, opt_state, health = optim.apply_gradients(self.tx, grads, state.opt_state, state.params)
    metrics = {"loss": loss, **{k: v.mean() for k, v in self.metrics(outputs, batch["y"]).items()}, **health}
    new_state = state.replace(
      step=state.step + 1, params=params, model_state=model_state, opt_state=opt_state
    )
    return new_state, metrics

  def eval_step(self, state: TrainState, batch: Batch) -> dict[str, jax.Array]:
    loss_B, (outputs, _) = self._forward(state.params, state.model_state, batch, None)
    metrics = {"loss": loss_B, **self.metrics(outputs, batch["y"])}
    if self.test_flip:
      mirrored = self.predict(state, augment.mirror(batch["x"]))
      # log of the mean probability: its argmax (and softmax) are those of the averaged prediction.
      log_probs_BxC = jnp.logaddexp(jax.nn.log_softmax(outputs), jax.nn.log_softmax(mirrored)) - jnp.log(2.0)
      metrics.update({f"tta_{k}": v for k, v in self.metrics(log_probs_BxC, batch["y"]).items()})
    return metrics

  def predict(self, state: TrainState, x: jax.Array) -> jax.Array:
    return self._apply(state.params, state.model_state, x, train=False)[0]


def regularisers(config: ml_collections.ConfigDict) -> dict[str, float]:
  """Supervised's regulariser fields from config.augment and config.mixup_alpha (0 = off)."""
  aug = config.augment  # Ranges checked by nets.options (Augment).
  return {
    "max_shift": float(aug.max_shift),
    "max_degrees": float(aug.max_degrees),
    "crop": int(aug.crop),
    "shrink": float(aug.shrink),
    "erase": float(aug.erase),
    "mixup_alpha": float(config.mixup_alpha),
    "flip": bool(aug.flip),
  }


def accuracy(logits_BxC: jax.Array, labels_B: jax.Array) -> dict[str, jax.Array]:
  return {"accuracy": (jnp.argmax(logits_BxC, -1) == labels_B).astype(jnp.float32)}


def classification(
  config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation
) -> Supervised:
  """Integer labels become one-hot targets (smoothed by config.label_smoothing) for any loss."""
  smoothing = config.label_smoothing
  num_classes = dataset.num_classes

  def targets(labels_B, logits_BxC):
    if logits_BxC.shape[-1] != num_classes:
      raise ConfigError(f"model outputs {logits_BxC.shape[-1]} values for {num_classes} classes")
    return optax.smooth_labels(jax.nn.one_hot(labels_B, num_classes), smoothing)

  model, loss = models.make(config.model, num_classes), losses.get(config.loss)
  test_flip = bool(config.augment.test_flip)
  return Supervised(
    model, tx, loss, targets, accuracy, compute_dtype(config), **regularisers(config), test_flip=test_flip
  )


def compute_dtype(config: ml_collections.ConfigDict):
  """What the model computes in (config.compute_dtype, checked by nets.options: float32 or bfloat16);
  parameters, optimizer state and loss stay float32."""
  return getattr(jnp, config.compute_dtype)


def regression(
  config: ml_collections.ConfigDict, dataset: Dataset, tx: optax.GradientTransformation
) -> Supervised:
  """Real-valued targets y (shape [B] or [B, D]) against the model's outputs."""
  out_dim = 1 if dataset.splits["train"]["y"].ndim == 1 else dataset.splits["train"]["y"].shape[-1]
  loss = losses.get(config.loss)
  num_outputs = 2 * out_dim if loss is losses.gaussian_nll else out_dim

  def targets(y, outputs):
    return y.reshape(y.shape[0], -1).astype(outputs.dtype)

  def metrics(outputs, y):
    mean = outputs[..., :out_dim]
    return {"abs_error": jnp.mean(jnp.abs(mean - targets(y, mean)), axis=-1)}

  model = models.make(config.model, num_outputs)
  return Supervised(model, tx, loss, targets, metrics, compute_dtype(config), **regularisers(config))
