"""Run any experiment for several seeds, one after another, and report each figure as mean +- std.

  python scripts/seeds.py --config=experiments/vae.py --seeds=3 --workdir=runs/vae_seeds
  python scripts/seeds.py --config=experiments/gan.py --config.num_epochs=50 --seeds=3 --workdir=...

For drivers that train one model per run (train, autoencoder, gan, word_vectors, ...): the ensemble
driver trains seeds together in one compiled step and reports the same statistics itself. Seed s runs
in WORKDIR/seed_s with `config.seed = s` through the same entry point as train.py (nets.drivers.run); a
seed whose results.json is already there is read, not rerun, so an interrupted sweep resumes. Writes
WORKDIR/seeds.json: every seed's scalar results (nested ones by dotted name) and, per figure, mean,
std (population: numpy's default, as the ensemble driver) and the values; prints the table.
"""

import json
import os
import sys

import numpy as np
from absl import app, flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nets import cli, drivers, runtime  # noqa: E402 - cli defines --config and --workdir, and their one-line errors
from nets.errors import ConfigError  # noqa: E402
from nets.training.logbook import format_table  # noqa: E402

flags.DEFINE_integer("seeds", 3, "seeds first_seed .. first_seed + seeds - 1")
flags.DEFINE_integer("first_seed", 0, "the first seed")
FLAGS = flags.FLAGS


def scalars(results: dict, prefix: str = "") -> dict[str, float]:
  """The numbers in `results`, nested dicts flattened to dotted names (a study's {"fits": {"mae":
  {"parameter_error": ...}}} gives "fits.mae.parameter_error"); lists, strings and booleans left out."""
  out = {}
  for k, v in results.items():
    if isinstance(v, dict):
      out.update(scalars(v, f"{prefix}{k}."))
    elif isinstance(v, int | float) and not isinstance(v, bool):
      out[f"{prefix}{k}"] = float(v)
  return out


def main(argv):
  del argv
  if not FLAGS.workdir:
    sys.exit("error: --workdir is required: each seed runs in WORKDIR/seed_S")
  try:
    sweep(cli.experiment_config(), FLAGS.workdir)
  except (ConfigError, FloatingPointError) as e:
    sys.exit(f"error: {e}")


def sweep(experiment, root: str) -> None:
  per_seed = {}
  for seed in range(FLAGS.first_seed, FLAGS.first_seed + FLAGS.seeds):
    workdir = os.path.join(root, f"seed_{seed}")
    path = os.path.join(workdir, "results.json")
    if os.path.exists(path):
      with open(path) as f:
        results = json.load(f)
    else:
      os.makedirs(workdir, exist_ok=True)
      config = experiment.copy_and_resolve_references()
      config.seed = seed
      results = drivers.run(config, workdir)
    per_seed[seed] = scalars(results)
  common = sorted(set.intersection(*(set(r) for r in per_seed.values())))
  stats = {}
  for k in common:
    values = [per_seed[s][k] for s in per_seed]
    stats[k] = {"mean": float(np.mean(values)), "std": float(np.std(values)), "values": values}
  table = {k: f"{v['mean']:.6g} +- {v['std']:.2g}" for k, v in stats.items()}
  out = {"seeds": list(per_seed), "stats": stats, "per_seed": per_seed}
  with open(os.path.join(root, "seeds.json"), "w") as f:
    json.dump(out, f, indent=1)
  title = f"seeds {', '.join(map(str, per_seed))}: mean +- std ({root}/seeds.json)"
  print(format_table(table, title))


if __name__ == "__main__":
  runtime.configure()  # As nets-train does.
  app.run(main, flags_parser=cli.parse_flags)
