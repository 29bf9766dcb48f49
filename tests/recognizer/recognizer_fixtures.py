"""A small untrained recognizer and PNG helpers shared by the service and browser tests."""

import base64
import contextlib
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


def untrained_workdir(
  workdir: str, small: bool = True, best_step: int | None = None, text: bool = False
) -> str:
  """A training workdir of experiments/recognizer_cnn (text: of experiments/recognizer_text, its LM of
  300 lines), as the loop leaves it but with untrained parameters: config.json and checkpoints/ at step 3;
  with `best_step`, also best/ at that step with other parameters. small: a few channels (tests); else the
  experiment's own model (same compute as a trained one)."""
  import dataclasses
  import importlib
  import os

  from nets import optim, tasks
  from nets.data import Dataset
  from nets.data.lines import alphabet_of, line_shape, num_classes
  from nets.drivers.recognizer_text import line_config
  from nets.training.checkpoint import Checkpoints
  from nets.training.workdir import write_config

  config = importlib.import_module(f"experiments.recognizer_{'text' if text else 'cnn'}").get_config()
  if text:
    line_config(config)
    config.decoding.lm_lines = 300
  if small:
    config.model.update(channels=(4, 8), hidden=8)
  write_config(workdir, config)
  height, width = line_shape(config)
  classes = num_classes(alphabet_of(config))
  task = tasks.make(config, Dataset(config.data.name, {}, classes), optim.make_optimizer(config.optimizer, 1))
  batch = {"x": jnp.zeros((1, height, width, 1)), "y": jnp.zeros((1, config.lines.max_len), jnp.int32)}
  state = task.init(jax.random.PRNGKey(0), batch)
  ckpts = Checkpoints(os.path.join(workdir, "checkpoints"))
  ckpts.save(3, state, {"epoch": 3})
  ckpts.close()
  if best_step is not None:
    other = task.init(jax.random.PRNGKey(1), batch)
    best = Checkpoints(os.path.join(workdir, "best"), max_to_keep=1)
    best.save(best_step, dataclasses.replace(other, step=jnp.asarray(best_step)), {"epoch": best_step})
    best.close()
  return workdir


@contextlib.contextmanager
def live_server(app, **config):
  """uvicorn serving `app` on a free 127.0.0.1 port in a thread, with the service's own settings
  (serve.server_config, overridden by `config`); yields its base URL."""
  import socket
  import threading
  import time

  import uvicorn

  from nets.recognizer import serve

  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
  limits = app.state.service.limits
  server = uvicorn.Server(serve.server_config(app, "127.0.0.1", port, limits, **config))
  thread = threading.Thread(target=server.run, daemon=True)
  thread.start()
  deadline = time.monotonic() + 20
  while not server.started:
    if time.monotonic() > deadline or not thread.is_alive():
      raise RuntimeError("uvicorn did not start within 20 s")
    time.sleep(0.05)
  try:
    yield f"http://127.0.0.1:{port}"
  finally:
    server.should_exit = True
    thread.join(10)


_SERVE_TINY = """
import sys, uvicorn
from nets.recognizer import serve
from tests.recognizer.recognizer_fixtures import tiny_recognizer
app = serve.create_app(recognizer=tiny_recognizer())
uvicorn.Server(serve.server_config(app, "127.0.0.1", int(sys.argv[1]), app.state.service.limits)).run()
"""


@contextlib.contextmanager
def server_process():
  """The service of tiny_recognizer() in a process of its own on a free 127.0.0.1 port; yields its URL.
  Apart from the test's process, a server stuck holding its GIL cannot stall the test's clocks."""
  import os
  import socket
  import subprocess
  import sys
  import time
  import urllib.request

  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
  root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
  env = {**os.environ, "PYTHONPATH": root + os.pathsep + os.environ.get("PYTHONPATH", "")}
  server = subprocess.Popen([sys.executable, "-c", _SERVE_TINY, str(port)], env=env)
  url = f"http://127.0.0.1:{port}"
  try:
    deadline = time.monotonic() + 180
    while True:
      try:
        urllib.request.urlopen(url + "/health", timeout=2).read()
        break
      except OSError:
        if server.poll() is not None or time.monotonic() > deadline:
          raise RuntimeError("the server process did not start") from None
        time.sleep(0.2)
    yield url
  finally:
    server.kill()
    server.wait(10)


# JSON bodies built to make a scanner slow, each just under the service's 2 MB limit (inputs.MAX_BYTES).
M = 2_000_000 - 16
ADVERSARIAL = {
  "escaped quotes, unclosed": b'{"image": "' + b'\\"' * (M // 2),
  "escaped quotes": b'{"image": "' + b'\\"' * (M // 2 - 8) + b'"}',
  "backslash run": b'{"image": "' + b"\\" * (M - 8) + b'"}',
  "quotes": b'"' * M,
  "brackets inside a string": b'{"image": "' + b"[{" * (M // 2 - 8) + b'"}',
  "nesting 2 MB deep": b"[" * M,
  "nesting, closed": b"[" * (M // 2) + b"]" * (M // 2),
  "many keys": b"{" + b",".join(b'"k%07d":1' % i for i in range(M // 13)) + b"}",
  "a long array": b'{"image": [' + b"1," * (M // 2 - 8) + b"1]}",
  "a long array of strings": b'{"image": [' + b'"",' * (M // 3 - 8) + b'""]}',
  "a long number": b'{"image": 1' + b"0" * (M - 16) + b"}",
  "mixed escapes and brackets": b'["' + b'\\\\\\"[,{' * (M // 8) + b'"]',
}
