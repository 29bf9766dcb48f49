"""Whole episodes of many environments as one compiled `lax.scan` over time, `vmap`ped over environments."""

from collections.abc import Callable
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp

# (key, obs_BxD) -> action_B
Policy = Callable[[jax.Array, jax.Array], jax.Array]


class Episodes(NamedTuple):
  """B episodes padded to T steps; `alive_TxB` is 1 up to and including each episode's last step."""

  obs_TxBxD: jax.Array
  action_TxB: jax.Array
  reward_TxB: jax.Array
  terminated_TxB: jax.Array
  alive_TxB: jax.Array


def reset(env, env_params, key: jax.Array, num_envs: int) -> tuple[jax.Array, Any]:
  """`num_envs` fresh environments: (obs_BxD, env_state)."""
  return jax.vmap(env.reset, in_axes=(0, None))(jax.random.split(key, num_envs), env_params)


def step(env, env_params, key: jax.Array, env_state, action_B: jax.Array):
  """One step of every environment: (obs_BxD, env_state, reward_B, terminated_B, truncated_B, info)."""
  keys = jax.random.split(key, action_B.shape[0])
  return jax.vmap(env.step, in_axes=(0, 0, 0, None))(keys, env_state, action_B, env_params)


def episodes(env, env_params, policy: Policy, key: jax.Array, num_envs: int) -> Episodes:
  """`num_envs` episodes from reset, each run for the environment's step limit and masked after it ends."""
  key_reset, key_run = jax.random.split(key)
  obs_BxD, env_state = reset(env, env_params, key_reset, num_envs)

  def body(carry, key_t):
    obs_BxD, env_state, alive_B = carry
    key_act, key_env = jax.random.split(key_t)
    action_B = policy(key_act, obs_BxD)
    next_obs, env_state, reward_B, terminated_B, truncated_B, _ = step(
      env, env_params, key_env, env_state, action_B
    )
    out = (obs_BxD, action_B, reward_B * alive_B, terminated_B & (alive_B > 0), alive_B)
    alive_B = alive_B * (1.0 - (terminated_B | truncated_B))
    return (next_obs, env_state, alive_B), out

  alive_B = jnp.ones((num_envs,), jnp.float32)
  keys = jax.random.split(key_run, env_params.max_steps_in_episode)
  _, out = jax.lax.scan(body, (obs_BxD, env_state, alive_B), keys)
  return Episodes(*out)


def discounted_returns(reward_TxB: jax.Array, alive_TxB: jax.Array, gamma: float) -> jax.Array:
  """G_t = r_t + gamma * G_{t+1} within each episode (zero after it ends); shape [T, B]."""

  def body(g_next_B, x):
    reward_B, alive_B, alive_next_B = x
    g_B = reward_B + gamma * g_next_B * alive_next_B
    return g_B * alive_B, g_B * alive_B

  alive_next_TxB = jnp.concatenate([alive_TxB[1:], jnp.zeros_like(alive_TxB[:1])])
  _, g_TxB = jax.lax.scan(
    body, jnp.zeros_like(reward_TxB[0]), (reward_TxB, alive_TxB, alive_next_TxB), reverse=True
  )
  return g_TxB


def evaluate(env, env_params, greedy: Callable[[jax.Array], jax.Array], key: jax.Array, num_episodes: int):
  """The undiscounted return of each of `num_episodes` episodes under `greedy(obs_BxD) -> action_B`."""
  eps = episodes(env, env_params, lambda _, obs: greedy(obs), key, num_episodes)
  return jnp.sum(eps.reward_TxB, axis=0)
