"""Load test of the recognizer service: N concurrent clients POST a drawn page for D seconds.

  python scripts/load_test.py --checkpoint=runs/recognizer_cnn --clients=8 --seconds=30

Starts `python -m nets.recognizer.serve` on a free localhost port, waits for /health, then each client thread
sends /v1/predict requests back to back (10 s timeout each) until the time is up. Prints and writes
(--out, JSON) requests, errors, requests/s and latency percentiles; the server is stopped at the end.
"""

import argparse
import base64
import io
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import numpy as np
from PIL import Image

from nets.data import lines


def _free_port() -> int:
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


def _page() -> tuple[bytes, str]:
  """Two lines of real test digits, dark ink on white paper, as a PNG request body."""
  from nets import data  # noqa: PLC0415

  test = data.load("mnist_5k").splits["test"]
  by_class = lines.by_class(test["x"][..., 0], test["y"])
  image, texts, _ = lines.make_paragraph(by_class, np.random.default_rng(0), num_lines=(2, 2), max_len=8)
  buf = io.BytesIO()
  Image.fromarray((255 * (1 - image)).astype(np.uint8)).save(buf, format="PNG")
  payload = {"image": "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()}
  return json.dumps(payload).encode(), "\n".join(texts)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True)
  parser.add_argument("--clients", type=int, default=8)
  parser.add_argument("--seconds", type=float, default=30.0)
  parser.add_argument("--out", default="")
  args = parser.parse_args()

  port = _free_port()
  url = f"http://127.0.0.1:{port}"
  env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", "")}
  cmd = [sys.executable, "-m", "nets.recognizer.serve", f"--checkpoint={args.checkpoint}", f"--port={port}"]
  server = subprocess.Popen(cmd, env=env)
  try:
    deadline = time.monotonic() + 300
    while True:
      try:
        urllib.request.urlopen(url + "/health", timeout=2).read()
        break
      except OSError:
        if server.poll() is not None or time.monotonic() > deadline:
          sys.exit("error: the server did not start")
        time.sleep(0.5)
    body, truth = _page()
    latencies, errors, preds = [], [], set()
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds

    def client():
      while time.monotonic() < stop_at:
        request = urllib.request.Request(
          url + "/v1/predict", data=body, headers={"Content-Type": "application/json"}
        )
        t0 = time.perf_counter()
        try:
          with urllib.request.urlopen(request, timeout=10) as r:
            pred = json.load(r)["pred"]
          with lock:
            latencies.append(time.perf_counter() - t0)
            preds.add(pred)
        except Exception as e:  # Every failure is counted, whatever its kind.
          with lock:
            errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
      t.start()
    for t in threads:
      t.join()
    wall = time.monotonic() - t0
  finally:
    server.terminate()
    server.wait(10)
  ms = np.asarray(latencies) * 1000
  results = {
    "clients": args.clients,
    "seconds": round(wall, 1),
    "requests": len(latencies),
    "errors": len(errors),
    "first_errors": errors[:5],
    "requests_per_second": round(len(latencies) / wall, 2),
    "p50_ms": round(float(np.percentile(ms, 50)), 1) if len(ms) else None,
    "p99_ms": round(float(np.percentile(ms, 99)), 1) if len(ms) else None,
    "max_ms": round(float(ms.max()), 1) if len(ms) else None,
    "truth": truth,
    "preds": sorted(preds),
  }
  print(json.dumps(results, indent=2))
  if args.out:
    with open(args.out, "w") as f:
      json.dump(results, f, indent=2)


if __name__ == "__main__":
  main()
