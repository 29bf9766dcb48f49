"""The recognizer over HTTP: a FastAPI app, served by uvicorn.

  python -m nets.recognizer.serve --checkpoint=runs/recognizer_cnn --port=8000     # or NETS_CHECKPOINT=...
  python -m nets.recognizer.serve --checkpoint=runs/recognizer_cnn --batch-ms=2    # micro-batching

GET /            a page to draw digits on (or upload an image) and read the transcription
GET /health      {"status": "ok", "checkpoint": ...}
GET /metrics     Prometheus text: requests by method, path and status, request and model latency
GET /docs        the OpenAPI description (/openapi.json) of every request and answer below
POST /v1/predict JSON {"image": "data:image/png;base64,..."} or a multipart upload in field "file";
                 answers {"pred": "text, one line per row", "lines": [{"text", "top", "bottom"}, ...]}

Every error is answered with {"error": "what is wrong"}: 400 a body that is not strict JSON (nested over
MAX_DEPTH, numbers over MAX_DIGITS digits or not finite, duplicate keys, not UTF-8), bad base64, bytes
that are not an image, an empty image; 413 over MAX_BYTES, MAX_PIXELS or MAX_LINES; 415 a content type
other than JSON or multipart, or JSON in another charset than UTF-8; 422 a missing or mistyped field.
Each request writes one JSON line to the logger "nets.recognizer.access".
"""

import argparse
import asyncio
import base64
import binascii
import io
import json
import logging
import math
import os
import re
import time
import warnings
from importlib import resources

import numpy as np
import prometheus_client as prom
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from PIL import Image, UnidentifiedImageError
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from nets.recognizer.pipeline import BATCH_LINES, MAX_LINES, Recognizer, TooManyLines, answer, to_ink

MAX_BYTES = 2_000_000  # Of the request body.
MAX_PIXELS = 4_000_000  # Width x height of the decoded image.
MAX_DEPTH = 32  # Nesting of the JSON body; the request itself needs 1.
MAX_DIGITS = 100  # Of a JSON number; Python would otherwise parse a 2 MB integer for seconds.

access_log = logging.getLogger("nets.recognizer.access")


def _blank_png() -> str:
  buf = io.BytesIO()
  Image.new("L", (28, 28), 255).save(buf, format="PNG")
  return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class PredictJSON(BaseModel):
  model_config = ConfigDict(strict=True)
  image: str = Field(
    description="The image (PNG, JPEG, GIF, BMP, WebP, ...) as a base64 data URL or as plain base64.",
    examples=[_blank_png()],
  )


class PredictUpload(BaseModel):
  file: bytes = Field(description="The image file (PNG, JPEG, ...).")


class Line(BaseModel):
  text: str = Field(description="What was read on the line.")
  top: int = Field(description="The line's first row in the image.")
  bottom: int = Field(description="The row after the line's last row.")


class PredictAnswer(BaseModel):
  pred: str = Field(description="The text of the page, one line per row.")
  lines: list[Line]


class ErrorAnswer(BaseModel):
  error: str = Field(description="What is wrong with the request.")


class Health(BaseModel):
  status: str
  checkpoint: str | None


class BadInput(Exception):
  def __init__(self, status: int, message: str):
    super().__init__(message)
    self.status, self.message = status, message


def decode_image(raw: bytes) -> np.ndarray:
  """Image bytes -> bright-ink grayscale [H, W], or BadInput saying why not."""
  if not raw:
    raise BadInput(400, "the image is empty (0 bytes)")
  try:
    with warnings.catch_warnings():
      warnings.simplefilter("error", Image.DecompressionBombWarning)
      image = Image.open(io.BytesIO(raw))
      width, height = image.size  # Read from the header, before any pixel is decoded.
      if width * height > MAX_PIXELS:
        raise BadInput(413, f"the image is {width}x{height} pixels; the limit is {MAX_PIXELS} pixels")
      if width == 0 or height == 0:
        raise BadInput(400, f"the image is empty ({width}x{height} pixels)")
      image.load()
  except BadInput:
    raise
  except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
    raise BadInput(400, f"the bytes are not an image PIL can read ({type(e).__name__})") from e
  except (OSError, SyntaxError, ValueError) as e:  # Truncated or corrupt image data.
    raise BadInput(400, f"the image is damaged and cannot be decoded ({e})") from e
  return to_ink(image)


def _object(pairs: list) -> dict:
  keys = [k for k, _ in pairs]
  if len(set(keys)) < len(keys):
    dup = next(k for k in keys if keys.count(k) > 1)
    raise BadInput(400, f"the body is not strict JSON: key {dup!r} appears twice")
  return dict(pairs)


def _number(text: str):
  if len(text) > MAX_DIGITS:
    message = f"a number of {len(text)} characters (limit {MAX_DIGITS})"
    raise BadInput(400, f"the body is not strict JSON: {message}")
  if not any(c in text for c in ".eE"):
    return int(text)
  if not math.isfinite(value := float(text)):
    raise BadInput(400, f"the body is not strict JSON: {text} is not a finite number")
  return value


def _constant(name: str):
  raise BadInput(400, f"the body is not strict JSON: {name} is not a JSON value")


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # Unrolled: a tight loop over a 2 MB string.


def _depth(text: str) -> int:
  """The deepest nesting of [ and { outside strings, counted without recursing (json.loads would)."""
  codes = np.frombuffer(_STRING.sub("", text).encode(), np.uint8)
  step = np.isin(codes, (ord("["), ord("{"))).astype(np.int32) - np.isin(codes, (ord("]"), ord("}")))
  return int(np.cumsum(step).max(initial=0))


def parse_json(body: bytes):
  """RFC 8259 JSON, strictly: UTF-8, no duplicate keys, finite numbers of sane length, bounded depth."""
  try:
    text = body.decode("utf-8")
  except UnicodeDecodeError as e:
    raise BadInput(400, f"the body is not UTF-8 ({e.reason} at byte {e.start}); JSON must be UTF-8") from e
  if _depth(text) > MAX_DEPTH:
    raise BadInput(400, f"the body is nested deeper than {MAX_DEPTH} levels")
  try:
    return json.loads(
      text, object_pairs_hook=_object, parse_int=_number, parse_float=_number, parse_constant=_constant
    )
  except json.JSONDecodeError as e:
    raise BadInput(400, f"the body is not valid JSON ({e})") from e


def _field_error(e: ValidationError) -> BadInput:
  first = e.errors()[0]
  where = ".".join(str(p) for p in first["loc"])
  if first["type"] == "missing":
    return BadInput(422, f'missing field "{where}": send {{"image": "data:image/png;base64,..."}}')
  if not where:
    return BadInput(422, 'the body must be a JSON object {"image": "data:image/png;base64,..."}')
  return BadInput(422, f'field "{where}" must be a string: {first["msg"]}')


def image_from_json(body: bytes) -> bytes:
  try:
    value = PredictJSON.model_validate(parse_json(body)).image
  except ValidationError as e:
    raise _field_error(e) from e
  if value.startswith("data:"):
    header, _, value = value.partition(",")
    if not header.endswith(";base64"):
      raise BadInput(400, 'field "image" must be a base64 data URL ("data:image/png;base64,...")')
  try:
    return base64.b64decode(value, validate=True)
  except (binascii.Error, ValueError) as e:
    raise BadInput(400, f'field "image" is not valid base64 ({e})') from e


async def image_from_form(request: Request, body: bytes) -> bytes:
  async def replay():  # The body was read already, under the size limit; parse it from memory.
    return {"type": "http.request", "body": body, "more_body": False}

  try:
    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
  except Exception as e:  # Starlette raises several kinds for a malformed multipart body.
    raise BadInput(400, f"the multipart body cannot be parsed ({type(e).__name__}: {e})") from e
  upload = form.get("file")
  if upload is None or isinstance(upload, str):
    raise BadInput(422, 'missing file field "file" in the multipart upload')
  return await upload.read()


async def read_body(request: Request) -> bytes:
  length = request.headers.get("content-length")
  if length and length.isdigit() and int(length) > MAX_BYTES:
    raise BadInput(413, f"the body is {length} bytes; the limit is {MAX_BYTES} bytes")
  body = b""
  async for chunk in request.stream():  # Stop reading at the limit, whatever the header said.
    body += chunk
    if len(body) > MAX_BYTES:
      raise BadInput(413, f"the body is over the limit of {MAX_BYTES} bytes")
  return body


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
      "nets_model_seconds", "Time of one model call (one batch of lines).", registry=self.registry
    )
    self.batch = prom.Histogram(
      "nets_model_batch_lines",
      "Lines read by one model call.",
      buckets=[1, 2, 4, 8, 16, 32],
      registry=self.registry,
    )
    self.lines = prom.Counter("nets_lines_read", "Text lines read.", registry=self.registry)


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
      method, status = scope["method"], seen["status"]
      self.metrics.requests.labels(method, path, str(status)).inc()
      self.metrics.latency.labels(method, path).observe(seconds)
      record = {
        "method": method,
        "path": scope["path"],
        "status": status,
        "ms": round(1000 * seconds, 2),
        "bytes_in": seen["in"],
        "bytes_out": seen["out"],
        "lines": scope.get("state", {}).get("lines"),
      }
      access_log.info(json.dumps(record))


class MicroBatcher:
  """Reads the lines of requests that arrive together in one model call.

  The first waiting request opens a window of `window_s`; lines of requests arriving in it join the
  batch, up to BATCH_LINES lines, and one model call reads them all. One call runs at a time: the model
  sees big batches in turn rather than many small ones fighting for the same cores.
  """

  def __init__(self, transcribe, window_s: float):
    self.transcribe, self.window_s = transcribe, window_s
    self.loop = self.queue = self.worker = None

  async def read(self, strips_NxHxW: np.ndarray) -> list[str]:
    loop = asyncio.get_running_loop()
    if loop is not self.loop:  # First use, or a new event loop (a test client's): a worker in it.
      self.loop, self.queue = loop, asyncio.Queue()
      self.worker = loop.create_task(self._work())  # Held: a task nothing references may be collected.
    done = loop.create_future()
    await self.queue.put((strips_NxHxW, done))
    return await done

  async def _work(self):
    while True:
      waiting = [await self.queue.get()]
      deadline = time.monotonic() + self.window_s
      while sum(len(s) for s, _ in waiting) < BATCH_LINES:
        try:
          waiting.append(await asyncio.wait_for(self.queue.get(), max(0.0, deadline - time.monotonic())))
        except TimeoutError:
          break
      try:
        texts = await run_in_threadpool(self.transcribe, np.concatenate([s for s, _ in waiting]))
      except Exception as e:  # Every waiting request hears of it; the worker goes on.
        for _, done in waiting:
          if not done.done():
            done.set_exception(e)
        continue
      start = 0
      for strips, done in waiting:
        if not done.done():  # Its client may have gone (the request cancelled).
          done.set_result(texts[start : start + len(strips)])
        start += len(strips)


ERRORS = {
  400: "The body, the base64 or the image cannot be read.",
  413: f"Over {MAX_BYTES} bytes, {MAX_PIXELS} pixels or {MAX_LINES} lines.",
  415: "Not application/json (UTF-8) or multipart/form-data.",
  422: 'No field "image" (JSON) or "file" (multipart), or not of its type.',
}


def create_app(
  checkpoint: str | None = None, recognizer: Recognizer | None = None, batch_ms: float = 0.0
) -> FastAPI:
  """The app reading with `recognizer`, else one restored from `checkpoint` or $NETS_CHECKPOINT.

  batch_ms > 0 reads the lines of requests arriving within that many milliseconds in one model call.
  """
  if recognizer is None:
    checkpoint = checkpoint or os.environ.get("NETS_CHECKPOINT")
    if not checkpoint:
      raise SystemExit("error: give --checkpoint=WORKDIR or set NETS_CHECKPOINT to a trained recognizer")
    recognizer = Recognizer.load(checkpoint)  # a training workdir or an export (scripts/export.py)
  for n in (1 << k for k in range(BATCH_LINES.bit_length())):  # Compile every batch shape before serving.
    recognizer.transcribe(np.zeros((n, recognizer.height, recognizer.width), np.float32))
  page = resources.files("nets.recognizer").joinpath("static/index.html").read_text()
  metrics = Metrics()

  def transcribe(strips_NxHxW: np.ndarray) -> list[str]:
    t0 = time.perf_counter()
    texts = recognizer.transcribe(strips_NxHxW)
    metrics.model.observe(time.perf_counter() - t0)
    metrics.batch.observe(len(strips_NxHxW))
    return texts

  batcher = MicroBatcher(transcribe, batch_ms / 1000) if batch_ms > 0 else None
  app = FastAPI(
    title="nets text recognizer",
    description="Reads the lines of digits on an image of a page.",
    version="1",
  )
  app.add_middleware(Observe, metrics=metrics)

  def error(status: int, message: str, headers=None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)

  @app.exception_handler(BadInput)
  async def bad_input(request: Request, e: BadInput):
    return error(e.status, e.message)

  @app.exception_handler(HTTPException)  # 404, 405, ...: the same error body as every other error.
  async def http_error(request: Request, e: HTTPException):
    return error(e.status_code, str(e.detail), getattr(e, "headers", None))

  @app.exception_handler(RequestValidationError)
  async def invalid(request: Request, e: RequestValidationError):
    return error(422, "; ".join(f"{'.'.join(map(str, x['loc']))}: {x['msg']}" for x in e.errors()))

  @app.exception_handler(Exception)  # A bug still answers JSON; the traceback goes to the log.
  async def crash(request: Request, e: Exception):
    logging.getLogger(__name__).exception("unhandled error")
    return error(500, "internal server error")

  @app.get("/", response_class=HTMLResponse, include_in_schema=False)
  def index():
    return page

  @app.get("/health")
  def health() -> Health:
    return Health(status="ok", checkpoint=checkpoint)

  @app.get("/metrics", include_in_schema=False)
  def prometheus():
    return Response(prom.generate_latest(metrics.registry), media_type=prom.CONTENT_TYPE_LATEST)

  @app.post(
    "/v1/predict",
    summary="Read the text on an image",
    responses={status: {"model": ErrorAnswer, "description": text} for status, text in ERRORS.items()},
    openapi_extra={
      "requestBody": {
        "required": True,
        "content": {
          "application/json": {"schema": PredictJSON.model_json_schema()},
          "multipart/form-data": {"schema": PredictUpload.model_json_schema()},
        },
      }
    },
  )
  async def predict(request: Request) -> PredictAnswer:
    media = request.headers.get("content-type", "").lower()
    content_type, params = media.split(";")[0].strip(), media.partition(";")[2]
    if content_type not in ("application/json", "multipart/form-data"):
      kind = repr(content_type) if content_type else "missing"
      raise BadInput(415, f"content type {kind}: send application/json or multipart/form-data")
    charset = next((p.split("=", 1)[1].strip(' "') for p in params.split(";") if "charset=" in p), "utf-8")
    if content_type == "application/json" and charset.replace("-", "") != "utf8":
      raise BadInput(415, f"charset {charset!r}: send JSON in UTF-8")
    body = await read_body(request)
    if content_type == "application/json":
      raw = image_from_json(body)
    else:
      raw = await image_from_form(request, body)
    try:  # Decoding and line finding take milliseconds of CPU: off the event loop.
      strips, spans = await run_in_threadpool(lambda: recognizer.lines(decode_image(raw)))
    except TooManyLines as e:
      raise BadInput(413, str(e)) from e
    if batcher and len(strips):
      texts = await batcher.read(strips)
    else:
      texts = await run_in_threadpool(transcribe, strips)
    request.state.lines = len(spans)
    metrics.lines.inc(len(spans))
    pred, lines = answer(texts, spans)
    return PredictAnswer(pred=pred, lines=lines)

  return app


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
  parser.add_argument("--access-log", default="-", help="file for the JSON access log; - = stderr, '' = off")
  args = parser.parse_args()
  import uvicorn  # noqa: PLC0415

  if args.access_log:
    handler = logging.StreamHandler() if args.access_log == "-" else logging.FileHandler(args.access_log)
    access_log.addHandler(handler)
    access_log.setLevel(logging.INFO)
    access_log.propagate = False  # Once: not again through a root handler a library may have set up.
  app = create_app(args.checkpoint, batch_ms=args.batch_ms)
  uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
  main()
