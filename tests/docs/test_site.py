"""The built documentation site in a real browser: served on localhost, opened in Debian's chromium.

The site is built by `python scripts/build_docs.py` (.ci/run does it after the test suite, then runs this
file again with NETS_REQUIRE_SITE=1); without docs/_build/html this test skips, saying so, unless
NETS_REQUIRE_SITE=1 makes a missing site a failure.
"""

import functools
import http.server
import json
import os
import re
import tempfile
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.recognizer.test_browser import CHROMIUM, FLAGS

SITE = Path(__file__).resolve().parents[2] / "docs" / "_build" / "html"
LESSONS = sorted(p.stem for p in (SITE.parents[2] / "docs" / "lessons").glob("[0-9]*.md"))
# The index, every lesson and the catalogue: a lesson left out is a lesson whose figures nobody looks at.
PAGES = ["index.html", *[f"lessons/{name}.html" for name in LESSONS], "results/catalogue.html"]


@pytest.fixture(scope="module")
def site():
  if not (SITE / "index.html").exists():
    message = f"no built site at {SITE}: run python scripts/build_docs.py"
    if os.environ.get("NETS_REQUIRE_SITE") == "1":
      pytest.fail(message)
    pytest.skip(message)
  handler = functools.partial(QuietHandler, directory=str(SITE))
  server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
  thread = threading.Thread(target=server.serve_forever, daemon=True)
  thread.start()
  yield f"http://127.0.0.1:{server.server_address[1]}/"
  server.shutdown()
  thread.join(10)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
  def log_message(self, *args):  # The test reports what failed; the access log is noise.
    pass


def broken_links(base: str, hrefs: list[str]) -> list[str]:
  """Internal links (same host) whose page does not load, or whose #fragment is no id on that page."""
  broken, pages = [], {}
  for href in sorted(set(hrefs)):
    url, _, fragment = href.partition("#")
    if not url.startswith(base):
      continue  # another site: not ours to check, and the test machine is offline
    if url not in pages:
      try:
        with urllib.request.urlopen(url, timeout=10) as answer:
          pages[url] = answer.read().decode("utf-8", "replace")
      except (urllib.error.URLError, OSError) as e:
        pages[url] = None
        broken.append(f"{href} ({e})")
        continue
    html = pages[url]
    if html is not None and fragment and url.endswith(".html"):
      target = re.escape(urllib.parse.unquote(fragment))
      if not re.search(rf"""\b(id|name)=["']{target}["']""", html):
        broken.append(f"{href} (no element with id {fragment!r})")
  return broken


def test_pages_load_without_errors_with_every_image_and_link(site):
  if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  problems = []
  with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
    browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
    try:
      for name in PAGES:
        page = browser.new_page()
        errors = []
        page.on("console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
        page.on("requestfailed", lambda r, errors=errors: errors.append(f"request failed: {r.url}"))
        page.on(
          "response",
          lambda r, errors=errors: errors.append(f"{r.status}: {r.url}") if r.status >= 400 else None,
        )
        page.goto(site + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        images = page.evaluate(
          "Array.from(document.images).map(i => [i.src, i.complete && i.naturalWidth > 0])"
        )
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        problems += [f"{name}: console: {e}" for e in errors]
        problems += [f"{name}: image did not load: {src}" for src, ok in images if not ok]
        problems += [f"{name}: broken link: {b}" for b in broken_links(site, hrefs)]
        if name.startswith("lessons/") and not any("/_images/" in src for src, _ in images):
          problems.append(f"{name}: no figure; a lesson makes its figures as it runs")
        if page.locator(".math").count():  # A page's formulas are typeset by the MathJax the site serves.
          try:
            page.wait_for_selector(".MathJax, .MathJax_MathML", timeout=20_000)
          except sync_api.TimeoutError:
            problems.append(f"{name}: no formula typeset by MathJax within 20 s")
        page.close()
    finally:
      browser.close()
  assert not problems, "\n".join(problems)


def cells_without_their_figure(notebook: dict) -> list[int]:
  """Indices of the code cells that call plt.show() but have no image among their outputs."""
  missing = []
  for i, cell in enumerate(notebook["cells"]):
    source = "".join(cell.get("source", ""))
    if cell["cell_type"] == "code" and "plt.show()" in source:
      if not any("image/png" in out.get("data", {}) for out in cell.get("outputs", [])):
        missing.append(i)
  return missing


def test_every_lesson_figure_is_drawn(site):
  """Each lesson cell that shows a figure has one in the executed notebook: a backend switched under the
  kernel (a library forcing Agg) makes plt.show() draw nothing, and the build still passes."""
  executed = SITE.parent / "jupyter_execute" / "lessons"
  notebooks = sorted(executed.glob("[0-9]*.ipynb"))
  assert [n.stem for n in notebooks] == LESSONS, "a lesson was not executed"
  problems = [
    f"{n.name}: cell {i} shows no figure"
    for n in notebooks
    for i in cells_without_their_figure(json.loads(n.read_text()))
  ]
  assert not problems, "\n".join(problems)
