"""What `python train.py` runs, by name: `config.driver` picks a program of (config, workdir).

"train" is the one training loop. Other drivers (sweeps, cross-validation, ensembles, agents, ...)
reuse it or stand beside it; each writes results.json into its workdir and returns the results.
"""

from collections.abc import Callable

import ml_collections

from nets.crossval import kfold
from nets.ensemble import train_ensemble
from nets.errors import lookup
from nets.loop import train_and_evaluate
from nets.tune import tune

Driver = Callable[[ml_collections.ConfigDict, str], dict]

DRIVERS: dict[str, Driver] = {
  "train": train_and_evaluate,
  "kfold": kfold,
  "ensemble": train_ensemble,
  "tune": tune,
}


def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  return lookup(DRIVERS, "driver", config.get("driver", "train"))(config, workdir)
