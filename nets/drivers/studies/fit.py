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
  *,
  scale: float | jax.Array = 1.0,
  eval_fn: Callable | None = None,
  eval_every: int = 1,
):
  """`num_steps` updates `scale * tx(grad loss_fn(params, batch))`; returns (params, losses, evals).

  batches: per-step example indices [num_steps, B], passed to loss_fn as `batch`; None = full batch
    (loss_fn then gets an empty array).
  scale: multiplies every update. Each optax optimizer here ends by scaling with its learning rate,
    so `tx` built with learning rate 1 and `scale=lr` is that optimizer at `lr` - and `lr` may be
    traced, so callers can `jax.vmap` a run over learning rates as well as seeds and targets.
  eval_fn(params) -> scalar, recorded after every `eval_every` steps (evals: [num_steps // eval_every]).
  losses: loss_fn before each step, [num_steps].
  """
  if num_steps % eval_every:
    raise ValueError(f"num_steps {num_steps} must be a multiple of eval_every {eval_every}")

  def step(carry, batch):
    params, opt_state = carry
    loss, grads = jax.value_and_grad(loss_fn)(params, batch)
    updates, opt_state = tx.update(grads, opt_state, params)
    updates = jax.tree.map(lambda u: scale * u, updates)
    return (optax.apply_updates(params, updates), opt_state), loss

  def chunk(carry, batches_K):
    carry, losses_K = jax.lax.scan(step, carry, batches_K)
    return carry, (losses_K, eval_fn(carry[0]) if eval_fn else jnp.zeros(()))

  xs = jnp.zeros((num_steps, 0), jnp.int32) if batches is None else batches
  xs = xs.reshape(num_steps // eval_every, eval_every, *xs.shape[1:])
  (params, _), (losses, evals) = jax.lax.scan(chunk, (params, tx.init(params)), xs)
  return params, losses.reshape(-1), evals if eval_fn else None
