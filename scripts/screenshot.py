"""A screenshot of the web page reading an uploaded page of handwritten test digits.

  python scripts/screenshot.py --checkpoint=runs/recognizer_cnn --out=docs/figures/recognizer_page.png

Serves the app on a free localhost port, opens it in headless chromium (Playwright), uploads a
synthetic two-line paragraph of test-split digits, presses Read and saves the page as a PNG.
"""

import argparse
import io
import socket
import tempfile
import threading
import time

import numpy as np
import uvicorn
from PIL import Image
from playwright.sync_api import sync_playwright

from nets import data
from nets.data import lines
from nets.recognizer import serve

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True)
  parser.add_argument("--out", default="docs/figures/recognizer_page.png")
  parser.add_argument("--seed", type=int, default=3)
  args = parser.parse_args()
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
  server = uvicorn.Server(uvicorn.Config(serve.create_app(args.checkpoint), host="127.0.0.1", port=port))
  threading.Thread(target=server.run, daemon=True).start()
  while not server.started:
    time.sleep(0.1)
  test = data.load("mnist_5k").splits["test"]
  by_class = lines.by_class(test["x"][..., 0], test["y"])
  rng = np.random.default_rng(args.seed)
  image, texts, _ = lines.make_paragraph(by_class, rng, num_lines=(2, 2), max_len=10, max_offset=0)
  buf = io.BytesIO()
  Image.fromarray((255 * (1 - image)).astype(np.uint8)).save(buf, format="PNG")
  with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
    browser = p.chromium.launch_persistent_context(
      profile, executable_path="/usr/bin/chromium", args=FLAGS, viewport={"width": 800, "height": 720}
    )
    page = browser.new_page()
    page.goto(f"http://127.0.0.1:{port}")
    page.set_input_files(
      "#file", files=[{"name": "page.png", "mimeType": "image/png", "buffer": buf.getvalue()}]
    )
    page.wait_for_timeout(500)
    page.click("#read")
    page.wait_for_function("!['', 'reading...'].includes(document.getElementById('result').textContent)")
    page.screenshot(path=args.out, full_page=True)
    print("truth:", texts, "shown:", page.inner_text("#result").split("\n"))
    browser.close()
  server.should_exit = True


if __name__ == "__main__":
  main()
