"""Load and fault test of the recognizer service, on 127.0.0.1 only, bounded in count and time.

  python scripts/load_test.py --checkpoint=runs/recognizer_cnn --seconds=60 --out=load.json
  python scripts/load_test.py --untrained --seconds=60    # an untrained run of experiments/recognizer_cnn

--untrained writes a workdir of experiments/recognizer_cnn with untrained parameters (the same model,
so the same compute per line; it reads nonsense) into a temporary directory and serves that.

Starts `python -m nets.recognizer.serve` (its default limits) on a free 127.0.0.1 port, waits for
/ready, then:

Phase 1, --seconds long: --clients threads POST back to back (10 s timeout each) a two-line page of
test digits, or with probability --bad one of BAD's malformed requests; meanwhile 2 clients trickle
request headers a byte each 0.5 s (reconnecting when cut off), 2 clients send half a body or a whole
one and hang up before the answer, 1 client sends the 2 MB adversarial JSON bodies
(tests/recognizer/recognizer_fixtures.ADVERSARIAL) in turn, and /health is polled every 0.1 s.
Phase 2: --burst uploads of a 2 MB PNG page at once; a probe sends a good page every 0.1 s from the
burst's start until one is answered 200 (the time to recover).

Prints and writes (--out, JSON): 5xx answers other than 503 (and every failure: a good page refused, a
bad request accepted, no answer), the 503s (deliberate: admission full, with Retry-After), good-page
latency p50/p99, /health p99, the server's peak RSS after each phase (VmHWM), requests lost (sent,
never answered, not one of the deliberate hang-ups), burst 503s and the time to recover.
"""

import argparse
import base64
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this checkout's nets

from nets.data import lines  # noqa: E402

MAX_BYTES = 2_000_000  # nets.recognizer.inputs.MAX_BYTES (not imported: it pulls in the service's stack)

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
  "a TIFF": (b'{"image": "SUkqAAgAAAA="}', "application/json"),
  "wrong content type": (b"hello", "text/plain"),
  "broken multipart": (b"--x\r\nnonsense", "multipart/form-data; boundary=x"),
}


def _free_port() -> int:
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


def _digits_page() -> tuple[np.ndarray, str]:
  """Two lines of real test digits, dark ink on white paper, uint8."""
  from nets import data  # noqa: PLC0415

  test = data.load("mnist_5k").splits["test"]
  by_class = lines.by_class(test["x"][..., 0], test["y"])
  image, texts, _ = lines.make_paragraph(by_class, np.random.default_rng(0), num_lines=(2, 2), max_len=8)
  return (255 * (1 - image)).astype(np.uint8), "\n".join(texts)


def _png(image: np.ndarray) -> bytes:
  buf = io.BytesIO()
  Image.fromarray(image).save(buf, format="PNG")
  return buf.getvalue()


def _big_upload(page: np.ndarray) -> tuple[bytes, str]:
  """A multipart upload just under MAX_BYTES: the page on a large sheet of noisy paper (a photo's grain
  does not compress), the sheet's height cut until the PNG fits."""
  rng = np.random.default_rng(1)
  height = 1500
  while True:
    sheet = np.clip(rng.normal(225, 12, (height, 1500)), 0, 255).astype(np.uint8)
    sheet[200 : 200 + page.shape[0], 100 : 100 + page.shape[1]] = np.minimum(
      sheet[200 : 200 + page.shape[0], 100 : 100 + page.shape[1]], page
    )
    raw = _png(sheet)
    if len(raw) < MAX_BYTES - 1000:
      break
    height -= 20
  boundary = "loadtestboundary"
  body = (
    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="page.png"\r\n'
    f"Content-Type: image/png\r\n\r\n".encode()
    + raw
    + f"\r\n--{boundary}--\r\n".encode()
  )
  return body, f"multipart/form-data; boundary={boundary}"


def _post(url: str, body: bytes, kind: str, timeout: float = 10.0) -> tuple[int | None, dict, float]:
  """(status or None for no answer, answer or error, seconds)."""
  request = urllib.request.Request(url + "/v1/predict", data=body, headers={"Content-Type": kind})
  t0 = time.perf_counter()
  try:
    with urllib.request.urlopen(request, timeout=timeout) as r:
      return r.status, json.load(r), time.perf_counter() - t0
  except urllib.error.HTTPError as e:
    try:
      answer = json.load(e)
    except ValueError:
      answer = {"error": "(not JSON)"}
    answer["retry_after"] = e.headers.get("Retry-After")
    return e.code, answer, time.perf_counter() - t0
  except Exception as e:
    return None, {"error": f"{type(e).__name__}: {e}"}, time.perf_counter() - t0


class Tally:
  def __init__(self):
    self.lock = threading.Lock()
    self.good_s, self.health_s, self.failures = [], [], []
    self.counts: dict[str, int] = {}

  def count(self, key: str, n: int = 1) -> None:
    with self.lock:
      self.counts[key] = self.counts.get(key, 0) + n

  def fail(self, what: str) -> None:
    with self.lock:
      self.failures.append(what)


def mixed_client(url, stop_at, seed, bad_fraction, page_body, tally: Tally):
  rng = np.random.default_rng(seed)
  bad = list(BAD.items())
  while time.monotonic() < stop_at:
    is_bad = rng.random() < bad_fraction
    name, (body, kind) = bad[rng.integers(len(bad))] if is_bad else ("good", (page_body, "application/json"))
    status, answer, seconds = _post(url, body, kind)
    tally.count("sent")
    if status is None:
      tally.count("lost")
      tally.fail(f"{name}: no answer: {answer['error']}")
    elif status == 503:
      tally.count("503")
      if not answer.get("retry_after"):
        tally.fail(f"{name}: 503 without Retry-After")
    elif status >= 500:
      tally.count("5xx other than 503")
      tally.fail(f"{name}: {status} {answer}")
    elif is_bad and status < 400 or not is_bad and status != 200:
      tally.fail(f"{name}: {status} {answer}")
    elif not is_bad:
      with tally.lock:
        tally.good_s.append(seconds)


def header_trickler(url, stop_at, tally: Tally):
  port = int(url.rsplit(":", 1)[1])
  while time.monotonic() < stop_at:
    with socket.create_connection(("127.0.0.1", port)) as s:
      s.settimeout(0.5)
      headers = b"POST /v1/predict HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
      for byte in headers:
        if time.monotonic() > stop_at:
          return
        try:
          s.send(bytes([byte]))
          if s.recv(100) == b"":
            tally.count("slow header clients cut off")
            break
        except TimeoutError:
          continue
        except OSError:
          tally.count("slow header clients cut off")
          break


def hanger_up(url, stop_at, page_body, whole: bool, tally: Tally):
  """Sends half the body (or all of it) and closes the connection before the answer."""
  port = int(url.rsplit(":", 1)[1])
  head = "POST /v1/predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
  head = (head + f"{len(page_body)}\r\n\r\n").encode()
  while time.monotonic() < stop_at:
    with socket.create_connection(("127.0.0.1", port)) as s:
      s.sendall(head + (page_body if whole else page_body[: len(page_body) // 2]))
      time.sleep(0.05)
    tally.count("deliberate hang-ups")
    time.sleep(0.45)


def adversary(url, stop_at, tally: Tally):
  from tests.recognizer.recognizer_fixtures import ADVERSARIAL  # noqa: PLC0415

  bodies = list(ADVERSARIAL.items())
  i = 0
  while time.monotonic() < stop_at:
    name, body = bodies[i % len(bodies)]
    i += 1
    status, answer, seconds = _post(url, body, "application/json", timeout=30)
    tally.count("adversarial sent")
    if status is None or (status >= 500 and status != 503):
      tally.count("lost" if status is None else "5xx other than 503")
      tally.fail(f"adversarial {name}: {status} {answer}")
    with tally.lock:
      tally.counts["adversarial max_s"] = max(tally.counts.get("adversarial max_s", 0), round(seconds, 3))


def health_poller(url, stop_at, tally: Tally):
  while time.monotonic() < stop_at:
    t0 = time.perf_counter()
    try:
      urllib.request.urlopen(url + "/health", timeout=5).read()
      with tally.lock:
        tally.health_s.append(time.perf_counter() - t0)
    except Exception as e:
      tally.fail(f"/health: {type(e).__name__}: {e}")
    time.sleep(0.1)


def _peak_rss_mb(pid: int) -> float:
  with open(f"/proc/{pid}/status") as f:
    fields = dict(line.split(":", 1) for line in f)
  return round(int(fields["VmHWM"].split()[0]) / 1024, 1)


def _ms(seconds: list[float], q: float) -> float | None:
  return round(float(np.percentile(np.asarray(seconds) * 1000, q)), 1) if seconds else None


def phase_mixed(url, args, page_body) -> dict:
  tally = Tally()
  stop_at = time.monotonic() + args.seconds
  threads = [
    threading.Thread(target=mixed_client, args=(url, stop_at, i, args.bad, page_body, tally))
    for i in range(args.clients)
  ]
  threads += [threading.Thread(target=header_trickler, args=(url, stop_at, tally)) for _ in range(2)]
  threads += [threading.Thread(target=hanger_up, args=(url, stop_at, page_body, w, tally)) for w in (0, 1)]
  threads += [threading.Thread(target=adversary, args=(url, stop_at, tally))]
  threads += [threading.Thread(target=health_poller, args=(url, stop_at, tally))]
  for t in threads:
    t.start()
  for t in threads:
    t.join()
  return {
    "seconds": args.seconds,
    "counts": dict(sorted(tally.counts.items())),
    "good_requests": len(tally.good_s),
    "good_p50_ms": _ms(tally.good_s, 50),
    "good_p99_ms": _ms(tally.good_s, 99),
    "health_p99_ms": _ms(tally.health_s, 99),
    "health_max_ms": _ms(tally.health_s, 100),
    "failures": len(tally.failures),
    "first_failures": tally.failures[:10],
  }


def phase_burst(url, args, page_body) -> dict:
  upload, kind = _big_upload(_digits_page()[0])
  results, lock = [], threading.Lock()
  go = threading.Barrier(args.burst + 1)

  def one():
    go.wait()
    status, answer, seconds = _post(url, upload, kind, timeout=30)
    with lock:
      results.append((status, seconds, answer.get("retry_after")))

  threads = [threading.Thread(target=one) for _ in range(args.burst)]
  for t in threads:
    t.start()
  go.wait()
  t0 = time.monotonic()
  probes = 0
  while True:  # The time to recover: until a good page sent now is answered 200.
    probes += 1
    status, _, _ = _post(url, page_body, "application/json")
    if status == 200:
      recovered_s = time.monotonic() - t0
      break
    time.sleep(0.1)
  for t in threads:
    t.join()
  statuses = [s for s, _, _ in results]
  return {
    "uploads": args.burst,
    "upload_bytes": len(upload),
    "by_status": {str(s): statuses.count(s) for s in sorted(set(statuses), key=str)},
    "503_with_retry_after": sum(1 for s, _, r in results if s == 503 and r),
    "lost": statuses.count(None),
    "last_answer_s": round(max(s for _, s, _ in results), 2),
    "recovered_s": round(recovered_s, 2),
    "probes": probes,
  }


def _start(args, port: int) -> subprocess.Popen:
  env = {**os.environ, "PYTHONPATH": os.getcwd() + os.pathsep + os.environ.get("PYTHONPATH", "")}
  cmd = [sys.executable, "-m", "nets.recognizer.serve", f"--checkpoint={args.checkpoint}", f"--port={port}"]
  server = subprocess.Popen([*cmd, "--access-log="], env=env)
  deadline = time.monotonic() + 300
  while True:
    try:
      urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2).read()
      return server
    except OSError:
      if server.poll() is not None or time.monotonic() > deadline:
        server.kill()
        sys.exit("error: the server did not become ready")
      time.sleep(0.5)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", help="a training workdir or an export")
  parser.add_argument("--untrained", action="store_true", help="serve an untrained recognizer_cnn run")
  parser.add_argument("--clients", type=int, default=8)
  parser.add_argument("--seconds", type=float, default=60.0)
  parser.add_argument("--bad", type=float, default=0.3, help="fraction of malformed requests")
  parser.add_argument("--burst", type=int, default=50, help="concurrent 2 MB uploads in phase 2")
  parser.add_argument("--out", default="")
  args = parser.parse_args()
  with tempfile.TemporaryDirectory() as tmp:
    if args.untrained:
      from tests.recognizer.recognizer_fixtures import untrained_workdir  # noqa: PLC0415

      args.checkpoint = untrained_workdir(os.path.join(tmp, "recognizer_cnn_untrained"), small=False)
    if not args.checkpoint:
      sys.exit("error: give --checkpoint=WORKDIR or --untrained")
    page, truth = _digits_page()
    page_body = json.dumps({"image": "data:image/png;base64," + base64.b64encode(_png(page)).decode()})
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = _start(args, port)
    try:
      results = {"truth": truth, "cpus": os.cpu_count(), "load_average_before": os.getloadavg()}
      results["rss_ready_mb"] = _peak_rss_mb(server.pid)
      results["mixed"] = phase_mixed(url, args, page_body.encode())
      results["rss_peak_after_mixed_mb"] = _peak_rss_mb(server.pid)
      results["burst"] = phase_burst(url, args, page_body.encode())
      results["rss_peak_after_burst_mb"] = _peak_rss_mb(server.pid)
      results["load_average_after"] = os.getloadavg()
    finally:
      server.terminate()
      server.wait(30)
  print(json.dumps(results, indent=2))
  if args.out:
    with open(args.out, "w") as f:
      json.dump(results, f, indent=2)


if __name__ == "__main__":
  main()
