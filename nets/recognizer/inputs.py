"""What a client sends, made safe to use: the body read under its size limit, strict JSON parsed in time
linear in its size, and an image decoded only by the five readers a handwriting service needs.

Every refusal is a BadInput(status, message): the service answers it as {"error": message}.
"""

import base64
import binascii
import io
import json
import math
import warnings

import numpy as np
from PIL import Image
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.requests import Request

from nets.recognizer.pipeline import to_ink

MAX_BYTES = 2_000_000  # Of the request body.
MAX_PIXELS = 4_000_000  # Width x height of the decoded image.
MAX_DEPTH = 32  # Nesting of the JSON body; the request itself needs 1.
MAX_DIGITS = 100  # Of a JSON number; Python would otherwise parse a 2 MB integer for seconds.
MAX_VALUES = 1_000  # Members and elements of the JSON body (it needs 1): bounds the parser's Python calls.
FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP")  # Pillow's names; no other reader is ever run.
FORMAT_NAMES = "PNG, JPEG, GIF, BMP or WebP"


class BadInput(Exception):
  def __init__(self, status: int, message: str):
    super().__init__(message)
    self.status, self.message = status, message


def _blank_png() -> str:
  buf = io.BytesIO()
  Image.new("L", (28, 28), 255).save(buf, format="PNG")
  return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


class PredictJSON(BaseModel):
  model_config = ConfigDict(strict=True)
  image: str = Field(
    description=f"The image ({FORMAT_NAMES}) as a base64 data URL or as plain base64.",
    examples=[_blank_png()],
  )


# JSON scanning, on the raw bytes: UTF-8 never puts an ASCII byte inside a multi-byte character.
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_NESTING = np.zeros(256, np.int8)
_NESTING[[ord("["), ord("{")]], _NESTING[[ord("]"), ord("}")]] = 1, -1
_SEPARATOR = np.zeros(256, bool)
_SEPARATOR[[ord(","), ord(":")]] = True


def _string_quotes(b: np.ndarray) -> np.ndarray:
  """Positions of the quotes that open or close strings: those not escaped by an odd run of backslashes."""
  quotes = np.flatnonzero(b == _QUOTE)
  after = np.flatnonzero(b[np.maximum(quotes - 1, 0)] == _BACKSLASH)  # Indices into quotes.
  if not after.size:
    return quotes
  edges = np.diff(np.concatenate(([False], b == _BACKSLASH, [False])).view(np.int8))
  starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)  # Backslash runs [start, end).
  run = np.searchsorted(ends, quotes[after])  # The run that ends right at the quote.
  escaped = after[(ends[run] - starts[run]) % 2 == 1]
  keep = np.ones(quotes.size, bool)
  keep[escaped] = False
  return quotes[keep]


def json_shape(body: bytes) -> tuple[int, int]:
  """(deepest nesting of [ and {, count of , and :) outside strings, in a few vectorized linear passes.

  For any body, valid or not, this bounds what json.loads does before its first error: up to that
  point the body is a valid JSON prefix, where strings are delimited exactly as counted here.
  """
  b = np.frombuffer(body, np.uint8)
  quotes = _string_quotes(b)
  step = _NESTING[b]
  marks = np.flatnonzero(step)
  outside = np.searchsorted(quotes, marks) % 2 == 0  # An even number of string quotes before it.
  depth = int(np.cumsum(step[marks[outside]], dtype=np.int64).max(initial=0))
  separators = np.flatnonzero(_SEPARATOR[b])
  values = int(np.count_nonzero(np.searchsorted(quotes, separators) % 2 == 0))
  return depth, values


def _object(pairs: list) -> dict:
  seen = set()
  for key, _ in pairs:
    if key in seen:
      raise BadInput(400, f"the body is not strict JSON: key {key!r} appears twice")
    seen.add(key)
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


def parse_json(body: bytes):
  """RFC 8259 JSON, strictly: UTF-8, no duplicate keys, finite numbers of sane length, bounded depth and
  size. Linear in len(body): the shape is checked first, so the parser's hooks run at most MAX_VALUES
  times and it never recurses past MAX_DEPTH."""
  depth, values = json_shape(body)
  if depth > MAX_DEPTH:
    raise BadInput(400, f"the body is nested deeper than {MAX_DEPTH} levels")
  if values > MAX_VALUES:
    raise BadInput(400, f"the body has over {MAX_VALUES} members and elements ({values} , and :)")
  try:
    text = body.decode("utf-8")
  except UnicodeDecodeError as e:
    raise BadInput(400, f"the body is not UTF-8 ({e.reason} at byte {e.start}); JSON must be UTF-8") from e
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
  """The image bytes of a JSON body; CPU work linear in its size (run it off the event loop)."""
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
  """The body, refused (413) as soon as it passes MAX_BYTES, whatever its Content-Length said."""
  length = request.headers.get("content-length")
  if length and length.isdigit() and int(length) > MAX_BYTES:
    raise BadInput(413, f"the body is {length} bytes; the limit is {MAX_BYTES} bytes")
  body = bytearray()  # Grows in place: many small chunks cost linear time, not quadratic.
  async for chunk in request.stream():
    body += chunk
    if len(body) > MAX_BYTES:
      raise BadInput(413, f"the body is over the limit of {MAX_BYTES} bytes")
  return bytes(body)


def _claimed_by_a_reader(raw: bytes) -> bool:
  """Whether one of FORMATS' readers recognizes the bytes' signature (nothing is decoded)."""
  Image.init()
  return any(accept is None or accept(raw[:16]) for _, accept in (Image.OPEN[f] for f in FORMATS))


def decode_image(raw: bytes) -> Image.Image:
  """Image bytes -> a loaded PIL image, or BadInput: 415 not one of FORMATS, 413 over MAX_PIXELS, 400
  whatever else goes wrong in a reader (truncated or crafted data raise many kinds)."""
  if not raw:
    raise BadInput(400, "the image is empty (0 bytes)")
  if not _claimed_by_a_reader(raw):
    raise BadInput(415, f"the bytes are not an image in a format read here: send {FORMAT_NAMES}")
  try:
    with warnings.catch_warnings():
      warnings.simplefilter("error", Image.DecompressionBombWarning)
      image = Image.open(io.BytesIO(raw), formats=FORMATS)
      width, height = image.size  # Read from the header, before any pixel is decoded.
      if width * height > MAX_PIXELS:
        raise BadInput(413, f"the image is {width}x{height} pixels; the limit is {MAX_PIXELS} pixels")
      if width == 0 or height == 0:
        raise BadInput(400, f"the image is empty ({width}x{height} pixels)")
      image.load()
  except BadInput:
    raise
  except Exception as e:  # OSError, SyntaxError, ValueError, EOFError, struct.error, bombs, ...
    raise BadInput(400, f"the image is damaged and cannot be decoded ({type(e).__name__}: {e})") from e
  return image


def ink_of(raw: bytes) -> np.ndarray:
  """Image bytes -> bright-ink grayscale [H, W] (pipeline.to_ink), or BadInput saying why not."""
  image = decode_image(raw)
  try:
    return to_ink(image)
  except Exception as e:  # A mode or palette the reader accepted but conversion cannot handle.
    raise BadInput(400, f"the image cannot be converted to grayscale ({type(e).__name__}: {e})") from e
