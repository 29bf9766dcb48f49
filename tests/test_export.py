"""scripts/export.py and nets/export.py: a trained predict function reloaded without the model code."""

import json
import os
import subprocess
import sys
import textwrap

import jax
import numpy as np
import pytest

from nets import data
from nets import export as nets_export
from nets.errors import ConfigError
from nets.training.loop import train_and_evaluate
from nets.training.workdir import read_config, restore

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Run in a fresh interpreter: jax and numpy only; it fails if anything of nets was imported.
RELOAD = textwrap.dedent(
  """
  import sys
  import jax
  import numpy as np

  directory, *inputs = sys.argv[1:]
  with open(directory + "/predict.jax_export", "rb") as f:
    exported = jax.export.deserialize(bytearray(f.read()))
  for path in inputs:
    np.save(path + ".out.npy", np.asarray(exported.call(np.load(path))))
  assert not [m for m in sys.modules if m == "nets" or m.startswith("nets.")], "imported nets"
  """
)


def test_export_reloads_in_a_fresh_process_and_matches_the_live_model(tiny_config, tmp_path):
  workdir = str(tmp_path / "run")
  train_and_evaluate(tiny_config, workdir)
  spec = nets_export.export(workdir, platforms=("cpu",))
  assert spec["input"]["shape"] == ["b", 28, 28, 1] and spec["input"]["dtype"] == "float32"
  assert spec["output"]["shape"] == ["b", 10] and "logits over the 10 classes" in spec["output"]["what"]
  assert "standardized" in spec["input"]["what"]  # mnist_mlp standardizes its inputs
  assert json.load(open(os.path.join(workdir, "export", "spec.json"))) == spec

  dataset = data.load("mnist_5k", standardize=True)
  task, state = restore(read_config(workdir), dataset, workdir)
  inputs, live = [], []
  for n in (3, 17):  # two batch sizes through the one symbolic-batch artifact
    x = dataset.splits["test"]["x"][:n]
    inputs.append(str(tmp_path / f"x{n}.npy"))
    np.save(inputs[-1], x)
    live.append(np.asarray(task.predict(state, x)))
  proc = subprocess.run(
    [sys.executable, "-c", RELOAD, os.path.join(workdir, "export"), *inputs],
    cwd=tmp_path,
    capture_output=True,
    text=True,
    timeout=120,
  )
  assert proc.returncode == 0, proc.stderr
  for path, expected in zip(inputs, live, strict=True):
    reloaded = np.load(path + ".out.npy")
    assert reloaded.shape == expected.shape
    np.testing.assert_allclose(reloaded, expected, atol=1e-5, rtol=1e-5)

  predict, loaded_spec = nets_export.load(os.path.join(workdir, "export"))  # the service's loader
  assert loaded_spec == spec
  np.testing.assert_allclose(jax.jit(predict)(np.load(inputs[0])), live[0], atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize(
  "fields, message",
  [
    (
      {"driver": "ensemble", "task": "classify"},
      "was trained by driver 'ensemble'; export takes a run of driver",
    ),
    (
      {"driver": "train", "task": "vae"},
      "task 'vae' has no one-pass predict to export; exportable: classify",
    ),
  ],
)
def test_what_cannot_be_exported_is_one_line(tmp_path, fields, message):
  with open(tmp_path / "config.json", "w") as f:
    json.dump(fields, f)
  with pytest.raises(ConfigError, match=message):
    nets_export.export(str(tmp_path))


def test_the_script_reports_a_missing_run_in_one_line(tmp_path):
  proc = subprocess.run(
    [sys.executable, os.path.join(ROOT, "scripts", "export.py"), f"--workdir={tmp_path}/none"],
    capture_output=True,
    text=True,
    timeout=120,
  )
  assert proc.returncode == 1
  assert (
    proc.stderr.strip() == f"error: no run in {tmp_path}/none: {tmp_path}/none/config.json does not exist"
  )
