"""Time to a test accuracy on full MNIST: the project's CNN in JAX against the same network in PyTorch.

  pip install -e ".[bench]"   # torch, pinned
  python scripts/time_to_accuracy.py --workdir=runs/time_to_99 --convs=fast,im2col,xla

The network, optimizer and batch of experiments/mnist_cnn_full.py (conv 16 - pool - conv 32 - pool,
dense 64; Adam 3e-3 with a cosine decay over `--epochs`, batch 128; standardized mnist_50k), without the
augmentation (PyTorch would need its own). Runs side by side: JAX with each of `--convs`, called as the
loop calls it - "fast" (nets/models/conv.py's CPU layer; an epoch a call), "im2col" (an epoch a call),
"xla" (nn.Conv, one step a call on CPU) - and PyTorch eager; PyTorch starts from the JAX runs' initial
parameters (the same for every conv) and all of them see the same batches in the same order, so their
curves may differ only by float rounding. The runs take turns an epoch at a
time, so a shared machine's load falls on all three alike. After every epoch each is evaluated on the
10,000 test images (not timed); time to target = training seconds until the first epoch at or above it.
Writes results.json (per epoch: seconds, test accuracy) to the workdir and prints a table.

Result (2-core AMD EPYC, load about 1.5, three runs back to back with `--convs=fast,xla`;
docs/bench/time_to_99_session5_run*.json): all reach 99% at the 4th epoch, one curve to rounding. Time to
99%, compile included: JAX with the fast layer 24.3 / 23.2 / 24.7 s, JAX with nn.Conv 25.4 / 26.0 / 26.5 s,
PyTorch 2.13 eager 28.2 / 27.6 / 32.6 s - JAX first in every run (fast layer 1.16x by the medians);
examples/s 8,682-9,545 / 7,704-8,265 / 6,319-7,152. (On a 2-core Intel Xeon with XLA's YNNPACK
convolutions, docs/bench/time_to_99.json: JAX 108.8 s with nn.Conv, 75.2 s im2col, PyTorch 32.2 s.)
"""

import argparse
import os
import sys
import time

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # Idle OpenMP threads must not spin on JAX's cores.
# Compile times are part of what is measured: no persistent cache (NETS_COMPILATION_CACHE=on to use it).
os.environ.setdefault("NETS_COMPILATION_CACHE", "off")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from jax.sharding import NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

from experiments.mnist_cnn_full import get_config  # noqa: E402
from nets import data, optim, runtime, tasks  # noqa: E402
from nets.training import pipelines  # noqa: E402
from nets.training.loop import auto_steps_per_call, data_mesh  # noqa: E402
from nets.training.workdir import write_results  # noqa: E402


class JaxRun:
  """The project's task and step, called as the loop calls it: the device pipeline's `train_steps`
  (batches gathered from the epoch's permutation inside the call) an epoch a call, or one step a call
  where auto_steps_per_call says so (on CPU, autodiff's gradients of nn.Conv: conv "xla")."""

  def __init__(self, config, dataset, conv: str, total_steps: int):
    config = config.copy_and_resolve_references()
    config.model.conv = conv
    self.task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, total_steps))
    # The loop's own pipeline (data replicated on the mesh, `train_steps` compiled per call size, state
    # donated) and its state placed as the loop places it: a state off the mesh made the second call
    # compile again (1.6 s).
    mesh = data_mesh(config.batch_size)
    self.pipeline = pipelines.DevicePipeline(
      dataset, batch_size=config.batch_size, eval_batch_size=config.eval_batch_size, mesh=mesh
    )
    first = self.pipeline.first_batch
    init = jax.jit(self.task.init)(jax.random.key(config.seed), first)
    self.state = jax.device_put(init, NamedSharding(mesh, P()))
    self.chunk = auto_steps_per_call(self.task, self.state, first, self.pipeline.max_call_steps)
    self.steps_fn = self.pipeline.steps(self.task)
    self.eval_fn = jax.jit(lambda state, x: jnp.argmax(self.task.predict(state, x), -1))

  def run_epoch(self, idx_SxB: np.ndarray) -> float:
    start = time.perf_counter()
    perm = jnp.asarray(idx_SxB.reshape(-1))
    for first_step in range(0, len(idx_SxB), self.chunk):
      self.state, _ = self.steps_fn(self.state, perm, first_step, self.chunk)
    jax.block_until_ready(self.state)
    return time.perf_counter() - start

  def accuracy(self, x, y) -> float:
    pred = [np.asarray(self.eval_fn(self.state, x[i : i + 1000])) for i in range(0, len(x), 1000)]
    pred = np.concatenate(pred)
    return float((pred == y).mean())


class TorchRun:
  """mnist_cnn_full's CNN in PyTorch, from the JAX run's initial parameters."""

  def __init__(self, params, lr_schedule, threads: int):
    import torch  # noqa: PLC0415
    from torch import nn  # noqa: PLC0415

    self.torch, self.threads = torch, threads
    self.model = nn.Sequential(
      nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
      nn.Flatten(), nn.Linear(7 * 7 * 32, 64), nn.ReLU(), nn.Linear(64, 10),
    )  # fmt: skip
    p = jax.tree.map(np.asarray, params)
    convs = [p["ConvFeatures_0"]["Conv_0"], p["ConvFeatures_0"]["Conv_1"]]
    dense = [p["Dense_0"], p["Dense_1"]]
    # flax flattens H x W x C, torch C x H x W: the first dense layer's rows are permuted to match.
    first = dense[0]["kernel"].reshape(7, 7, 32, 64).transpose(2, 0, 1, 3).reshape(-1, 64)
    weights = [
      (self.model[0], convs[0]["kernel"].transpose(3, 2, 0, 1), convs[0]["bias"]),
      (self.model[3], convs[1]["kernel"].transpose(3, 2, 0, 1), convs[1]["bias"]),
      (self.model[7], first.T, dense[0]["bias"]),
      (self.model[9], dense[1]["kernel"].T, dense[1]["bias"]),
    ]
    with torch.no_grad():
      for layer, w, b in weights:
        layer.weight.copy_(torch.from_numpy(np.ascontiguousarray(w)))
        layer.bias.copy_(torch.from_numpy(np.ascontiguousarray(b)))
    base_lr = float(lr_schedule(0))
    self.opt = torch.optim.Adam(self.model.parameters(), lr=base_lr, eps=1e-8)
    # optax's schedule, step for step (the lr of step t is lr_schedule(t)).
    self.sched = torch.optim.lr_scheduler.LambdaLR(self.opt, lambda t: float(lr_schedule(t)) / base_lr)

  def set_data(self, train_x, train_y):
    self.x = self.torch.from_numpy(train_x.transpose(0, 3, 1, 2).copy())  # NCHW, writable
    self.y = self.torch.from_numpy(train_y.astype(np.int64))  # astype copies: torch wants writable arrays

  def run_epoch(self, idx_SxB: np.ndarray) -> float:
    torch = self.torch
    torch.set_num_threads(self.threads)
    self.model.train()
    start = time.perf_counter()
    for idx_B in torch.from_numpy(idx_SxB):
      self.opt.zero_grad(set_to_none=True)
      torch.nn.functional.cross_entropy(self.model(self.x[idx_B]), self.y[idx_B]).backward()
      self.opt.step()
      self.sched.step()
    return time.perf_counter() - start

  def accuracy(self, x, y) -> float:
    torch = self.torch
    self.model.eval()
    with torch.no_grad():
      xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
      pred = torch.cat([self.model(xt[i : i + 1000]).argmax(-1) for i in range(0, len(xt), 1000)])
    return float((pred.numpy() == y).mean())


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--workdir", required=True)
  parser.add_argument("--epochs", type=int, default=6, help="the cosine schedule's length, and the most run")
  parser.add_argument("--target", type=float, default=0.99)
  parser.add_argument("--dataset", default="mnist_50k", help="28 x 28 x 1 images of 10 classes")
  parser.add_argument("--torch_threads", type=int, default=os.cpu_count())
  parser.add_argument("--convs", default="fast,im2col,xla", help="model.conv of each JAX run")
  args = parser.parse_args()
  runtime.configure()

  config = get_config()
  config.augment.max_shift, config.augment.max_degrees = 0, 0
  config.data.name = args.dataset
  dataset = data.load(config.data.name, config.data.data_dir, standardize=True)
  train, test = dataset.splits["train"], dataset.splits["test"]
  n, batch = len(train["y"]), config.batch_size
  steps = n // batch
  total = steps * args.epochs
  runs = {f"jax_{conv}": JaxRun(config, dataset, conv, total) for conv in args.convs.split(",")}
  first = next(iter(runs))
  schedule = optim.make_schedule(config.optimizer, total)
  try:
    runs["torch"] = TorchRun(runs[first].state.params, schedule, args.torch_threads)
    runs["torch"].set_data(train["x"], train["y"])
  except ImportError:
    print("PyTorch is not installed (pip install -e '.[bench]'): timing the JAX runs only")
  rng = np.random.default_rng(config.seed)
  history = {name: [] for name in runs}
  for epoch in range(1, args.epochs + 1):
    idx_SxB = rng.permutation(n)[: steps * batch].reshape(steps, batch).astype(np.int32)
    for name, run in runs.items():
      seconds = run.run_epoch(idx_SxB)  # The first epoch of the JAX runs includes their compile.
      acc = run.accuracy(test["x"], test["y"])
      history[name].append({"epoch": epoch, "seconds": round(seconds, 2), "test_accuracy": acc})
      print(f"epoch {epoch} {name:>10}: {seconds:6.1f} s, test accuracy {acc:.4f}", flush=True)
    if all(any(e["test_accuracy"] >= args.target for e in h) for h in history.values()):
      break
  summary = {}
  for name, h in history.items():
    later = [e["seconds"] for e in h[1:]] or [h[0]["seconds"]]
    reached = next((i for i, e in enumerate(h) if e["test_accuracy"] >= args.target), None)
    summary[name] = {
      "epochs_to_target": None if reached is None else reached + 1,
      "seconds_to_target": None if reached is None else round(sum(e["seconds"] for e in h[: reached + 1]), 1),
      "examples_per_second": round(steps * batch / float(np.median(later)), 1),  # epochs after the first
      "final_test_accuracy": h[-1]["test_accuracy"],
    }
  base = summary[first]["seconds_to_target"]
  for s in summary.values():
    if base and s["seconds_to_target"]:
      s[f"time_over_{first}"] = round(s["seconds_to_target"] / base, 2)
  results = {"args": vars(args), "cpu": os.cpu_count(), "jax": jax.__version__, "summary": summary}
  results["history"] = history
  if "torch" in runs:
    results["torch"] = runs["torch"].torch.__version__
  os.makedirs(args.workdir, exist_ok=True)
  table = {f"{name} {k}": v for name, s in summary.items() for k, v in s.items()}
  write_results(args.workdir, results, summary=table)


if __name__ == "__main__":
  main()
