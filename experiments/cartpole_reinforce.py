"""REINFORCE with a learned baseline on CartPole-v1 (gymnax), 3 seeds, until solved.

  python train.py --config=experiments/cartpole_reinforce.py --workdir=runs/cartpole_reinforce

Result: solved for 3/3 seeds - greedy mean return over 100 episodes 500.0 / 497.2 / 499.4 (seeds 0/1/2)
after 59,740 / 42,700 / 71,170 environment steps (the same in every run), 2.8 / 2.2 / 3.4 s wall and
0.9 / 0.8 / 1.4 CPU s each after 28 s of compiling; 100 fresh episodes: 500.0 / 494.5 / 500.0. On the
shared 2-core machine (load 11-18) the median seconds per seed ranged 1.7-3.6 s over four runs.
Published: 475 is CartPole-v1's "solved" reward threshold (gymnasium's registry).
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "rl"
  config.env = "cartpole"  # nets.envs.ENVS
  config.seeds = (0, 1, 2)
  config.solve_return = 475.0  # the usual CartPole-v1 threshold
  config.eval_episodes = 100
  config.updates_per_eval = 5
  config.max_env_steps = 2_000_000
  config.measure_python_loop = True  # time gymnasium and a per-step jitted call beside the compiled run
  config.agent = ml_collections.ConfigDict(
    dict(
      name="reinforce",  # nets.drivers.rl.AGENTS
      num_envs=16,  # episodes per update
      gamma=0.99,
      normalize_advantages=True,
      entropy_coef=0.0,
      value_coef=0.5,
    )
  )
  config.model = ml_collections.ConfigDict(dict(name="mlp", widths=(64, 64), activation="tanh"))
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-3
  return config
