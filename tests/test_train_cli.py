"""train.py's --list, --describe and one-line field errors, as a person runs them; the console scripts."""

import dataclasses
import importlib
import importlib.metadata
import os
import subprocess
import sys
import sysconfig
import tomllib

import pytest

from nets import cli, options

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_cli(*args):
  return subprocess.run(
    [sys.executable, os.path.join(ROOT, "train.py"), *args],
    cwd=ROOT,
    capture_output=True,
    text=True,
    timeout=120,
  )


def test_list_prints_every_experiment_with_its_summary_and_result():
  proc = run_cli("--list")
  assert proc.returncode == 0, proc.stderr
  names = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "experiments")) if not f.startswith("_"))
  starts = [line.split()[0] for line in proc.stdout.splitlines() if line and not line[0].isspace()]
  assert starts == names
  out = " ".join(proc.stdout.split())
  # The default experiment's first docstring line and the first sentence of its Result paragraph.
  assert "mnist_mlp 3Blue1Brown's 784-16-16-10 digit network on mnist_5k" in out
  assert "Result: 92.07 +- 0.33% test accuracy over seeds 0-2, the 3-member ensemble 93.1% (`--config" in out


def test_measured_result_is_the_first_sentence_of_the_result_paragraph():
  doc = "Title.\n\nResult: 1.5% of the error (e.g. b) in 2.0 s\nwall on the shared CPU. More.\n\nPublished."
  assert cli.measured_result(doc) == "Result: 1.5% of the error (e.g. b) in 2.0 s wall on the shared CPU."
  short_first = "Result: 3 of 20. Error 0.5% on all of them, in 12 s of training. More."
  assert cli.measured_result(short_first) == short_first[: -len(" More.")]
  assert cli.measured_result("Title.\n\nNo figures yet.") == ""


def test_describe_prints_the_resolved_config_with_types_defaults_and_meanings_and_exits():
  proc = run_cli("--config=experiments/mnist_cnn.py", "--config.batch_size=64", "--describe")
  assert proc.returncode == 0, proc.stderr
  lines = {line.split("=")[0].strip(): line for line in proc.stdout.splitlines() if "=" in line}
  assert lines["batch_size"].split("#")[0].split("=")[1].strip() == "64"  # the override is resolved
  assert lines["batch_size"].endswith("# int, default 32: " + field_help(options.Train, "batch_size"))
  assert lines["data.name"].endswith("# str, default 'mnist_5k': " + field_help(options.Data, "name"))
  assert lines["ensemble_size"].split("#")[0].strip() == "ensemble_size = 3"  # the experiment's value
  assert "# Sequence[int], default (32, 64): a field of CNN" in lines["model.features"]  # from the model
  assert "model.pool_size = 2" in proc.stdout  # a model field left at its default
  assert "test_accuracy" not in proc.stdout  # it exits before training
  assert lines["label_smoothing"].endswith(
    field_help(options.Train, "label_smoothing") + " (read by task classify only)"
  )


def field_help(cls, name: str) -> str:
  return next(f.metadata["help"] for f in dataclasses.fields(cls) if f.name == name)


def test_describe_lists_every_field_of_the_driver_and_task_options():
  proc = run_cli("--config=experiments/pretrain_finetune_mnist1d.py", "--describe")
  assert proc.returncode == 0, proc.stderr
  described = {line.split("=")[0].strip() for line in proc.stdout.splitlines()[1:]}
  assert {"pretrain_each_seed", "fractions", "pretrain.temperature", "pretrain.augment.zoom"} <= described
  assert {"finetune.init_exclude", "pretrain.supervised.num_epochs", "data.options.seq_len"} - described == {
    "data.options.seq_len"  # mnist1d takes no options: none are set, none are listed
  }


@pytest.mark.parametrize(
  "args, line",
  [
    (["--config.num_epochs=ten"], "config field num_epochs='ten': accepts an integer"),
    (["--config.batch_size=0"], "config field batch_size=0: accepts an integer >= 1"),
    (
      ["--config.optimizer.learning_rate=-0.1"],
      "config field optimizer.learning_rate=-0.1: accepts a number > 0",
    ),
    (["--config.data.standardize=maybe"], "config field data.standardize='maybe': accepts true or false"),
  ],
)
def test_a_wrong_value_is_one_line_naming_the_field_and_what_it_accepts(args, line):
  proc = run_cli(*args, "--describe")  # --describe resolves the config as a run does, then exits.
  assert proc.returncode == 1
  assert proc.stderr.strip() == f"error: {line}", proc.stderr


@pytest.mark.parametrize(
  "args, line",
  [
    (
      ["--config=experiments/vae.py", "--config.model.latent_dimm=3"],
      "no config field 'model.latent_dimm' (did you mean 'model.latent_dim'?)",
    ),
    (["--config.model.widthz=3"], "no config field 'model.widthz' (did you mean 'model.widths'?)"),
    (["--config.batch_sizee=3"], "no config field 'batch_sizee' (did you mean 'batch_size'?)"),
    (["--config.modell.widths=3"], "no config field 'modell' (did you mean 'model'?)"),
    (["--config.model.depth=3"], "no config field 'model.depth'; --describe lists the fields"),
    (
      ["--config=experiments/simclr.py", "--config.augment.flip=True"],
      "no config field 'augment.flip'; --describe lists the fields",
    ),
  ],
)
def test_a_misspelt_field_is_one_clear_line(args, line):
  proc = run_cli(*args)
  assert proc.returncode == 1
  assert proc.stderr.strip() == f"error: {line}", proc.stderr


def test_console_scripts_point_at_importable_callables():
  with open(os.path.join(ROOT, "pyproject.toml"), "rb") as f:
    scripts = tomllib.load(f)["project"]["scripts"]
  assert set(scripts) >= {"nets-train", "nets-serve"}
  for target in scripts.values():
    module, _, function = target.partition(":")
    assert callable(getattr(importlib.import_module(module), function)), target
  # The package is installed (README: pip install -e ".[test]") with these entry points, and pip wrote
  # each script beside this interpreter's.
  try:
    dist = importlib.metadata.distribution("nets")
  except importlib.metadata.PackageNotFoundError:
    pytest.fail('nets is not installed: pip install -e ".[test]"')
  installed = {e.name: e.value for e in dist.entry_points if e.group == "console_scripts"}
  assert installed == scripts
  for name in scripts:
    assert os.access(os.path.join(sysconfig.get_path("scripts"), name), os.X_OK), name


def test_help_lists_the_flags():
  proc = run_cli("--help")  # absl exits 1 after printing the help
  for flag in ("--config", "--workdir", "--[no]list", "--[no]describe"):
    assert flag in proc.stdout
