"""Writing with strokes: glyphs thinned and traced into pen strokes, and those strokes written with the
mouse on the page in headless chromium, where the server must get what strokes.render draws offline; with
a trained digit recognizer (NETS_WRITTEN_CHECKPOINT), the page must read digits written that way."""

import base64
import contextlib
import io
import os
import tempfile

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from nets.recognizer import serve, strokes
from nets.recognizer.ctc import text_edit_distance
from tests.recognizer.recognizer_fixtures import live_server, tiny_recognizer
from tests.recognizer.test_browser import CHROMIUM, FLAGS


def _ring(size: int = 60, radius: float = 20, width: float = 7) -> np.ndarray:
  yy, xx = np.mgrid[:size, :size] - size / 2
  return np.abs(np.hypot(yy, xx) - radius) < width / 2


def test_thin_leaves_a_connected_one_pixel_skeleton_along_the_stroke():
  ring = _ring()
  skeleton = strokes.thin(ring)
  assert ndimage.label(skeleton, np.ones((3, 3)))[1] == 1  # One piece, as the ring is.
  blocks = skeleton[:-1, :-1] & skeleton[1:, :-1] & skeleton[:-1, 1:] & skeleton[1:, 1:]
  assert not blocks.any()  # One pixel wide: no 2 x 2 block left.
  yy, xx = np.nonzero(skeleton)
  assert np.allclose(np.hypot(yy - 30, xx - 30), 20, atol=1.5)  # On the stroke's middle.
  assert 0.8 * 2 * np.pi * 20 < skeleton.sum() < 1.2 * 2 * np.pi * 20


def test_traced_strokes_redraw_the_glyph():
  """A ring and a bar crossing it (an 8-like junction): traced polylines, drawn with a pen as wide as the
  strokes, cover the glyph's ink and little else."""
  glyph = _ring()
  glyph[27:34, 5:55] = True  # As wide as the ring: 7 pixels.
  lines = strokes.trace(strokes.thin(glyph))
  assert 1 <= len(lines) <= 8  # Five edges between its ends and junctions, and a spur or so.
  drawn = strokes.render(lines, glyph.shape, pen=7) < 128
  iou = (drawn & glyph).sum() / (drawn | glyph).sum()
  assert iou > 0.8, iou


def test_layout_spaces_glyphs_by_the_pitch_at_the_asked_size():
  glyph = [np.array([[0, 0], [10, 30]], np.float32)]  # One stroke, 10 x 30.
  placed = strokes.layout([glyph, glyph, glyph], pitch=55, height=80, width=35, left=40, middle=120)
  centres = [line.mean(0) for line in placed]
  np.testing.assert_allclose(np.diff([c[0] for c in centres]), 55)
  np.testing.assert_allclose([c[1] for c in centres], 120)
  np.testing.assert_allclose(np.ptp(placed[0], 0), (35, 80))


def _browser(p, profile):
  if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does)")
  return p.chromium.launch_persistent_context(profile, executable_path=CHROMIUM, args=FLAGS)


@contextlib.contextmanager
def _served_page():
  """The page of a server with a tiny recognizer, open in headless chromium."""
  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  with live_server(serve.create_app(recognizer=tiny_recognizer())) as url, sync_api.sync_playwright() as p:
    with tempfile.TemporaryDirectory() as profile:
      browser = _browser(p, profile)
      try:
        page = browser.new_page()
        page.goto(url)
        yield page
      finally:
        browser.close()


def _mnist_test_digits():
  from nets import data  # noqa: PLC0415
  from nets.data.lines import by_class  # noqa: PLC0415

  test = data.load("mnist_5k").splits["test"]
  return by_class(test["x"][..., 0], test["y"])


def test_strokes_written_with_the_mouse_reach_the_server_as_render_draws_them():
  """What the offline experiments read (strokes.render) is what the page sends: two rows of digits
  written with the mouse, the server's image against the offline rendering of the same strokes."""
  (_, top), (_, bottom) = strokes.written_digits(_mnist_test_digits(), 2, seed=1, pitch=55, length=5)
  polylines = [line - [0, 60] for line in top] + [line + [0, 60] for line in bottom]
  with _served_page() as page:
    strokes.write(page, polylines, page.locator("#canvas").bounding_box())
    with (
      page.expect_request("**/v1/predict") as request,
      page.expect_response("**/v1/predict") as response,
    ):
      page.click("#read")
    sent = request.value.post_data_json["image"].partition(",")[2]
    assert len(response.value.json()["lines"]) == 2  # The server found both rows.
  canvas = np.asarray(Image.open(io.BytesIO(base64.b64decode(sent))).convert("L")) < 128
  offline = strokes.render(polylines) < 128
  assert canvas.shape == offline.shape == strokes.CANVAS
  iou = (canvas & offline).sum() / (canvas | offline).sum()
  assert iou > 0.9, iou


def test_a_click_on_the_page_is_a_dot_of_the_pens_width():
  """A person makes a full stop or an i's dot by clicking: the page must draw it (a canvas strokes nothing
  for a line of no length), as strokes.render draws a one-point stroke."""
  dot = [np.array([[200.0, 120.0]], np.float32)]
  with _served_page() as page:
    strokes.write(page, dot, page.locator("#canvas").bounding_box())
    sent = page.evaluate("document.getElementById('canvas').toDataURL('image/png')").partition(",")[2]
  canvas = np.asarray(Image.open(io.BytesIO(base64.b64decode(sent))).convert("L")) < 128
  offline = strokes.render(dot) < 128
  assert 0.8 * np.pi * (strokes.PEN / 2) ** 2 < canvas.sum() < 1.2 * np.pi * (strokes.PEN / 2) ** 2
  assert (canvas & offline).sum() / (canvas | offline).sum() > 0.8


WRITTEN_CHECKPOINT = os.environ.get("NETS_WRITTEN_CHECKPOINT", "")


@pytest.mark.skipif(
  not WRITTEN_CHECKPOINT, reason="set NETS_WRITTEN_CHECKPOINT to a trained digit recognizer"
)
@pytest.mark.parametrize("pitch", [55, 45])
def test_digits_written_with_the_mouse_are_read(pitch):
  """Issue 36's bar: CER <= 5% on 6-digit strings written with the mouse, glyphs 80 px tall and 35 wide,
  at natural (a glyph every 55 px) and tight (45 px) spacing; 12 strings of unseen MNIST test digits."""
  from nets.recognizer.pipeline import Recognizer  # noqa: PLC0415

  sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
  written = strokes.written_digits(_mnist_test_digits(), 12, seed=7, pitch=pitch)
  app = serve.create_app(recognizer=Recognizer.load(WRITTEN_CHECKPOINT))
  with live_server(app) as url, sync_api.sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
    browser = _browser(p, profile)
    try:
      preds = strokes.read_written(browser.new_page(), url, written)
    finally:
      browser.close()
  edits = sum(text_edit_distance(p, t) for p, (t, _) in zip(preds, written, strict=True))
  cer = edits / sum(len(t) for t, _ in written)
  assert cer <= 0.05, (cer, [(t, p) for p, (t, _) in zip(preds, written, strict=True) if p != t])


def test_text_is_written_in_the_fonts_strokes_at_the_asked_size_within_the_canvas():
  """strokes.written_text: a line of text in a font (DejaVu Sans here), traced into strokes that redraw the
  line at `em` canvas pixels a font size, from `left`, centred on `middle`; a long line shrinks to fit."""
  import matplotlib  # noqa: PLC0415
  from PIL import ImageDraw, ImageFont  # noqa: PLC0415

  with open(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf"), "rb") as f:
    font = f.read()
  x0, y0, x1, y1 = ImageFont.truetype(io.BytesIO(font), 72).getbbox("Room 5")
  ink = strokes.render(strokes.written_text(font, "Room 5", em=72, left=20, middle=100), pen=2) < 128
  ys, xs = np.nonzero(ink)
  assert abs((xs.max() - xs.min()) - (x1 - x0)) < 0.1 * (x1 - x0)  # as wide as the font draws it at 72
  assert abs((ys.max() - ys.min()) - (y1 - y0)) < 0.15 * (y1 - y0)
  assert 20 <= xs.min() <= 40 and abs((ys.max() + ys.min()) / 2 - 100) < 6
  # Every glyph's ink is traced: the font's own drawing, thinned, lies under the strokes.
  image = Image.new("L", (x1 - x0 + 8, y1 - y0 + 8), 0)
  ImageDraw.Draw(image).text(
    (4 - x0, 4 - y0), "Room 5", font=ImageFont.truetype(io.BytesIO(font), 72), fill=255
  )
  glyphs = ndimage.label(np.asarray(image) > 127)[1]
  assert (
    ndimage.label(ndimage.binary_dilation(ink, iterations=3))[1] == glyphs
  )  # R, o, o, m, 5: one piece each
  # Dots are clicks, one-point strokes: a, the full stop, b, the colon's two dots, i and its dot, j and its.
  dotted = strokes.render(strokes.written_text(font, "a.b: ij", em=72), pen=6) < 128
  assert ndimage.label(dotted)[1] == 9
  wide = strokes.render(strokes.written_text(font, "a line far too long for the canvas", width=600)) < 128
  assert np.nonzero(wide)[1].max() <= 10 + 600 + strokes.PEN
