"""The RL driver: train an agent on an environment for each seed until it is solved, then report.

For each seed the agent runs `updates_per_eval` updates in one compiled `lax.scan`, then plays
`eval_episodes` greedy episodes (also compiled, vmapped); it stops the first time their mean return
reaches `solve_return` and a second look at the same policy, on `eval_episodes` episodes it has not
played, confirms it: the lower end of that mean's 95% interval (mean - 2 standard errors) is at or above
`solve_return` (a policy whose true mean sits just under the threshold passes one look of 100 episodes
often enough to be "solved" by luck); or when `max_env_steps` are spent. The solved policy is
then reported on `report_episodes` more fresh episodes. The wall time of each seed excludes
compilation and a first warm-up call (done once, ahead of time, and reported apart). The workdir gets
results.json, learning_curve.png and, per seed, metrics.jsonl + TensorBoard events.
"""

import itertools
import os
import time
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import envs, optim, options
from nets.errors import ConfigError, lookup
from nets.rl import dqn, reinforce, rollout, speed
from nets.rl.agent import Agent
from nets.training.logbook import Logbook, format_table
from nets.training.workdir import pyplot, save_figure, write_results

AGENTS = {"reinforce": reinforce.make, "dqn": dqn.make}


def make_agent(config: ml_collections.ConfigDict):
  """(agent, env, env_params) of `config`, with its optimizer built from `config.optimizer`."""
  env, env_params = envs.make(config.env)
  make = lookup(AGENTS, "agent", config.agent.name)
  for name, value in (
    ("agent.num_envs", config.agent.num_envs),
    ("updates_per_eval", config.updates_per_eval),
  ):
    if value < 1:
      raise ConfigError(f"{name} must be at least 1, got {value}")
  # The schedule's horizon: at most one gradient step per update, at least num_envs steps per update.
  tx = optim.make_optimizer(config.optimizer, config.max_env_steps // config.agent.num_envs)
  return make(config, env, env_params, tx), env, env_params


def chunk(agent: Agent, env, env_params, state, eval_key, *, num_updates: int, eval_episodes: int):
  """`num_updates` updates, then the greedy policy's return on `eval_episodes` fresh episodes."""
  state, metrics = jax.lax.scan(lambda s, _: agent.update(s), state, None, length=num_updates)
  returns_E = rollout.evaluate(env, env_params, partial(agent.greedy, state), eval_key, eval_episodes)
  summary = {k: jnp.mean(v) for k, v in metrics.items() if k not in ("return_sum", "episodes")}
  summary["train_return"] = jnp.sum(metrics["return_sum"]) / jnp.maximum(jnp.sum(metrics["episodes"]), 1)
  summary["train_episodes"] = jnp.sum(metrics["episodes"])
  return state, summary, returns_E


class Programs(NamedTuple):
  """What trains and evaluates one agent config, compiled once for all its seeds."""

  agent: Agent
  env: object
  env_params: object
  init: Callable  # key -> state
  chunk: Callable  # (state, key) -> (state, summary, returns_E): `updates_per_eval` updates, then evaluate
  confirm: Callable  # (state, key) -> returns_E of `eval_episodes` fresh episodes
  compile_seconds: float  # compiling and a first warm-up call of `chunk`


def evaluator(agent: Agent, env, env_params, episodes: int) -> Callable:
  """Compiled (state, key) -> the greedy policy's returns on `episodes` fresh episodes."""
  return jax.jit(lambda s, key: rollout.evaluate(env, env_params, partial(agent.greedy, s), key, episodes))


def compile_programs(config: ml_collections.ConfigDict) -> Programs:
  """The agent of `config` and its compiled programs; `chunk` run once, so a first seed is timed warm.
  The one way to get what `train_seed` takes (this driver and the imitation driver's experts)."""
  agent, env, env_params = make_agent(config)
  fn = partial(chunk, agent, env, env_params, num_updates=config.updates_per_eval)
  fn = partial(fn, eval_episodes=config.eval_episodes)
  init = jax.jit(agent.init)
  start = time.perf_counter()
  example = init(jax.random.key(0))
  compiled = jax.jit(fn, donate_argnums=0).lower(example, jax.random.key(0)).compile()
  jax.block_until_ready(compiled(example, jax.random.key(0)))
  confirm = evaluator(agent, env, env_params, config.eval_episodes)
  return Programs(agent, env, env_params, init, compiled, confirm, time.perf_counter() - start)


def train_seed(
  config, compiled, init, confirm, seed: int, logbook: Logbook
) -> tuple[dict, list[dict], object]:
  """Train one seed until solved (and confirmed) or out of budget; (summary, per-evaluation records,
  final state). `confirm(state, key)`: the greedy returns of fresh episodes."""
  key = jax.random.key(seed)
  state = init(jax.random.fold_in(key, 0))
  jax.block_until_ready(state)
  eval_key, records, solved = jax.random.fold_in(key, 1), [], None
  start, cpu_start = time.perf_counter(), time.process_time()
  for i in itertools.count():
    state, summary, returns_E = compiled(state, jax.random.fold_in(eval_key, i))
    returns_E = np.asarray(returns_E)
    record = {k: float(v) for k, v in summary.items()}
    record.update(
      env_steps=int(state.env_steps),
      seconds=time.perf_counter() - start,
      cpu_seconds=time.process_time() - cpu_start,
      eval_return=float(returns_E.mean()),
      eval_return_min=float(returns_E.min()),
    )
    if record["eval_return"] >= config.solve_return:
      # Keys of their own, never those of the evaluations or of the report.
      second = np.asarray(confirm(state, jax.random.fold_in(jax.random.key(20_000 + seed), i)))
      record["confirm_return"] = float(second.mean())
      record["confirm_lower"] = float(second.mean() - 2 * second.std(ddof=1) / np.sqrt(len(second)))
    records.append(record)
    logbook.write(record["env_steps"], record)
    if record.get("confirm_lower", -np.inf) >= config.solve_return:
      solved = record
      break
    if record["env_steps"] >= config.max_env_steps:
      break
  last = records[-1]
  return (
    {
      "seed": seed,
      "solved": solved is not None,
      "env_steps": last["env_steps"],
      "seconds": last["seconds"],
      "cpu_seconds": last["cpu_seconds"],
      "eval_return": last["eval_return"],
      "evaluations": len(records),
      "unconfirmed_passes": sum("confirm_return" in r for r in records) - (solved is not None),
      "train_env_steps_per_second": last["env_steps"] / last["seconds"],
      "train_env_steps_per_cpu_second": last["env_steps"] / last["cpu_seconds"],
    },
    records,
    state,
  )


def plot(path: str, title: str, solve_return: float, curves: dict[int, list[dict]]) -> None:
  plt = pyplot()
  fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
  for seed, records in curves.items():
    for ax, x in zip(axes, ("env_steps", "seconds"), strict=True):
      xs = [r[x] for r in records]
      (line,) = ax.plot(xs, [r["eval_return"] for r in records], label=f"seed {seed}: greedy, 100 episodes")
      ax.plot(xs, [r["train_return"] for r in records], color=line.get_color(), alpha=0.35, lw=1)
  for ax, label in zip(axes, ("environment steps", "wall seconds (after compiling)"), strict=True):
    ax.axhline(solve_return, color="k", ls=":", lw=1)
    ax.set_xlabel(label)
    ax.grid(alpha=0.3)
  axes[0].set_ylabel("mean return (faint: training episodes)")
  axes[0].legend(fontsize=8, loc="upper left")
  fig.suptitle(title)
  fig.tight_layout()
  save_figure(fig, path)


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Train `config.agent.name` on `config.env` for every seed in `config.seeds`; write results.json."""
  os.makedirs(workdir, exist_ok=True)
  programs = compile_programs(config)
  agent, env, env_params = programs.agent, programs.env, programs.env_params
  report = evaluator(agent, env, env_params, config.report_episodes)
  seeds, curves = [], {}
  for seed in config.seeds:
    os.makedirs(seed_dir := os.path.join(workdir, f"seed_{seed}"), exist_ok=True)
    logbook = Logbook(seed_dir)
    summary, curves[seed], state = train_seed(
      config, programs.chunk, programs.init, programs.confirm, seed, logbook
    )
    logbook.close()
    # The final policy on episodes it has never seen, after the choice to stop: an unbiased estimate.
    fresh = np.asarray(report(state, jax.random.key(10_000 + seed)))
    summary["fresh_eval_return"] = float(fresh.mean())
    summary["fresh_eval_return_min"] = float(fresh.min())
    summary["fresh_eval_episodes"] = len(fresh)
    seeds.append(summary)
    print(format_table(summary, f"{config.agent.name} on {config.env}, seed {seed}"))

  results = {
    "agent": config.agent.name,
    "env": env.name,
    "solve_return": config.solve_return,
    "eval_episodes": config.eval_episodes,
    "all_solved": all(s["solved"] for s in seeds),
    "median_env_steps": float(np.median([s["env_steps"] for s in seeds])),
    "median_seconds": float(np.median([s["seconds"] for s in seeds])),
    "median_cpu_seconds": float(np.median([s["cpu_seconds"] for s in seeds])),
    "compile_seconds": programs.compile_seconds,
    "seeds": seeds,
  }
  if config.measure_python_loop:
    results["python_loop_steps_per_second"] = {
      "gymnasium": speed.gymnasium_loop(config.env),
      "jax_step_per_call": speed.jax_step_loop(env, env_params),
    }
    results["compiled_rollout_steps_per_second"] = speed.compiled_rollout(env, env_params)
  title = f"{config.agent.name} on {env.name}: greedy return every {config.updates_per_eval} updates"
  plot(os.path.join(workdir, "learning_curve.png"), title, config.solve_return, curves)
  return write_results(workdir, results, title=f"{config.agent.name} on {env.name}")
