"""The recognizer over HTTP: a FastAPI app, served by uvicorn.

  python -m nets.recognizer.serve --checkpoint=runs/recognizer_cnn --port=8000     # or NETS_CHECKPOINT=...
  python -m nets.recognizer.serve --checkpoint=runs/recognizer_cnn --batch-ms=2    # micro-batching

GET /            a page to write on (or upload an image) and read the transcription
GET /health      liveness: {"status": "ok", "model": {"run", "step", ...}} while the server answers at all
GET /ready       readiness: 200 once the model is loaded and has read a line, else 503 with the reason
GET /metrics     Prometheus text: requests by method, path and status, request and model latency
GET /docs        the OpenAPI description (/openapi.json) of every request and answer, in Swagger UI
                 served from the installed fastapi-offline package: no network needed
POST /v1/predict JSON {"image": "data:image/png;base64,..."} or a multipart upload in field "file";
                 answers {"pred": "text, one line per row", "alphabet": "digits" or "text",
                 "lines": [{"text", "confidence", "unsure", "top", "bottom"}, ...]}; a text model whose
                 run has a character LM (its export carries it) reads by beam search with the LM fused,
                 others greedily: /health's "model" says which ("decoding")

Every error is answered with {"error": "what is wrong"}: 400 a body that is not strict JSON (nested over
MAX_DEPTH, over MAX_VALUES members, numbers over MAX_DIGITS digits or not finite, duplicate keys, not
UTF-8), bad base64, an image its reader cannot decode, an empty image; 408 a body that did not arrive
within the deadline; 413 over MAX_BYTES, MAX_PIXELS or MAX_LINES; 415 a content type other than JSON or
multipart, JSON in another charset than UTF-8, or an image that is not PNG, JPEG, GIF, BMP or WebP; 422
a missing or mistyped field; 500 the model failed; 503 (with Retry-After) too many requests in progress
or the server stopping; 504 the reading passed the deadline. The limits, their flags and the figures
measured under load are in docs/guide/service_operations.md. Each request writes one JSON line to the
logger "nets.recognizer.access".
"""

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import os
import time
from importlib import resources

import h11
import numpy as np
import prometheus_client as prom
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect

from nets import runtime
from nets.recognizer import inputs
from nets.recognizer.inputs import FORMAT_NAMES, MAX_BYTES, MAX_PIXELS, BadInput, PredictJSON
from nets.recognizer.pipeline import BATCH_LINES, LOW_CONFIDENCE, MAX_LINES, Recognizer, TooManyLines, answer
from nets.recognizer.work import Limits, MicroBatcher, Stopped, Ticket, Unavailable, Work

access_log = logging.getLogger("nets.recognizer.access")

# Metric labels take these values only: a client's own method or path never becomes a new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})


class Line(BaseModel):
  text: str = Field(description="What was read on the line.")
  confidence: float = Field(
    description="How sure the model is of the line, in [0, 1]: the mean, over the frames where its greedy "
    "CTC path emits a character, of that character's softmax probability (of the frames, whichever "
    "decoding read the text)."
  )
  unsure: bool = Field(
    description=f"confidence below {LOW_CONFIDENCE}: the line may hold what the model cannot read "
    "(letters, for a model that reads digits) or be badly written; do not trust its text."
  )
  top: int = Field(description="The line's first row in the image.")
  bottom: int = Field(description="The row after the line's last row.")


class PredictAnswer(BaseModel):
  pred: str = Field(description="The text of the page, one line per row.")
  alphabet: str = Field(
    description='What the served model reads: "digits" (0-9) or "text" (nets.data.lines).'
  )
  lines: list[Line]


class ErrorAnswer(BaseModel):
  error: str = Field(description="What is wrong with the request, or why it could not be answered.")


class Model(BaseModel):
  run: str | None = Field(description="The training run's name (its workdir's last path component).")
  step: int | None = Field(description="The training step of the served parameters.")
  source: str = Field(description='"best" or "checkpoints" of a workdir, "export", or "memory".')
  sha256: str | None = Field(None, description="The export artifact's SHA-256 (exports only).")
  alphabet: str = Field("digits", description='What it reads: "digits" (0-9) or "text" (nets.data.lines).')
  decoding: str = Field(
    "greedy",
    description='How a line\'s text is read from the frames: "greedy" (the best class of each frame), or '
    '"beam search of B with a character N-gram (alpha A, beta B)": prefix beam search with the run\'s LM '
    "fused.",
  )


class Health(BaseModel):
  status: str = Field(description='"ok": the server answers.')
  model: Model


class Ready(BaseModel):
  status: str = Field(description='"ready", or "unready" with a reason (status 503).')
  reason: str | None = None
  model: Model


# The multipart upload, described the OpenAPI 3.1 way: binary content is a string with a media type.
UPLOAD_SCHEMA = {
  "type": "object",
  "properties": {
    "file": {
      "type": "string",
      "contentMediaType": "application/octet-stream",
      "description": f"The image file ({FORMAT_NAMES}).",
    }
  },
  "required": ["file"],
}

ERRORS = {
  400: "The body, the base64 or the image cannot be read.",
  408: "The body did not arrive within the request deadline.",
  413: f"Over {MAX_BYTES} bytes, {MAX_PIXELS} pixels or {MAX_LINES} lines.",
  415: f"Not application/json (UTF-8) or multipart/form-data, or an image that is not {FORMAT_NAMES}.",
  422: 'No field "image" (JSON) or "file" (multipart), or not of its type.',
  500: "The model failed on the page (the server log has the traceback).",
  503: "Too many requests in progress, or the server is stopping: retry after Retry-After seconds.",
  504: "Reading the page took longer than the request deadline; its work was stopped.",
}
RETRY_AFTER = {
  "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}}
}


READS = {"digits": "digits (0-9)", "text": "handwritten text"}  # The app's description, by alphabet.


class Metrics:
  """The app's Prometheus series, in a registry of its own (several apps can live in one process)."""

  def __init__(self):
    self.registry = prom.CollectorRegistry()
    self.requests = prom.Counter(
      "nets_http_requests", "Requests answered.", ["method", "path", "status"], registry=self.registry
    )
    self.latency = prom.Histogram(
      "nets_http_request_seconds", "Time to answer a request.", ["method", "path"], registry=self.registry
    )
    self.model = prom.Histogram(
      "nets_model_seconds",
      "Time of one model call and its decoding (one batch of lines).",
      registry=self.registry,
    )
    self.batch = prom.Histogram(
      "nets_model_batch_lines",
      "Lines read by one model call.",
      buckets=[1, 2, 4, 8, 16, 32],
      registry=self.registry,
    )
    self.lines = prom.Counter("nets_lines_read", "Text lines read.", registry=self.registry)
    self.in_progress = prom.Gauge(
      "nets_requests_admitted",
      "Requests to read a page admitted and not yet answered.",
      registry=self.registry,
    )


class Observe:
  """ASGI middleware: one JSON access-log line and the Prometheus series per HTTP request."""

  def __init__(self, app, metrics: Metrics):
    self.app, self.metrics = app, metrics

  async def __call__(self, scope, receive, send):
    if scope["type"] != "http":
      return await self.app(scope, receive, send)
    t0 = time.perf_counter()
    seen = {"status": 500, "in": 0, "out": 0}  # 500 unless a response starts: an exception escaped.

    async def counted_receive():
      message = await receive()
      seen["in"] += len(message.get("body", b""))
      return message

    async def counted_send(message):
      if message["type"] == "http.response.start":
        seen["status"] = message["status"]
      elif message["type"] == "http.response.body":
        seen["out"] += len(message.get("body", b""))
      await send(message)

    try:
      await self.app(scope, counted_receive, counted_send)
    finally:
      seconds = time.perf_counter() - t0
      route = scope.get("route")  # The route template, not the raw path: bounded label values.
      path = getattr(route, "path", None) or "unmatched"
      method = scope["method"] if scope["method"] in METHODS else "other"
      self.metrics.requests.labels(method, path, str(seen["status"])).inc()
      self.metrics.latency.labels(method, path).observe(seconds)
      record = {
        "method": scope["method"][:32],
        "path": scope["path"][:256],
        "status": seen["status"],
        "ms": round(1000 * seconds, 2),
        "bytes_in": seen["in"],
        "bytes_out": seen["out"],
        "lines": scope.get("state", {}).get("lines"),
      }
      access_log.info(json.dumps(record))


class ClientGone(Exception):
  """The client closed the connection before its answer: its work was stopped."""


async def _disconnected(request: Request) -> None:
  while (await request.receive())["type"] != "http.disconnect":
    pass


async def unless_gone(request: Request, coroutine):
  """The coroutine's result; if the client disconnects first, the coroutine is cancelled (its work stops)."""
  work, gone = asyncio.ensure_future(coroutine), asyncio.ensure_future(_disconnected(request))
  try:
    await asyncio.wait({work, gone}, return_when=asyncio.FIRST_COMPLETED)
  finally:
    gone.cancel()
    if not work.done():
      work.cancel()
  if work.done() and not work.cancelled():
    return work.result()  # Or raises its error.
  raise ClientGone()


class Service:
  """The recognizer behind the routes: bounded work, the batcher, and what /ready reports."""

  def __init__(self, recognizer: Recognizer, limits: Limits, batch_ms: float):
    self.recognizer, self.limits = recognizer, limits
    self.metrics = Metrics()
    self.work = Work(limits)
    self.metrics.in_progress.set_function(lambda: self.work.admitted)
    self.batcher = MicroBatcher(self.work, self.transcribe, batch_ms / 1000) if batch_ms > 0 else None
    identity = recognizer.identity or {"run": None, "step": None, "source": "memory"}
    decoding = recognizer.decoder.describe() if recognizer.decoder else "greedy"
    self.model = Model(**identity, alphabet=recognizer.alphabet, decoding=decoding)
    self.model_error: str | None = None
    for n in (1 << k for k in range(BATCH_LINES.bit_length())):  # Compile every batch shape before serving.
      recognizer.transcribe(np.zeros((n, recognizer.height, recognizer.width), np.float32))

  def transcribe(self, strips_NxHxW: np.ndarray, check=lambda: None) -> list[tuple[str, float]]:
    """The lines read BATCH_LINES at a time (a model call, then its decoding: beam search with an LM takes
    about 20 ms a line), `check` called between: a request given up stops after the batch in hand."""
    texts = []
    for start in range(0, len(strips_NxHxW), BATCH_LINES):
      if start:
        check()
      chunk = strips_NxHxW[start : start + BATCH_LINES]
      t0 = time.perf_counter()
      try:
        texts += self.recognizer.transcribe_scored(chunk)
      except Exception as e:
        self.model_error = f"{type(e).__name__}: {e}"
        raise
      self.model_error = None
      self.metrics.model.observe(time.perf_counter() - t0)
      self.metrics.batch.observe(len(chunk))
    return texts

  async def read_page(self, raw_or_body: bytes, is_json: bool, ticket: Ticket) -> tuple[list, list]:
    """CPU work on a worker thread, step by step: JSON -> image bytes -> ink -> lines; then the model."""

    def page(check):
      raw = inputs.image_from_json(raw_or_body) if is_json else raw_or_body
      check()
      ink = inputs.ink_of(raw)
      check()
      try:
        return self.recognizer.lines(ink)
      except TooManyLines as e:
        raise BadInput(413, str(e)) from e

    strips, spans = await self.work.run(page, ticket)
    if not len(strips):
      return [], spans
    try:
      if self.batcher:
        texts = await self.batcher.read(strips, ticket)
      else:
        texts = await self.work.run(lambda check: self.transcribe(strips, check), ticket)
    except (Unavailable, Stopped):
      raise
    except Exception as e:
      logging.getLogger(__name__).exception("the model failed")
      raise ModelFailed(f"the model failed on the page ({type(e).__name__}); the server log has more") from e
    return texts, spans

  async def unready(self) -> str | None:
    """Why the service should get no traffic now, or None. After a failed model call, one line is read
    again (under the deadline) before the service says it is ready."""
    if self.work.closed:
      return "the server is shutting down"
    if self.model_error is None:
      return None
    blank = np.zeros((1, self.recognizer.height, self.recognizer.width), np.float32)
    try:
      async with asyncio.timeout(self.limits.deadline_s):
        await self.work.run(lambda check: self.transcribe(blank))
    except Exception:
      return f"the last model call failed ({self.model_error})"
    return None

  def close(self) -> None:
    if self.batcher:
      self.batcher.stop()
    self.work.close()


class ModelFailed(Exception):
  pass


def _error(status: int, message: str, headers=None) -> JSONResponse:
  return JSONResponse({"error": message}, status_code=status, headers=headers)


def add_error_handlers(app: FastAPI) -> None:
  """Every error, the app's own and the framework's, answers {"error": ...}."""

  @app.exception_handler(BadInput)
  async def bad_input(request: Request, e: BadInput):
    return _error(e.status, e.message)

  @app.exception_handler(Unavailable)
  async def unavailable(request: Request, e: Unavailable):
    return _error(e.status, e.message, {"Retry-After": str(e.retry_after_s)} if e.retry_after_s else None)

  @app.exception_handler(ClientGone)
  @app.exception_handler(ClientDisconnect)  # Gone while its body was arriving.
  async def gone(request: Request, e: Exception):  # Nobody reads it; the access log records 499.
    return _error(499, "the client closed the connection; its work was stopped")

  @app.exception_handler(ModelFailed)
  async def model_failed(request: Request, e: ModelFailed):
    return _error(500, str(e))

  @app.exception_handler(HTTPException)  # 404, 405, ...: the same error body as every other error.
  async def http_error(request: Request, e: HTTPException):
    return _error(e.status_code, str(e.detail), getattr(e, "headers", None))

  @app.exception_handler(RequestValidationError)
  async def invalid(request: Request, e: RequestValidationError):
    return _error(422, "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()))

  @app.exception_handler(Exception)  # A bug still answers JSON; the traceback goes to the log.
  async def crash(request: Request, e: Exception):
    logging.getLogger(__name__).exception("unhandled error")
    return _error(500, "internal server error")


# Swagger UI from the fastapi-offline package (the serve extra): /docs needs no network. No /redoc: ReDoc's
# bundle fetches its logo from its maker's CDN.
DOC_ASSETS = {
  "swagger-ui-bundle.js": "text/javascript",
  "swagger-ui.css": "text/css",
  "favicon.png": "image/png",
}


@functools.cache
def doc_asset(name: str) -> bytes:
  return resources.files("fastapi_offline").joinpath("static", name).read_bytes()


def add_docs(app: FastAPI) -> None:
  assets = "/docs/assets"

  @app.get("/docs", include_in_schema=False)
  def swagger() -> HTMLResponse:
    return get_swagger_ui_html(
      openapi_url=app.openapi_url,
      title=app.title,
      swagger_js_url=f"{assets}/swagger-ui-bundle.js",
      swagger_css_url=f"{assets}/swagger-ui.css",
      swagger_favicon_url=f"{assets}/favicon.png",
    )

  @app.get(assets + "/{name}", include_in_schema=False)
  def asset(name: str) -> Response:
    if name not in DOC_ASSETS:  # A fixed set: no path from the client reaches the filesystem.
      raise HTTPException(404, f"no asset {name!r}")
    headers = {"Cache-Control": "public, max-age=86400"}
    return Response(doc_asset(name), media_type=DOC_ASSETS[name], headers=headers)


def _content_type(request: Request) -> str:
  """application/json or multipart/form-data, else BadInput 415 (before the body is read)."""
  media = request.headers.get("content-type", "").lower()
  content_type, params = media.split(";")[0].strip(), media.partition(";")[2]
  if content_type not in ("application/json", "multipart/form-data"):
    kind = repr(content_type) if content_type else "missing"
    raise BadInput(415, f"content type {kind}: send application/json or multipart/form-data")
  charset = next((p.split("=", 1)[1].strip(' "') for p in params.split(";") if "charset=" in p), "utf-8")
  if content_type == "application/json" and charset.replace("-", "") != "utf8":
    raise BadInput(415, f"charset {charset!r}: send JSON in UTF-8")
  return content_type


PREDICT_DOC = dict(
  summary="Read the text on an image",
  responses={
    status: {"model": ErrorAnswer, "description": text, **({"headers": RETRY_AFTER} if status == 503 else {})}
    for status, text in ERRORS.items()
  },
  openapi_extra={
    "requestBody": {
      "required": True,
      "content": {
        "application/json": {"schema": PredictJSON.model_json_schema()},
        "multipart/form-data": {"schema": UPLOAD_SCHEMA},
      },
    }
  },
)


def add_routes(app: FastAPI, service: Service) -> None:
  page = resources.files("nets.recognizer").joinpath("static/index.html").read_text()

  @app.get("/", response_class=HTMLResponse, include_in_schema=False)
  def index():
    return page

  @app.get("/health")
  def health() -> Health:
    return Health(status="ok", model=service.model)

  @app.get("/ready", responses={503: {"model": Ready, "description": "Not ready: see reason."}})
  async def ready() -> Ready:
    if reason := await service.unready():
      return JSONResponse(Ready(status="unready", reason=reason, model=service.model).model_dump(), 503)
    return Ready(status="ready", model=service.model)

  @app.get("/metrics", include_in_schema=False)
  def prometheus():
    return Response(prom.generate_latest(service.metrics.registry), media_type=prom.CONTENT_TYPE_LATEST)

  @app.post("/v1/predict", **PREDICT_DOC)
  async def predict(request: Request) -> PredictAnswer:
    is_json = _content_type(request) == "application/json"
    async with service.work.admit() as ticket:
      body = await inputs.read_body(request)
      raw = body if is_json else await inputs.image_from_form(request, body)
      texts, spans = await unless_gone(request, service.read_page(raw, is_json, ticket))
    request.state.lines = len(spans)
    service.metrics.lines.inc(len(spans))
    pred, lines = answer(texts, spans)
    return PredictAnswer(pred=pred, alphabet=service.recognizer.alphabet, lines=lines)


def create_app(
  checkpoint: str | None = None,
  recognizer: Recognizer | None = None,
  batch_ms: float = 0.0,
  limits: Limits | None = None,
) -> FastAPI:
  """The app reading with `recognizer`, else one restored from `checkpoint` or $NETS_CHECKPOINT.

  batch_ms > 0 reads the lines of requests arriving within that many milliseconds in one model call.
  The app is ready when this returns: the model is loaded and has read a batch of every size.
  """
  if recognizer is None:
    checkpoint = checkpoint or os.environ.get("NETS_CHECKPOINT")
    if not checkpoint:
      raise SystemExit("error: give --checkpoint=WORKDIR or set NETS_CHECKPOINT to a trained recognizer")
    recognizer = Recognizer.load(checkpoint)  # a training workdir or an export (scripts/export.py)
  service = Service(recognizer, limits or Limits(), batch_ms)

  @contextlib.asynccontextmanager
  async def lifespan(app):
    service.work.start()
    yield
    service.close()  # The server stopped taking requests: the batcher and the worker threads stop too.

  app = FastAPI(
    title="nets text recognizer",
    description=f"Reads the lines of {READS[recognizer.alphabet]} on an image of a page.",
    version="1",
    docs_url=None,
    redoc_url=None,
    lifespan=lifespan,
  )
  app.state.service = service
  app.add_middleware(Observe, metrics=service.metrics)
  add_error_handlers(app)
  add_docs(app)
  add_routes(app, service)
  return app


def header_timeout_protocol(seconds: float):
  """uvicorn's h11 protocol with a deadline on each request's headers (uvicorn has none): a client that
  trickles them, or opens a connection and sends nothing, is disconnected after `seconds`."""
  from uvicorn.protocols.http.h11_impl import H11Protocol  # noqa: PLC0415 - uvicorn only to serve.

  class HeaderDeadline(H11Protocol):
    def connection_made(self, transport):
      super().connection_made(transport)
      self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

    def handle_events(self):
      super().handle_events()
      if self.conn.their_state is not h11.IDLE and self._header_timer is not None:
        self._header_timer.cancel()  # The headers are in.
        self._header_timer = None

    def on_response_complete(self):
      super().on_response_complete()
      if self._header_timer is None and not self.transport.is_closing():  # The next request's headers.
        self._header_timer = self.loop.call_later(seconds, self._headers_too_slow)

    def connection_lost(self, exc):
      if self._header_timer is not None:
        self._header_timer.cancel()
      super().connection_lost(exc)

    def _headers_too_slow(self):
      self._header_timer = None
      if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
        self.transport.close()

  return HeaderDeadline


HEADER_TIMEOUT_S = 5.0  # For a client to send a request's headers; uvicorn itself has no such limit.


def server_config(app, host: str, port: int, limits: Limits, header_timeout_s: float = HEADER_TIMEOUT_S):
  """uvicorn's settings for the service; docs/guide/service_operations.md explains each."""
  import uvicorn  # noqa: PLC0415

  return uvicorn.Config(
    app,
    host=host,
    port=port,
    http=header_timeout_protocol(header_timeout_s),
    # Connections and requests at once, beyond which uvicorn answers 503 itself: well above the app's own
    # admission (limits.admitted, a JSON 503), so it is the last guard, for requests that never reach it.
    limit_concurrency=max(64, 4 * limits.admitted),
    backlog=128,
    timeout_keep_alive=5,  # An idle kept-alive connection is closed after 5 s.
    # On SIGTERM: stop accepting, let admitted requests finish (none lives past its deadline), then stop.
    timeout_graceful_shutdown=int(limits.deadline_s) + 1,
    log_level="warning",
    access_log=False,
  )


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument(
    "--checkpoint",
    default=os.environ.get("NETS_CHECKPOINT"),
    help="a training workdir, or an export of one (scripts/export.py)",
  )
  parser.add_argument("--host", default="127.0.0.1")
  parser.add_argument("--port", type=int, default=8000)
  parser.add_argument("--batch-ms", type=float, default=0.0, help="micro-batching window; 0 = off")
  parser.add_argument("--workers", type=int, default=Limits.workers, help="threads doing CPU work")
  parser.add_argument("--queue", type=int, default=Limits.queue, help="requests admitted beyond --workers")
  parser.add_argument("--deadline-s", type=float, default=Limits.deadline_s, help="of each request")
  parser.add_argument("--header-timeout-s", type=float, default=HEADER_TIMEOUT_S, help="to send the headers")
  parser.add_argument("--access-log", default="-", help="file for the JSON access log; - = stderr, '' = off")
  args = parser.parse_args()
  runtime.configure()  # Before the model's first call starts XLA's threads.
  import uvicorn  # noqa: PLC0415

  if args.access_log:
    handler = logging.StreamHandler() if args.access_log == "-" else logging.FileHandler(args.access_log)
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False  # Once: not again through a root handler a library may have set up.
  limits = Limits(workers=args.workers, queue=args.queue, deadline_s=args.deadline_s)
  app = create_app(args.checkpoint, batch_ms=args.batch_ms, limits=limits)
  uvicorn.Server(server_config(app, args.host, args.port, limits, args.header_timeout_s)).run()


if __name__ == "__main__":
  main()
