"""DQN on CartPole-v1 (gymnax), seeds 0-4, until solved and confirmed.

Each seed trains until its greedy policy passes the 100-episode evaluation and 100 fresh episodes confirm
the pass.

  python train.py --config=experiments/cartpole_dqn.py --workdir=runs/cartpole_dqn

Result: solved for 5/5 seeds (a pass of the 100-episode greedy evaluation counts when 100 fresh episodes put
the lower end of its mean's 95% interval at or above 475, CartPole-v1's "solved" threshold) after 25,000 /
245,000 / 215,000 / 190,000 / 245,000 environment steps; the solved policies return 491.6 +- 4.8 on 1,000
fresh episodes. 10.4 s median wall per seed (0.9-12.5 s) after 11 s of compiling, on the 2-core CPU beside
a CNN run."""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "rl"
  config.env = "cartpole"  # nets.envs.ENVS
  config.seeds = (0, 1, 2, 3, 4)
  config.solve_return = 475.0  # the usual CartPole-v1 threshold
  config.eval_episodes = 100  # a pass counts when 100 more fresh episodes confirm it
  config.report_episodes = 1000  # the solved policy, on fresh episodes
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
