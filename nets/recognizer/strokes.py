"""Handwriting as pen strokes: glyph images thinned to skeletons, traced into polylines, laid out on the
page's canvas as a person writes a line, and rendered as the page's canvas draws them.

A browser test writes these polylines with the mouse; offline, `render` draws the same strokes the way the
page's canvas does (round caps and joins, `PEN` pixels wide), so that what the server is sent can be studied
without a browser.
"""

import heapq
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from scipy import ndimage

PEN = 14  # The page's ctx.lineWidth (nets/recognizer/static/index.html).
CANVAS = (240, 720)  # The page's canvas, rows x columns.
# The 8 neighbours, clockwise from north (Zhang and Suen's P2..P9).
_RING = ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))


def thin(mask_HxW: np.ndarray) -> np.ndarray:
  """The one-pixel-wide skeleton of a binary image (Zhang and Suen's thinning, 1984)."""
  img = np.pad(mask_HxW.astype(np.uint8), 1)
  h, w = img.shape
  while True:
    changed = False
    for step in (0, 1):
      p = [img[1 + dy : h - 1 + dy, 1 + dx : w - 1 + dx] for dy, dx in _RING]  # P2..P9
      neighbours = sum(p)
      transitions = sum((p[i] == 0) & (p[(i + 1) % 8] == 1) for i in range(8))
      if step == 0:
        keep_shape = (p[0] * p[2] * p[4] == 0) & (p[2] * p[4] * p[6] == 0)
      else:
        keep_shape = (p[0] * p[2] * p[6] == 0) & (p[0] * p[4] * p[6] == 0)
      core = img[1:-1, 1:-1]
      remove = (core == 1) & (neighbours >= 2) & (neighbours <= 6) & (transitions == 1) & keep_shape
      if remove.any():
        core[remove] = 0
        changed = True
    if not changed:
      return img[1:-1, 1:-1].astype(bool)


def trace(skeleton_HxW: np.ndarray, min_points: int = 3) -> list[np.ndarray]:
  """The skeleton's pixels as polylines [N, 2] of (x, y): each walk starts at a free end where there is one
  and goes on in the straightest direction; a walk that stops beside a pixel already drawn ends on it, so
  strokes that meet stay joined. Walks of fewer than `min_points` pixels (spurs) are dropped."""
  on = {(int(y), int(x)) for y, x in zip(*np.nonzero(skeleton_HxW), strict=True)}
  seen: set = set()

  def around(p):
    return [(p[0] + dy, p[1] + dx) for dy, dx in _RING if (p[0] + dy, p[1] + dx) in on]

  # Each walk starts at the pixel with the fewest unseen neighbours (an end if any), the first (y, x) of
  # those: a heap of (unseen neighbours, pixel), an entry pushed whenever a count falls and stale ones
  # skipped, so a line of text traces in linear time (searching all pixels each walk took seconds).
  unseen = {p: len(around(p)) for p in on}
  heap = [(n, p) for p, n in unseen.items()]
  heapq.heapify(heap)

  def visit(p):
    seen.add(p)
    for q in around(p):
      unseen[q] -= 1
      if q not in seen:
        heapq.heappush(heap, (unseen[q], q))

  lines = []
  while heap:
    n, start = heapq.heappop(heap)
    if start in seen or n != unseen[start]:
      continue
    walk, direction = [start], None
    visit(start)
    while True:
      here = walk[-1]
      nexts = [q for q in around(here) if q not in seen]
      if not nexts:
        joined = [q for q in around(here) if len(walk) < 2 or q != walk[-2]]
        if joined and len(walk) >= min_points:
          walk.append(min(joined, key=lambda q: abs(q[0] - here[0]) + abs(q[1] - here[1])))
        break
      if direction is None:
        step = min(nexts, key=lambda q: abs(q[0] - here[0]) + abs(q[1] - here[1]))  # 4-neighbours first.
      else:
        step = max(nexts, key=lambda q: (q[0] - here[0]) * direction[0] + (q[1] - here[1]) * direction[1])
      direction = (step[0] - here[0], step[1] - here[1])
      walk.append(step)
      visit(step)
    if len(walk) >= min_points:
      lines.append(np.array([(x, y) for y, x in walk], np.float32))
  return lines


def glyph_strokes(image_HxW: np.ndarray, upsample: int = 3, min_dot: float = 2.0) -> list[np.ndarray]:
  """Polylines (x, y) of a glyph image (bright ink), in the image's pixels: the ink upsampled (so thin
  strokes thin to connected skeletons), thresholded at half, thinned and traced; a point per image pixel
  of path (and each stroke's last), as a mouse reports a moving pen. A dot (a full stop, the dot of an i)
  thins to a few pixels, too short to trace: as a person clicks to make one, each piece of ink at least
  `min_dot` image pixels across that no stroke reaches becomes a stroke of one point, at its centre."""
  big = ndimage.zoom(image_HxW.astype(np.float32), upsample, order=1)
  mask = big > 0.5 * big.max()
  lines = trace(thin(mask), min_points=2 * upsample)
  pieces, count = ndimage.label(mask, np.ones((3, 3)))
  reached = {int(pieces[int(y), int(x)]) for line in lines for x, y in line}
  for piece, box in enumerate(ndimage.find_objects(pieces), start=1):
    if piece not in reached and min(s.stop - s.start for s in box) >= min_dot * upsample:
      y, x = ndimage.center_of_mass(pieces[box] == piece)
      lines.append(np.array([[x + box[1].start, y + box[0].start]], np.float32))
  return [np.concatenate([line[:-1:upsample], line[-1:]]) / upsample for line in lines]


def layout(
  glyphs: list[list[np.ndarray]],
  *,
  pitch: float,
  height: float = 80.0,
  width: float = 35.0,
  left: float = 40.0,
  middle: float = 120.0,
) -> list[np.ndarray]:
  """The glyphs' polylines on the canvas: each glyph scaled to `height` pixels tall and, on average,
  `width` wide (one horizontal squeeze for all, so a 1 stays narrower than a 0), its box centred
  `pitch` pixels after the previous one's, on the row `middle`."""
  boxes = [(np.concatenate(g).min(0), np.concatenate(g).max(0)) for g in glyphs]
  sizes = np.array([hi - lo for lo, hi in boxes])  # (w, h)
  scales = height / np.maximum(sizes[:, 1], 1e-6)
  squeeze = width / max(float(np.mean(sizes[:, 0] * scales)), 1e-6)
  placed = []
  for i, (g, (lo, hi), s) in enumerate(zip(glyphs, boxes, scales, strict=True)):
    centre = (lo + hi) / 2
    for line in g:
      xy = (line - centre) * np.array([s * squeeze, s], np.float32)
      placed.append(xy + np.array([left + width / 2 + i * pitch, middle], np.float32))
  return placed


def render(polylines: list[np.ndarray], shape: tuple[int, int] = CANVAS, pen: int = PEN) -> np.ndarray:
  """Black strokes on white, as the page's canvas draws them (round caps and joins): uint8 [H, W]."""
  image = Image.new("L", (shape[1], shape[0]), 255)
  draw = ImageDraw.Draw(image)
  r = pen / 2
  for line in polylines:
    points = [tuple(map(float, p)) for p in line]
    draw.line(points, fill=0, width=pen, joint="curve")
    for x, y in points:  # Round caps and joins at every vertex, as lineCap/lineJoin "round".
      draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
  return np.asarray(image)


def written_digits(
  images_by_class: list[np.ndarray], num: int, seed: int, *, pitch: float, length: int = 6, **kwargs
) -> list[tuple[str, list[np.ndarray]]]:
  """`num` random strings of `length` digits, each glyph the strokes of a random image of its digit,
  laid out on one canvas row (`layout`, a glyph every `pitch` pixels): [(text, polylines)]."""
  rng = np.random.default_rng(seed)
  out = []
  for _ in range(num):
    digits = rng.integers(0, 10, length)
    glyphs = [glyph_strokes(images_by_class[d][rng.integers(len(images_by_class[d]))]) for d in digits]
    out.append(("".join(map(str, digits)), layout(glyphs, pitch=pitch, **kwargs)))
  return out


def written_text(
  font: bytes, text: str, *, em: float = 72.0, left: float = 10.0, middle: float = 120.0, width: float = 700.0
) -> list[np.ndarray]:
  """`text` as a person writes it on the canvas in a font's hand: the line drawn in the font (its own
  spacing, so glyphs close or touching as the font sets them), thinned and traced into pen strokes, scaled
  to `em` canvas pixels a font size (less where the line would pass `width`), from `left`, its ink centred
  on the row `middle`."""
  drawn = 64  # Font size the line is drawn at before tracing: strokes wide enough to thin cleanly.
  pil_font = ImageFont.truetype(io.BytesIO(font), drawn)
  x0, y0, x1, y1 = pil_font.getbbox(text)
  image = Image.new("L", (x1 - x0 + 8, y1 - y0 + 8), 0)
  ImageDraw.Draw(image).text((4 - x0, 4 - y0), text, font=pil_font, fill=255)
  scale = min(em / drawn, width / image.width)
  offset = np.array([left, middle - scale * image.height / 2], np.float32)
  return [line * scale + offset for line in glyph_strokes(np.asarray(image, np.float32) / 255)]


def write(page, polylines: list[np.ndarray], box: dict) -> None:
  """Draw the polylines on the canvas at `box` (its bounding box in CSS pixels) with a Playwright page's
  mouse: down at each stroke's start, moved through its points, up at its end."""
  sx, sy = box["width"] / CANVAS[1], box["height"] / CANVAS[0]
  for line in polylines:
    points = [(float(box["x"] + x * sx), float(box["y"] + y * sy)) for x, y in line]
    page.mouse.move(*points[0])
    page.mouse.down()
    for point in points[1:]:
      page.mouse.move(*point)
    page.mouse.up()


def read_written(page, url: str, written: list[tuple[str, list[np.ndarray]]]) -> list[str]:
  """Each of `written`'s strokes drawn on the recognizer's page at `url` with the mouse and read by its
  Read button: what the page shows, "" where it found no text."""
  page.goto(url)
  box = page.locator("#canvas").bounding_box()
  preds = []
  for _, polylines in written:
    page.click("#clear")
    write(page, polylines, box)
    with page.expect_response("**/v1/predict"):
      page.click("#read")
    page.wait_for_function("!['', 'reading...'].includes(document.getElementById('result').textContent)")
    shown = page.inner_text("#result")
    preds.append("" if shown == "(no text found)" else shown)
  return preds
