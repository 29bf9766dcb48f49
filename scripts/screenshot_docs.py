"""A screenshot of a page of the built documentation site, for README.

  python scripts/build_docs.py
  python scripts/screenshot_docs.py --page=lessons/03_backpropagation.html --out=docs/figures/lesson_page.png

Serves docs/_build/html on a free localhost port, opens the page in headless chromium (Playwright),
scrolls to `--anchor` (an element id) when given, waits for MathJax and saves the viewport as a PNG.
"""

import argparse
import functools
import http.server
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--page", default="lessons/03_backpropagation.html")
  parser.add_argument("--anchor", default="")
  parser.add_argument("--out", default="docs/figures/lesson_page.png")
  parser.add_argument("--width", type=int, default=1280)
  parser.add_argument("--height", type=int, default=860)
  args = parser.parse_args()
  handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(ROOT / "docs/_build/html"))
  server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
  threading.Thread(target=server.serve_forever, daemon=True).start()
  url = f"http://127.0.0.1:{server.server_address[1]}/{args.page}" + (
    f"#{args.anchor}" if args.anchor else ""
  )
  with sync_playwright() as p, tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as profile:
    browser = p.chromium.launch_persistent_context(
      profile, executable_path="/usr/bin/chromium", args=FLAGS,
      viewport={"width": args.width, "height": args.height},
    )  # fmt: skip
    page = browser.new_page()
    page.goto(url, wait_until="networkidle")
    if page.locator(".math").count():  # MathJax typesets the page's formulas after load
      page.wait_for_selector(".MathJax, .MathJax_MathML", timeout=20_000)
    page.wait_for_timeout(500)
    page.screenshot(path=args.out)
    browser.close()
  server.shutdown()
  print(f"wrote {args.out}")


if __name__ == "__main__":
  main()
