"""Per-example losses: `loss(outputs_BxK, targets_BxK) -> loss_B`, reduced over the last axis.

Every loss takes dense targets of the outputs' shape (one-hot for classification), so the
classification task can use any of them - cross-entropy or Nielsen's quadratic cost alike.
"""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import optax

from nets.errors import lookup

Loss = Callable[[jax.Array, jax.Array], jax.Array]


def mse(outputs: jax.Array, targets: jax.Array) -> jax.Array:
  """Mean squared error over the last axis."""
  return jnp.mean(optax.squared_error(outputs, targets), axis=-1)


def quadratic(outputs: jax.Array, targets: jax.Array) -> jax.Array:
  """Nielsen's quadratic cost 1/2 ||a - y||^2 (the scale his learning rate 3.0 is tuned for)."""
  return 0.5 * jnp.sum(optax.squared_error(outputs, targets), axis=-1)


def mae(outputs: jax.Array, targets: jax.Array) -> jax.Array:
  """Mean absolute error over the last axis."""
  return jnp.mean(jnp.abs(outputs - targets), axis=-1)


def huber(outputs: jax.Array, targets: jax.Array, delta: float = 1.0) -> jax.Array:
  """Quadratic within `delta` of the target, linear beyond: robust to outliers."""
  return jnp.mean(optax.huber_loss(outputs, targets, delta=delta), axis=-1)


def cross_entropy(logits: jax.Array, targets: jax.Array) -> jax.Array:
  """Softmax cross-entropy against a distribution over classes (one-hot or smoothed)."""
  return optax.softmax_cross_entropy(logits, targets)


def cross_entropy_int(logits_BxC: jax.Array, labels_B: jax.Array) -> jax.Array:
  """Softmax cross-entropy against integer labels."""
  return optax.softmax_cross_entropy_with_integer_labels(logits_BxC, labels_B)


def binary_cross_entropy(logits: jax.Array, targets: jax.Array) -> jax.Array:
  """Sigmoid cross-entropy of each output against a target in [0, 1], averaged over the last axis."""
  return jnp.mean(optax.sigmoid_binary_cross_entropy(logits, targets), axis=-1)


def gaussian_nll(outputs_Bx2D: jax.Array, targets_BxD: jax.Array) -> jax.Array:
  """Negative log-likelihood of targets under N(mean, exp(log_var)); outputs = [mean, log_var].

  The outputs' last axis holds the D means, then the D log-variances.
  """
  mean, log_var = jnp.split(outputs_Bx2D, 2, axis=-1)
  if mean.shape != targets_BxD.shape:
    raise ValueError(
      f"gaussian_nll needs outputs of twice the targets' width; got outputs "
      f"{outputs_Bx2D.shape} for targets {targets_BxD.shape}"
    )
  nll = 0.5 * (jnp.log(2 * jnp.pi) + log_var + (targets_BxD - mean) ** 2 * jnp.exp(-log_var))
  return jnp.mean(nll, axis=-1)


LOSSES: dict[str, Loss] = {
  "mse": mse,
  "quadratic": quadratic,
  "mae": mae,
  "huber": huber,
  "cross_entropy": cross_entropy,
  "binary_cross_entropy": binary_cross_entropy,
  "gaussian_nll": gaussian_nll,
}


def get(name: str) -> Loss:
  return lookup(LOSSES, "loss", name)
