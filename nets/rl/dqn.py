"""DQN (Mnih et al. 2015): Q-learning with a replay buffer, a target network and epsilon-greedy exploration.

One `update` steps `num_envs` environments once with an epsilon-greedy action (epsilon falls linearly
from `epsilon_start` to `epsilon_end` over `epsilon_steps` environment steps), writes the transitions
into a circular replay buffer, and every `train_every` updates (once `learning_starts` steps are
stored) takes one gradient step on a uniformly sampled minibatch towards
  y = r + gamma * (1 - terminated) * max_a' Q_target(s', a'),
copying the online network into the target network every `target_every` gradient steps. Episodes cut
by the time limit are not terminal: their last transition bootstraps from the state they ended in.
"""

from functools import partial
from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import losses, models
from nets.rl import rollout
from nets.rl.agent import Agent


class Buffer(NamedTuple):
  """Capacity-N circular replay buffer of transitions (s, a, r, s', terminated)."""

  obs_NxD: jax.Array
  action_N: jax.Array
  reward_N: jax.Array
  next_obs_NxD: jax.Array
  terminated_N: jax.Array


class State(NamedTuple):
  params: Any
  target_params: Any
  opt_state: Any
  buffer: Buffer
  env_state: Any
  obs_BxD: jax.Array
  episode_return_B: jax.Array
  key: jax.Array
  env_steps: jax.Array
  updates: jax.Array
  grad_steps: jax.Array


def td_loss(params, target_params, q_net, batch: Buffer, gamma: float, loss_name: str) -> jax.Array:
  """Mean loss between Q(s, a) and the target r + gamma * (1 - terminated) * max_a' Q_target(s', a')."""
  q_BxA = q_net.apply(params, batch.obs_NxD)
  q_B = jnp.take_along_axis(q_BxA, batch.action_N[:, None], axis=-1)
  next_q_B = jnp.max(q_net.apply(target_params, batch.next_obs_NxD), axis=-1)
  target_B = batch.reward_N + gamma * (1.0 - batch.terminated_N) * next_q_B
  return jnp.mean(losses.get(loss_name)(q_B, jax.lax.stop_gradient(target_B)[:, None]))


def epsilon(cfg: ml_collections.ConfigDict, env_steps: jax.Array) -> jax.Array:
  frac = jnp.clip(env_steps / max(cfg.epsilon_steps, 1), 0.0, 1.0)
  return cfg.epsilon_start + frac * (cfg.epsilon_end - cfg.epsilon_start)


def initial_state(cfg: ml_collections.ConfigDict, env, env_params, q_net, tx, key: jax.Array) -> State:
  """Fresh Q-network (and its target copy), an empty replay buffer, `cfg.num_envs` environments reset."""
  key_q, key_env, key = jax.random.split(key, 3)
  obs_BxD, env_state = rollout.reset(env, env_params, key_env, cfg.num_envs)
  params = q_net.init(key_q, obs_BxD)
  n, d = cfg.buffer_size, obs_BxD.shape[-1]
  buffer = Buffer(
    jnp.zeros((n, d)), jnp.zeros((n,), jnp.int32), jnp.zeros((n,)), jnp.zeros((n, d)), jnp.zeros((n,))
  )
  zero = jnp.zeros((), jnp.int32)
  episode_return_B = jnp.zeros((cfg.num_envs,))
  return State(
    params, params, tx.init(params), buffer, env_state, obs_BxD, episode_return_B, key, zero, zero, zero
  )


def explore_and_store(cfg, env, env_params, q_net, state: State, keys) -> tuple[State, jax.Array, jax.Array]:
  """One epsilon-greedy step of every environment, its transitions written into the ring buffer:
  (state, reward_B, done_B)."""
  key_explore, key_random, key_env = keys
  num_envs = cfg.num_envs
  greedy_B = jnp.argmax(q_net.apply(state.params, state.obs_BxD), axis=-1)
  random_B = jax.random.randint(key_random, (num_envs,), 0, env.num_actions)
  explore_B = jax.random.uniform(key_explore, (num_envs,)) < epsilon(cfg, state.env_steps)
  action_B = jnp.where(explore_B, random_B, greedy_B)
  obs_BxD, env_state, reward_B, terminated_B, truncated_B, info = rollout.step(
    env, env_params, key_env, state.env_state, action_B
  )
  at_N = (state.env_steps + jnp.arange(num_envs)) % cfg.buffer_size
  new = Buffer(state.obs_BxD, action_B, reward_B, info["final_observation"], terminated_B.astype(jnp.float32))
  buffer = jax.tree.map(lambda buf, x: buf.at[at_N].set(x), state.buffer, new)
  env_steps = state.env_steps + num_envs
  state = state._replace(buffer=buffer, env_state=env_state, obs_BxD=obs_BxD, env_steps=env_steps)
  return state, reward_B, terminated_B | truncated_B


def make(config: ml_collections.ConfigDict, env, env_params, tx: optax.GradientTransformation) -> Agent:
  """The DQN agent of `config.agent` for `env`, learning with `tx`."""
  cfg = config.agent
  q_net = models.make(config.model, env.num_actions)
  init = partial(initial_state, cfg, env, env_params, q_net, tx)

  def learn(state: State, key: jax.Array) -> tuple[Any, Any, jax.Array]:
    stored = jnp.minimum(state.env_steps, cfg.buffer_size)
    idx = jax.random.randint(key, (cfg.batch_size,), 0, stored)
    batch = jax.tree.map(lambda x: x[idx], state.buffer)
    loss, grads = jax.value_and_grad(td_loss)(
      state.params, state.target_params, q_net, batch, cfg.gamma, cfg.loss
    )
    updates, opt_state = tx.update(grads, state.opt_state, state.params)
    return optax.apply_updates(state.params, updates), opt_state, loss

  def update(state: State) -> tuple[State, dict]:
    key, key_explore, key_random, key_env, key_learn = jax.random.split(state.key, 5)
    state, reward_B, done_B = explore_and_store(
      cfg, env, env_params, q_net, state, (key_explore, key_random, key_env)
    )
    env_steps = state.env_steps
    do_learn = (env_steps >= cfg.learning_starts) & (state.updates % cfg.train_every == 0)
    params, opt_state, loss = jax.lax.cond(
      do_learn,
      lambda: learn(state, key_learn),
      lambda: (state.params, state.opt_state, jnp.zeros(())),
    )
    grad_steps = state.grad_steps + do_learn
    target_params = optax.periodic_update(params, state.target_params, grad_steps, cfg.target_every)

    episode_return_B = state.episode_return_B + reward_B
    metrics = {
      "loss": loss,
      "learned": do_learn.astype(jnp.float32),
      "epsilon": epsilon(cfg, env_steps),
      "return_sum": jnp.sum(jnp.where(done_B, episode_return_B, 0.0)),
      "episodes": jnp.sum(done_B).astype(jnp.float32),
    }
    state = state._replace(
      params=params,
      target_params=target_params,
      opt_state=opt_state,
      episode_return_B=jnp.where(done_B, 0.0, episode_return_B),
      key=key,
      updates=state.updates + 1,
      grad_steps=grad_steps,
    )
    return state, metrics

  def greedy(state: State, obs_BxD: jax.Array) -> jax.Array:
    return jnp.argmax(q_net.apply(state.params, obs_BxD), axis=-1)

  return Agent(init, update, greedy)
