"""MAML on sine waves (Finn et al. 2017), beside a net pre-trained on all tasks and a net from scratch.

  python train.py --config=experiments/maml_sine.py --workdir=runs/maml_sine

Result (3 seeds, 1,000 held-out tasks, 100 query points each; mean +- std over seeds): after one step
of alpha = 0.01 on the K shots, MAML's query MSE is 0.581 +- 0.019 (K = 5) and 0.343 +- 0.004
(K = 10), the pretrained net's 2.403 +- 0.072 and 2.401 +- 0.061, a net from scratch's 12.6 +- 3.9
and 9.8 +- 2.8. Query MSE after 0 / 1 / 10 steps of 0.01, 70,000 meta-iterations:

  K = 5   MAML        3.010 +- 0.005   0.581 +- 0.019   0.356 +- 0.020 (1 of 3,000 tasks diverged; left out)
          pretrained  3.004 +- 0.005   2.403 +- 0.072   2.002 +- 0.111
          scratch     6.055 +- 1.127  12.613 +- 3.896   7.582 +- 0.452
  K = 10  MAML        3.149 +- 0.004   0.343 +- 0.004   0.104 +- 0.004
          pretrained  3.146 +- 0.003   2.401 +- 0.061   1.478 +- 0.062
          scratch     6.108 +- 1.113   9.764 +- 2.798   5.018 +- 0.101

MAML keeps improving past the one step it was meta-trained for. The baselines adapt with the same
steps of the same size; the sweep over step sizes 0.001 / 0.003 / 0.01 / 0.03 / 0.1 (results.json)
shows neither is held back by alpha: the pretrained net does best at 0.01 (10 steps: 2.002 / 1.478;
at 0.003: 2.147 / 2.002), and diverges on 1-22 of 1,000 tasks per seed at 0.03. The net from scratch
is unstable at 0.01: its loss doubles at the first step (6.1 -> 12.6 at K = 5) before falling; its
best is 0.001 (10 steps: 4.722 +- 0.237 / 4.175 +- 0.076), still above the pretrained net's start.
The pretrained net's best guess is not 0 but the mean task, -(2 E[A] / pi) cos x for phases in [0, pi]:
its prediction is 0.076 RMS from the mean of 100,000 tasks (whose own RMS is 1.12), and it starts at the
same loss as MAML (3.00 vs 3.01 at K = 5). Curvature of the K-shot loss at each start (largest Hessian
eigenvalue, median over 100 tasks, K = 5 / 10): MAML 270 / 232, pretrained 63 / 64, scratch 287 / 265. A
quadratic model says a step of 0.01 is unstable above 200; scratch's first-step jump fits that; MAML's
start is as sharp, yet its loss falls on 2,999 of 3,000 tasks, so the largest eigenvalue alone does not
tell its stability (not looked into further). After only 2,000 meta-iterations (a shorter run of this
experiment) the pretrained net was the sharp one (median 343 / 353) and diverged within 10 steps of 0.01
at K = 5 and 10: a short pre-training is one way to get a diverging baseline. 13.2 min wall, 8.2 min CPU
(MAML ~250 s and pretrained 63-109 s of training per K, three seeds vmapped, compiling included) on the
shared 2-core machine (load 4-12, beside another run).
Published: Finn, Abbeel & Levine 2017 (Fig. 3, K = 5, 10): MAML's loss after fine-tuning is far below
the pretrained network's at every number of gradient steps, and MAML keeps improving after the one
step it was trained for; we quote the figure only qualitatively. Their setting is this one: 1-40-40-1
ReLU, alpha = 0.01, one inner step, 25 tasks a meta-batch, Adam 1e-3, 70,000 iterations.
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
