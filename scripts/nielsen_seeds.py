"""Train experiments/nielsen.py (or another config) for several seeds; per seed, the test accuracy and each
class's test accuracy from the final parameters, and the classes that died (below 10%: never predicted).

  python scripts/nielsen_seeds.py --config=experiments/nielsen.py --seeds=10 --workdir=runs/nielsen_seeds
"""

import json
import os

import jax
import jax.numpy as jnp
import numpy as np
from absl import app, flags
from ml_collections import config_flags

from nets.training.loop import train_and_evaluate

config_flags.DEFINE_config_file("config", "experiments/nielsen.py", "experiment file")
flags.DEFINE_integer("seeds", 10, "seeds 0 .. seeds-1")
flags.DEFINE_string("workdir", "runs/nielsen_seeds", "one workdir per seed below this")
FLAGS = flags.FLAGS


def per_class(task, state, dataset):
  test = dataset.splits["test"]
  predicted = np.asarray(jnp.argmax(jax.jit(task.predict)(state, test["x"]), -1))
  accuracy = [float((predicted[test["y"] == c] == c).mean()) for c in range(dataset.num_classes)]
  return {"per_class_test_accuracy": accuracy, "dead_classes": [c for c, a in enumerate(accuracy) if a < 0.1]}


def main(argv):
  del argv
  rows = []
  for seed in range(FLAGS.seeds):
    config = FLAGS.config
    config.seed = seed
    r = train_and_evaluate(config, os.path.join(FLAGS.workdir, f"seed{seed}"), on_end=per_class)
    keys = ("test_accuracy", "train_seconds", "per_class_test_accuracy", "dead_classes")
    rows.append({k: r[k] for k in keys})
  print(json.dumps(rows))
  for seed, r in enumerate(rows):
    classes = " ".join(f"{a:.2f}" for a in r["per_class_test_accuracy"])
    print(f"seed {seed}: test {r['test_accuracy']:.4f}  per class {classes}  dead {r['dead_classes']}")
  acc = np.array([r["test_accuracy"] for r in rows])
  dead = sum(bool(r["dead_classes"]) for r in rows)
  print(f"mean {acc.mean():.4f} +- {acc.std():.4f}; seeds with a dead class: {dead}")
  with open(os.path.join(FLAGS.workdir, "seeds.json"), "w") as f:
    json.dump(rows, f, indent=2)


if __name__ == "__main__":
  app.run(main)
