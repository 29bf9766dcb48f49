"""Bayesian search (optuna TPE) over learning rate, weight decay (AdamW) and dropout for the MNIST-1D
paper CNN, 15 epochs a trial, maximising accuracy on 500 held-out training signals. Killed, it resumes.

  python scripts/tune.py --config=experiments/mnist1d_cnn_tune.py --workdir=runs/mnist1d_cnn_tune

Result: 8 trials in 46 s wall (quiet 2-core CPU); best validation accuracy 90.4% (trial 4: learning
rate 0.0069, weight decay 0.050, dropout 0.036), its test accuracy 89.0%; the worst trial 66.8%. (The
first session's study, before dropout's mask stream and the loop's compilation changed, took another
path: best validation 91.4%, test 89.6%, 365 s on the shared machine.)
Three searches, the sampler and every trial seeded by seeds 0, 1, 2 (seed 0 is the search above, to
the digit): best validation 91.7 +- 0.9% (90.4 / 92.2 / 92.4), its test accuracy 91.5 +- 1.8% (89.0 /
93.2 / 92.4), 4 min 28 s wall for the three beside another training run. The best trials' settings
disagree (learning rate 0.007-0.016, weight decay 1e-5 to 0.05, dropout 0.01-0.19), and at 15 epochs a
trial the best stays below experiments/mnist1d_cnn.py's hand-set 150 epochs (94.1 +- 1.3%):
  python scripts/seeds.py --config=experiments/mnist1d_cnn_tune.py --seeds=3 --workdir=runs/seeds/tune
"""

import ml_collections

from experiments.mnist1d_cnn import get_config as cnn_config


def get_config():
  config = cnn_config()
  config.driver = "tune"
  config.data.validation_size = 500
  config.optimizer.name = "adamw"
  config.num_epochs = 15
  config.tune = ml_collections.ConfigDict(
    dict(
      trials=8,
      metric="val_accuracy",
      learning_rate=(1e-3, 3e-2),
      weight_decay=(1e-5, 1e-1),
      dropout_rate=(0.0, 0.5),
    )
  )
  return config
