"""scripts/seeds.py: an experiment over seeds, each seed an ordinary run, figures as mean +- std."""

import importlib.util
import json
import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_seeds(workdir, *flags):
  args = [sys.executable, os.path.join(ROOT, "scripts", "seeds.py"), "--config=experiments/digits_mlp.py"]
  args += ["--config.num_epochs=1", "--seeds=2", f"--workdir={workdir}", *flags]
  return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=300)


def test_seeds_are_separate_runs_summarised_and_resumed(tmp_path):
  proc = run_seeds(tmp_path)
  assert proc.returncode == 0, proc.stderr
  out = json.load(open(tmp_path / "seeds.json"))
  assert out["seeds"] == [0, 1]
  accuracy = [json.load(open(tmp_path / f"seed_{s}" / "results.json"))["test_accuracy"] for s in (0, 1)]
  assert accuracy[0] != accuracy[1]  # different seeds, different runs
  stats = out["stats"]["test_accuracy"]
  np.testing.assert_allclose([stats["mean"], stats["std"]], [np.mean(accuracy), np.std(accuracy)])
  assert json.load(open(tmp_path / "seed_1" / "config.json"))["seed"] == 1
  assert "test_accuracy" in proc.stdout and "+-" in proc.stdout
  # A finished seed is read back, not retrained: its results.json is left as it was.
  before = os.path.getmtime(tmp_path / "seed_0" / "results.json")
  assert run_seeds(tmp_path).returncode == 0
  assert os.path.getmtime(tmp_path / "seed_0" / "results.json") == before


def test_a_misspelt_field_is_one_line_and_a_failure(tmp_path):
  proc = run_seeds(tmp_path, "--config.num_epoch=1")
  assert proc.returncode == 1
  assert proc.stderr.strip() == "error: no config field 'num_epoch' (did you mean 'num_epochs'?)"


def test_nested_figures_are_flattened_to_dotted_names_and_non_numbers_left_out():
  spec = importlib.util.spec_from_file_location("seeds_script", os.path.join(ROOT, "scripts", "seeds.py"))
  seeds = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(seeds)
  results = {"steps": 3, "fits": {"mae": {"error": 0.5, "name": "mae"}}, "curve": [1.0], "ok": True}
  assert seeds.scalars(results) == {"steps": 3.0, "fits.mae.error": 0.5}
