"""The recognizer over HTTP: a FastAPI app, served by uvicorn.

  python -m nets.recognizer.serve --checkpoint=runs/recognizer_cnn --port=8000     # or NETS_CHECKPOINT=...

GET /            a page to draw digits on (or upload an image) and read the transcription
GET /health      {"status": "ok", "checkpoint": ...}
POST /v1/predict JSON {"image": "data:image/png;base64,..."} or a multipart upload in field "file";
                 answers {"pred": "text, one line per row", "lines": [{"text", "top", "bottom"}, ...]}

Bad input is answered 4xx with {"error": "what is wrong"}: 400 malformed JSON, bad base64, bytes that
are not an image, an empty image; 413 over MAX_BYTES or MAX_PIXELS; 415 a content type other than JSON
or multipart; 422 a missing field.
"""

import argparse
import base64
import binascii
import io
import json
import os
import warnings
from importlib import resources

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from PIL import Image, UnidentifiedImageError
from starlette.concurrency import run_in_threadpool

from nets.recognizer.pipeline import Recognizer, to_ink

MAX_BYTES = 2_000_000  # Of the request body.
MAX_PIXELS = 4_000_000  # Width x height of the decoded image.


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


def image_from_json(body: bytes) -> bytes:
  try:
    payload = json.loads(body)
  except (json.JSONDecodeError, UnicodeDecodeError) as e:
    raise BadInput(400, f"the body is not valid JSON ({e})") from e
  if not isinstance(payload, dict) or "image" not in payload:
    raise BadInput(422, 'missing field "image": send {"image": "data:image/png;base64,..."}')
  value = payload["image"]
  if not isinstance(value, str):
    raise BadInput(422, f'field "image" must be a string, got {type(value).__name__}')
  if value.startswith("data:"):
    header, _, value = value.partition(",")
    if not header.endswith(";base64"):
      raise BadInput(400, 'field "image" must be a base64 data URL ("data:image/png;base64,...")')
  try:
    return base64.b64decode(value, validate=True)
  except (binascii.Error, ValueError) as e:
    raise BadInput(400, f'field "image" is not valid base64 ({e})') from e


async def image_from_form(request: Request) -> bytes:
  try:
    form = await request.form(max_files=1, max_fields=10)
  except Exception as e:  # Starlette raises several kinds for a malformed multipart body.
    raise BadInput(400, f"the multipart body cannot be parsed ({type(e).__name__}: {e})") from e
  upload = form.get("file")
  if upload is None or isinstance(upload, str):
    raise BadInput(422, 'missing file field "file" in the multipart upload')
  return await upload.read()


def create_app(checkpoint: str | None = None, recognizer: Recognizer | None = None) -> FastAPI:
  """The app reading with `recognizer`, else one restored from `checkpoint` or $NETS_CHECKPOINT."""
  if recognizer is None:
    checkpoint = checkpoint or os.environ.get("NETS_CHECKPOINT")
    if not checkpoint:
      raise SystemExit("error: give --checkpoint=WORKDIR or set NETS_CHECKPOINT to a trained recognizer")
    recognizer = Recognizer.from_workdir(checkpoint)
  recognizer.read(np.zeros((28, 28), np.float32))  # Compile before the first request.
  page = resources.files("nets.recognizer").joinpath("static/index.html").read_text()
  app = FastAPI(title="nets text recognizer")

  @app.exception_handler(BadInput)
  async def bad_input(request: Request, e: BadInput):
    return JSONResponse({"error": e.message}, status_code=e.status)

  @app.get("/", response_class=HTMLResponse)
  def index():
    return page

  @app.get("/health")
  def health():
    return {"status": "ok", "checkpoint": checkpoint}

  @app.post("/v1/predict")
  async def predict(request: Request):
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
      raise BadInput(413, f"the body is {length} bytes; the limit is {MAX_BYTES} bytes")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
      body = b""
      async for chunk in request.stream():  # Stop reading at the limit, whatever the header said.
        body += chunk
        if len(body) > MAX_BYTES:
          raise BadInput(413, f"the body is over the limit of {MAX_BYTES} bytes")
      raw = image_from_json(body)
    elif content_type == "multipart/form-data":
      raw = await image_from_form(request)
    else:
      kind = repr(content_type) if content_type else "missing"
      raise BadInput(415, f"content type {kind}: send application/json or multipart/form-data")
    if len(raw) > MAX_BYTES:
      raise BadInput(413, f"the image is {len(raw)} bytes; the limit is {MAX_BYTES} bytes")
    pred, lines = await run_in_threadpool(lambda: recognizer.read(decode_image(raw)))  # Off the event loop.
    return {"pred": pred, "lines": lines}

  return app


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", default=os.environ.get("NETS_CHECKPOINT"), help="training workdir")
  parser.add_argument("--host", default="127.0.0.1")
  parser.add_argument("--port", type=int, default=8000)
  args = parser.parse_args()
  import uvicorn  # noqa: PLC0415

  uvicorn.run(create_app(args.checkpoint), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
  main()
