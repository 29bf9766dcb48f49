import io

import numpy as np
from PIL import Image

from nets.data import lines
from nets.recognizer import photos
from nets.recognizer.pipeline import deskew, digit_height, remove_background, to_ink
from nets.recognizer.segment import find_lines

# Block "digits": 20 rows of ink in a 28-pixel box, as MNIST's; a paragraph of them has level lines.
DIGITS = [np.pad(np.ones((20, 12), np.float32), ((4, 4), (8, 8)))[None] for _ in range(10)]


def _paragraph(seed: int, num_lines=(3, 3)):
  return lines.make_paragraph(DIGITS, np.random.default_rng(seed), num_lines=num_lines, gap=(10, 20))


def test_photographs_are_drawn_per_page_from_the_seed():
  page, _, _ = _paragraph(0)
  a, b = (photos.photograph(page, np.random.default_rng(1)) for _ in range(2))
  assert a == b and a != photos.photograph(page, np.random.default_rng(2))
  image = Image.open(io.BytesIO(a))
  assert image.format == "JPEG" and np.median(np.asarray(image)) > 128  # Dark ink on light paper.
  texts = [t for _, t in photos.pages(DIGITS, 5, seed=3)]
  assert texts == [t for _, t in photos.pages(DIGITS, 5, seed=3)] and 1 <= len(texts[0].split("\n")) <= 3


def test_a_clean_page_comes_through_to_ink_unchanged():
  page, _, _ = _paragraph(0)
  gray = (255 * (1 - page)).astype(np.uint8)
  np.testing.assert_allclose(to_ink(Image.fromarray(gray)), 1 - gray / np.float32(255), atol=1e-6)


def test_ink_is_found_under_uneven_light_and_noise():
  page, _, rows = _paragraph(1)
  rng = np.random.default_rng(0)
  light = np.linspace(1.0, 0.7, page.shape[1])[None, :]  # 30% darker at one side than the other
  gray = np.clip(light * (1 - 0.9 * page) + rng.normal(0, 0.05, page.shape), 0, 1)
  assert len(find_lines(1 - gray)) != len(rows)  # Without the background removed the page is all ink.
  ink = remove_background(gray.astype(np.float32))
  assert find_lines(ink) == rows
  assert (ink[page == 0] == 0).mean() > 0.99 and ink[page == 1].mean() > 0.8


def test_a_tilted_page_is_deskewed_until_its_lines_part():
  page, _, rows = _paragraph(2)
  tilted = np.asarray(Image.fromarray(np.pad(page, 40)).rotate(5, Image.Resampling.BILINEAR))
  assert len(find_lines(tilted)) < len(rows)  # At 5 degrees a long line spans its neighbours' rows.
  level = deskew(tilted)
  assert len(find_lines(level)) == len(rows)
  assert deskew(page) is page  # Level already: left as it is.


def test_digit_height_is_the_median_blob_height():
  strip = np.zeros((60, 100), np.float32)
  strip[5:25, 0:10] = strip[5:27, 20:30] = strip[10:50, 40:50] = 1.0
  strip[0, 60] = 1.0  # A one-column speck is not a digit.
  assert digit_height(strip) == 22


def test_training_lines_are_photographed_in_the_drawn_fraction_and_stay_readable():
  from nets.drivers.recognizer import photographed_lines

  x, _ = lines.make_lines(DIGITS, 6, seed=0, max_len=4, downsample=2)
  assert (photographed_lines(x[..., 0], 0.0, 0, 2) == x[..., 0]).all()
  photographed = photographed_lines(x[..., 0], 1.0, 0, 2)
  assert photographed.shape == x.shape[:3] and not np.allclose(photographed, x[..., 0])
  for clean, photo in zip(x[..., 0], photographed, strict=True):  # The ink is still where it was.
    assert abs(int((photo > 0.5).any(axis=0).sum()) - int((clean > 0.5).any(axis=0).sum())) < 12


def _counted_lines(counts):
  """Text lines [N, 32, 384] of k blocks each, with the text "a" * k, and a stub model that reads a line
  by counting its blocks: reading a page right is finding, ordering and laying out each of its lines."""
  from nets.recognizer.pipeline import Recognizer

  x = np.zeros((len(counts), 32, 384), np.float32)
  for i, k in enumerate(counts):
    for j in range(k):
      x[i, 8:24, 10 + 24 * j : 22 + 24 * j] = 1.0

  def count_blocks(variables, x_BxHxWx1):
    inked = x_BxHxWx1[..., 0].max(axis=1) > 0.5  # [B, W]
    starts = (inked[:, 1:] & ~inked[:, :-1]).sum(axis=1) + inked[:, 0]
    ids = (np.arange(x_BxHxWx1.shape[2])[None] < starts[:, None]).astype(np.int32)  # Class 1: "a".
    return ids, np.ones(len(ids))

  reader = Recognizer(None, None, 32, 384, decode_fn=count_blocks, alphabet="text")
  return x, ["a" * k for k in counts], reader


def test_text_pages_stack_the_split_lines_in_order_and_the_pipeline_reads_them_back():
  counts = [3, 1, 5, 2, 4, 7, 6]
  x, texts, reader = _counted_lines(counts)
  pages = list(photos.text_pages(x, texts, 4, seed=0, distortions=(), num_lines=(2, 3)))
  assert pages == list(photos.text_pages(x, texts, 4, seed=0, distortions=(), num_lines=(2, 3)))
  order = [t for _, truth in pages for t in truth.split("\n")]
  assert order == [texts[i % len(texts)] for i in range(len(order))]  # Consecutive lines, wrapping around.
  assert all(2 <= truth.count("\n") + 1 <= 3 for _, truth in pages)
  page = photos.text_page(x[:3], np.random.default_rng(0))
  assert page.sum() == x[:3].sum()  # Every line whole on the page.
  for distortions in ((), ("rotation", "light")):
    scores, examples, seconds = photos.evaluate_text(reader, x, texts, 4, 0, distortions, num_lines=(2, 3))
    assert scores == {"page_cer": 0.0, "line_cer": 0.0, "lines": len(order)}, distortions
    assert len(examples) == len(seconds) == 4 and examples[0][2] == examples[0][1]


def test_a_text_pages_cer_is_split_by_the_scale_each_page_was_photographed_at():
  """Pages shrunk by the photograph (narrower than the page drawn) read as nothing, the others right: the
  bands below scale 1 must then read at 100% and those above at 0%, whatever the pages' order."""
  x, texts, reader = _counted_lines([3, 1, 5, 2, 4, 7, 6])
  drawn_width = 384 + 40 + 2 * 24  # text_page's max_offset, photograph's margin.

  class ShrunkPagesUnread:
    def read(self, ink_HxW):
      return ("", []) if ink_HxW.shape[1] < drawn_width else reader.read(ink_HxW)

    def transcribe(self, x_NxHxW):
      return reader.transcribe(x_NxHxW)

  scores, _, _ = photos.evaluate_text(ShrunkPagesUnread(), x, texts, 16, 0, ("scale",), num_lines=(2, 3))
  bands = scores["page_cer_by_scale"]
  assert list(bands) == ["0.5-0.71", "0.71-1", "1-1.41", "1.41-2"]
  assert sum(b["pages"] for b in bands.values()) == 16
  assert bands["0.5-0.71"]["pages"] and bands["1.41-2"]["pages"]
  for name, band in bands.items():
    if band["pages"]:
      assert band["cer"] == (1.0 if name in ("0.5-0.71", "0.71-1") else 0.0), bands
  assert "page_cer_by_scale" not in photos.evaluate_text(reader, x, texts, 2, 0, ("rotation",), (2, 3))[0]


def test_an_unknown_distortion_in_only_is_one_line_and_exit_2_before_the_model_is_loaded(tmp_path):
  """--only named distortions photograph() would not recognise, and read clean pages under that name."""
  import subprocess
  import sys

  for only in ("jpg", "scale+jpg"):
    proc = subprocess.run(
      [sys.executable, "-m", "nets.recognizer.photos", f"--checkpoint={tmp_path}", f"--only={only}"],
      capture_output=True,
      text=True,
      timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == (
      "photos.py: error: --only: unknown distortion 'jpg'; "
      "valid: scale, rotation, light, noise, jpeg, or 'each'"
    )
