"""How fast an environment steps: a plain Python loop (gymnasium's NumPy CartPole, or one jitted gymnax step
per Python call) against the same environment compiled into `lax.scan` and vmapped over environments."""

import time

import jax
import jax.numpy as jnp
import numpy as np

from nets.rl import rollout

GYMNASIUM_IDS = {"cartpole": "CartPole-v1"}


def _rate(step, seconds: float) -> dict[str, float]:
  """Steps per wall second and per CPU second (this process, all threads) of calling `step()` for about
  `seconds` after one warm-up call. On a shared machine the CPU rate is the steadier of the two."""
  step()
  n, start, cpu_start = 0, time.perf_counter(), time.process_time()
  while (elapsed := time.perf_counter() - start) < seconds:
    for _ in range(100):
      step()
    n += 100
  return {"wall": n / elapsed, "cpu": n / (time.process_time() - cpu_start)}


def gymnasium_loop(name: str, seconds: float = 1.0, seed: int = 0) -> dict[str, float]:
  """Steps/second of gymnasium's own environment in a Python loop with random actions."""
  import gymnasium  # noqa: PLC0415

  env = gymnasium.make(GYMNASIUM_IDS[name])
  env.reset(seed=seed)
  rng = np.random.default_rng(seed)

  def step():
    _, _, terminated, truncated, _ = env.step(int(rng.integers(2)))
    if terminated or truncated:
      env.reset()

  return _rate(step, seconds)


def jax_step_loop(env, env_params, seconds: float = 1.0, seed: int = 0) -> dict[str, float]:
  """Steps/second of a Python loop making one call per step to a compiled random-action step."""

  @jax.jit
  def step_fn(key, state):
    key, key_act, key_step = jax.random.split(key, 3)
    action = jax.random.randint(key_act, (), 0, env.num_actions)
    _, state, *_ = env.step(key_step, state, action, env_params)
    return key, state

  key = jax.random.key(seed)
  carry = [key, env.reset(key, env_params)[1]]

  def step():
    carry[:] = step_fn(*carry)
    jax.block_until_ready(carry)

  return _rate(step, seconds)


def compiled_rollout(env, env_params, num_envs: int = 100, repeats: int = 3, seed: int = 0) -> dict:
  """Steps per wall and CPU second of `num_envs` random-action episodes in one compiled scan (medians)."""
  policy = lambda key, obs_BxD: jax.random.randint(key, obs_BxD.shape[:1], 0, env.num_actions)
  run = jax.jit(lambda key: jnp.sum(rollout.episodes(env, env_params, policy, key, num_envs).alive_TxB))
  run(jax.random.key(seed)).block_until_ready()
  wall, cpu = [], []
  for i in range(repeats):
    start, cpu_start = time.perf_counter(), time.process_time()
    run(jax.random.key(seed + i + 1)).block_until_ready()
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - cpu_start)
  # Every padded step is computed, so count them all: num_envs * step limit.
  steps = num_envs * env_params.max_steps_in_episode
  return {"wall": steps / float(np.median(wall)), "cpu": steps / float(np.median(cpu))}
