"""Bounded work: the service answers overload instead of absorbing it.

A request to read a page is admitted while fewer than `workers + queue` are; beyond that it is refused
at once (503, Retry-After) before its body is read. An admitted request has `deadline_s` for all of it:
its body arriving, its wait for a worker thread, its decoding and its model call. At the deadline it is
answered 408 (the body was still arriving), 503 (it was still waiting) or 504 (it was being worked on),
and its work stops: a step not yet started never starts, and a running one is the last.

CPU work (JSON, decoding, line finding, the model) runs on `workers` threads of a pool of its own, not
anyio's 40: at most `workers` images are decoded at once.
"""

import asyncio
import contextlib
import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from nets.recognizer.pipeline import BATCH_LINES


@dataclasses.dataclass(frozen=True)
class Limits:
  workers: int = 2  # Threads doing CPU work; a request's steps run on one at a time.
  queue: int = 8  # Admitted requests beyond those being worked on: waiting for a thread or the body.
  deadline_s: float = 10.0  # All of one request, from admission to answer.
  retry_after_s: int = 1  # What a 503 tells the client to wait.

  @property
  def admitted(self) -> int:
    return self.workers + self.queue


class Unavailable(Exception):
  """The server cannot answer this request now (503, 504, 408): not the client's fault."""

  def __init__(self, status: int, message: str, retry_after_s: int | None = None):
    super().__init__(message)
    self.status, self.message, self.retry_after_s = status, message, retry_after_s


class Stopped(Exception):
  """Raised inside a worker thread between steps of a request that was given up."""


class Ticket:
  """One admitted request: where it is (reading, queued, working) and whether it was given up."""

  def __init__(self):
    self.phase = "reading"
    self.stopped = threading.Event()

  def check(self) -> None:
    """Called by a worker thread between steps: stops the work of a request that was given up."""
    if self.stopped.is_set():
      raise Stopped()


class Work:
  """Admission, deadlines and the worker threads of one app."""

  def __init__(self, limits: Limits):
    self.limits = limits
    self.admitted = 0
    self.start()

  def start(self) -> None:
    """Worker threads for the server's life (again after close(): a test client runs one per session)."""
    if getattr(self, "pool", None) is None or self.closed:
      self.pool = ThreadPoolExecutor(self.limits.workers, thread_name_prefix="nets-recognizer")
      self.closed = False

  def _expired(self, ticket: Ticket) -> Unavailable:
    seconds = self.limits.deadline_s
    if ticket.phase == "reading":
      return Unavailable(408, f"the request body did not arrive within the deadline of {seconds} s")
    if ticket.phase == "queued":
      message = f"the server was too busy to start on the request within its deadline of {seconds} s"
      return Unavailable(503, message, self.limits.retry_after_s)
    return Unavailable(504, f"reading the image took longer than the deadline of {seconds} s; stopped")

  @contextlib.asynccontextmanager
  async def admit(self):
    """A Ticket for the request if there is room (else 503), under its deadline (else 408/503/504)."""
    if self.closed:
      raise Unavailable(503, "the server is shutting down", self.limits.retry_after_s)
    if self.admitted >= self.limits.admitted:
      message = f"the server is busy ({self.admitted} requests in progress); retry shortly"
      raise Unavailable(503, message, self.limits.retry_after_s)
    self.admitted += 1
    ticket = Ticket()
    try:
      async with asyncio.timeout(self.limits.deadline_s):
        yield ticket
    except TimeoutError:
      raise self._expired(ticket) from None
    finally:
      ticket.stopped.set()  # Whatever ended the request (answer, deadline, client gone): no more work.
      self.admitted -= 1

  async def run(self, fn: Callable[..., Any], *tickets: Ticket) -> Any:
    """fn(check) on a worker thread, for the requests of `tickets`; fn calls check() between its steps.

    If the caller is cancelled before a thread takes the job, it never runs; once it runs, check()
    raises Stopped as soon as every ticket was given up.
    """
    if self.closed:
      raise Unavailable(503, "the server is shutting down", self.limits.retry_after_s)
    for ticket in tickets:
      ticket.phase = "queued"

    def check() -> None:
      if tickets and all(t.stopped.is_set() for t in tickets):
        raise Stopped()

    def job():
      for ticket in tickets:
        ticket.phase = "working"
      check()
      return fn(check)

    future = self.pool.submit(job)
    try:
      return await asyncio.wrap_future(future)
    except asyncio.CancelledError:
      future.cancel()  # Still queued: it never starts.
      raise

  def close(self) -> None:
    """Refuse new work and drop queued jobs; a job already running finishes its step."""
    self.closed = True
    self.pool.shutdown(wait=False, cancel_futures=True)


class MicroBatcher:
  """Reads the lines of requests that arrive together in one model call.

  The first waiting request opens a window of `window_s`; lines of requests arriving in it join the
  batch, up to BATCH_LINES lines, and one model call reads them all, on a worker thread. Its queue holds
  at most one entry per admitted request, so admission bounds it. If the batching task ends for any
  reason, every request waiting on it is answered 503 at once, and the next request starts a new task.
  """

  def __init__(self, work: Work, transcribe: Callable[..., list], window_s: float):
    self.work, self.transcribe, self.window_s = work, transcribe, window_s
    self.loop = self.queue = self.worker = None
    self.in_hand: list = []
    self.restarts = 0

  def _ensure_worker(self) -> None:
    loop = asyncio.get_running_loop()
    if loop is not self.loop:  # First use, or a new event loop (a test client's): a queue and task in it.
      self.loop, self.queue, self.worker = loop, asyncio.Queue(), None
    if self.worker is None or self.worker.done():
      self.restarts += self.worker is not None
      self.worker = loop.create_task(self._work())  # Held: a task nothing references may be collected.
      self.worker.add_done_callback(self._ended)

  def _ended(self, worker: asyncio.Task) -> None:
    """The batching task ended (a bug, or the server stopping): no request is left waiting on it."""
    why = "stopped" if worker.cancelled() else f"failed ({worker.exception()!r})"
    error = Unavailable(503, f"the batching worker {why}; retry", self.work.limits.retry_after_s)
    waiting = self.in_hand
    self.in_hand = []
    while self.queue is not None and not self.queue.empty():
      waiting.append(self.queue.get_nowait())
    for _, done, _ in waiting:
      if not done.done():
        done.set_exception(error)

  async def read(self, strips_NxHxW: np.ndarray, ticket: Ticket) -> list[str]:
    self._ensure_worker()
    done = self.loop.create_future()
    ticket.phase = "queued"
    self.queue.put_nowait((strips_NxHxW, done, ticket))
    return await done

  async def _collect(self) -> list:
    """The requests of one batch: the first to arrive, then those within the window, up to BATCH_LINES."""
    self.in_hand = [await self.queue.get()]
    deadline = self.loop.time() + self.window_s
    while sum(len(s) for s, _, _ in self.in_hand) < BATCH_LINES:
      try:
        self.in_hand.append(await asyncio.wait_for(self.queue.get(), max(0.0, deadline - self.loop.time())))
      except TimeoutError:
        break
    return [
      w for w in self.in_hand if not w[1].done()
    ]  # A request given up (deadline, client gone) is dropped.

  async def _work(self) -> None:
    while True:
      waiting = await self._collect()
      if not waiting:
        continue
      strips = np.concatenate([s for s, _, _ in waiting])
      try:
        texts = await self.work.run(
          lambda check, strips=strips: self.transcribe(strips, check), *(t for _, _, t in waiting)
        )
      except Exception as e:  # Every waiting request hears of it; the task goes on.
        for _, done, _ in waiting:
          if not done.done():
            done.set_exception(e)
        self.in_hand = []
        continue
      start = 0
      for s, done, _ in waiting:
        if not done.done():  # Its client may have gone (the request cancelled).
          done.set_result(texts[start : start + len(s)])
        start += len(s)
      self.in_hand = []

  def stop(self) -> None:
    if self.worker is not None and not self.worker.done():
      self.worker.cancel()
