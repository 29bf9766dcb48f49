"""REINFORCE with a learned baseline on CartPole-v1 (gymnax), seeds 0-4, until solved and confirmed.

Each seed trains until its greedy policy passes the 100-episode evaluation and 100 fresh episodes confirm
the pass.

  python train.py --config=experiments/cartpole_reinforce.py --workdir=runs/cartpole_reinforce

Result: solved for 5/5 seeds (a pass of the 100-episode greedy evaluation counts when 100 fresh episodes put
the lower end of its mean's 95% interval at or above 475, CartPole-v1's "solved" threshold) after 59,740 /
42,700 / 71,170 / 37,358 / 183,734 environment steps; the solved policies return 496.8 +- 3.7 on 1,000 fresh
episodes. 1.5 s median wall per seed (0.8-2.2 s) after 9 s of compiling, on the 2-core CPU beside a CNN
run."""

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
