"""REINFORCE with a learned baseline (Williams 1992): sample episodes, raise log pi(a|s) by G_t - V(s_t).

One `update` samples `num_envs` episodes with the current policy (one `lax.scan`, vmapped over
environments), then takes one gradient step on
  -mean_t[log pi(a_t|s_t) * A_t] - entropy_coef * H[pi(.|s_t)] + value_coef * mean_t[(G_t - V(s_t))^2],
where A_t = G_t - V(s_t) (normalised over the batch when `normalize_advantages`) and the baseline V is a
second network regressed on the discounted returns G_t. Means run over the steps the episodes lived.
"""

from typing import Any, NamedTuple

import jax
import jax.numpy as jnp
import ml_collections
import optax

from nets import models
from nets.rl import rollout
from nets.rl.agent import Agent


class State(NamedTuple):
  params: dict  # {"policy": ..., "value": ...}
  opt_state: Any
  key: jax.Array
  env_steps: jax.Array  # environment transitions taken so far


def loss_fn(params, policy, value, eps: rollout.Episodes, cfg: ml_collections.ConfigDict):
  """The REINFORCE-with-baseline loss of one batch of episodes and its parts."""
  g_TxB = rollout.discounted_returns(eps.reward_TxB, eps.alive_TxB, cfg.gamma)
  t, b, d = eps.obs_TxBxD.shape
  obs_NxD = eps.obs_TxBxD.reshape(t * b, d)  # the MLP flattens all but the first axis
  logits_TxBxA = policy.apply(params["policy"], obs_NxD).reshape(t, b, -1)
  v_TxB = value.apply(params["value"], obs_NxD).reshape(t, b)
  mask, n = eps.alive_TxB, jnp.maximum(jnp.sum(eps.alive_TxB), 1.0)
  mean = lambda x: jnp.sum(x * mask) / n
  adv_TxB = jax.lax.stop_gradient(g_TxB - v_TxB)
  if cfg.normalize_advantages:
    adv_TxB = (adv_TxB - mean(adv_TxB)) / (jnp.sqrt(mean((adv_TxB - mean(adv_TxB)) ** 2)) + 1e-8)
  logp_TxBxA = jax.nn.log_softmax(logits_TxBxA)
  logp_TxB = jnp.take_along_axis(logp_TxBxA, eps.action_TxB[..., None], axis=-1)[..., 0]
  entropy = mean(-jnp.sum(jnp.exp(logp_TxBxA) * logp_TxBxA, axis=-1))
  policy_loss = -mean(logp_TxB * adv_TxB)
  value_loss = mean((g_TxB - v_TxB) ** 2)
  loss = policy_loss - cfg.entropy_coef * entropy + cfg.value_coef * value_loss
  return loss, {"policy_loss": policy_loss, "value_loss": value_loss, "entropy": entropy}


def make(config: ml_collections.ConfigDict, env, env_params, tx: optax.GradientTransformation) -> Agent:
  """The REINFORCE agent of `config.agent` for `env`, learning with `tx`."""
  cfg = config.agent
  num_actions = env.num_actions
  policy = models.make(config.model, num_actions)
  value = models.make(config.model, 1)

  def init(key: jax.Array) -> State:
    key_p, key_v, key = jax.random.split(key, 3)
    obs_1xD = jnp.zeros((1, *env.observation_space(env_params).shape))
    params = {"policy": policy.init(key_p, obs_1xD), "value": value.init(key_v, obs_1xD)}
    return State(params, tx.init(params), key, jnp.zeros((), jnp.int32))

  def sample(params, key, obs_BxD):
    return jax.random.categorical(key, policy.apply(params["policy"], obs_BxD))

  def update(state: State) -> tuple[State, dict]:
    key, key_run = jax.random.split(state.key)
    eps = rollout.episodes(env, env_params, lambda k, o: sample(state.params, k, o), key_run, cfg.num_envs)
    grads, parts = jax.grad(loss_fn, has_aux=True)(state.params, policy, value, eps, cfg)
    updates, opt_state = tx.update(grads, state.opt_state, state.params)
    params = optax.apply_updates(state.params, updates)
    steps = jnp.sum(eps.alive_TxB).astype(jnp.int32)
    metrics = {**parts, "return_sum": jnp.sum(eps.reward_TxB), "episodes": jnp.float32(cfg.num_envs)}
    return State(params, opt_state, key, state.env_steps + steps), metrics

  def greedy(state: State, obs_BxD: jax.Array) -> jax.Array:
    return jnp.argmax(policy.apply(state.params["policy"], obs_BxD), axis=-1)

  return Agent(init, update, greedy)
