"""Draw a jax.profiler trace (the Perfetto file that --config.profile_steps writes) as a timeline PNG.

  python scripts/trace_figure.py --trace=WORKDIR/profile/plugins/profile/TIME/perfetto_trace.json.gz \\
      --out=docs/figures/trace_cnn.png

One row a thread (the Python host thread, XLA's compute threads, the runtime's), one bar an event; the
longest XLA operations are named. It shows what TensorBoard's trace viewer and Perfetto show, as a file.
"""

import argparse
import collections
import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets.training.workdir import pyplot, save_figure  # noqa: E402


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("--trace", required=True)
  parser.add_argument("--out", default="docs/figures/trace_cnn.png")
  parser.add_argument("--label", type=int, default=6, help="how many of the longest XLA ops to name")
  args = parser.parse_args()
  events = json.load(gzip.open(args.trace))["traceEvents"]
  threads = {e["tid"]: e["args"]["name"] for e in events if e.get("ph") == "M" and e["name"] == "thread_name"}
  spans = [e for e in events if e.get("ph") == "X" and e.get("dur", 0) > 0]
  by_thread = collections.defaultdict(list)
  for e in spans:
    by_thread[e["tid"]].append(e)
  t0 = min(e["ts"] for e in spans)
  rows = sorted(by_thread, key=lambda tid: -sum(e["dur"] for e in by_thread[tid]))
  plt = pyplot()
  fig, ax = plt.subplots(figsize=(12, 0.5 * len(rows) + 1.2))
  for i, tid in enumerate(rows):
    for e in by_thread[tid]:
      python = e["name"].startswith("$")  # Python frames, as jax.profiler records them
      ax.barh(
        i, e["dur"] / 1e3, left=(e["ts"] - t0) / 1e3, height=0.8, color="#bbbbbb" if python else "#3a7dc9"
      )
  xla = sorted((e for e in spans if not e["name"].startswith("$")), key=lambda e: -e["dur"])
  ops = [e for e in xla if not e["name"].startswith(("ThunkExecutor", "np.", "PjRt"))]  # XLA's own ops
  for e in ops[: args.label]:
    i = rows.index(e["tid"])
    ax.annotate(e["name"][:28], ((e["ts"] - t0) / 1e3, i + 0.45), fontsize=7, rotation=20)
  ax.set_yticks(range(len(rows)), [threads.get(t, str(t))[:34] for t in rows], fontsize=8)
  ax.invert_yaxis()
  ax.set_xlabel("milliseconds since the trace began (grey: Python; blue: XLA and runtime)")
  ax.set_title(
    os.path.basename(os.path.dirname(args.trace)) + ": " + os.path.basename(args.trace), fontsize=9
  )
  print(save_figure(fig, args.out, dpi=110))
  total = collections.Counter()
  for e in xla:
    total[e["name"]] += e["dur"]
  for name, us in total.most_common(8):
    print(f"{us / 1e3:9.2f} ms  {name}")


if __name__ == "__main__":
  main()
