"""Training on in-memory arrays for the small studies: a whole run is one compiled `lax.scan`."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
import optax


def minimise(
  loss_fn: Callable,
  params,
  tx: optax.GradientTransformation,
  num_steps: int,
  batches: jax.Array | None = None,
):
  """`num_steps` updates of `tx` on `loss_fn(params, batch)`; returns (params, loss before each step).

  batches: per-step example indices [num_steps, B] passed to loss_fn as `batch`; None = full batch.
  Pure and jit-able, so callers `jax.vmap` it over seeds, targets or learning rates.
  """

  def step(carry, batch):
    params, opt_state = carry
    loss, grads = jax.value_and_grad(loss_fn)(params, batch)
    updates, opt_state = tx.update(grads, opt_state, params)
    return (optax.apply_updates(params, updates), opt_state), loss

  xs = jnp.zeros((num_steps, 0), jnp.int32) if batches is None else batches
  (params, _), losses = jax.lax.scan(step, (params, tx.init(params)), xs)
  return params, losses
