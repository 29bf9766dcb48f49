"""Train-step speed against PyTorch and against this machine's measured f32 matmul peak.

  python scripts/bench.py --workdir=runs/bench --repeats=5   # pip install -e ".[bench]" for the torch side

Writes results.json and bench.png to the workdir and prints the tables: per model, the step called
alone and in lax.scan beside PyTorch; an epoch through the loop against a scan over pre-batched data;
and, for a CNN and a Transformer, steps in a real while loop against one-step calls (the basis of
`steps_per_call=0`). Every timing is the median of `--repeats` runs after a warm-up; JAX and PyTorch
(and the matmul peak) take turns within each round, so on a shared machine both see the same load and
their ratio is fair. FLOPs come from XLA's cost analysis of the compiled step (forward, backward and
optimizer update) and are used for both sides.
PyTorch runs with as many threads as JAX (all cores) and with one thread, and the faster counts;
OMP_WAIT_POLICY=PASSIVE (unless set) keeps its idle OpenMP threads from spinning on the cores that
JAX's next timing needs - on a loaded machine spinning made PyTorch's MLP steps about 15x slower.
"""

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import time
from functools import partial

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # Read when torch's OpenMP starts.
# Compile times are part of what is measured: no persistent cache (NETS_COMPILATION_CACHE=on to use it).
os.environ.setdefault("NETS_COMPILATION_CACHE", "off")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import ml_collections  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_models import CNN, LineClassifier, ResNetBlock, Transformer, torch_models  # noqa: E402
from jax.sharding import AxisType, NamedSharding  # noqa: E402
from jax.sharding import PartitionSpec as P  # noqa: E402

from nets import data, losses, optim, runtime, tasks  # noqa: E402
from nets.models import MLP  # noqa: E402
from nets.tasks.supervised import Supervised, accuracy  # noqa: E402
from nets.training.pipelines import SCAN_UNROLL, train_steps  # noqa: E402
from nets.training.workdir import pyplot, write_results  # noqa: E402

# name: (flax module, torch builder and its args, example shape, batch, Adam's learning rate)
FSDL = (lambda: MLP(10, widths=(1024, 128), dropout_rate=0.5), ("mlp", ((1024, 128), 0.5)))
MODELS = {
  "mlp_3b1b": (lambda: MLP(10, widths=(16, 16)), ("mlp", ((16, 16),)), (28, 28, 1), 32, 3e-3),
  "fsdl_mlp": (*FSDL, (28, 28, 1), 128, 1e-3),
  "fsdl_mlp_b4096": (*FSDL, (28, 28, 1), 4096, 1e-3),
  "cnn": (CNN, ("cnn", ()), (28, 28, 1), 128, 1e-3),
  "cnn_nn_conv": (lambda: CNN(conv="xla"), ("cnn", ()), (28, 28, 1), 128, 1e-3),  # flax's nn.Conv
  "resnet_block": (ResNetBlock, ("resnet_block", ()), (28, 28, 1), 128, 1e-3),
  "line_cnn": (LineClassifier, ("line_cnn", ()), (14, 224, 1), 64, 1e-3),  # recognizer_cnn's lines
  "transformer": (Transformer, ("transformer", ()), (28, 28), 128, 1e-3),
}


def by_example():
  """The loop's batch sharding: the "data" axis over every device."""
  mesh = jax.make_mesh((jax.device_count(),), ("data",), axis_types=(AxisType.Auto,))
  return NamedSharding(mesh, P("data"))


def loop_call(task, num_steps: int, batch_size: int):
  """What the loop compiles: `num_steps` steps in lax.scan, each batch gathered from a permutation."""
  return partial(train_steps, task, num_steps=num_steps, batch_size=batch_size, sharding=by_example())


def interleaved(timers: dict, repeats: int) -> dict[str, float]:
  """Median seconds of each timer; one warm-up call each, then `repeats` rounds taking turns."""
  for t in timers.values():
    t()
  times = {k: [] for k in timers}
  for _ in range(repeats):
    for k, t in timers.items():
      start = time.perf_counter()
      t()
      times[k].append(time.perf_counter() - start)
  return {k: statistics.median(v) for k, v in times.items()}


def calibrate(fn, target_s: float) -> int:
  """How many calls of `fn` take about target_s (at least 1)."""
  fn()
  start = time.perf_counter()
  fn()
  return max(1, int(target_s / max(time.perf_counter() - start, 1e-6)))


def matmul_timers(sizes=(1024, 2048), dtype=jnp.float32) -> tuple[dict, dict]:
  """(n x n) @ (n x n) in `dtype` in JAX and, for f32 when installed, PyTorch: timers and their FLOPs."""
  timers, flops = {}, {}
  for n in sizes:
    a, b = (jax.random.normal(jax.random.PRNGKey(i), (n, n), dtype) for i in (0, 1))
    f = jax.jit(jnp.matmul)
    timers[f"jax_matmul_{n}"] = lambda f=f, a=a, b=b: f(a, b).block_until_ready()
    flops[f"jax_matmul_{n}"] = 2 * n**3
    if torch is not None and dtype == jnp.float32:
      ta, tb = torch.randn(n, n), torch.randn(n, n)
      timers[f"torch_matmul_{n}"], flops[f"torch_matmul_{n}"] = (lambda ta=ta, tb=tb: ta @ tb), 2 * n**3
  return timers, flops


def jax_step(name: str, batch_size: int | None = None, compute_dtype=jnp.float32):
  """The project's supervised train step for MODELS[name], jitted with donated state; its batch.
  compute_dtype: what the model computes in (bfloat16: mixed precision, parameters stay f32)."""
  module, _, shape, batch, lr = MODELS[name]
  batch = batch_size or batch
  tx = optim.make_optimizer(ml_collections.ConfigDict(dict(name="adam", learning_rate=lr)), 1)
  targets = lambda y, _: jax.nn.one_hot(y, 10)
  task = Supervised(module(), tx, losses.cross_entropy, targets, accuracy, compute_dtype=compute_dtype)
  rng = np.random.default_rng(0)
  x = jnp.asarray(rng.normal(size=(batch, *shape)), jnp.float32)
  arrays = {"x": x, "y": jnp.asarray(rng.integers(0, 10, batch))}
  state = jax.jit(task.init)(jax.random.PRNGKey(0), arrays)
  start = time.perf_counter()
  compiled = jax.jit(task.train_step, donate_argnums=0).lower(state, arrays).compile()
  compile_s = time.perf_counter() - start
  box = [state]
  counted = compiled  # FLOPs of the same function; the timed program stays `compiled`.
  if hasattr(task.model, "conv"):  # Cost analysis counts one pass of a loop: the fast conv's chunks.
    twin = dataclasses.replace(task, model=task.model.clone(conv="xla"))
    counted = jax.jit(twin.train_step).lower(state, arrays).compile()
  cost = counted.cost_analysis()
  cost = cost[0] if isinstance(cost, list) else cost

  def run(k):
    for _ in range(k):
      box[0], metrics = compiled(box[0], arrays)
    jax.block_until_ready(metrics)

  run.program = compiled  # What run times (tests/test_bench_script.py reads its HLO).
  return run, float(cost["flops"]), compile_s, task, box, arrays


def torch_step(name: str, threads: int):
  """The same network, Adam and batch in PyTorch eager: k steps of zero_grad, forward, backward, step."""
  _, (kind, args), shape, batch, lr = MODELS[name]
  model = torch_models()[kind](*args)
  opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-8)
  image = len(shape) == 3  # N x H x W x C in JAX, N x C x H x W in PyTorch
  x = torch.randn(batch, *((shape[2], *shape[:2]) if image else shape))
  y = torch.randint(0, 10, (batch,))
  model.train()

  def run(k):
    torch.set_num_threads(threads)
    for _ in range(k):
      opt.zero_grad(set_to_none=True)
      torch.nn.functional.cross_entropy(model(x), y).backward()
      opt.step()

  return run


def bench_models(repeats: int, target_s: float, names) -> tuple[list[dict], float]:
  """One row per model; the f32 matmul peak measured in turns with the models."""
  peak_timers, peak_flops = matmul_timers()
  rows, peak = [], 0.0
  for name in names:
    run_jax, flops, compile_s, task, box, arrays = jax_step(name)
    k = calibrate(partial(run_jax, 1), target_s)
    timers = {"jax": partial(run_jax, k), **peak_timers}
    # The real loop's compiled call: k steps in lax.scan, batches gathered from a permutation (at
    # least 2, since the loop runs a single step without the while loop).
    n, scan_k = arrays["x"].shape[0], max(k, 2)
    perm = jnp.tile(jnp.arange(n), scan_k)
    scan = jax.jit(loop_call(task, scan_k, n), donate_argnums=0)
    scan_box = [jax.tree.map(jnp.copy, box[0])]

    def run_scan(scan=scan, scan_box=scan_box, arrays=arrays, perm=perm):
      scan_box[0], metrics = scan(scan_box[0], arrays, perm, 0)
      jax.block_until_ready(metrics)

    timers["jax_scan"] = run_scan
    if torch is not None:
      timers["torch"] = partial(torch_step(name, os.cpu_count()), k)
      timers["torch_1thread"] = partial(torch_step(name, 1), k)
    medians = interleaved(timers, repeats)
    peak = max([peak] + [peak_flops[m] / medians[m] for m in peak_timers])
    row = {"model": name, "batch": n, "steps_per_timing": k, "scan_steps": scan_k}
    row["compile_s"] = round(compile_s, 3)
    row["flops_per_step"] = flops
    for side in ("jax", "jax_scan", "torch", "torch_1thread"):
      if side in medians:
        step_s = medians[side] / (scan_k if side == "jax_scan" else k)
        row[f"{side}_step_ms"] = round(1e3 * step_s, 4)
        row[f"{side}_examples_per_s"] = round(n / step_s, 1)
        row[f"{side}_gflops"] = round(flops / step_s / 1e9, 3)
    if "torch" in medians:
      torch_best = min(medians["torch"], medians["torch_1thread"]) / k
      row["torch_over_jax"] = round(torch_best / min(medians["jax"] / k, medians["jax_scan"] / scan_k), 3)
    print(json.dumps(row), flush=True)
    rows.append(row)
  for row in rows:
    for side in ("jax", "jax_scan", "torch", "torch_1thread"):
      if f"{side}_gflops" in row:
        row[f"{side}_fraction_of_peak"] = round(row[f"{side}_gflops"] * 1e9 / peak, 4)
  return rows, peak


def bench_epoch(repeats: int) -> dict:
  """3Blue1Brown's MLP at batch 32, one epoch of mnist_5k: the loop's ways against pre-batched scan."""
  from experiments.mnist_mlp import get_config  # noqa: PLC0415

  config = get_config()
  dataset = data.load(config.data.name, standardize=True)
  arrays = jax.device_put(dataset.splits["train"])
  n, b = len(arrays["y"]), config.batch_size
  steps = n // b
  task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, steps))
  state0 = jax.jit(task.init)(jax.random.PRNGKey(0), {k: v[:b] for k, v in arrays.items()})
  perm = jax.random.permutation(jax.random.PRNGKey(1), n)
  batched = jax.tree.map(lambda v: v[perm[: steps * b]].reshape(steps, b, *v.shape[1:]), arrays)
  epoch_call = jax.jit(loop_call(task, steps, b), donate_argnums=0)
  step_call = jax.jit(loop_call(task, 1, b), donate_argnums=0)
  prebatched = jax.jit(lambda s, xs: jax.lax.scan(task.train_step, s, xs), donate_argnums=0)
  boxes = {k: [jax.tree.map(jnp.copy, state0)] for k in ("scan", "steps", "prebatched")}

  def loop_epoch():  # What the loop runs with steps_per_call=0; metrics read back as it does.
    boxes["scan"][0], metrics = epoch_call(boxes["scan"][0], arrays, perm, 0)
    jax.device_get(metrics)

  def loop_steps():  # steps_per_call=1: a Python loop of per-step calls, metrics read one call late.
    pending = None
    for i in range(steps):
      boxes["steps"][0], metrics = step_call(boxes["steps"][0], arrays, perm, i)
      if pending is not None:
        jax.device_get(pending)
      pending = metrics
    jax.device_get(pending)

  def scan_prebatched():
    boxes["prebatched"][0], metrics = prebatched(boxes["prebatched"][0], batched)
    jax.block_until_ready(metrics)

  timers = {"loop_epoch_scan": loop_epoch, "loop_per_step_calls": loop_steps}
  med = interleaved({**timers, "scan_prebatched": scan_prebatched}, repeats)
  out = {k: round(v * 1e3, 3) for k, v in med.items()}
  out = {"model": "mlp_3b1b", "batch": b, "steps": steps, **{f"{k}_ms": v for k, v in out.items()}}
  out["loop_epoch_over_prebatched"] = round(med["loop_epoch_scan"] / med["scan_prebatched"], 3)
  out["per_step_calls_over_loop_epoch"] = round(med["loop_per_step_calls"] / med["loop_epoch_scan"], 3)
  return out


def bench_loop_modes(
  repeats: int, names=("cnn", "transformer"), batch: int = 32, steps: int = 2 * SCAN_UNROLL
) -> list:
  """The loop's two ways for heavy steps: `steps` steps in one lax.scan call (a real while loop: 2
  iterations of SCAN_UNROLL steps) against `steps` one-step calls, which compile without a loop."""
  rows = []
  for name in names:
    _, _, _, task, box, arrays = jax_step(name, batch)
    perm = jnp.tile(jnp.arange(batch), steps)
    scan, one = (jax.jit(loop_call(task, k, batch), donate_argnums=0) for k in (steps, 1))
    boxes = [[jax.tree.map(jnp.copy, box[0])] for _ in range(2)]

    def run_scan(scan=scan, b=boxes[0], perm=perm, arrays=arrays):
      b[0], metrics = scan(b[0], arrays, perm, 0)
      jax.block_until_ready(metrics)

    def run_calls(one=one, b=boxes[1], perm=perm, arrays=arrays):
      for i in range(steps):
        b[0], metrics = one(b[0], arrays, perm, i)
      jax.block_until_ready(metrics)

    med = interleaved({"scan": run_scan, "calls": run_calls}, repeats)
    row = {"model": name, "batch": batch, "steps": steps}
    row.update({f"{k}_step_ms": round(1e3 * v / steps, 3) for k, v in med.items()})
    row["scan_over_calls"] = round(med["scan"] / med["calls"], 2)
    print(json.dumps(row), flush=True)
    rows.append(row)
  return rows


def machine() -> dict:
  cpu = next((ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name")), "")
  return {
    "cpu": cpu or platform.processor(),
    "cores": os.cpu_count(),
    "devices": [str(d) for d in jax.devices()],
    "jax": jax.__version__,
    "torch": torch.__version__ if torch is not None else None,
    "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
    "load_average": os.getloadavg(),
  }


def figure(rows: list[dict], path: str) -> None:
  plt = pyplot()

  names = [r["model"] for r in rows]
  fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
  x = np.arange(len(rows))
  sides = (("jax_scan", "JAX (lax.scan)"), ("jax", "JAX (per call)"), ("torch", "PyTorch eager"))
  sides += (("torch_1thread", "PyTorch eager, 1 thread"),)
  for i, (side, label) in enumerate(sides):
    vals = [r.get(f"{side}_fraction_of_peak", 0) for r in rows]
    axes[0].bar(x + (i - 1.5) * 0.2, vals, 0.2, label=label)
  axes[0].set(xticks=x, ylabel="fraction of measured f32 matmul peak", title="achieved FLOP/s / peak")
  axes[0].set_xticklabels(names, rotation=20)
  axes[0].legend(fontsize=8)
  ratios = [r.get("torch_over_jax", 0) for r in rows]
  axes[1].bar(x, ratios, color="tab:green")
  axes[1].axhline(1.0, color="k", lw=0.8)
  axes[1].set(xticks=x, ylabel="PyTorch step time / JAX step time")
  axes[1].set_title("JAX speed-up over PyTorch eager (best of each)")
  axes[1].set_xticklabels(names, rotation=20)
  for xi, r in zip(x, ratios, strict=True):
    axes[1].text(xi, r, f"{r:.2f}x", ha="center", va="bottom", fontsize=8)
  fig.tight_layout()
  fig.savefig(path, dpi=110)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--workdir", default="runs/bench")
  parser.add_argument("--repeats", type=int, default=7)
  parser.add_argument("--target_s", type=float, default=0.3, help="seconds per timed repeat")
  parser.add_argument("--models", default=",".join(MODELS))
  parser.add_argument("--epoch_only", action="store_true", help="print only the loop-epoch comparison")
  args = parser.parse_args()
  settings = runtime.configure()  # As nets-train does; NETS_MALLOC=glibc, NETS_CPU_CONV=ynnpack to compare.
  if args.epoch_only:  # Cheap enough to repeat: its ratio is the one a shared machine blurs most.
    print(json.dumps(bench_epoch(5 * args.repeats)))
    return
  os.makedirs(args.workdir, exist_ok=True)
  start = time.perf_counter()
  info = machine()
  info["runtime"] = settings
  rows, peak = bench_models(args.repeats, args.target_s, args.models.split(","))
  epoch = bench_epoch(5 * args.repeats)  # An epoch takes ~10 ms: more rounds for a steady median.
  loop_modes = bench_loop_modes(max(3, args.repeats // 2))
  info["load_average_end"] = os.getloadavg()
  results = {"machine": info, "f32_matmul_peak_gflops": round(peak / 1e9, 3), "models": rows, "epoch": epoch}
  results["loop_modes"] = loop_modes
  results["wall_s"] = round(time.perf_counter() - start, 1)
  write_results(args.workdir, results, summary={})  # The tables above are the summary.
  figure(rows, os.path.join(args.workdir, "bench.png"))
  print(f"\nf32 matmul peak: {peak / 1e9:.1f} GFLOP/s ({info['cpu']}, {info['cores']} cores)")
  print(f"runtime settings (nets.runtime): {settings}")
  head = f"{'model':<16}{'batch':>6}{'jax ms':>10}{'scan ms':>10}{'torch ms':>10}{'torch1 ms':>10}"
  head += f"{'torch/jax':>10}"
  head += f"{'GFLOP/s':>9}{'of peak':>9}{'compile s':>10}"
  print(head)
  for r in rows:
    best = max(r["jax_gflops"], r["jax_scan_gflops"])
    print(
      f"{r['model']:<16}{r['batch']:>6}{r['jax_step_ms']:>10.3f}{r['jax_scan_step_ms']:>10.3f}"
      f"{r.get('torch_step_ms', float('nan')):>10.3f}{r.get('torch_1thread_step_ms', float('nan')):>10.3f}"
      f"{r.get('torch_over_jax', float('nan')):>10.2f}"
      f"{best:>9.2f}{best * 1e9 / peak:>9.1%}{r['compile_s']:>10.2f}"
    )
  print(f"epoch (mlp_3b1b, batch 32): {json.dumps(epoch)}")
  for r in loop_modes:
    print(f"{r['model']} batch {r['batch']}, {r['steps']} steps: in lax.scan {r['scan_step_ms']} ms a step, "
          f"one-step calls {r['calls_step_ms']} ms ({r['scan_over_calls']}x)")  # fmt: skip
  print(f"results: {os.path.join(args.workdir, 'results.json')}  ({results['wall_s']} s)")


try:
  import torch
except ImportError:  # The JAX side runs without it.
  torch = None

if __name__ == "__main__":
  main()
