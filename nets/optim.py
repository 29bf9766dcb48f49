"""Optimizers and learning-rate schedules by name, built from a config with optax."""

from collections.abc import Callable

import jax.numpy as jnp
import ml_collections
import optax

from nets import options
from nets.errors import ConfigError, lookup


def _schedules(lr: float, total_steps: int, warmup_steps: int) -> dict[str, Callable[[], optax.Schedule]]:
  decay_steps = max(total_steps, 1)
  return {
    "constant": lambda: optax.constant_schedule(lr),
    "cosine": lambda: optax.cosine_decay_schedule(lr, decay_steps),
    "warmup_cosine": lambda: optax.warmup_cosine_decay_schedule(0.0, lr, max(warmup_steps, 1), decay_steps),
    "one_cycle": lambda: optax.cosine_onecycle_schedule(decay_steps, lr),
  }


SCHEDULES = tuple(_schedules(1.0, 1, 1))


def make_schedule(cfg: ml_collections.ConfigDict, total_steps: int) -> optax.Schedule:
  """cfg.schedule in SCHEDULES, peaking at cfg.learning_rate, over `total_steps`."""
  cfg = checked(cfg)
  name, warmup_steps = cfg.schedule, cfg.warmup_steps
  schedules = _schedules(cfg.learning_rate, total_steps, warmup_steps)
  make = lookup(schedules, "schedule", name)
  if name == "warmup_cosine" and max(warmup_steps, 1) >= total_steps:
    # optax would fail deep inside with a negative decay length; say which numbers clash instead.
    raise ConfigError(
      f"optimizer.warmup_steps ({warmup_steps}) must be fewer than the {total_steps} training steps "
      "(num_epochs * steps per epoch) for schedule 'warmup_cosine'"
    )
  return make()


def checked(cfg) -> ml_collections.ConfigDict:
  """An optimizer section (config.optimizer, or one a driver builds) checked and completed by nets.options."""
  return options.section_config(options.Optimizer, **cfg.to_dict())


def _optimizers(cfg: ml_collections.ConfigDict) -> dict[str, Callable]:
  momentum, b1, b2 = cfg.momentum, cfg.b1, cfg.b2
  eps = {"eps": cfg.eps} if cfg.eps else {}  # eps 0: optax's own (1e-8; adagrad's 1e-7)
  return {
    "sgd": lambda lr: optax.sgd(lr),
    "momentum": lambda lr: optax.sgd(lr, momentum=momentum),
    "nesterov": lambda lr: optax.sgd(lr, momentum=momentum, nesterov=True),
    "adagrad": lambda lr: optax.adagrad(lr, **eps),
    "rmsprop": lambda lr: optax.rmsprop(lr, decay=cfg.decay, **eps),
    "adam": lambda lr: optax.adam(lr, b1=b1, b2=b2, **eps),
    "adamw": lambda lr: optax.adamw(lr, b1=b1, b2=b2, weight_decay=cfg.weight_decay, **eps),
    "radam": lambda lr: optax.radam(lr, b1=b1, b2=b2, **eps),
  }


OPTIMIZERS = tuple(_optimizers(options.section_config(options.Optimizer)))


def make_optimizer(cfg: ml_collections.ConfigDict, total_steps: int) -> optax.GradientTransformation:
  """The optimizer cfg.name with its schedule, weight decay and gradient clipping.

  `adamw` decays weights decoupled from the gradient (Loshchilov & Hutter); for every other
  optimizer `weight_decay` adds the L2 penalty's gradient wd * w before the update.
  """
  cfg = checked(cfg)  # A positive learning rate, known fields.
  make = lookup(_optimizers(cfg), "optimizer", cfg.name)
  chain = []
  if cfg.grad_clip_norm > 0:
    chain.append(optax.clip_by_global_norm(cfg.grad_clip_norm))
  if cfg.weight_decay > 0 and cfg.name != "adamw":
    chain.append(optax.add_decayed_weights(cfg.weight_decay))
  chain.append(make(make_schedule(cfg, total_steps)))
  return optax.chain(*chain)


def apply_gradients(tx: optax.GradientTransformation, grads, opt_state, params):
  """The one update of every task: (new params, new optimizer state, health).

  Health is big_vision's per-step figures, computed inside the compiled step (no host round trip): the
  global L2 norms of the gradients, of the updated parameters and of the updates, and the ratio of the
  last two - how far a step moves the weights relative to their size (~1e-3 is typical; far above
  means the learning rate is too high, far below that the layer barely learns)."""
  updates, opt_state = tx.update(grads, opt_state, params)
  params = optax.apply_updates(params, updates)
  l2_params, l2_updates = optax.global_norm(params), optax.global_norm(updates)
  health = {
    "l2_grads": optax.global_norm(grads),
    "l2_params": l2_params,
    "l2_updates": l2_updates,
    "update_ratio": l2_updates / jnp.maximum(l2_params, 1e-12),
  }
  return params, opt_state, health
