"""DQN on CartPole-v1 (gymnax), 3 seeds, until solved.

  python train.py --config=experiments/cartpole_dqn.py --workdir=runs/cartpole_dqn

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
  config.updates_per_eval = 500
  config.max_env_steps = 1_000_000
  config.measure_python_loop = True  # time gymnasium and a per-step jitted call beside the compiled run
  config.agent = ml_collections.ConfigDict(
    dict(
      name="dqn",  # nets.rl.train.AGENTS
      num_envs=10,  # environments stepped per update
      gamma=0.99,
      buffer_size=10_000,
      batch_size=128,
      learning_starts=10_000,
      train_every=1,  # updates per gradient step
      target_every=50,  # gradient steps per target-network copy
      epsilon_start=1.0,
      epsilon_end=0.05,
      epsilon_steps=250_000,
      loss="mse",  # nets.losses.LOSSES
    )
  )
  config.model = ml_collections.ConfigDict(dict(name="mlp", widths=(120, 84), activation="relu"))
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 2.5e-4
  return config
