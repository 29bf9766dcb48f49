"""MAML on sine waves (Finn et al. 2017), beside a net pre-trained on all tasks and a net from scratch.

  python train.py --config=experiments/maml_sine.py --workdir=runs/maml_sine

Result: (to be measured)
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
