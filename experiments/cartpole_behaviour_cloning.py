"""Behaviour cloning: an MLP trained on N (observation, action) pairs of the REINFORCE agent's rollouts.

N = 1 to 10,000, 2,000 Adam steps each, scored on 100 fresh CartPole-v1 episodes; each seed has its own
REINFORCE expert, trained until solved as in cartpole_reinforce.

  python train.py --config=experiments/cartpole_behaviour_cloning.py --workdir=runs/cartpole_behaviour_cloning

Result: over seeds 0-2, from N = 100 expert transitions on the clone balances like its expert (return 500.0 +-
0.0 at N = 100, 498.3 +- 2.4 at 10,000; the experts 498.6 +- 2.0); 30 transitions give 443.6 +- 61.2, 10 give
117.3 +- 78.4. No published CartPole figure to compare: the expert is the reference. 182 s wall, 114 s CPU
for all three seeds on the shared 2-core machine (load 5-12).
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
