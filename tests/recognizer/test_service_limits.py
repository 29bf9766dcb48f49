"""The service under hostile and heavy traffic: admission and 503s, deadlines that stop work, clients that
leave, a batching task that dies, shutdown, slow headers, and bodies built to make a parser slow."""

import asyncio
import json
import socket
import statistics
import threading
import time

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient

from nets.recognizer import inputs, serve
from nets.recognizer.inputs import MAX_BYTES
from nets.recognizer.work import Limits
from tests.recognizer.recognizer_fixtures import (
  ADVERSARIAL,
  data_url,
  live_server,
  png,
  server_process,
  tiny_recognizer,
  two_rows,
)

GOOD = {"image": data_url(png(two_rows()))}


def _client(app) -> httpx.AsyncClient:
  return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


def _instrument(app, lines_s: float = 0.0, gate: threading.Event | None = None) -> dict:
  """Count the service's line-finding and model calls; slow the first by `lines_s`, hold the second on
  `gate`."""
  recognizer = app.state.service.recognizer
  lines, model = recognizer.lines, recognizer.transcribe_scored
  calls = {"lines": 0, "transcribe": 0}

  def slow_lines(ink):
    calls["lines"] += 1
    time.sleep(lines_s)
    return lines(ink)

  def held_model(strips):
    calls["transcribe"] += 1
    if gate is not None:
      gate.wait(30)
    return model(strips)

  recognizer.lines, recognizer.transcribe_scored = slow_lines, held_model
  return calls


def test_beyond_the_admitted_requests_the_answer_is_503_with_retry_after():
  app = serve.create_app(recognizer=tiny_recognizer(), limits=Limits(workers=1, queue=1, deadline_s=30))
  service, gate = app.state.service, threading.Event()
  _instrument(app, gate=gate)

  async def go():
    async with _client(app) as c:
      held = [asyncio.create_task(c.post("/v1/predict", json=GOOD)) for _ in range(2)]
      while service.work.admitted < 2:
        await asyncio.sleep(0.01)
      try:
        refused = await asyncio.wait_for(c.post("/v1/predict", json=GOOD), 5)
      finally:
        gate.set()
      return refused, await asyncio.gather(*held)

  refused, held = asyncio.run(go())
  assert refused.status_code == 503 and refused.headers["retry-after"] == "1", refused.text
  assert "busy" in refused.json()["error"]
  assert [r.status_code for r in held] == [200, 200]  # Admitted ones are answered once there is room.
  assert service.work.admitted == 0


def test_a_request_past_its_deadline_is_answered_and_its_work_stops(monkeypatch):
  """One worker: A's decoding outlasts the deadline (504), B never leaves the queue (503); no later step
  of either request ever runs."""
  app = serve.create_app(recognizer=tiny_recognizer(), limits=Limits(workers=1, queue=4, deadline_s=1.0))
  calls, release = _instrument(app), threading.Event()
  ink_of = inputs.ink_of

  def slow_decoding(raw):
    calls["decode"] = calls.get("decode", 0) + 1
    release.wait(30)  # A step that would outlast any bound below, until the test lets it end.
    return ink_of(raw)

  monkeypatch.setattr(inputs, "ink_of", slow_decoding)

  async def go():
    async with _client(app) as c:
      t0 = time.monotonic()
      answers = await asyncio.gather(*(c.post("/v1/predict", json=GOOD) for _ in range(2)))
      return answers, time.monotonic() - t0

  try:
    (a, b), seconds = asyncio.run(go())
  finally:
    release.set()
  assert sorted([a.status_code, b.status_code]) == [503, 504], (a.text, b.text)
  # At the deadline (1 s), not when the step ends (30 s). The bound is loose: a loaded CI machine once took
  # 3.7 s to answer a deadline of 1 s.
  assert seconds < 10
  late = a if a.status_code == 503 else b
  assert late.headers["retry-after"] == "1" and "too busy" in late.json()["error"]
  app.state.service.work.pool.shutdown(wait=True)  # The running step ends; nothing after it may start.
  assert calls == {"decode": 1, "lines": 0, "transcribe": 0}


def _asgi_request(body: bytes, leave_after_s: float) -> tuple[dict, list, callable]:
  scope = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "POST",
    "scheme": "http",
    "path": "/v1/predict",
    "raw_path": b"/v1/predict",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    "client": ("127.0.0.1", 1),
    "server": ("test", 80),
  }
  messages, sent = [{"type": "http.request", "body": body, "more_body": False}], []

  async def receive():
    if messages:
      return messages.pop(0)
    await asyncio.sleep(leave_after_s)  # The client hangs up while its page is being read.
    return {"type": "http.disconnect"}

  async def send(message):
    sent.append(message)

  return scope, sent, receive, send


def test_a_client_that_disconnects_stops_its_work():
  app = serve.create_app(recognizer=tiny_recognizer())
  calls = _instrument(app, lines_s=1.0)
  scope, sent, receive, send = _asgi_request(json.dumps(GOOD).encode(), leave_after_s=0.2)
  t0 = time.monotonic()
  asyncio.run(app(scope, receive, send))
  assert time.monotonic() - t0 < 0.9  # Given up when the client left, not when the step ended.
  assert sent[0]["status"] == 499
  time.sleep(1.5)
  assert calls == {"lines": 1, "transcribe": 0}


def test_a_dead_batching_task_answers_its_waiting_requests_and_is_restarted():
  app = serve.create_app(recognizer=tiny_recognizer(), batch_ms=5)
  batcher = app.state.service.batcher
  collect = batcher._collect

  async def raise_with_a_request_in_hand():
    await collect()
    raise RuntimeError("planted")

  async def go():
    async with _client(app) as c:
      post = lambda: asyncio.wait_for(c.post("/v1/predict", json=GOOD), 10)  # noqa: E731
      first = await post()
      batcher._collect = raise_with_a_request_in_hand  # Taken at the task's next batch.
      second = await post()  # Served: the task was inside the old _collect already.
      raised = await post()  # The task raises with this request in hand.
      batcher._collect = collect
      after_raise = await post()
      batcher.worker.cancel()  # Killed while idle.
      await asyncio.sleep(0.05)
      after_kill = await post()
      return first, second, raised, after_raise, after_kill

  first, second, raised, after_raise, after_kill = asyncio.run(go())
  assert [r.status_code for r in (first, second, after_raise, after_kill)] == [200, 200, 200, 200]
  assert raised.status_code == 503 and "batching worker failed" in raised.json()["error"], raised.text
  assert batcher.restarts == 2


def test_shutdown_stops_the_batcher_and_the_worker_threads():
  app = serve.create_app(recognizer=tiny_recognizer(), batch_ms=5)
  service = app.state.service
  with TestClient(app) as c:  # Runs the app's lifespan.
    assert c.post("/v1/predict", json=GOOD).status_code == 200
    assert not service.batcher.worker.done()
  assert service.work.closed and service.batcher.worker.done()


def test_a_model_failure_is_a_documented_500_and_the_service_unready_until_the_model_reads_again():
  app = serve.create_app(recognizer=tiny_recognizer())
  recognizer, broken = app.state.service.recognizer, {"on": True}
  model = recognizer.transcribe_scored

  def flaky(strips):
    if broken["on"]:
      raise RuntimeError("planted")
    return model(strips)

  recognizer.transcribe_scored = flaky
  c = TestClient(app, raise_server_exceptions=False)
  r = c.post("/v1/predict", json=GOOD)
  assert r.status_code == 500 and "the model failed" in r.json()["error"]
  ready = c.get("/ready")
  assert ready.status_code == 503 and "RuntimeError" in ready.json()["reason"]
  broken["on"] = False
  assert c.get("/ready").json()["status"] == "ready"
  assert c.post("/v1/predict", json=GOOD).status_code == 200


def _closed_within(sock: socket.socket, seconds: float, trickle: bytes = b"") -> float:
  """Seconds until the server closes `sock` while it sends `trickle` a byte each 0.1 s; inf if it does not."""
  sock.settimeout(0.1)
  t0 = time.monotonic()
  while time.monotonic() - t0 < seconds:
    if trickle:
      sock.send(trickle[:1])
      trickle = trickle[1:] or b"X"
    try:
      if sock.recv(65536) == b"":
        return time.monotonic() - t0
    except TimeoutError:
      pass
    except ConnectionError:
      return time.monotonic() - t0
  return float("inf")


def test_clients_that_send_headers_slowly_or_not_at_all_are_cut_off():
  app = serve.create_app(recognizer=tiny_recognizer())
  with live_server(app, header_timeout_s=0.5) as url:
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port)) as silent:
      assert _closed_within(silent, 5) < 3
    with socket.create_connection(("127.0.0.1", port)) as trickler:
      assert _closed_within(trickler, 5, trickle=b"GET /health HTTP/1.1\r\nX-Slow: ") < 3
    with socket.create_connection(("127.0.0.1", port)) as kept:  # Headers of a kept-alive connection's
      kept.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")  # second request have the deadline too.
      kept.settimeout(5)
      assert b"200 OK" in kept.recv(65536)
      assert _closed_within(kept, 5, trickle=b"GET /health HTTP/1.1\r\nX-Slow: ") < 3
    assert httpx.get(url + "/health").status_code == 200


# A linear scan answers each in 0.05-0.3 s on 2 cores under a load average of 18 (0.8 s for the first
# request of a new process); the old regex scan took 3 s for 32 KB, hours for 2 MB.
ANSWER_S = 2.0
HEALTH_MEDIAN_S, HEALTH_MAX_S = 0.1, 1.0


def test_adversarial_bodies_are_answered_in_linear_time_while_health_stays_responsive():
  """Each 2 MB body built to slow a JSON scanner is answered (4xx or 2xx) within ANSWER_S by a server
  process, while a concurrent /health poller sees its event loop answer (median within 100 ms).
  The bounds hold on a loaded 2-core machine; a quadratic scan takes hours at this size."""
  with server_process() as url:
    health_s, stop = [], threading.Event()

    def poll():
      with httpx.Client(base_url=url, timeout=10) as h:
        while not stop.is_set():
          t0 = time.perf_counter()
          assert h.get("/health").status_code == 200
          health_s.append(time.perf_counter() - t0)
          time.sleep(0.02)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    slow = {}
    try:
      with httpx.Client(base_url=url, timeout=ANSWER_S + 10) as c:
        c.post("/v1/predict", content=b"{}", headers={"content-type": "application/json"})  # Warm.
        for name, body in ADVERSARIAL.items():
          assert len(body) <= MAX_BYTES
          t0 = time.perf_counter()
          r = c.post("/v1/predict", content=body, headers={"content-type": "application/json"})
          seconds = time.perf_counter() - t0
          assert r.status_code < 500 and "error" in r.json(), (name, r.text)
          if seconds > ANSWER_S:
            slow[name] = round(seconds, 2)
    finally:
      stop.set()
      poller.join(15)
  assert not slow, f"answered slower than {ANSWER_S} s: {slow}"
  assert statistics.median(health_s) < HEALTH_MEDIAN_S and max(health_s) < HEALTH_MAX_S, sorted(health_s)[-5:]


@pytest.mark.parametrize("chunk", [100, 65536])
def test_a_streamed_body_over_the_limit_is_refused_while_it_arrives(chunk):
  """No Content-Length (chunked): the body is counted as it arrives and refused once past MAX_BYTES;
  the rest is never read."""
  app = serve.create_app(recognizer=tiny_recognizer())
  sent = {"bytes": 0}

  async def stream():
    yield b'{"image": "'
    while sent["bytes"] < 3 * MAX_BYTES:
      sent["bytes"] += chunk
      yield b"A" * chunk

  async def go():
    async with _client(app) as c:
      return await c.post("/v1/predict", content=stream(), headers={"content-type": "application/json"})

  r = asyncio.run(go())
  assert "content-length" not in r.request.headers
  assert r.status_code == 413 and "over the limit" in r.json()["error"], r.text
  assert sent["bytes"] <= MAX_BYTES + chunk


def test_a_request_given_up_stops_between_batches_of_lines():
  """Lines are read BATCH_LINES a model call, each call then decoded (by beam search, 20 ms a line), with
  the request's check between: a page given up at its deadline stops after the batch in hand."""
  from nets.recognizer.pipeline import BATCH_LINES
  from nets.recognizer.work import Stopped

  service = serve.create_app(recognizer=tiny_recognizer()).state.service
  recognizer, calls = service.recognizer, []
  model = recognizer.transcribe_scored
  recognizer.transcribe_scored = lambda strips: calls.append(len(strips)) or model(strips)
  strips = np.zeros((BATCH_LINES + 5, recognizer.height, recognizer.width), np.float32)
  assert len(service.transcribe(strips)) == BATCH_LINES + 5 and calls == [BATCH_LINES, 5]
  calls.clear()

  def given_up():
    raise Stopped()

  with pytest.raises(Stopped):
    service.transcribe(strips, given_up)
  assert calls == [BATCH_LINES]
