"""REINFORCE with a learned baseline on CartPole-v1 (gymnax), 3 seeds, until solved.

  python train.py --config=experiments/cartpole_reinforce.py --workdir=runs/cartpole_reinforce

Result: PENDING
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
      name="reinforce",  # nets.rl.train.AGENTS
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
