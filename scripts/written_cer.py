"""CER of digits written on the recognizer's page with the mouse, at several glyph spacings.

  python scripts/written_cer.py --checkpoint=runs/recognizer_cnn --pitch=55,80 --strings=40
  python scripts/written_cer.py --checkpoint=runs/recognizer_cnn --browser   # through headless chromium
  python scripts/written_cer.py --checkpoint=runs/recognizer_text/export --text --browser

--text: a text model's test instead, strings of up to 16 characters of handwriting_lines' held-out text,
each written in the strokes of one of the 12 held-out fonts (strokes.written_text: the line drawn in the
font, thinned and traced), a font size of --em canvas pixels (72: capitals about 50 px tall).

Strings of 6 digits from the strokes of mnist_5k's test digits (nets/recognizer/strokes.py: skeletons traced
into polylines), glyphs 80 px tall and 35 px wide on average, a glyph every `pitch` pixels on the page's
720 x 240 canvas. Offline, the strokes are drawn as the page's canvas draws them and read through the
service's own path (PNG bytes -> inputs.ink_of -> Recognizer.read); with --browser they are written with
the mouse on the served page in Debian's chromium and the page's shown answer is scored.
"""

import argparse
import io
import os
import sys
import tempfile

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets import data  # noqa: E402
from nets.data import fonts, handwriting  # noqa: E402
from nets.data.lines import by_class  # noqa: E402
from nets.recognizer import inputs, strokes  # noqa: E402
from nets.recognizer.ctc import text_edit_distance  # noqa: E402
from nets.recognizer.pipeline import Recognizer  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def png(image_HxW: np.ndarray) -> bytes:
  buf = io.BytesIO()
  Image.fromarray(image_HxW).save(buf, format="PNG")
  return buf.getvalue()


def read_offline(recognizer: Recognizer, written, save: str = "", tag: str = "") -> list[str]:
  preds = []
  for i, (_, polylines) in enumerate(written):
    canvas = strokes.render(polylines)
    pred, _ = recognizer.read(inputs.ink_of(png(canvas)))
    preds.append(pred)
    if save:
      Image.fromarray(canvas).save(os.path.join(save, f"{tag}_{i:03d}.png"))
  return preds


def read_in_browser(recognizer: Recognizer, written) -> list[str]:
  from playwright.sync_api import sync_playwright  # noqa: PLC0415

  from nets.recognizer import serve  # noqa: PLC0415
  from tests.recognizer.recognizer_fixtures import live_server  # noqa: PLC0415

  with live_server(serve.create_app(recognizer=recognizer)) as url, sync_playwright() as p:
    with tempfile.TemporaryDirectory() as profile:
      browser = p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)
      preds = strokes.read_written(browser.new_page(), url, written)
      browser.close()
  return preds


def cer(preds: list[str], written) -> float:
  edits = sum(text_edit_distance(p, t) for p, (t, _) in zip(preds, written, strict=True))
  return edits / sum(len(t) for t, _ in written)


def written_texts(num: int, seed: int, em: float) -> list[tuple[str, list[np.ndarray]]]:
  """`num` strings of held-out text (up to 16 characters, whole words), each in a held-out font's strokes."""
  font_bytes = fonts.load(fonts.directory())
  names = fonts.held_out()
  rng = np.random.default_rng(seed)
  out = []
  for i in range(num):
    words, text = handwriting.line_text("test", rng).split(), ""
    while words and len(f"{text} {words[0]}".strip()) <= 16:
      text = f"{text} {words.pop(0)}".strip()
    text = text or handwriting.line_text("test", rng)[:16].strip()
    out.append((text, strokes.written_text(font_bytes[names[i % len(names)]], text, em=em)))
  return out


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True, help="a training workdir or an export")
  parser.add_argument("--pitch", default="55,80", help="pixels from one glyph to the next, comma-separated")
  parser.add_argument("--strings", type=int, default=40)
  parser.add_argument("--seed", type=int, default=0)
  parser.add_argument("--browser", action="store_true", help="write with the mouse in headless chromium")
  parser.add_argument("--text", action="store_true", help="text in held-out fonts' strokes, not digits")
  parser.add_argument("--em", type=float, default=72.0, help="--text: canvas pixels a font size")
  parser.add_argument("--save", default="", help="a directory for the offline canvases")
  parser.add_argument("--show", type=int, default=4, help="strings to print per pitch")
  args = parser.parse_args()
  recognizer = Recognizer.load(args.checkpoint)
  if args.save:
    os.makedirs(args.save, exist_ok=True)
  if args.text:
    written = written_texts(args.strings, args.seed, args.em)
    preds = (
      read_in_browser(recognizer, written)
      if args.browser
      else read_offline(recognizer, written, args.save, "text")
    )
    shown = ", ".join(f"{t!r} -> {p!r}" for p, (t, _) in list(zip(preds, written, strict=True))[: args.show])
    print(
      f"text in held-out fonts' strokes: CER {100 * cer(preds, written):.1f}% over {len(written)} "
      f"strings; {shown}"
    )
    return
  test = data.load("mnist_5k").splits["test"]
  digits = by_class(test["x"][..., 0], test["y"])
  for pitch in map(float, args.pitch.split(",")):
    written = strokes.written_digits(digits, args.strings, args.seed, pitch=pitch)
    if args.browser:
      preds = read_in_browser(recognizer, written)
    else:
      preds = read_offline(recognizer, written, args.save, f"pitch{pitch:g}")
    shown = ", ".join(f"{t} -> {p!r}" for p, (t, _) in list(zip(preds, written, strict=True))[: args.show])
    how = "browser" if args.browser else "offline"
    print(
      f"pitch {pitch:g} px ({how}): CER {100 * cer(preds, written):.1f}% over {len(written)} strings; {shown}"
    )


if __name__ == "__main__":
  main()
