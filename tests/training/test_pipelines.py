"""The stream feeds the batches the device pipeline gathers: same figures, same resume, a part at a time."""

import json
import os
import re
import signal
import subprocess
import sys
import time

import jax
import numpy as np
import orbax.checkpoint as ocp
import pytest

from nets import data
from nets.errors import ConfigError
from nets.training import pipelines
from nets.training.checkpoint import Checkpoints
from nets.training.logbook import read_jsonl
from nets.training.loop import load_data, train_and_evaluate
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
  """The parameters a finished run in `workdir` restores: its best epoch's if it stopped early."""
  config = read_config(workdir)
  _, state = restore(config, load_data(config.data), workdir)
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


def test_stream_trains_a_text_view_and_early_stops_as_the_device_pipeline(tmp_path):
  from experiments.charlm_rnn import get_config

  config = get_config()
  config.data.update(seq_len=16, max_windows=64)
  config.model.update(hidden=64)
  config.num_epochs, config.batch_size, config.optimizer.learning_rate = 8, 16, 3e-2
  config.early_stopping.update(patience=1, metric="val_loss")  # Validation loss turns up at epoch 3.
  results = both(config, tmp_path)
  assert_same(results, ("train_loss", "val_loss", "val_accuracy"))
  for r in results.values():
    assert r["stopped_early"] and (r["best_epoch"], r["epochs"]) == (2, 3), r
  # Both restore the best epoch's state (workdir/best), not the last one trained.
  device, stream = final_params(tmp_path / "device"), final_params(tmp_path / "stream")
  for a, b in zip(jax.tree.leaves(device), jax.tree.leaves(stream), strict=True):
    np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
  assert results["device"]["val_loss"] == min(
    r["val_loss"] for r in read_jsonl(tmp_path / "device" / "metrics.jsonl") if "val_loss" in r
  )


# Slow (18 s: six training programs): out of the default run to keep it under 10 minutes, where the
# stream pipeline's equality with the device one is checked by
# test_stream_gives_the_device_pipelines_figures_and_parameters.
@pytest.mark.slow
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


# A run that waits, once epoch `hold_at` is trained and evaluated (before it is saved), to be killed; it
# prints each epoch it trains, so the resumed process shows which epochs it trained itself.
KILLABLE_RUN = """
import json, os, sys, time
from experiments.mnist_mlp import get_config
from nets.training.loop import load_data, train_and_evaluate

workdir, hold_at, fields = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
config = get_config()
config.model.widths, config.model.dropout_rate, config.batch_size = (32,), 0.1, 32
config.steps_per_call, config.optimizer.schedule = 10, "cosine"  # Calls of 10 steps; the rate decays.
config.data.name = "digits"  # 1,437 rows: seconds an epoch
config.update_from_flattened_dict(fields)

def on_epoch(task, state, epoch):
  print(f"trained epoch {epoch}", flush=True)
  if epoch == hold_at:
    open(os.path.join(workdir, "holding"), "w").close()
    time.sleep(600)

train_and_evaluate(config, workdir, on_epoch=on_epoch)
"""


def start_run(workdir, hold_at: int, fields: dict, log) -> subprocess.Popen:
  """KILLABLE_RUN in `workdir`, its output in the files log.out and log.err (files, not pipes: nothing
  reads a pipe while the run goes on)."""
  return subprocess.Popen(
    [sys.executable, "-c", KILLABLE_RUN, str(workdir), str(hold_at), json.dumps(fields)],
    cwd=ROOT,
    env=dict(os.environ, PYTHONPATH=ROOT, JAX_PLATFORMS="cpu"),
    stdout=open(f"{log}.out", "w"),
    stderr=open(f"{log}.err", "w"),
  )


def epochs_trained(proc: subprocess.Popen, log) -> list[int]:
  """Wait for `proc` to succeed; the epochs it trained itself, from what it printed."""
  assert proc.wait(timeout=300) == 0, open(f"{log}.err").read()[-3000:]
  return [int(n) for n in re.findall(r"^trained epoch (\d+)$", open(f"{log}.out").read(), re.M)]


def kill_once_saved(proc: subprocess.Popen, workdir, saved: list[str], log) -> None:
  """SIGKILL `proc` once it holds (an epoch trained, not saved) and every checkpoint directory in `saved`
  (e.g. "checkpoints/1") is complete on disk: renamed from orbax's temporary name, its commit written."""
  complete = lambda d: (workdir / d).is_dir() and ocp.step.is_checkpoint_finalized(workdir / d)
  try:
    deadline = time.monotonic() + 300
    while not (workdir / "holding").exists():
      assert proc.poll() is None, open(f"{log}.err").read()[-3000:]
      assert time.monotonic() < deadline, "the run never reached the epoch to be killed in"
      time.sleep(0.1)
    # Saves start before the next epoch trains, so they complete while the run holds.
    deadline = time.monotonic() + 30
    while not all(map(complete, saved)):
      assert time.monotonic() < deadline, f"{saved} in {workdir} not complete 30 s after the run held"
      time.sleep(0.1)
  finally:
    proc.kill()
  assert proc.wait(timeout=60) == -signal.SIGKILL


# (config fields, epoch trained when killed, checkpoints complete by then, epochs of the uninterrupted run)
KILLS = {
  "stream": ({"data.pipeline": "stream", "num_epochs": 3}, 2, ["checkpoints/1"], 3),
  # Validation loss turns up after epoch 4 (lr 0.1): epoch 5 stops the run, and the state of epoch 4 is
  # restored. Killed at epoch 5, the resumed run must judge it by the best figure the killed one kept.
  "device_early_stopping": (
    {
      "data.pipeline": "device",
      "num_epochs": 8,
      "optimizer.learning_rate": 0.1,
      "data.validation_size": 300,
      "early_stopping.patience": 1,
    },
    5,
    ["checkpoints/4", "best/4"],
    5,
  ),
}


@pytest.mark.parametrize("name", KILLS)
def test_a_run_killed_with_sigkill_resumes_its_checkpoint_to_the_uninterrupted_parameters(tmp_path, name):
  fields, hold_at, saved, epochs = KILLS[name]
  data.load("digits")  # Built here, before two processes would both build it.
  whole_dir, resumed_dir = tmp_path / "whole", tmp_path / "resumed"
  whole = start_run(whole_dir, 0, fields, tmp_path / "whole")  # Beside the killed run: 2 cores.
  killed = start_run(resumed_dir, hold_at, fields, tmp_path / "killed")
  kill_once_saved(killed, resumed_dir, saved, tmp_path / "killed")
  assert not os.path.exists(resumed_dir / "results.json")
  assert Checkpoints(str(resumed_dir / "checkpoints")).latest_step() == hold_at - 1
  resumed = start_run(resumed_dir, 0, fields, tmp_path / "resumed")
  # The resumed process trains the killed epoch again and the rest, never the saved ones.
  assert epochs_trained(resumed, tmp_path / "resumed") == list(range(hold_at, epochs + 1))
  assert epochs_trained(whole, tmp_path / "whole") == list(range(1, epochs + 1))
  assert [r["epoch"] for r in read_jsonl(resumed_dir / "metrics.jsonl") if "test_loss" in r] == list(
    range(1, epochs + 1)
  )  # Each epoch's record once: the saved ones by the killed process, the rest by the resumed one.
  results, expected = (json.load(open(d / "results.json")) for d in (resumed_dir, whole_dir))
  timing = ("train_seconds", "examples_per_second")
  assert {k: v for k, v in results.items() if k not in timing} == {
    k: v for k, v in expected.items() if k not in timing
  }
  assert results["epochs"] == epochs and results["stopped_early"] == (epochs < fields["num_epochs"])
  whole, resumed = final_params(whole_dir), final_params(resumed_dir)  # From best/ where there is one.
  for a, b in zip(whole.values(), resumed.values(), strict=True):
    for k in a:
      np.testing.assert_array_equal(a[k], b[k])


def test_matmul_flops_counts_matmuls_and_convolutions_by_hand():
  dot = jax.make_jaxpr(lambda a, b: a @ b)(np.ones((3, 4), np.float32), np.ones((4, 5), np.float32))
  assert pipelines.matmul_flops(dot.jaxpr) == 2 * 3 * 5 * 4  # 2 x outputs x contracted
  conv = lambda x, k: jax.lax.conv_general_dilated(
    x, k, (1, 1), "VALID", dimension_numbers=("NHWC", "HWIO", "NHWC")
  )
  x, k = np.ones((2, 6, 6, 3), np.float32), np.ones((3, 3, 3, 4), np.float32)
  assert pipelines.matmul_flops(jax.make_jaxpr(conv)(x, k).jaxpr) == 2 * (2 * 4 * 4 * 4) * (3 * 3 * 3)
  nested = jax.make_jaxpr(lambda a, b: jax.jit(lambda a: a @ b)(a) + 1)(np.ones((3, 4)), np.ones((4, 5)))
  assert pipelines.matmul_flops(nested.jaxpr) == 120  # inside a nested jit


@pytest.mark.parametrize(
  "width, steps, unroll", [(8, 16, pipelines.SCAN_UNROLL), (2048, 16, 1), (2048, pipelines.SCAN_UNROLL, None)]
)
def test_scan_unrolls_light_steps_and_short_calls_whole_only(width, steps, unroll):
  # width 8: 2 x 64 x 8 x 8 = 8 kFLOP a step; width 2048: 2 x 64 x 2048 x 2048 = 537 MFLOP. A call of at
  # most SCAN_UNROLL steps has no while loop, whatever its steps cost (None: the whole scan unrolled).
  step = lambda w, x: (w, jax.numpy.sum(x @ w))
  w, xs = np.ones((width, width), np.float32), np.ones((steps, 64, width), np.float32)
  jaxpr = jax.make_jaxpr(lambda w, xs: pipelines.scan_steps(step, w, xs, steps))(w, xs)
  (scan,) = [e for e in jaxpr.jaxpr.eqns if e.primitive.name == "scan"]
  assert scan.params["unroll"] == (steps if unroll is None else unroll)
