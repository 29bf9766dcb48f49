"""What `python train.py` runs, by name: `config.driver` picks a program of (config, workdir).

"train" is the one training loop. Other drivers (sweeps, cross-validation, ensembles, agents, ...)
reuse it or stand beside it; each writes results.json into its workdir and returns the results.
Drivers are named by import path and imported only when run, so one driver's heavy dependencies
never slow down another's start.
"""

import importlib
from collections.abc import Callable

import ml_collections

from nets.errors import lookup

Driver = Callable[[ml_collections.ConfigDict, str], dict]

DRIVERS: dict[str, str] = {
  "train": "nets.loop:train_and_evaluate",
  "rl": "nets.rl.train:run",  # an agent in an environment, trained per seed until solved
  "char_ngram": "nets.ngram:char_ngram",
  "reverse_digits": "nets.transduction:reverse_digits",
  "word_vectors": "nets.wordvec:skipgram_vectors",
  "pretrain_finetune": "nets.transfer:pretrain_finetune",
  "backprop": "nets.studies.backprop:run",
  "universality": "nets.studies.universality:run",
  "conditioning": "nets.studies.conditioning:run",
  "optimizers": "nets.studies.optimizers:run",
  "depth": "nets.studies.depth:run",
  "losses_outliers": "nets.studies.loss_choice:outliers",
  "losses_classification": "nets.studies.loss_choice:classification",
  "learning_rate": "nets.studies.learning_rate:run",
  "autoencoder": "nets.unsupervised:autoencoder",
  "gan": "nets.unsupervised:gan",
  "nextpixel": "nets.unsupervised:nextpixel",
  "contrastive": "nets.unsupervised:contrastive",
  "recognizer": "nets.recognizer.driver:train_recognizer",
  "kfold": "nets.crossval:kfold",
  "ensemble": "nets.ensemble:train_ensemble",
  "tune": "nets.tune:tune",
}


def get(name: str) -> Driver:
  module, _, function = lookup(DRIVERS, "driver", name).partition(":")
  return getattr(importlib.import_module(module), function)


def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  return get(config.get("driver", "train"))(config, workdir)
