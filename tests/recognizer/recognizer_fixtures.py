"""A small untrained recognizer and PNG helpers shared by the service and browser tests."""

import base64
import io

import jax
import jax.numpy as jnp
import numpy as np
from PIL import Image

from nets.models.linecnn import LineCNN
from nets.recognizer.pipeline import Recognizer


def tiny_recognizer() -> Recognizer:
  """Random weights: it reads nonsense, but through exactly the code a trained one runs."""
  model = LineCNN(11, channels=(4, 8), hidden=8)
  height, width = 14, 224
  variables = model.init(jax.random.PRNGKey(0), jnp.zeros((1, height, width, 1)))
  return Recognizer(model, variables, height, width)


def png(image_HxW: np.ndarray) -> bytes:
  buf = io.BytesIO()
  Image.fromarray(image_HxW.astype(np.uint8)).save(buf, format="PNG")
  return buf.getvalue()


def two_rows() -> np.ndarray:
  """Black strokes on white paper in two rows: a page with two lines of writing."""
  page = np.full((200, 400), 255, np.uint8)
  page[20:70, 30:40] = 0
  page[20:70, 60:90] = 0
  page[120:170, 50:60] = 0
  return page


def data_url(raw: bytes) -> str:
  return "data:image/png;base64," + base64.b64encode(raw).decode()
