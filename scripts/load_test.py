"""Load test of the recognizer service: N concurrent clients POST pages, good and bad, for D seconds.

  python scripts/load_test.py --checkpoint=runs/recognizer_cnn --clients=8 --seconds=30 --bad=0.3 \
    --batch-ms=0,2

Starts `python -m nets.recognizer.serve` on a free 127.0.0.1 port once per --batch-ms value (0 = no
micro-batching), waits for /health, then each client thread sends /v1/predict requests back to back
(10 s timeout each) until the time is up: a two-line page of test digits, or with probability --bad one
of BAD's malformed requests. Prints and writes (--out, JSON) per server: good requests, their
requests/s and latency percentiles, the statuses of the bad ones, and every 5xx or failed request;
the server is stopped at the end.
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
import urllib.error
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


# Malformed requests (body, content type) a client mixes in; each must be answered 4xx, never 5xx.
BAD = {
  "malformed JSON": (b'{"image": ', "application/json"),
  "nested 5,000 deep": (b'{"image": ' + b"[" * 5000 + b"]" * 5000 + b"}", "application/json"),
  "5,000-digit number": (b'{"image": 1' + b"0" * 5000 + b"}", "application/json"),
  "duplicate keys": (b'{"image": "", "image": ""}', "application/json"),
  "not UTF-8": ('{"image": ""}'.encode("utf-16"), "application/json"),
  "missing field": (b'{"img": ""}', "application/json"),
  "bad base64": (b'{"image": "data:image/png;base64,@@@"}', "application/json"),
  "not an image": (b'{"image": "aGVsbG8="}', "application/json"),
  "wrong content type": (b"hello", "text/plain"),
  "broken multipart": (b"--x\r\nnonsense", "multipart/form-data; boundary=x"),
}


def run_server(args, batch_ms: float, body: bytes) -> dict:
  port = _free_port()
  url = f"http://127.0.0.1:{port}"
  env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", "")}
  cmd = [sys.executable, "-m", "nets.recognizer.serve", f"--checkpoint={args.checkpoint}", f"--port={port}"]
  cmd += [f"--batch-ms={batch_ms}", "--access-log="]
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
    latencies, failures, preds, bad_status = [], [], set(), {}
    lock = threading.Lock()
    stop_at = time.monotonic() + args.seconds
    bad = list(BAD.values())

    def client(seed: int):
      rng = np.random.default_rng(seed)
      while time.monotonic() < stop_at:
        is_bad = rng.random() < args.bad
        data, kind = bad[rng.integers(len(bad))] if is_bad else (body, "application/json")
        request = urllib.request.Request(url + "/v1/predict", data=data, headers={"Content-Type": kind})
        t0 = time.perf_counter()
        try:
          with urllib.request.urlopen(request, timeout=10) as r:
            answer = json.load(r)
          status = r.status
        except urllib.error.HTTPError as e:  # A 4xx or 5xx answer.
          status, answer = e.code, json.load(e)
        except Exception as e:  # No answer at all: counted with the 5xx.
          status, answer = None, {"error": f"{type(e).__name__}: {e}"}
        with lock:
          if status is None or status >= 500 or (status != 200) != is_bad:
            failures.append(f"{status}: {answer}")
          elif is_bad:
            bad_status[status] = bad_status.get(status, 0) + 1
          else:
            latencies.append(time.perf_counter() - t0)
            preds.add(answer["pred"])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    t0 = time.monotonic()
    for t in threads:
      t.start()
    for t in threads:
      t.join()
    wall = time.monotonic() - t0
    metrics = urllib.request.urlopen(url + "/metrics", timeout=5).read().decode()
  finally:
    server.terminate()
    server.wait(10)
  ms = np.asarray(latencies) * 1000
  series = dict(x.rsplit(" ", 1) for x in metrics.splitlines() if x and not x.startswith("#"))
  calls, lines_read = (float(series[f"nets_model_batch_lines_{k}"]) for k in ("count", "sum"))
  return {
    "batch_ms": batch_ms,
    "clients": args.clients,
    "seconds": round(wall, 1),
    "good_requests": len(latencies),
    "good_per_second": round(len(latencies) / wall, 2),
    "bad_requests_by_status": dict(sorted(bad_status.items())),
    "failures": len(failures),  # 5xx, no answer, a good page refused or a bad one accepted
    "first_failures": failures[:5],
    "p50_ms": round(float(np.percentile(ms, 50)), 1) if len(ms) else None,
    "p99_ms": round(float(np.percentile(ms, 99)), 1) if len(ms) else None,
    "max_ms": round(float(ms.max()), 1) if len(ms) else None,
    "model_calls": int(calls),
    "lines_per_model_call": round(lines_read / max(calls, 1), 2),
    "preds": sorted(preds),
  }


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True)
  parser.add_argument("--clients", type=int, default=8)
  parser.add_argument("--seconds", type=float, default=30.0)
  parser.add_argument("--bad", type=float, default=0.3, help="fraction of malformed requests")
  parser.add_argument("--batch-ms", default="0", help="comma-separated micro-batching windows; 0 = off")
  parser.add_argument("--out", default="")
  args = parser.parse_args()
  body, truth = _page()
  results = {"truth": truth, "runs": []}
  for batch_ms in (float(v) for v in args.batch_ms.split(",")):
    results["runs"].append(run_server(args, batch_ms, body))
    print(json.dumps(results["runs"][-1]), flush=True)
  print(json.dumps(results, indent=2))
  if args.out:
    with open(args.out, "w") as f:
      json.dump(results, f, indent=2)


if __name__ == "__main__":
  main()
