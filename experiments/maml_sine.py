"""MAML on sine waves (Finn et al. 2017), beside a net pre-trained on all tasks and a net from scratch.

1-40-40-1 ReLU, alpha = 0.01, one inner step, Adam 1e-3 in the outer loop; 3 seeds.

  python train.py --config=experiments/maml_sine.py --workdir=runs/maml_sine

Result: over seeds 0-2 (1,000 held-out tasks, 100 query points each), after one step of alpha = 0.01 on the
K shots, MAML's query MSE is 0.581 +- 0.019 (K = 5) and 0.343 +- 0.004 (K = 10), the pretrained net's 2.403
+- 0.072 and 2.401 +- 0.061, a net from scratch's 12.6 +- 3.9 and 9.8 +- 2.8; Finn, Abbeel & Levine 2017
(Fig. 3) show MAML's loss far below the pretrained network's (quoted qualitatively). 13.2 min wall on the
shared 2-core machine.
"""

import math

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "maml"
  config.seeds = (0, 1, 2)  # vmapped: each seed its own initialisation and training tasks
  config.amplitude = (0.1, 5.0)  # A ~ U[0.1, 5]
  config.phase = (0.0, math.pi)  # phase ~ U[0, pi]
  config.x = (-5.0, 5.0)  # x ~ U[-5, 5]
  config.shots = (5, 10)  # K: support points per task, in meta-training and evaluation alike
  config.model = ml_collections.ConfigDict(dict(name="mlp", widths=(40, 40), activation="relu"))
  config.alpha = 0.01  # inner (adaptation) step size, at meta-training and evaluation
  config.inner_steps = 1  # inner gradient steps at meta-training time
  config.meta_batch = 25  # tasks per meta-iteration
  config.meta_iterations = 70_000  # Finn et al.'s
  config.eval_every = 1000  # meta-iterations between validation scores
  config.val_tasks = 100  # tasks scored during training (1 step's query MSE)
  config.eval_tasks = 1000  # held-out tasks
  config.query_points = 100  # points per task the adapted net is scored on
  config.eval_steps = 10  # adaptation steps at evaluation
  config.sweep_step_sizes = (0.001, 0.003, 0.03, 0.1)  # also evaluated, to see if alpha holds a method back
  config.sharpness_tasks = 100  # held-out tasks whose support-loss curvature (2 / lambda_max) is measured
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-3  # the meta (outer) learning rate; the pretrained net's too
  return config
