"""The page in a real browser: uvicorn on localhost, Debian's chromium driven headless by Playwright."""

import os
import shutil
import socket
import tempfile
import threading
import time

import pytest
import uvicorn

from nets.recognizer import serve
from tests.recognizer.recognizer_fixtures import tiny_recognizer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]


def _free_port() -> int:
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
  port = _free_port()
  config = uvicorn.Config(serve.create_app(recognizer=tiny_recognizer()), host="127.0.0.1", port=port)
  server = uvicorn.Server(config)
  thread = threading.Thread(target=server.run, daemon=True)
  thread.start()
  deadline = time.monotonic() + 20
  while not server.started:
    if time.monotonic() > deadline or not thread.is_alive():
      pytest.fail("uvicorn did not start within 20 s")
    time.sleep(0.05)
  yield f"http://127.0.0.1:{port}"
  server.should_exit = True
  thread.join(10)


def test_drawn_strokes_are_read_and_shown(server):
  if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
    # A new empty profile (Playwright passes it to chromium as --user-data-dir).
    browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
    try:
      page = browser.new_page()
      errors = []  # What a user would see in the console: a failed request (a missing icon) is one.
      page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
      page.goto(server)
      box = page.locator("#canvas").bounding_box()
      for row in (0.25, 0.7):  # Two rows of strokes: a "1" and a "7"-like hook in each.
        for x0 in (0.1, 0.3):
          page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * (row - 0.12))
          page.mouse.down()
          page.mouse.move(
            box["x"] + box["width"] * (x0 + 0.05), box["y"] + box["height"] * (row - 0.12), steps=4
          )
          page.mouse.move(box["x"] + box["width"] * x0, box["y"] + box["height"] * (row + 0.12), steps=8)
          page.mouse.up()
      with page.expect_response("**/v1/predict") as response:
        page.click("#read")
      body = response.value.json()
      assert response.value.status == 200
      assert len(body["lines"]) == 2  # The server saw both rows the mouse drew.
      page.wait_for_function("document.getElementById('result').textContent !== 'reading...'")
      shown = page.inner_text("#result")
      assert shown == (body["pred"] or "(no text found)")
      assert page.inner_text("#error") == ""
      percents = ", ".join(f"{round(100 * ln['confidence'])}%" for ln in body["lines"])
      assert page.inner_text("#confidence") == "confidence: " + percents
      doubtful = [str(i + 1) for i, ln in enumerate(body["lines"]) if ln["unsure"]]
      assert (", ".join(doubtful) in page.inner_text("#unsure")) and bool(doubtful) == bool(
        page.inner_text("#unsure")
      )
      assert "reads digits (0-9) only" in page.inner_text("#reads")  # From /health: what the model reads.
      assert errors == []
    finally:
      browser.close()


def test_docs_render_offline_from_the_installed_assets(server):
  """/docs (Swagger UI) with every request off 127.0.0.1 refused: it renders the API."""
  if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  refused = []

  def offline(route):
    if route.request.url.startswith(server):
      return route.continue_()
    refused.append(route.request.url)
    return route.abort()

  with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
    browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
    try:
      page = browser.new_page()
      page.route("**/*", offline)
      page.goto(server + "/docs")
      page.wait_for_selector(".opblock-summary-path:has-text('/v1/predict')", timeout=30_000)
      assert page.locator(".opblock-summary-path").filter(has_text="/ready").count() == 1
    finally:
      browser.close()
  assert refused == []  # Nothing was fetched from elsewhere (and nothing needed to be).


def test_the_page_says_a_text_model_reads_by_beam_search_with_its_lm():
  if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  import jax
  import jax.numpy as jnp

  from nets.data.lines import TEXT
  from nets.models.linecnn import LineCNN
  from nets.recognizer.beam import Fused
  from nets.recognizer.charlm import CharNgram
  from nets.recognizer.pipeline import Recognizer
  from tests.recognizer.recognizer_fixtures import live_server

  model = LineCNN(len(TEXT) + 1, channels=(4, 8), hidden=8)
  variables = model.init(jax.random.PRNGKey(0), jnp.zeros((1, 32, 384, 1)))
  lm = Fused(CharNgram(["a line", "another line"], TEXT, order=3), alpha=0.5, beta=1.0, beam=4)
  text = Recognizer(model, variables, 32, 384, alphabet="text", decoder=lm)
  with live_server(serve.create_app(recognizer=text)) as url, sync_api.sync_playwright() as p:
    with tempfile.TemporaryDirectory() as profile:
      browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
      try:
        page = browser.new_page()
        page.goto(url)
        page.wait_for_function("document.getElementById('reads').textContent.includes('beam')")
        assert page.inner_text("#reads").endswith(
          "It reads each line by beam search of 4 with a character 3-gram (alpha 0.5, beta 1.0)."
        )
      finally:
        browser.close()
