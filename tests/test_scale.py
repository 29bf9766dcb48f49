"""Data parallel over several devices and several processes gives the metrics of one device."""

import json
import os
import re
import subprocess
import sys
from functools import partial

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest
from jax.sharding import AxisType, NamedSharding
from jax.sharding import PartitionSpec as P

from nets.distributed import initialize_from_env
from nets.errors import ConfigError
from nets.training.logbook import read_jsonl
from nets.training.loop import auto_steps_per_call, epoch_permutation, train_and_evaluate
from nets.training.pipelines import train_steps

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The reference config as flags: 10 steps of batch 400, so each of 4 devices gets 100 examples a step.
OVERRIDES = {"model.widths": "(8,)", "num_epochs": 1, "batch_size": 400, "optimizer.learning_rate": 1e-2}
COMPARED = ("test_loss", "test_accuracy", "train_loss", "train_accuracy")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
  """One device, in this process; also builds the dataset before any subprocess reads it."""
  from experiments.mnist_mlp import get_config

  config = get_config()
  config.model.widths, config.num_epochs, config.batch_size = (8,), 1, 400
  config.optimizer.learning_rate = 1e-2
  results = train_and_evaluate(config, str(tmp_path_factory.mktemp("one")))
  assert results["num_devices"] == 1 and results["steps"] == 10
  return results


def _train_command(workdir, launcher=(), **overrides):
  flags = [f"--config.{k}={v}" for k, v in {**OVERRIDES, **overrides}.items()]
  train = [sys.executable, os.path.join(ROOT, "train.py"), "--config=experiments/mnist_mlp.py", *flags]
  return [*launcher, *train, f"--workdir={workdir}"]


def _run(command, **env):
  env = dict(os.environ, PYTHONPATH=ROOT, JAX_PLATFORMS="cpu", **env)
  done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
  assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def _assert_same_metrics(results, reference):
  for k in COMPARED:
    np.testing.assert_allclose(results[k], reference[k], rtol=2e-5, atol=1e-6, err_msg=k)


def test_four_devices_give_the_metrics_of_one(reference, tmp_path):
  _run(_train_command(tmp_path / "four"), XLA_FLAGS="--xla_force_host_platform_device_count=4")
  results = json.load(open(tmp_path / "four" / "results.json"))
  assert results["num_devices"] == 4 and results["steps"] == 10
  _assert_same_metrics(results, reference)


# Slow (17 s: two processes of two devices each): out of the default run to keep it under 10 minutes;
# processes acting as one are checked there by the streaming test below, devices by the four-device one.
@pytest.mark.slow
def test_two_processes_of_two_devices_train_as_one(reference, tmp_path):
  launcher = [sys.executable, os.path.join(ROOT, "scripts", "launch.py"), "--num_processes=2"]
  launcher += ["--devices_per_process=2", "--timeout=240", "--"]
  _run(_train_command(tmp_path / "two", launcher))
  results = json.load(open(tmp_path / "two" / "results.json"))
  assert results["num_processes"] == 2 and results["num_devices"] == 4
  _assert_same_metrics(results, reference)
  (record,) = read_jsonl(tmp_path / "two" / "metrics.jsonl")  # Written once, by process 0 only.
  assert record["step"] == 10
  assert os.listdir(tmp_path / "two" / "checkpoints") == ["1"]


# train.py with the rows the stream reads recorded: those of the training calls (nets.data.stream's
# epoch_calls) and of the evaluation batches (eval_batches), written at exit to PREFIX.<process id>.json.
RECORDING_READS = """
import atexit, json, os, runpy, sys
import numpy as np
from nets.data import stream

reads = {"epoch_calls": [], "eval_batches": []}

class Recorded:
  def __init__(self, split, log):
    self.split, self.log = split, log

  def __len__(self):
    return len(self.split)

  def read(self, rows):
    self.log.append(np.asarray(rows).tolist())
    return self.split.read(rows)

for name, log in reads.items():
  fn = getattr(stream, name)
  setattr(stream, name, lambda split, *a, fn=fn, log=log, **k: fn(Recorded(split, log), *a, **k))
prefix = sys.argv.pop(1)
sys.argv.pop(0)  # "-c": train.py's path and flags follow
atexit.register(lambda: json.dump(reads, open(f"{prefix}.{os.environ['JAX_PROCESS_ID']}.json", "w")))
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def test_two_processes_stream_their_own_rows_and_train_as_one(reference, tmp_path):
  """Each process reads only its two devices' half of every global batch (and of every evaluation
  batch); assembled, the run is the one-device run."""
  launcher = [sys.executable, os.path.join(ROOT, "scripts", "launch.py"), "--num_processes=2"]
  launcher += ["--devices_per_process=2", "--timeout=240", "--"]
  command = _train_command(tmp_path / "two", launcher, **{"data.pipeline": "stream"})
  python = command.index(sys.executable, len(launcher))
  command[python + 1 : python + 1] = ["-c", RECORDING_READS, str(tmp_path / "reads")]
  _run(command)
  results = json.load(open(tmp_path / "two" / "results.json"))
  assert results["num_processes"] == 2 and results["pipeline"] == "stream"
  _assert_same_metrics(results, reference)
  # The run's one epoch: 10 global batches of 400 rows of its permutation of the 4,000 training rows.
  perm_key = jax.random.split(jax.random.PRNGKey(0))[1]
  batches = np.asarray(epoch_permutation(perm_key, 0, 4000)).reshape(10, 400)
  for process in (0, 1):
    reads = json.load(open(tmp_path / f"reads.{process}.json"))
    halves = np.concatenate([np.reshape(rows, (-1, 200)) for rows in reads["epoch_calls"]])
    mine = batches[:, 200 * process : 200 * (process + 1)]  # Its two devices' half of each batch.
    assert sorted(map(tuple, halves)) == sorted(map(tuple, mine)), f"process {process}"
    # The 1,000 test rows, one evaluation batch, after the epoch and at the end: its half of it each time.
    assert reads["eval_batches"] == [list(range(500 * process, 500 * (process + 1)))] * 2, process


@pytest.mark.parametrize(
  "env, message",
  [
    ({"JAX_COORDINATOR_ADDRESS": "127.0.0.1:1"}, "JAX_NUM_PROCESSES, JAX_PROCESS_ID unset"),
    ({"JAX_COORDINATOR_ADDRESS": "a:1", "JAX_NUM_PROCESSES": "2", "JAX_PROCESS_ID": "x"}, "integers"),
    ({"JAX_COORDINATOR_ADDRESS": "a:1", "JAX_NUM_PROCESSES": "2", "JAX_PROCESS_ID": "2"}, "not in [0, 2)"),
  ],
)
def test_a_half_given_multi_process_environment_is_a_clear_error(monkeypatch, env, message):
  for k, v in env.items():
    monkeypatch.setenv(k, v)
  with pytest.raises(ConfigError, match=re.escape(message)):
    initialize_from_env()


def test_no_multi_process_environment_means_one_process(monkeypatch):
  for k in ("JAX_COORDINATOR_ADDRESS", "JAX_NUM_PROCESSES", "JAX_PROCESS_ID", "NETS_DISTRIBUTED"):
    monkeypatch.delenv(k, raising=False)
  assert initialize_from_env() is False


class _ConvTask:
  """A stand-in task whose step is one convolution of an N x 28 x 28 x 1 batch, or its kernel's gradient
  (autodiff's weight-gradient convolution: the batch as the contracted feature)."""

  def __init__(self, kernel: int, stride: int, gradient: bool):
    self.kernel, self.stride, self.gradient = kernel, stride, gradient

  def train_step(self, state, x):
    def total(w):
      dims = ("NHWC", "HWIO", "NHWC")
      return jax.lax.conv_general_dilated(x, w, (self.stride,) * 2, "VALID", dimension_numbers=dims).sum()

    w = jnp.ones((self.kernel, self.kernel, 1, 4))
    return state, {"loss": jax.grad(total)(w).sum() if self.gradient else total(w)}


@pytest.mark.parametrize(
  "kernel, stride, gradient, expected",
  # Overlapping windows in a gradient's layout: one step a call; in a forward pass's layout (what
  # nets.models.conv's CPU layer emits) or not overlapping: a whole epoch in one scan.
  [(3, 1, True, 1), (5, 2, True, 1), (3, 1, False, 125), (7, 7, True, 125), (1, 1, True, 125)],
)
def test_auto_steps_per_call_calls_slow_convolutions_one_by_one(kernel, stride, gradient, expected):
  task, x = _ConvTask(kernel, stride, gradient), jnp.ones((2, 28, 28, 1))
  assert auto_steps_per_call(task, jnp.zeros(()), x, 125) == expected


def test_auto_steps_per_call_finds_convolutions_inside_gradients_and_models(tiny_config):
  from nets import data, optim, tasks

  train = {"x": np.zeros((4, 8, 8, 1), np.float32), "y": np.zeros(4, int)}
  dataset = data.Dataset("fake", {"train": train}, 10)
  batch = {k: jnp.asarray(v) for k, v in dataset.splits["train"].items()}
  for model, expected in [
    (dict(name="cnn", features=(4,), widths=(8,)), 1),  # the default, nn.Conv: autodiff's gradients
    (dict(name="cnn", features=(4,), widths=(8,), conv="fast"), 9),  # nets.models.conv's CPU layer
    (dict(name="transformer", patch_size=4, dim=8, depth=1, heads=2, mlp_dim=8), 9),
    (dict(name="mlp", widths=(8,)), 9),
  ]:
    tiny_config.model = ml_collections.ConfigDict(model)
    task = tasks.make(tiny_config, dataset, optim.make_optimizer(tiny_config.optimizer, 1))
    state = task.init(jax.random.PRNGKey(0), batch)
    assert auto_steps_per_call(task, state, batch, 9) == expected, model["name"]


class _SgdTask:
  """Least squares on a batch, one SGD step of 0.1: the state is the weight vector."""

  def train_step(self, w_D, batch):
    loss, grad_D = jax.value_and_grad(lambda w: jnp.mean((batch["x"] @ w - batch["y"]) ** 2))(w_D)
    return w_D - 0.1 * grad_D, {"loss": loss}


def test_one_step_calls_equal_the_scanned_steps():
  """train_steps skips the while loop for one step (XLA's CPU convolutions are slow inside one)."""
  rng = np.random.default_rng(0)
  arrays = {"x": jnp.asarray(rng.normal(size=(40, 3)), jnp.float32), "y": jnp.asarray(rng.normal(size=40))}
  mesh = jax.make_mesh((1,), ("data",), axis_types=(AxisType.Auto,))
  perm, sharding = jnp.asarray(rng.permutation(40)), NamedSharding(mesh, P("data"))
  steps = lambda n, w, start: train_steps(
    _SgdTask(), w, arrays, perm, start, num_steps=n, batch_size=8, sharding=sharding
  )
  w_scan, metrics = jax.jit(partial(steps, 5))(jnp.zeros(3), 0)
  w, losses = jnp.zeros(3), []
  for start in range(5):
    w, m = jax.jit(partial(steps, 1))(w, start)
    losses.append(m["loss"])
  assert metrics["loss"].shape == (5,) and losses[0].shape == (1,)
  np.testing.assert_allclose(w, w_scan, rtol=1e-6)
  np.testing.assert_allclose(jnp.concatenate(losses), metrics["loss"], rtol=1e-6)
