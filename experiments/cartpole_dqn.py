"""DQN on CartPole-v1 (gymnax), 3 seeds, until solved.

  python train.py --config=experiments/cartpole_dqn.py --workdir=runs/cartpole_dqn

Result: solved for 3/3 seeds - greedy mean return over 100 episodes 491.6 / 478.3 / 499.3 (seeds 0/1/2)
after 25,000 / 235,000 / 215,000 environment steps (the same in every run), 1.9 / 21.0 / 15.4 s wall and
0.8 / 8.7 / 7.5 CPU s each after 30 s of compiling; 100 fresh episodes: 491.2 / 478.5 / 499.3. On the
shared 2-core machine (load 11-18) the median seconds per seed ranged 7.4-16.8 s over four runs.
Epsilon decaying over 50k instead of 250k steps did not solve sooner (median 250,000 steps).
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
  config.updates_per_eval = 500
  config.max_env_steps = 1_000_000
  config.measure_python_loop = True  # time gymnasium and a per-step jitted call beside the compiled run
  config.agent = ml_collections.ConfigDict(
    dict(
      name="dqn",  # nets.drivers.rl.AGENTS
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
