"""What streaming costs: training steps fed by the stream against the device pipeline and the bare step.

  python scripts/bench_stream.py --workdir=runs/bench_stream --repeats=5

For each experiment (fsdl_mlp_full and mnist_cnn_full: full MNIST, 50,000 training digits) it times
`--steps` training steps three ways, taking turns within each round so that all three see the same load:
  device  the loop's device pipeline: whole splits on the device, each call gathers its batches there;
  stream  the loop's stream pipeline: grain reads, decodes and prefetches each call from array_record;
  bare    the same compiled calls on batches already on the device (no gather, no reading): the step alone.
Every pipeline runs the loop's own call size (`steps_per_call=0`: auto, capped for the stream by
STREAM_CALL_BYTES). Reports examples/s (median over rounds) and the stream's cost over the bare step,
1 - stream/bare, with the stream's thread, prefetch and worker settings; writes results.json.
"""

import argparse
import os
import platform
import statistics
import sys
import time

import jax
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nets import optim, tasks  # noqa: E402
from nets.data.stream import StreamOptions  # noqa: E402
from nets.training import pipelines  # noqa: E402
from nets.training.loop import (  # noqa: E402
  data_mesh,
  epoch_permutation,
  open_data,
  steps_per_call,
  train_epoch,
)
from nets.training.workdir import write_results  # noqa: E402

EXPERIMENTS = ("fsdl_mlp_full", "mnist_cnn_full")


def timers(name: str, num_steps: int, options: StreamOptions) -> tuple[dict, dict]:
  """{pipeline: a function that runs num_steps steps and waits for them}, and what was run."""
  config = __import__(f"experiments.{name}", fromlist=["get_config"]).get_config()
  batch_size, mesh = config.batch_size, data_mesh(config.batch_size)
  records = open_data(config.data)
  sizes = dict(batch_size=batch_size, eval_batch_size=1000, mesh=mesh)
  device = pipelines.DevicePipeline(records.read(), **sizes)
  stream = pipelines.StreamPipeline(records, options=options, **sizes)
  task = tasks.make(config, device.dataset, optim.make_optimizer(config.optimizer, 10**6))
  state0 = jax.jit(task.init)(jax.random.PRNGKey(0), device.first_batch)
  perm = epoch_permutation(jax.random.PRNGKey(1), 0, device.n_train)
  num_steps = num_steps or device.n_train // batch_size  # 0: one epoch
  chunks = {
    p.name: steps_per_call(config, task, state0, p.first_batch, p.max_call_steps) for p in (device, stream)
  }
  runs = {p.name: p.steps(task, chunk=chunks[p.name]) for p in (device, stream)}
  # The bare step: the stream's compiled call, on one call of batches placed on the device once.
  bare_steps = chunks["stream"]
  idx = np.asarray(perm[: bare_steps * batch_size])
  batches = {
    k: v[idx].reshape(bare_steps, batch_size, *v.shape[1:]) for k, v in device.dataset.splits["train"].items()
  }
  batches = jax.device_put(batches)
  by_example = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("data"))
  bare = jax.jit(
    lambda s, b: pipelines.train_batches(task, s, b, num_steps=bare_steps, sharding=by_example),
    donate_argnums=0,
  )

  def timed(pipeline):
    def run():
      state = jax.tree.map(lambda v: v.copy(), state0)
      steps = num_steps - num_steps % chunks[pipeline]
      state = train_epoch(
        runs[pipeline], state, perm, num_steps=steps, chunk=chunks[pipeline], read_back=lambda *a: None
      )
      jax.block_until_ready(state)

    return run

  def run_bare():
    state = jax.tree.map(lambda v: v.copy(), state0)
    for _ in range(num_steps // bare_steps):
      state, _ = bare(state, batches)
    jax.block_until_ready(state)

  steps = {p: num_steps - num_steps % chunks[p] for p in chunks} | {
    "bare": num_steps - num_steps % bare_steps
  }
  what = {"batch_size": batch_size, "call_steps": chunks, "steps_timed": steps}
  return {"device": timed("device"), "stream": timed("stream"), "bare": run_bare}, what


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--workdir", default="runs/bench_stream")
  parser.add_argument("--repeats", type=int, default=5)
  parser.add_argument("--steps", type=int, default=0, help="steps timed per run (fsdl_mlp); 0: an epoch")
  parser.add_argument("--cnn_steps", type=int, default=60, help="steps timed per run (the CNN)")
  parser.add_argument("--threads", type=int, default=StreamOptions.threads)
  parser.add_argument("--prefetch", type=int, default=StreamOptions.prefetch)
  parser.add_argument("--workers", type=int, default=StreamOptions.workers)
  args = parser.parse_args()
  options = StreamOptions(threads=args.threads, prefetch=args.prefetch, workers=args.workers)
  results = {
    "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
    "options": vars(options),
  }
  for name in EXPERIMENTS:
    fns, what = timers(name, args.steps if "mlp" in name else args.cnn_steps, options)
    times = {k: [] for k in fns}
    for fn in fns.values():  # Warm-up: compiles, and the stream's first read.
      fn()
    for _ in range(args.repeats):
      for k, fn in fns.items():
        start = time.perf_counter()
        fn()
        times[k].append(time.perf_counter() - start)
    rate = {k: what["steps_timed"][k] * what["batch_size"] / statistics.median(v) for k, v in times.items()}
    results[name] = {
      **what,
      "examples_per_second": {k: round(v, 1) for k, v in rate.items()},
      "stream_cost_vs_bare": round(1 - rate["stream"] / rate["bare"], 4),
      "stream_vs_device": round(rate["stream"] / rate["device"], 4),
      "seconds": {k: [round(t, 4) for t in v] for k, v in times.items()},
    }
    print(
      name, results[name]["examples_per_second"], "stream cost vs bare", results[name]["stream_cost_vs_bare"]
    )
  os.makedirs(args.workdir, exist_ok=True)
  write_results(args.workdir, results, title="stream throughput")


if __name__ == "__main__":
  main()
