"""Peak host memory against dataset size, the stream against the device pipeline.

  python scripts/stream_scale.py --workdir=runs/stream_scale [--sizes=50000,200000,1000000]

Trains experiments/procedural_blobs.py for one epoch at each size with `--config.data.pipeline=stream`
and `=device`, each in its own process, and reads that process's peak resident set size (os.wait4's
ru_maxrss). A device run the budget refuses is recorded with its one-line error. Builds each size first
(not timed). Writes results.json and memory.png.
"""

import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from nets import data  # noqa: E402
from nets.training.workdir import pyplot, save_figure, write_results  # noqa: E402


def run(size: int, pipeline: str, workdir: str) -> dict:
  """One epoch in a child process: its exit, time, peak RSS and figures (or its last error line)."""
  command = [sys.executable, os.path.join(ROOT, "train.py"), "--config=experiments/procedural_blobs.py"]
  command += [f"--config.data.num_train={size}", f"--config.data.pipeline={pipeline}", f"--workdir={workdir}"]
  os.makedirs(workdir, exist_ok=True)
  log = os.path.join(workdir, "log.txt")
  start = time.perf_counter()
  with open(log, "w") as out:
    child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    _, status, usage = os.wait4(child.pid, 0)  # The child's own peak RSS (ru_maxrss: KiB on Linux).
  row = {"size": size, "pipeline": pipeline, "exit": os.waitstatus_to_exitcode(status)}
  row.update(seconds=round(time.perf_counter() - start, 1), peak_rss_mib=round(usage.ru_maxrss / 1024, 1))
  if row["exit"] == 0:
    results = json.load(open(os.path.join(workdir, "results.json")))
    row.update({k: results[k] for k in ("test_accuracy", "train_seconds", "examples_per_second", "pipeline")})
  else:
    row["error"] = ([ln for ln in open(log).read().splitlines() if ln.strip()] or [""])[-1]
  print(row, flush=True)
  return row


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--workdir", default="runs/stream_scale")
  parser.add_argument("--sizes", default="50000,200000,1000000")
  args = parser.parse_args()
  sizes = [int(s) for s in args.sizes.split(",")]
  for size in sizes:
    data.records("procedural_blobs", num_train=size)  # Build first: not part of any run.
  rows = [run(n, p, os.path.join(args.workdir, f"{p}_{n}")) for n in sizes for p in ("stream", "device")]
  plt = pyplot()
  fig, ax = plt.subplots(figsize=(5, 3.5))
  for pipeline, marker in (("stream", "o-"), ("device", "s--")):
    done = [r for r in rows if r["pipeline"] == pipeline and r["exit"] == 0]
    ax.plot([r["size"] for r in done], [r["peak_rss_mib"] / 1024 for r in done], marker, label=pipeline)
  decoded = [n * (32 * 32 * 3 * 4 + 4) / 2**30 for n in sizes]
  ax.plot(sizes, decoded, ":", color="gray", label="training split decoded")
  ax.set(xscale="log", xlabel="training images", ylabel="peak resident memory (GiB)")
  ax.legend()
  save_figure(fig, os.path.join(args.workdir, "memory.png"), dpi=120)
  write_results(args.workdir, {"runs": rows}, title="peak memory against dataset size")


if __name__ == "__main__":
  main()
