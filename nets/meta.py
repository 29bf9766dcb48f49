"""Meta-learning: MAML (Finn, Abbeel & Levine 2017) and the sine-wave regression tasks it was shown on.

A task is y = A sin(x - phase). MAML learns a start `params` from which `inner_steps` plain gradient
steps of size `alpha` on a task's K examples (the support) fit that task's other examples (the query):
  meta_loss(params) = mean over tasks of MSE_query(params - alpha * grad MSE_support(params)),
differentiated through the inner step (jax.grad of a function that calls jax.grad: second-order MAML;
`first_order=True` stops the inner gradient, the cheaper approximation the paper compares). Every
function here is pure and handles one task; tasks are a `jax.vmap` over them.
"""

import math
from typing import NamedTuple

import jax
import jax.numpy as jnp

from nets import losses


class Sines(NamedTuple):
  """Task distribution: amplitude, phase and x uniform on these ranges (Finn et al.'s)."""

  amplitude: tuple[float, float] = (0.1, 5.0)
  phase: tuple[float, float] = (0.0, math.pi)
  x: tuple[float, float] = (-5.0, 5.0)


def sample_sines(key: jax.Array, sines: Sines, num_tasks: int, num_points: int):
  """(x_TxNx1, y_TxNx1, amplitude_T, phase_T): `num_points` random points of each of `num_tasks` tasks."""
  k_amp, k_phase, k_x = jax.random.split(key, 3)
  amplitude_T = jax.random.uniform(k_amp, (num_tasks,), minval=sines.amplitude[0], maxval=sines.amplitude[1])
  phase_T = jax.random.uniform(k_phase, (num_tasks,), minval=sines.phase[0], maxval=sines.phase[1])
  x_TxNx1 = jax.random.uniform(k_x, (num_tasks, num_points, 1), minval=sines.x[0], maxval=sines.x[1])
  y_TxNx1 = amplitude_T[:, None, None] * jnp.sin(x_TxNx1 - phase_T[:, None, None])
  return x_TxNx1, y_TxNx1, amplitude_T, phase_T


def mse(model, params, x_Nx1: jax.Array, y_Nx1: jax.Array) -> jax.Array:
  return jnp.mean(losses.mse(model.apply(params, x_Nx1), y_Nx1))


def inner_step(model, params, x_Kx1, y_Kx1, alpha: float, first_order: bool = False):
  """One gradient step of size `alpha` on the support (x_Kx1, y_Kx1): the adaptation MAML meta-learns."""
  grads = jax.grad(mse, argnums=1)(model, params, x_Kx1, y_Kx1)
  if first_order:
    grads = jax.lax.stop_gradient(grads)
  return jax.tree.map(lambda w, g: w - alpha * g, params, grads)


def adapt(model, params, x_Kx1, y_Kx1, alpha: float, num_steps: int, first_order: bool = False):
  """`num_steps` inner steps from `params`."""
  step = lambda p, _: (inner_step(model, p, x_Kx1, y_Kx1, alpha, first_order), None)
  return jax.lax.scan(step, params, None, length=num_steps)[0]


def maml_loss(model, params, support, query, alpha: float, inner_steps: int, first_order: bool = False):
  """Mean over tasks of the query MSE after adapting on the support; support, query: (x_TxKx1, y_TxKx1)."""

  def one(x_s, y_s, x_q, y_q):
    return mse(model, adapt(model, params, x_s, y_s, alpha, inner_steps, first_order), x_q, y_q)

  return jnp.mean(jax.vmap(one)(*support, *query))


def adaptation_curve(model, params, x_Kx1, y_Kx1, x_Qx1, y_Qx1, alpha: float, num_steps: int) -> jax.Array:
  """Query MSE after 0, 1, ..., num_steps gradient steps of size alpha on the support: [num_steps + 1]."""

  def step(p, _):
    p = inner_step(model, p, x_Kx1, y_Kx1, alpha)
    return p, mse(model, p, x_Qx1, y_Qx1)

  _, after_S = jax.lax.scan(step, params, None, length=num_steps)
  return jnp.concatenate([mse(model, params, x_Qx1, y_Qx1)[None], after_S])
