"""nets/options.py: every experiment resolves against its driver's options; every driver and every nested
section refuses an unknown field and a wrong type in one line; old config.json files still load."""

import copy
import dataclasses
import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import ml_collections
import pytest

from nets import models, options
from nets.config import base_config
from nets.drivers import DRIVERS
from nets.errors import ConfigError
from nets.tasks import TASKS
from nets.training.workdir import read_config

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = sorted(p.stem for p in (ROOT / "experiments").glob("*.py") if not p.stem.startswith("_"))


def experiment(name: str) -> ml_collections.ConfigDict:
  return importlib.import_module(f"experiments.{name}").get_config()


def test_every_experiment_resolves_against_its_driver_and_task_options():
  failures = []
  for name in EXPERIMENTS:
    try:
      options.typed(experiment(name))
    except ConfigError as e:
      failures.append(f"experiments/{name}.py: {e}")
  assert not failures, "\n".join(failures)


def one_config_per_driver() -> dict[str, ml_collections.ConfigDict]:
  """An experiment of each driver, or base_config() naming it where no experiment does."""
  configs = {}
  for name in EXPERIMENTS:
    config = experiment(name)
    configs.setdefault(config.driver, config)
  for driver in DRIVERS:
    if driver not in configs:
      configs[driver] = base_config()
      configs[driver].driver = driver
  return configs


CONFIGS = one_config_per_driver()


def sections(tree: dict, cls, prefix: str = "") -> list[tuple[str, type]]:
  """(path, class) of every section of a resolved tree: the top, nested sections, run configs' too."""
  found = [(prefix, cls)]
  for f in dataclasses.fields(cls):
    meta, value, path = f.metadata, tree[f.name], f"{prefix}{f.name}."
    kind = meta.get("kind")
    if kind == "run":
      found += sections(value, options.options_class(value["driver"], value["task"]), path)
    elif kind == "named":
      found += sections(value, meta["classes"][value["name"]], path)
    elif kind == "each":
      for key, item in value.items():
        found += sections(item, meta["section"], f"{path}{key}.")
    elif "section" in meta and kind is None:
      found += sections(value, meta["section"], path)
  return found


def wrong_value(tp):
  """A value no field of type `tp` accepts."""
  return {bool: "maybe", int: "ten", float: "fast", str: 3}.get(tp, "not a tuple")


def planted(config, path: str, key: str, value) -> ml_collections.ConfigDict:
  tree = copy.deepcopy(config.to_dict())
  node = tree
  for part in path.split(".")[:-1]:
    node = node.setdefault(part, {})
  node[key] = value
  return tree


@pytest.mark.parametrize("driver", sorted(CONFIGS))
def test_every_section_of_every_driver_refuses_an_unknown_field_and_a_wrong_type(driver):
  config = CONFIGS[driver]
  resolved = options.resolve(config).to_dict()
  for path, cls in sections(resolved, options.options_class(driver, resolved["task"])):
    with pytest.raises(ConfigError) as e:
      options.resolve(planted(config, path, "zz_unknown", 1))
    assert str(e.value).startswith(f"no config field '{path}zz_unknown' for driver {driver}"), str(e.value)
    scalars = [
      f for f in dataclasses.fields(cls) if not f.metadata.get("kind") and "section" not in f.metadata
    ]
    for field in {str(f.type): f for f in reversed(scalars)}.values():  # The first field of each type.
      bad = wrong_value(field.type)
      with pytest.raises(ConfigError) as e:
        options.resolve(planted(config, path, field.name, bad))
      assert str(e.value).startswith(f"config field {path}{field.name}={bad!r}: accepts "), str(e.value)


@pytest.mark.parametrize(
  "name, plant, line",
  [
    (
      "pretrain_finetune_mnist1d",
      lambda c: setattr(c, "pretrain_each_sed", True),
      "no config field 'pretrain_each_sed' for driver pretrain_finetune (did you mean 'pretrain_each_seed'?)",
    ),
    (
      "mnist_mlp",
      lambda c: setattr(c.early_stopping, "patiense", 5),
      "no config field 'early_stopping.patiense' for driver train (did you mean 'early_stopping.patience'?)",
    ),
    (
      "mnist_mlp",
      lambda c: setattr(c.data, "standardise", True),
      "no config field 'data.standardise' for driver train (did you mean 'data.standardize'?)",
    ),
    (
      "pretrain_finetune_mnist1d",
      lambda c: setattr(c.pretrain.augment, "zom", (1.0, 1.0)),
      "no config field 'pretrain.augment.zom' for driver pretrain_finetune "
      "(did you mean 'pretrain.augment.zoom'?)",
    ),
    (
      "mnist_mlp",
      lambda c: setattr(c.model, "widht", (3,)),
      "model 'mlp' has no field 'widht' (did you mean 'widths'?); its fields: activation, bias_init, "
      "dropout_rate, kernel_init, normalization, num_outputs, output_activation, widths",
    ),
    (
      "char_ngram",
      lambda c: setattr(c.data, "seq_le", 3),
      "no config field 'data.seq_le' for driver char_ngram (did you mean 'data.seq_len'?)",
    ),
    (
      "mnist_mlp",
      lambda c: setattr(c, "batch_size", 0),
      "config field batch_size=0: accepts an integer >= 1",
    ),
    (
      "mnist_mlp",
      lambda c: setattr(c.optimizer, "learning_rate", -0.1),
      "config field optimizer.learning_rate=-0.1: accepts a number > 0",
    ),
    (
      "cartpole_dqn",
      lambda c: setattr(c.agent, "name", "ppo"),
      "config field agent.name='ppo': accepts one of reinforce, dqn",
    ),
    (
      "gan",
      lambda c: setattr(c.generator, "name", "mlpp"),
      "unknown model 'mlpp'; valid names: " + ", ".join(sorted({*models.MODELS, *options.MODEL_OPTIONS})),
    ),
  ],
)
def test_a_misspelt_or_wrong_field_in_an_experiment_file_is_one_line(name, plant, line):
  config = experiment(name)
  plant(config)
  with pytest.raises(ConfigError) as e:
    options.resolve(config)
  assert str(e.value) == line


UNREAD_VALUES = {
  "max_shift": 1.0,
  "max_degrees": 5.0,
  "crop": 1,
  "shrink": 0.25,
  "flip": True,
  "erase": 0.5,
  "test_flip": True,
  "label_smoothing": 0.1,
  "mixup_alpha": 0.2,
  "loss": "mse",
  "compute_dtype": "bfloat16",
}


@pytest.mark.parametrize("task", sorted(TASKS))
def test_a_field_the_task_does_not_read_is_refused_not_ignored(task):
  """Each field declared as read by some tasks only: set in a run of another task, one ConfigError line."""
  run_fields = {f.name: f for f in dataclasses.fields(options.options_class("train", task))}
  fields = [("", f) for f in run_fields.values()]
  fields += [("augment.", f) for f in dataclasses.fields(run_fields["augment"].metadata["section"])]
  declared = [(prefix, f) for prefix, f in fields if "tasks" in f.metadata]
  assert {f.name for _, f in declared} == set(UNREAD_VALUES)  # A new such field: give it a value above.
  for prefix, f in declared:
    config = base_config()
    config.task = task
    value = UNREAD_VALUES[f.name]
    (config.augment if prefix else config)[f.name] = value
    if task in f.metadata["tasks"]:
      resolved = options.resolve(config)
      assert (resolved.augment if prefix else resolved)[f.name] == value
    else:
      with pytest.raises(ConfigError) as e:
        options.resolve(config)
      readers = ", ".join(f.metadata["tasks"])
      assert str(e.value).startswith(f"config field {prefix}{f.name}={value!r}: task {task} does not read it")
      assert readers in str(e.value)


def test_a_driver_that_runs_no_task_refuses_the_fields_only_tasks_read():
  config = experiment("knn")
  config.augment.crop = 2
  with pytest.raises(ConfigError) as e:
    options.resolve(config)
  assert str(e.value) == (
    "config field augment.crop=2: driver knn does not read it (read by tasks classify, regress, ctc only)"
  )
  # TASKLESS_DRIVERS names exactly the drivers whose module never reaches a task or the training loop.
  for driver, target in DRIVERS.items():
    source = inspect.getsource(importlib.import_module(target.partition(":")[0]))
    runs_a_task = any(s in source for s in ("train_and_evaluate", "tasks.make", "nets.tasks", "import tasks"))
    assert runs_a_task != (driver in options.TASKLESS_DRIVERS), driver


LOOP_VALUES = {
  "eval_batch_size": 10,
  "steps_per_call": 2,
  "checkpoint_every_epochs": 2,
  "profile_steps": "1,2",
  "init_from": "runs/elsewhere",
  "init_exclude": ("head",),
  "patience": 3,
  "metric": "val_accuracy",
}


def _driver_experiments() -> dict[str, str]:
  """{driver: an experiment file (the first by name) whose config runs it}."""
  found = {}
  for name in EXPERIMENTS:
    found.setdefault(experiment(name).driver, name)
  return found


def test_a_field_of_the_training_loop_is_refused_in_a_run_of_a_driver_that_runs_without_it():
  """Each field only the loop reads (metadata unread_by), set in an experiment of each driver: resolved, or
  one ConfigError line where the driver trains without the loop; the driver sets match their modules."""
  run_fields = {f.name: f for f in dataclasses.fields(options.Train)}
  fields = [("", f) for f in run_fields.values()]
  fields += [("early_stopping.", f) for f in dataclasses.fields(options.EarlyStopping)]
  declared = [(prefix, f) for prefix, f in fields if "unread_by" in f.metadata]
  assert {f.name for _, f in declared} == set(LOOP_VALUES)  # A new such field: give it a value above.
  experiments = _driver_experiments()
  assert options.OWN_LOOP_DRIVERS <= set(experiments)  # Each refusal is tried.
  for driver, name in experiments.items():
    for prefix, f in declared:
      config = experiment(name)
      (config.early_stopping if prefix else config)[f.name] = LOOP_VALUES[f.name]
      if driver in f.metadata["unread_by"]:
        with pytest.raises(ConfigError) as e:
          options.resolve(config)
        assert str(e.value).startswith(f"config field {prefix}{f.name}=")
        assert str(e.value).endswith(
          f"driver {driver} does not read it (read by the training loop; driver {driver} runs without it)"
        ), str(e.value)
      else:
        options.resolve(config)
  # LOOPLESS_DRIVERS: the modules that never reach the loop or its pipelines; OWN_LOOP_DRIVERS adds those that
  # take its parts (steps a call, pipelines) but not the loop itself.
  for driver, target in DRIVERS.items():
    source = inspect.getsource(importlib.import_module(target.partition(":")[0]))
    loop_parts = any(s in source for s in ("nets.training.loop", "nets.training import loop", "pipelines"))
    assert (driver in options.LOOPLESS_DRIVERS) == (not loop_parts and "train_and_evaluate" not in source), (
      driver
    )
    assert (driver in options.OWN_LOOP_DRIVERS) == ("train_and_evaluate" not in source), driver


def test_a_misspelt_field_in_an_experiment_file_stops_the_command_line_before_any_data(tmp_path):
  path = tmp_path / "typo.py"
  path.write_text(
    "from experiments.pretrain_finetune_mnist1d import get_config as base\n\n\n"
    "def get_config():\n  c = base()\n  c.pretrain_each_sed = True\n  return c\n"
  )
  proc = subprocess.run(
    [sys.executable, str(ROOT / "train.py"), f"--config={path}", f"--workdir={tmp_path / 'run'}"],
    cwd=ROOT,
    capture_output=True,
    text=True,
    timeout=120,
    env={**os.environ, "PYTHONPATH": str(ROOT)},
  )
  assert proc.returncode == 1
  expected = (
    "no config field 'pretrain_each_sed' for driver pretrain_finetune (did you mean 'pretrain_each_seed'?)"
  )
  assert proc.stderr.strip() == f"error: {expected}", proc.stderr
  assert not (tmp_path / "run").exists()  # Refused before the workdir (and any data) was touched.


def test_resolving_fills_every_default_and_keeps_what_was_set():
  config = experiment("cartpole_dqn")
  resolved = options.resolve(config)
  assert resolved.agent.buffer_size == config.agent.buffer_size
  assert resolved.optimizer.b2 == options.Optimizer.b2  # not in the file: the declared default
  typed = options.typed(config)
  assert isinstance(typed.agent, options.DQN) and typed.data.stream.threads == options.Stream.threads
  with pytest.raises(dataclasses.FrozenInstanceError):
    typed.seed = 1
  assert options.resolve(resolved).to_dict() == resolved.to_dict()  # Resolving is idempotent.


def test_a_config_json_written_before_the_options_existed_still_loads(tmp_path):
  old = base_config().to_dict()  # What main wrote: base_config's fields of then, lists for tuples.
  for section, field in (
    ("optimizer", "b1"),
    ("optimizer", "b2"),
    ("optimizer", "eps"),
    ("optimizer", "decay"),
  ):
    del old[section][field]
  del old["data"]["folds"], old["data"]["fold"], old["init_from"], old["init_exclude"]
  old["model"] = {"name": "mlp", "widths": [16, 16], "activation": "relu"}
  (tmp_path / "config.json").write_text(json.dumps(old))
  config = read_config(str(tmp_path))
  assert config.model.widths == (16, 16) and config.optimizer.b1 == options.Optimizer.b1
  assert config.init_from == "" and config.data.folds == 0
  # A field the run's task did not read, set before such fields were refused (experiments/vae.py kept
  # its autoencoder's loss): the run loads as it ran, the field at its default.
  vae = {**old, "task": "vae", "loss": "binary_cross_entropy", "augment": {**old["augment"], "crop": 2}}
  (tmp_path / "vae").mkdir()
  (tmp_path / "vae" / "config.json").write_text(json.dumps(vae))
  config = read_config(str(tmp_path / "vae"))
  assert (config.task, config.loss, config.augment.crop) == ("vae", options.Train.loss, 0)
  with pytest.raises(
    ConfigError, match="config field loss=.binary_cross_entropy.: task vae does not read it"
  ):
    options.resolve(vae)


def test_the_reference_lists_every_field_of_every_options_class():
  text = options.reference_markdown()
  classes = {options.Train, *options.TASK_OPTIONS.values(), *options.DRIVER_OPTIONS.values()}
  for cls in list(classes):
    classes.update(options._sections_of(cls))
  for cls in classes:
    for f in dataclasses.fields(cls):
      assert f"| `{f.name}` |" in text, (cls.__name__, f.name)
    assert f"`{cls.__name__}`" in text, cls.__name__


@pytest.mark.parametrize("name", ["mnist1d_cnn_tune", "losses_classification"])
def test_a_driver_that_trains_its_config_with_the_loop_hands_over_only_the_loops_fields(name):
  config = experiment(name)
  with pytest.raises(ConfigError, match="for driver train"):  # tune's and costs' fields are not the loop's
    options.resolve({**config.to_dict(), "driver": "train"})
  run = options.resolve(options.for_driver(config, "train"))
  assert run.driver == "train" and set(run) == {f.name for f in dataclasses.fields(options.Train)}
  assert run.optimizer.to_dict() == options.resolve(config).optimizer.to_dict()
