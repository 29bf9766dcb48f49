"""Every experiments/*.py, run through the driver `python train.py` runs, at a budget of seconds.

Not a check of any figure: a check that each experiment still gets from its config file to results.json,
so a changed signature, a renamed config field or a broken driver path fails here the day it lands.
`shrink` cuts each driver's own budget fields (epochs, steps, seeds, members, folds, trials, episodes,
sweeps, data sizes, layers) by their names in the experiment files, and the size options a dataset
takes (DATA_SIZES), and trains and evaluates each loop-driven run on 256 and 128 examples of its data
(config.data.train_examples, test_examples), in every nested config (an expert, a pre-training run, a
classifier), and leaves every other field as the experiment sets it. What is left is mostly compiling
(by JAX's compile events): each run's train and evaluation programs, seconds each on 2 cores; the
workers share one compilation cache (tests/conftest.py).
"""

import importlib
import json
import time
from pathlib import Path

import ml_collections
import pytest

from nets import data as nets_data
from nets import drivers

# Part of the default `pytest` run; `pytest -m smoke` runs this file alone, every experiment.
pytestmark = pytest.mark.smoke

EXPERIMENTS = sorted(p.stem for p in (Path(__file__).parents[1] / "experiments").glob("[!_]*.py"))
# Experiments that cannot be made small: each compiles programs that take 5-15 s on one core however few
# steps it runs, which the default suite's 10 minutes cannot hold beside the rest. Marked `slow`: out of the
# default run, a step of their own in .ci/run (`pytest -m slow`), so a change that breaks one still fails CI.
# Their drivers are also run, smaller, by tests of the default suite (named here).
SLOW = {
  "reverse_digits": "an encoder-decoder unrolled over 21 steps: its train step alone compiles for ~8 s "
  "(tests/drivers/test_text_drivers.py runs the driver)",
  "pretrain_finetune": "three Transformer training programs (pre-training, fine-tuning, from scratch) "
  "(test_text_drivers.py's warm-start test runs the driver)",
  "recognizer_text": "a CNN + BiLSTM under CTC, beam search and a 6-gram over rendered lines "
  "(tests/recognizer/test_recognizer_text.py trains and reads back a tiny one)",
  "maml_sine": "second-order meta-gradients through the inner steps (tests/drivers/test_meta.py)",
  "mnist_transformer_full": "a ViT with augmentation; mnist_transformer, the same model, runs in the default "
  "suite",
  "mnist_resnet_full": "a ResNet with augmentation and the fast CPU convolutions, an ensemble; mnist_resnet "
  "(the same driver and model) and mnist_cnn_full (augmentation, the fast layer) run in the default suite",
  "pretrain_finetune_images": "three CNN training programs (pre-training, fine-tuning, from scratch) "
  "(tests/drivers/test_transfer.py runs the driver on images)",
  "recognizer_lstm": "a BiLSTM line model and its paragraph decoding; recognizer_cnn, the same driver, runs "
  "in the default suite",
}

# Full-size datasets whose first build takes 35-40 s each (measured on the 2-core machine), in every
# pytest worker's own data directory, which alone would pass this file's budget: their experiments run
# on mnist_5k, of the same shape (28 x 28 x 1, 10 classes). The builders themselves are tested on the
# real sources in tests/data/test_full.py.
SMALL_DATA = {"mnist_50k": "mnist_5k", "fashion_mnist_60k": "mnist_5k"}
# Value -> value it shrinks to, by field name, wherever the field is (top level or nested).
SMALL = {
  "num_epochs": lambda v: 1,
  "num_steps": lambda v: min(v, 20),
  "eval_every": lambda v: min(v, 10),
  "meta_iterations": lambda v: min(v, 20),
  "seeds": lambda v: tuple(v)[:1],
  "num_seeds": lambda v: 1,
  "ensemble_size": lambda v: min(v, 2),
  "kfold": lambda v: min(v, 2),
  "trials": lambda v: min(v, 2),
  "eval_episodes": lambda v: min(v, 4),
  "report_episodes": lambda v: min(v, 4),
  "held_out_episodes": lambda v: min(v, 2),
  "max_env_steps": lambda v: min(v, 200),
  "updates_per_eval": lambda v: min(v, 2),
  "measure_python_loop": lambda v: False,  # seconds of timing gymnasium: nothing of the driver's path
  "eval_tasks": lambda v: min(v, 10),
  "val_tasks": lambda v: min(v, 10),
  "sharpness_tasks": lambda v: min(v, 10),
  "newton_steps": lambda v: min(v, 2),
  "num_train": lambda v: min(v, 1000),  # procedural_blobs: a multiple of 1000
  "num_test": lambda v: min(v, 128),
  "num_eval": lambda v: min(v, 128),
  "num_paragraphs": lambda v: min(v, 2),  # each paragraph's lines are transcribed (and compiled) apart
  "num_photos": lambda v: min(v, 2),
  "frechet_samples": lambda v: min(v, 64),
  "probe_size": lambda v: min(v, 100),
  "depth": lambda v: min(v, 2),
  "num_layers": lambda v: min(v, 1),  # a Transformer's blocks: compile time grows with each
  "warmup_steps": lambda v: min(v, 1),  # fewer than the shrunk run's steps, as the schedule requires
  "lm_lines": lambda v: min(v, 500),  # the text recognizer's character LM: counted on rendered-text lines
  "beam": lambda v: min(v, 2),  # prefixes kept a frame by the beam decoder (0 would skip its path)
  "fractions": lambda v: tuple(v)[:1],  # label fractions: each a pre-trained and a scratch fine-tune
  "shots": lambda v: tuple(v)[:1],  # MAML's K: each its own meta-training and evaluation programs
  "sweep_step_sizes": lambda v: tuple(v)[:1],  # with alpha, two step sizes evaluated
}
# Options of a dataset that size it, where the dataset takes them (nets.data.option_names).
DATA_SIZES = {"max_windows": 256}  # pydoc_chars: its first 256 windows of each split
# Layer sizes, in a model's config (or the depth study's `width`): at most 8 units, features or channels.
# Not `projection_dim` (a fine-tuned classifier's number of classes) nor SimCLR's `representation_dim`.
WIDTHS = ("widths", "features", "channels", "hidden", "dim", "d_model", "mlp_dim", "embed_dim", "width")
# Sweeps: their first two values (a sweep of one would leave the driver's comparison untested).
SWEEPS = (
  "learning_rates",
  "num_transitions",
  "targets",
  "activations",
  "normalizations",
)


def shrink(config: ml_collections.ConfigDict) -> ml_collections.ConfigDict:
  """`config` at a budget of seconds: every budget field, at any depth, cut by SMALL and SWEEPS."""
  for name in list(config.keys()):
    value = config[name]
    if isinstance(value, ml_collections.ConfigDict):
      shrink(value)
    elif name in WIDTHS and isinstance(value, int | tuple) and config.get("driver") != "universality":
      config[name] = min(value, 8) if isinstance(value, int) else tuple(min(w, 8) for w in value)
    elif name in SMALL and not isinstance(value, str):
      config[name] = SMALL[name](value)
    elif name in SWEEPS and isinstance(value, tuple):
      config[name] = value[:2]
  if config.get("driver") == "universality":
    config.widths = config.widths[:2]  # here a sweep of hidden widths, not a model's layers
  lines = config.get("lines")
  if isinstance(lines, ml_collections.ConfigDict) and "num_train" in lines:
    lines.num_train = min(lines.num_train, 256)  # digit lines composed (and some photographed) one by one
  if "methods" in config:  # optimizer comparisons: two methods (gd is the conditioning study's yardstick)
    keep = ["gd", *[m for m in config.methods if m != "gd"]][:2]
    config.methods = ml_collections.ConfigDict({m: config.methods[m] for m in keep if m in config.methods})
  data = config.get("data")
  if isinstance(data, ml_collections.ConfigDict) and data.get("name") == "handwriting_lines":
    data.num_train, data.num_test = 64, 16  # each line is drawn glyph by glyph: ~40 ms a line
  elif isinstance(data, ml_collections.ConfigDict) and "train_examples" in data:  # the loop's options.Data
    data.train_examples, data.test_examples = 256, 128  # two steps of 128 and one evaluation batch
  if isinstance(data, ml_collections.ConfigDict) and "name" in data:
    data.update({k: v for k, v in DATA_SIZES.items() if k in nets_data.option_names(data.name)})
  if isinstance(data, ml_collections.ConfigDict) and data.get("name") in SMALL_DATA:
    data.name = SMALL_DATA[data.name]
    if "source_dir" in data:
      del data["source_dir"]  # a full-size builder's option, not mnist_5k's
  return config


def experiment_config(name: str) -> ml_collections.ConfigDict:
  return importlib.import_module(f"experiments.{name}").get_config()


@pytest.mark.parametrize(
  "name", [pytest.param(n, marks=[pytest.mark.slow] if n in SLOW else []) for n in EXPERIMENTS]
)
def test_experiment_runs_end_to_end(name, tmp_path, record_property):
  cpu = time.process_time()
  results = drivers.run(shrink(experiment_config(name)), str(tmp_path))
  record_property("cpu_seconds", round(time.process_time() - cpu, 1))
  assert json.loads((tmp_path / "results.json").read_text()) == json.loads(json.dumps(results))
  assert json.loads((tmp_path / "config.json").read_text())["driver"] == experiment_config(name).driver


def test_every_slow_experiment_is_an_experiment():
  assert set(SLOW) <= set(EXPERIMENTS)
