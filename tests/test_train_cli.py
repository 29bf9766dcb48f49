"""train.py's --list, --describe and one-line field errors, as a person runs them; the console scripts."""

import importlib
import importlib.metadata
import os
import subprocess
import sys
import sysconfig
import tomllib

import pytest

from nets import cli

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
  assert "Result: 92.0% test accuracy, test loss 0.269 (seed 0, 20 epochs, 13,002 parameters)." in out


def test_measured_result_is_the_first_sentence_of_the_result_paragraph():
  doc = "Title.\n\nResult: 1.5% of the error (e.g. b) in 2.0 s\nwall on the shared CPU. More.\n\nPublished."
  assert cli.measured_result(doc) == "Result: 1.5% of the error (e.g. b) in 2.0 s wall on the shared CPU."
  short_first = "Result: 3 of 20. Error 0.5% on all of them, in 12 s of training. More."
  assert cli.measured_result(short_first) == short_first[: -len(" More.")]
  assert cli.measured_result("Title.\n\nNo figures yet.") == ""


def test_describe_prints_the_resolved_config_with_meanings_and_exits():
  proc = run_cli("--config=experiments/mnist_cnn.py", "--config.batch_size=64", "--describe")
  assert proc.returncode == 0, proc.stderr
  lines = {line.split("=")[0].strip(): line for line in proc.stdout.splitlines() if "=" in line}
  assert lines["batch_size"].split("#")[0].split("=")[1].strip() == "64"  # the override is resolved
  assert lines["data.name"].endswith("# " + cli.field_comments(open(cli.BASE_CONFIG).read())["data.name"])
  assert "# 3 members = seeds 0, 1, 2" in lines["driver"]  # the experiment's own comment wins
  assert "# CNN field" in lines["model.features"]  # from the model's signature
  assert "model.pool_size = 2" in proc.stdout  # a model field left at its default
  assert "test_accuracy" not in proc.stdout  # it exits before training


SOURCE = """
def get_config():
  c = base()
  c.seed = 0  # the run's seed
  # the dataset,
  # by name
  c.data = ConfigDict(
    dict(
      name="mnist",  # nets.data.DATASETS
      size=0,
    )
  )  # the data section
  c.augment = ConfigDict(dict(max_shift=0.0, max_degrees=0.0))  # images; 0 = off
  c.model.widths = (8,)  # hidden widths
  return c
"""


def test_a_comment_explains_the_field_whose_line_it_ends_else_the_one_below_it():
  assert cli.field_comments(SOURCE) == {
    "seed": "the run's seed",
    "data": "the data section",
    "data.name": "nets.data.DATASETS",
    "augment": "images; 0 = off",  # one line setting a section: the section's comment
    "model.widths": "hidden widths",
  }
  assert cli.field_comments(SOURCE.replace("  # the data section", "")).get("data") == "the dataset, by name"


def test_every_comment_in_base_config_is_read():
  source = open(cli.BASE_CONFIG).read()
  trailing = {line.split("#", 1)[1].strip() for line in source.splitlines() if "  # " in line.lstrip()}
  assert trailing <= set(cli.field_comments(source).values())


@pytest.mark.parametrize(
  "args, line",
  [
    (
      ["--config=experiments/vae.py", "--config.model.latent_dimm=3"],
      "no config field 'latent_dimm' (did you mean 'latent_dim'?)",
    ),
    (["--config.model.widthz=3"], "no config field 'widthz' (did you mean 'widths'?)"),
    (["--config.batch_sizee=3"], "no config field 'batch_sizee' (did you mean 'batch_size'?)"),
    (["--config.modell.widths=3"], "no config field 'modell' (did you mean 'model'?)"),
    (["--config.model.depth=3"], "no config field 'depth'; --describe lists the fields"),
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
