"""The stream feeds the batches the device pipeline gathers: same figures, same resume, a part at a time."""

import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from nets import data
from nets.errors import ConfigError
from nets.training import pipelines
from nets.training.checkpoint import Checkpoints
from nets.training.loop import train_and_evaluate
from nets.training.workdir import read_config, restore

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIGURES = ("train_loss", "train_accuracy", "test_loss", "test_accuracy")


def both(config, tmp_path, **kwargs) -> dict[str, dict]:
  results = {}
  for pipeline in ("device", "stream"):
    config.data.pipeline = pipeline
    results[pipeline] = train_and_evaluate(config, str(tmp_path / pipeline), **kwargs)
    assert results[pipeline]["pipeline"] == pipeline
  return results


def assert_same(results: dict, names=FIGURES, rtol=1e-5):
  for k in names:
    np.testing.assert_allclose(results["stream"][k], results["device"][k], rtol=rtol, atol=1e-7, err_msg=k)


def final_params(workdir):
  config = read_config(workdir)
  _, state = restore(config, data.load(config.data.name, standardize=config.data.standardize), workdir)
  return state.params


def test_stream_gives_the_device_pipelines_figures_and_parameters(tiny_config, tmp_path):
  tiny_config.data.name, tiny_config.batch_size = "digits", 32  # 1,437 8 x 8 digits: seconds
  tiny_config.num_epochs, tiny_config.steps_per_call = 2, 10  # Several calls an epoch, the last shorter.
  tiny_config.model.dropout_rate = 0.1  # The dropout keys follow the steps, whichever pipeline feeds them.
  tiny_config.data.validation_size = 300  # Rows of the source split, held out by index.
  results = both(tiny_config, tmp_path)
  assert_same(results, (*FIGURES, "val_loss", "val_accuracy"))
  assert results["device"]["steps"] == results["stream"]["steps"] == 2 * (1137 // 32)
  device, stream = final_params(tmp_path / "device"), final_params(tmp_path / "stream")
  for a, b in zip(np.asarray(list(device.values())), np.asarray(list(stream.values())), strict=True):
    for k in a:
      np.testing.assert_allclose(a[k], b[k], rtol=1e-5, atol=1e-7)


def test_stream_reads_a_call_at_a_time_never_a_whole_split(tiny_config, tmp_path, monkeypatch):
  """With calls capped at 10 steps the stream never reads more than 10 batches at once, and every training
  row once an epoch; evaluation reads eval_batch_size rows at a time."""
  read, reads = data.SplitReader.read, []
  monkeypatch.setattr(
    data.SplitReader, "read", lambda self, rows: reads.append(len(rows)) or read(self, rows)
  )
  tiny_config.eval_batch_size, tiny_config.data.standardize = 300, False
  tiny_config.data.pipeline = "stream"
  example_bytes = 28 * 28 * 4 + 4
  monkeypatch.setattr(pipelines, "STREAM_CALL_BYTES", 10 * tiny_config.batch_size * example_bytes)
  results = train_and_evaluate(tiny_config, str(tmp_path / "stream"))
  assert max(reads) == 500 and reads.count(500) == 8  # 4,000 rows: 8 calls of 10 steps of 50
  assert (
    reads.count(300) == 2 * 4
  )  # the 1,000 test rows in 4 reads (the last padded), after the epoch and at the end
  tiny_config.data.pipeline = "device"
  assert_same({"stream": results, "device": train_and_evaluate(tiny_config, str(tmp_path / "device"))})


def test_stream_standardizes_with_the_statistics_the_device_pipeline_uses(tiny_config, tmp_path):
  tiny_config.data.update(name="mnist1d", standardize=True)
  tiny_config.batch_size = 100
  assert_same(both(tiny_config, tmp_path))


def test_stream_trains_a_text_view_and_early_stops_as_the_device_pipeline(tiny_config, tmp_path):
  from experiments.charlm_rnn import get_config

  config = get_config()
  config.data.update(seq_len=16, max_windows=64)
  config.model.update(hidden=16)
  config.num_epochs, config.batch_size = 3, 16
  config.early_stopping.update(patience=1, metric="val_loss")
  results = both(config, tmp_path)
  assert_same(results, ("train_loss", "val_loss", "val_accuracy", "best_epoch"))


def test_stream_ensemble_and_kfold_give_the_device_figures(tiny_config, tmp_path):
  from nets.drivers.crossval import kfold
  from nets.drivers.ensemble import train_ensemble

  tiny_config.data.name, tiny_config.batch_size = "digits", 64
  ensembles, folds = {}, {}
  for pipeline in ("device", "stream"):
    tiny_config.data.pipeline, tiny_config.ensemble_size, tiny_config.kfold = pipeline, 2, 2
    ensembles[pipeline] = train_ensemble(tiny_config, str(tmp_path / f"ensemble_{pipeline}"))
    folds[pipeline] = kfold(tiny_config, str(tmp_path / f"kfold_{pipeline}"))["summary"]
  assert ensembles["stream"]["pipeline"] == "stream"
  np.testing.assert_allclose(
    ensembles["stream"]["ensemble_accuracy_by_size"], ensembles["device"]["ensemble_accuracy_by_size"]
  )
  np.testing.assert_allclose(
    ensembles["stream"]["members"]["test_loss"], ensembles["device"]["members"]["test_loss"], rtol=1e-5
  )
  for k in ("val_loss", "val_accuracy"):
    assert folds["stream"][k]["mean"] == pytest.approx(folds["device"][k]["mean"], rel=1e-5)


def test_auto_streams_data_over_its_budget_and_device_refuses_it(tiny_config, tmp_path, capsys):
  tiny_config.data.update(pipeline="auto", device_budget_mb=1)  # mnist_5k decoded: 15.7 MB
  assert train_and_evaluate(tiny_config, str(tmp_path / "auto"))["pipeline"] == "stream"
  assert "data pipeline: stream (auto: mnist_5k's splits need 15 MiB decoded" in capsys.readouterr().out
  tiny_config.data.device_budget_mb = 64
  assert train_and_evaluate(tiny_config, str(tmp_path / "fits"))["pipeline"] == "device"
  tiny_config.data.update(pipeline="device", device_budget_mb=1)
  with pytest.raises(ConfigError, match=r"need 15 MiB decoded.*too large for config.data.pipeline=device"):
    train_and_evaluate(tiny_config, str(tmp_path / "refused"))
  tiny_config.data.update(pipeline="stream")
  tiny_config.data.stream.threadz = 2
  with pytest.raises(
    ConfigError,
    match=r"no config field 'data.stream.threadz' for driver train \(did you mean 'data.stream.threads'\?\)",
  ):
    train_and_evaluate(tiny_config, str(tmp_path / "misspelt"))
  del tiny_config.data.stream.threadz
  tiny_config.data.pipeline = "disk"
  with pytest.raises(
    ConfigError, match=r"config field data.pipeline='disk': accepts a string one of auto, device, stream"
  ):
    train_and_evaluate(tiny_config, str(tmp_path / "unknown"))


KILLED_RUN = """
import os, signal, sys
from experiments.mnist_mlp import get_config
from nets.training.loop import train_and_evaluate

config = get_config()
config.model.widths, config.model.dropout_rate, config.batch_size = (32,), 0.1, 32
config.num_epochs, config.steps_per_call, config.optimizer.schedule = 3, 10, "cosine"
config.data.name = "digits"  # 44 steps an epoch
config.data.pipeline = "stream"
kill_at = int(sys.argv[2])
def on_epoch(task, state, epoch):  # After epoch `kill_at` trained and evaluated, before it is saved.
  if epoch == kill_at:
    os.kill(os.getpid(), signal.SIGKILL)
train_and_evaluate(config, sys.argv[1], on_epoch=on_epoch)
"""


def test_a_streamed_run_killed_with_sigkill_resumes_to_the_uninterrupted_parameters(tmp_path):
  env = dict(os.environ, PYTHONPATH=ROOT, JAX_PLATFORMS="cpu")
  run = lambda workdir, kill_at: subprocess.run(
    [sys.executable, "-c", KILLED_RUN, str(workdir), str(kill_at)],
    cwd=ROOT,
    env=env,
    capture_output=True,
    text=True,
    timeout=300,
  )
  whole = run(tmp_path / "whole", 0)
  assert whole.returncode == 0, whole.stderr[-2000:]
  killed = run(tmp_path / "resumed", 2)
  assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
  assert not os.path.exists(tmp_path / "resumed" / "results.json")
  assert Checkpoints(str(tmp_path / "resumed" / "checkpoints")).latest_step() in (0, 1, None)
  resumed = run(tmp_path / "resumed", 0)
  assert resumed.returncode == 0, resumed.stderr[-2000:]
  assert json.load(open(tmp_path / "resumed" / "results.json"))["steps"] == 3 * (1437 // 32)
  whole, resumed = final_params(tmp_path / "whole"), final_params(tmp_path / "resumed")
  for a, b in zip(whole.values(), resumed.values(), strict=True):
    for k in a:
      np.testing.assert_array_equal(a[k], b[k])
