"""Behaviour cloning: an MLP trained on N (observation, action) pairs of the REINFORCE agent's rollouts.

  python train.py --config=experiments/cartpole_behaviour_cloning.py --workdir=runs/cartpole_behaviour_cloning

Result: (to be measured)
"""

import ml_collections

from experiments.cartpole_reinforce import get_config as expert_config
from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "behaviour_cloning"
  config.env = "cartpole"  # nets.envs.ENVS
  config.seeds = (0, 1, 2)  # each seed: its own expert, demonstrations and clones
  config.expert_policy = "agent"  # "agent": config.expert trained by the RL driver; "lean": hand-made
  config.expert = expert_config()  # REINFORCE, trained until its greedy policy returns 475 on 100 episodes
  config.expert.measure_python_loop = False
  config.num_transitions = (1, 3, 10, 30, 100, 300, 1000, 3000, 10000)  # N: expert transitions cloned
  config.held_out_episodes = 10  # expert episodes whose states measure the clone's agreement
  config.eval_episodes = 100  # fresh episodes per clone, as the RL driver evaluates
  config.model = ml_collections.ConfigDict(dict(name="mlp", widths=(64, 64), activation="tanh"))
  config.num_steps = 2000  # gradient steps per clone, whatever N
  config.batch_size = 64  # transitions per step, drawn with replacement from the N
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-3
  return config
