"""Imitation learning: behaviour cloning (Pomerleau 1989) of a CartPole expert from its own rollouts.

For each seed: an expert (a REINFORCE or DQN agent trained by the RL driver until solved, or the
hand-made "lean" controller) plays greedy episodes; every (observation, action) pair of them goes into
a pool, shuffled. For each N in `num_transitions`, an MLP is trained by cross-entropy on the first N
transitions of the pool (minibatches drawn from those N only; every N the same number of steps), and
its greedy policy plays `eval_episodes` fresh episodes. Reported beside it: the expert's own return on
fresh episodes and the share of held-out expert states (other episodes) where the clone picks the
expert's action. All N of a seed are one compiled program, vmapped over N.
"""

import os
import time
from functools import partial

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import envs, losses, models, optim, options
from nets.drivers import rl as rl_driver
from nets.drivers.studies.fit import minimise
from nets.errors import ConfigError
from nets.rl import rollout
from nets.training.logbook import Logbook, format_table
from nets.training.workdir import pyplot, save_figure, write_results


def lean(obs_BxD: jax.Array) -> jax.Array:
  """Push the cart toward where the pole is falling: right when angle + angular velocity / 2 > 0.

  CartPole's observation is (cart position, cart velocity, pole angle, pole angular velocity); this
  controller keeps the pole up for all 500 steps of every episode (measured in tests/drivers)."""
  return (obs_BxD[:, 2] + 0.5 * obs_BxD[:, 3] > 0).astype(jnp.int32)


def expert_trainer(config: ml_collections.ConfigDict):
  """(seed, workdir) -> (greedy policy obs_BxD -> action_B, training summary) of the expert
  `config.expert_policy`; an agent's programs are compiled here, once for every seed."""
  if config.expert_policy == "lean":
    return lambda seed, workdir: (lean, {"seed": seed, "expert": "lean"})
  if config.expert_policy != "agent":
    raise ConfigError(f"expert_policy must be 'agent' or 'lean', got {config.expert_policy!r}")
  programs = rl_driver.compile_programs(config.expert)

  def train(seed: int, workdir: str):
    os.makedirs(expert_dir := os.path.join(workdir, f"expert_seed_{seed}"), exist_ok=True)
    logbook = Logbook(expert_dir)
    summary, _, state = rl_driver.train_seed(
      config.expert, programs.chunk, programs.init, programs.confirm, seed, logbook
    )
    logbook.close()
    return partial(programs.agent.greedy, state), {"expert": config.expert.agent.name, **summary}

  return train


def demonstrations(
  env, env_params, greedy, key: jax.Array, num_episodes: int
) -> tuple[np.ndarray, np.ndarray]:
  """(obs_NxD, action_N): every step of `num_episodes` greedy episodes, in episode order."""
  eps = jax.jit(lambda k: rollout.episodes(env, env_params, lambda _, o: greedy(o), k, num_episodes))(key)
  alive = np.asarray(eps.alive_TxB).T > 0  # [B, T]: episode by episode
  obs_BxTxD = np.asarray(eps.obs_TxBxD).transpose(1, 0, 2)
  return obs_BxTxD[alive], np.asarray(eps.action_TxB).T[alive]


def clone(model, tx, obs_PxD, action_P, n, key, *, num_steps: int, batch_size: int):
  """Parameters of `model` trained by cross-entropy on the first `n` (traced) transitions of the pool."""
  key_init, key_batches = jax.random.split(key)
  params = model.init(key_init, obs_PxD[:1])
  batches = jax.random.randint(key_batches, (num_steps, batch_size), 0, n)

  def loss_fn(params, b):
    return jnp.mean(losses.cross_entropy_int(model.apply(params, obs_PxD[b]), action_P[b]))

  params, losses_S, _ = minimise(loss_fn, params, tx, num_steps, batches)
  return params, losses_S


def clone_all(config, env, env_params, pool, held_out, key):
  """For every N: (fresh-episode returns [N, E], held-out agreement [N], final training loss [N])."""
  model = models.make(config.model, env.num_actions)
  tx = optim.make_optimizer(config.optimizer, config.num_steps)
  ns = jnp.asarray(config.num_transitions)
  obs_PxD, action_P = (jnp.asarray(a) for a in pool)
  held_obs_HxD, held_action_H = (jnp.asarray(a) for a in held_out)

  def one(n, key):
    key_clone, key_eval = jax.random.split(key)
    fit = partial(clone, num_steps=config.num_steps, batch_size=config.batch_size)
    params, losses_S = fit(model, tx, obs_PxD, action_P, n, key_clone)
    greedy = lambda o: jnp.argmax(model.apply(params, o), axis=-1)
    returns_E = rollout.evaluate(env, env_params, greedy, key_eval, config.eval_episodes)
    agreement = jnp.mean(greedy(held_obs_HxD) == held_action_H)
    return returns_E, agreement, jnp.mean(losses_S[-100:])

  keys = jax.random.split(key, len(config.num_transitions))
  return jax.jit(jax.vmap(one))(ns, keys)


def _mean_std(values) -> dict:
  return {"mean": float(np.mean(values)), "std": float(np.std(values)), "seeds": [float(v) for v in values]}


@options.resolved
def behaviour_cloning(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: per seed an expert, its demonstrations, a clone per N; results.json and cloning.png."""
  os.makedirs(workdir, exist_ok=True)
  env, env_params = envs.make(config.env)
  largest = max(config.num_transitions)
  steps_per_episode = env_params.max_steps_in_episode
  if min(config.num_transitions) < 1:
    raise ConfigError(f"num_transitions must be positive, got {config.num_transitions}")
  start = time.perf_counter()
  train_expert, seeds = expert_trainer(config), []
  expert_compile_seconds = time.perf_counter() - start  # an agent's programs, once for every seed
  for seed in config.seeds:
    start = time.perf_counter()
    greedy, expert = train_expert(seed, workdir)
    expert_seconds = time.perf_counter() - start
    key = jax.random.key(10_000 + seed)  # split below: other episodes than the RL driver's fresh eval
    k_expert_eval, k_pool, k_held, k_clone = jax.random.split(key, 4)
    expert_returns = rollout.evaluate(env, env_params, greedy, k_expert_eval, config.eval_episodes)
    # Enough episodes for the largest N even if the expert never lasts more than a fifth of its limit.
    obs_PxD, action_P = demonstrations(env, env_params, greedy, k_pool, -(-5 * largest // steps_per_episode))
    if len(action_P) < largest:
      raise ConfigError(f"the expert's rollouts hold {len(action_P)} transitions, fewer than N = {largest}")
    order = np.random.default_rng(seed).permutation(len(action_P))
    held_out = demonstrations(env, env_params, greedy, k_held, config.held_out_episodes)
    start = time.perf_counter()
    returns_NxE, agreement_N, loss_N = clone_all(
      config, env, env_params, (obs_PxD[order], action_P[order]), held_out, k_clone
    )
    returns_NxE = np.asarray(returns_NxE)
    record = {
      **expert,
      "expert_seconds": expert_seconds,
      "expert_fresh_return": float(np.mean(expert_returns)),
      "expert_pushes_right": float(np.mean(action_P)),
      "pool_transitions": int(len(action_P)),
      "clone_seconds": time.perf_counter() - start,  # compiling included
      "clone_return": [float(r) for r in returns_NxE.mean(1)],
      "clone_return_min": [float(r) for r in returns_NxE.min(1)],
      "held_out_agreement": [float(a) for a in np.asarray(agreement_N)],
      "final_train_loss": [float(v) for v in np.asarray(loss_N)],
    }
    seeds.append(record)
    rows = {f"N={n} return": r for n, r in zip(config.num_transitions, record["clone_return"], strict=True)}
    print(
      format_table(
        {"expert return": record["expert_fresh_return"], **rows}, f"behaviour cloning, seed {seed}"
      )
    )

  per_n = lambda name: [_mean_std([s[name][i] for s in seeds]) for i in range(len(config.num_transitions))]
  results = {
    "env": env.name,
    "expert": seeds[0]["expert"],
    "num_transitions": list(config.num_transitions),
    "eval_episodes": config.eval_episodes,
    "expert_return": _mean_std([s["expert_fresh_return"] for s in seeds]),
    "expert_compile_seconds": expert_compile_seconds,
    "clone_return": per_n("clone_return"),
    "held_out_agreement": per_n("held_out_agreement"),
    "seeds": seeds,
  }
  _figure(workdir, results)
  summary = {"expert return (mean)": results["expert_return"]["mean"]}
  for n, r, a in zip(
    results["num_transitions"], results["clone_return"], results["held_out_agreement"], strict=True
  ):
    summary[f"N={n}"] = f"return {r['mean']:.1f} +- {r['std']:.1f}, agreement {a['mean']:.3f}"
  return write_results(workdir, results, summary, title=f"behaviour cloning of {results['expert']}")


def _figure(workdir: str, results: dict) -> None:
  plt = pyplot()
  fig, (a, b) = plt.subplots(1, 2, figsize=(10, 3.8))
  ns = results["num_transitions"]
  for ax, name, label in (
    (a, "clone_return", f"return ({results['eval_episodes']} fresh episodes)"),
    (b, "held_out_agreement", "held-out states: clone's action = expert's"),
  ):
    stats = results[name]
    ax.errorbar(ns, [s["mean"] for s in stats], [s["std"] for s in stats], fmt="o-", capsize=3, label="clone")
    ax.set(xscale="log", xlabel="expert transitions N", ylabel=label)
    ax.grid(alpha=0.3)
  expert = results["expert_return"]
  a.axhline(expert["mean"], color="k", ls=":", label=f"expert ({results['expert']}): {expert['mean']:.1f}")
  a.legend(loc="lower right")
  fig.suptitle(f"behaviour cloning on {results['env']}: mean +- std over {len(results['seeds'])} seeds")
  fig.tight_layout()
  save_figure(fig, workdir, "cloning.png")
