import gzip
import json
import os
import subprocess
import sys

import jax
import numpy as np
import orbax.checkpoint as ocp
import pytest
import tensorflow_datasets as tfds

from nets import data
from nets.errors import ConfigError, UnknownNameError
from nets.training import logbook
from nets.training.logbook import read_jsonl
from nets.training.loop import load_data, train_and_evaluate
from nets.training.workdir import read_config, restore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def saved_params(workdir, step):
  path = os.path.join(os.path.abspath(workdir), "checkpoints", str(step), "state")
  return ocp.StandardCheckpointer().restore(path)["params"]


def test_one_epoch_writes_a_readable_workdir(tiny_config, tmp_path):
  results = train_and_evaluate(tiny_config, str(tmp_path))
  assert set(os.listdir(tmp_path)) >= {
    "config.json",
    "metrics.jsonl",
    "results.json",
    "tensorboard",
    "checkpoints",
  }
  assert json.load(open(tmp_path / "results.json")) == results
  assert 0.8 < results["test_accuracy"] <= 1.0 and np.isfinite(results["test_loss"])
  assert results["steps"] == 4000 // 50 and results["epochs"] == 1
  (record,) = read_jsonl(tmp_path / "metrics.jsonl")
  assert (
    record["step"] == 80 and record["epoch"] == 1 and "train_loss" in record and "test_accuracy" in record
  )
  # Training health, computed in the compiled step: epoch means of the per-step global norms.
  assert record["train_l2_grads"] > 0 and record["train_l2_updates"] > 0
  # The epoch's mean of each step's ratio (test_optim checks a step's exactly), not the ratio of the
  # epoch's means: the parameters grow over the epoch, and the two are 13% apart here.
  assert record["train_update_ratio"] == pytest.approx(
    record["train_l2_updates"] / record["train_l2_params"], rel=0.2
  )
  assert 0 < record["train_update_ratio"] < 1


@pytest.mark.parametrize("name", ["digits", "mnist1d"])
def test_one_epoch_on_each_offline_dataset(tiny_config, tmp_path, name):
  tiny_config.data.name = name
  results = train_and_evaluate(tiny_config, str(tmp_path))
  assert results["dataset"] == name and results["test_accuracy"] > 0.15


def test_one_epoch_on_mock_catalog_data(tiny_config, tmp_path, monkeypatch):
  monkeypatch.setattr(data, "_tensorflow_installed", lambda: True)
  tiny_config.data.name = "fashion_mnist"
  tiny_config.batch_size = 16
  with tfds.testing.mock_data(num_examples=64):
    results = train_and_evaluate(tiny_config, str(tmp_path))
    mock = load_data(tiny_config.data)  # Standardized as the run's.
  assert results["steps"] == 4 and results["dataset"] == "fashion_mnist"
  # The figures are those of the saved model on the catalog's test split, recomputed here.
  task, state = restore(read_config(tmp_path), mock, str(tmp_path))
  per_example = jax.device_get(task.eval_step(state, mock.splits["test"]))
  assert len(per_example["accuracy"]) == 64
  assert results["test_accuracy"] == pytest.approx(np.mean(per_example["accuracy"]), abs=1e-6)
  assert results["test_loss"] == pytest.approx(np.mean(per_example["loss"]), rel=1e-5)


def test_resumed_run_ends_with_the_parameters_of_an_uninterrupted_one(tiny_config, tmp_path, monkeypatch):
  tiny_config.num_epochs = 2
  tiny_config.steps_per_call = 30  # several compiled calls an epoch, the last one shorter
  tiny_config.model.dropout_rate = 0.1  # the dropout keys must resume too
  tiny_config.optimizer.schedule = "cosine"
  train_and_evaluate(tiny_config, str(tmp_path / "whole"))

  write = logbook.Logbook.write

  def killed_in_epoch_2(self, step, record):
    if record.get("epoch") == 2:
      raise KeyboardInterrupt
    write(self, step, record)

  monkeypatch.setattr(logbook.Logbook, "write", killed_in_epoch_2)
  with pytest.raises(KeyboardInterrupt):
    train_and_evaluate(tiny_config, str(tmp_path / "resumed"))
  assert os.listdir(tmp_path / "resumed" / "checkpoints") == ["1"]
  monkeypatch.setattr(logbook.Logbook, "write", write)
  trained = []
  results = train_and_evaluate(
    tiny_config, str(tmp_path / "resumed"), on_epoch=lambda task, state, epoch: trained.append(epoch)
  )

  assert trained == [2]  # Epoch 1 came from its checkpoint, not trained again.
  assert results["epochs"] == 2 and results["steps"] == 160
  whole, resumed = saved_params(tmp_path / "whole", 2), saved_params(tmp_path / "resumed", 2)
  for a, b in zip(np.asarray(list(whole.values())), np.asarray(list(resumed.values())), strict=True):
    for k in a:
      np.testing.assert_array_equal(a[k], b[k])


def test_nan_loss_stops_with_the_step_and_keeps_the_last_good_checkpoint(tiny_config, tmp_path):
  train_and_evaluate(tiny_config, str(tmp_path))
  good = jax.tree.map(np.copy, saved_params(tmp_path, 1))
  tiny_config.num_epochs = 2
  tiny_config.optimizer.learning_rate = 1e30
  # Step 81, epoch 2's first, is taken with a finite loss and blows the parameters up: step 82's is not.
  with pytest.raises(FloatingPointError, match=r"loss is (nan|inf) at step 82 \(epoch 2\); stopping"):
    train_and_evaluate(tiny_config, str(tmp_path))
  assert os.listdir(tmp_path / "checkpoints") == ["1"]
  jax.tree.map(np.testing.assert_array_equal, saved_params(tmp_path, 1), good)  # Intact.


def test_corrupt_checkpoint_is_reported_and_left_in_place(tiny_config, tmp_path):
  train_and_evaluate(tiny_config, str(tmp_path))
  state_dir = tmp_path / "checkpoints" / "1" / "state"
  for root, _, files in os.walk(state_dir):
    for f in files:
      with open(os.path.join(root, f), "wb") as fh:
        fh.write(b"garbage")
  with pytest.raises(ConfigError, match=r"checkpoint 1 in .* cannot be restored .* Nothing was deleted"):
    train_and_evaluate(tiny_config, str(tmp_path))
  assert os.path.isdir(state_dir)


def test_early_stopping_restores_the_best_epoch(tiny_config, tmp_path):
  tiny_config.data.validation_size = 500
  tiny_config.num_epochs = 30
  tiny_config.optimizer.learning_rate = 0.05  # overfits fast, so validation loss turns up
  tiny_config.model.widths = (64,)
  tiny_config.early_stopping.patience = 2
  results = train_and_evaluate(tiny_config, str(tmp_path))
  assert results["stopped_early"] and results["epochs"] == results["best_epoch"] + 2
  best = min(r["val_loss"] for r in read_jsonl(tmp_path / "metrics.jsonl"))
  assert results["val_loss"] == pytest.approx(best, rel=1e-6)
  tiny_config.early_stopping.metric = "val_accuracy"
  tiny_config.data.validation_size = 0
  with pytest.raises(ConfigError, match="needs config.data.validation_size > 0"):
    train_and_evaluate(tiny_config, str(tmp_path / "novalidation"))


@pytest.mark.parametrize(
  "field, value, message",
  [
    ("data.name", "imagenet", "unknown dataset 'imagenet'; valid names:"),
    ("optimizer.name", "adamax", "unknown optimizer 'adamax'; valid names:"),
    ("loss", "hinge", "unknown loss 'hinge'; valid names:"),
    ("task", "segment", "unknown task 'segment'; valid names:"),
  ],
)
def test_unknown_names(tiny_config, tmp_path, field, value, message):
  section, _, key = field.rpartition(".")
  (tiny_config[section] if section else tiny_config)[key] = value
  with pytest.raises(UnknownNameError, match=message):
    train_and_evaluate(tiny_config, str(tmp_path))


def run_cli(*args, cwd):
  return subprocess.run(
    [sys.executable, os.path.join(ROOT, "train.py"), *args],
    cwd=cwd,
    capture_output=True,
    text=True,
    timeout=300,
  )


def test_cli_trains_with_a_field_override(tmp_path):
  proc = run_cli(
    "--config.num_epochs=1", "--config.model.widths=(8,)", "--config.batch_size=100", cwd=tmp_path
  )
  assert proc.returncode == 0, proc.stderr
  workdir = tmp_path / "runs" / "mnist_mlp"  # the default experiment and workdir
  assert json.load(open(workdir / "config.json"))["model"]["widths"] == [8]
  assert json.load(open(workdir / "results.json"))["steps"] == 40
  assert "test_accuracy" in proc.stdout


@pytest.mark.parametrize(
  "args, message",
  [
    (["--config.model.name=resnet9000"], "error: unknown model 'resnet9000'; valid names: "),
    (["--config.model.depth=3"], "error: no config field 'model.depth'"),
    (["--config=experiments/nope.py"], "error: config file 'experiments/nope.py' does not exist"),
    (["--config.batch_size=many"], "error: config field batch_size='many': accepts an integer"),
    (
      [f"--config={ROOT}/experiments/fsdl_mlp.py", "--config.model.dropout_rate=-0.5"],
      "error: dropout rate must be in [0, 1], got -0.5",
    ),
  ],
)
def test_cli_bad_input_is_one_line_and_a_nonzero_exit(tmp_path, args, message):
  proc = run_cli(*args, f"--workdir={tmp_path}", cwd=tmp_path)
  assert proc.returncode == 1
  (line,) = proc.stderr.strip().splitlines()  # One line, nothing else on stderr.
  assert line.startswith(message), proc.stderr


def test_experiments_import_outside_the_repository(tmp_path):
  """experiments/ is installed with the package: a user's own script imports a config from anywhere."""
  code = "from experiments.nielsen import get_config; print(get_config().model.widths)"
  env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
  proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
  assert proc.returncode == 0, proc.stderr[-1000:]
  assert proc.stdout.strip() == "(30,)"


def test_profile_steps_write_a_trace_tensorboard_reads(tiny_config, tmp_path):
  tiny_config.profile_steps, tiny_config.steps_per_call = "4,8", 2
  train_and_evaluate(tiny_config, str(tmp_path))
  traces = [
    os.path.join(root, f)
    for root, _, files in os.walk(tmp_path / "profile")
    for f in files
    if f.endswith(".xplane.pb")
  ]
  assert len(traces) == 1 and os.path.getsize(traces[0]) > 1000
  assert os.sep.join(["profile", "plugins", "profile"]) in traces[0]  # Where TensorBoard's plugin looks.
  # Calls of 2 steps: steps 4 to 8 are the calls starting at 4 and 6, each marked with its first step.
  (events,) = [
    json.load(gzip.open(os.path.join(os.path.dirname(traces[0]), f)))["traceEvents"]
    for f in os.listdir(os.path.dirname(traces[0]))
    if f.endswith(".trace.json.gz")
  ]
  assert [e["args"]["step_num"] for e in events if e.get("name") == "train"] == ["4", "6"]


@pytest.mark.parametrize("spec", ["10", "20,10", "a,b"])
def test_a_bad_profile_steps_is_one_line(tiny_config, tmp_path, spec):
  tiny_config.profile_steps = spec
  with pytest.raises(ConfigError, match="profile_steps"):
    train_and_evaluate(tiny_config, str(tmp_path))
