"""What `python train.py` runs, by name: `config.driver` picks a program of (config, workdir).

"train" is the one training loop. Other drivers (sweeps, cross-validation, ensembles, agents, ...)
reuse it or stand beside it; each writes results.json into its workdir and returns the results.
Drivers are named by import path and imported only when run, so one driver's heavy dependencies
never slow down another's start.
"""

import importlib
from collections.abc import Callable

import ml_collections

from nets import options
from nets.errors import lookup
from nets.training.workdir import write_config

Driver = Callable[[ml_collections.ConfigDict, str], dict]

DRIVERS: dict[str, str] = {
  "train": "nets.training.loop:train_and_evaluate",
  "rl": "nets.drivers.rl:run",  # an agent in an environment, trained per seed until solved
  "char_ngram": "nets.drivers.ngram:char_ngram",
  "reverse_digits": "nets.drivers.transduction:reverse_digits",
  "word_vectors": "nets.drivers.wordvec:skipgram_vectors",
  "pretrain_finetune": "nets.drivers.transfer:pretrain_finetune",
  "behaviour_cloning": "nets.drivers.imitation:behaviour_cloning",  # an MLP trained on an expert's actions
  "maml": "nets.drivers.meta:maml",  # meta-learning a start that adapts in a few gradient steps
  "backprop": "nets.drivers.studies.backprop:run",
  "universality": "nets.drivers.studies.universality:run",
  "conditioning": "nets.drivers.studies.conditioning:run",
  "optimizers": "nets.drivers.studies.optimizers:run",
  "depth": "nets.drivers.studies.depth:run",
  "losses_outliers": "nets.drivers.studies.loss_choice:outliers",
  "losses_classification": "nets.drivers.studies.loss_choice:classification",
  "learning_rate": "nets.drivers.studies.learning_rate:run",
  "autoencoder": "nets.drivers.unsupervised:autoencoder",
  "gan": "nets.drivers.unsupervised:gan",
  "nextpixel": "nets.drivers.unsupervised:nextpixel",
  "contrastive": "nets.drivers.unsupervised:contrastive",
  "recognizer": "nets.drivers.recognizer:train_recognizer",
  "recognizer_text": "nets.drivers.recognizer_text:train_text_recognizer",  # handwriting fonts, by font
  "kfold": "nets.drivers.crossval:kfold",
  "ensemble": "nets.drivers.ensemble:train_ensemble",
  "tune": "nets.drivers.tune:tune",
  "knn": "nets.drivers.knn:run",  # k-nearest neighbours on raw pixels, no training
}


def get(name: str) -> Driver:
  module, _, function = lookup(DRIVERS, "driver", name).partition(":")
  return getattr(importlib.import_module(module), function)


def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Run the driver `config.driver` in `workdir`, which gets the resolved config.json first."""
  config = options.resolve(config)  # Every field checked and present, before any data is read.
  driver = get(config.driver)
  write_config(workdir, config)
  return driver(config, workdir)
