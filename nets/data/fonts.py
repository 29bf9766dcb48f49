"""Handwriting fonts, fetched as npm packages (Fontsource's) into the data directory, never installed.

The fonts are listed in handwriting_fonts.json beside this module: for each, the npm package, its
version, the SHA-256 of the package's tarball, the font's licence (from the package's own
package.json) and whether it is held out of training. `fetch(directory)` runs `npm pack
PACKAGE@VERSION` for every tarball missing from `directory` (default `<data_dir>/downloads/
handwriting_fonts`, or a directory of your own holding the same tarballs: $NETS_FONTS_DIR or the
builder's `source_dir`); every tarball is checked against its SHA-256 before a byte of it is read.
From each tarball the Latin subset of the regular weight (WOFF, which FreeType reads through zlib) is
taken, in memory.

  python -m nets.data.fonts [DIRECTORY]     # fetch them all; prints what each font lacks, if anything
"""

import functools
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

import numpy as np

from nets.errors import ConfigError

MANIFEST = os.path.join(os.path.dirname(__file__), "handwriting_fonts.json")
ENV_VAR = "NETS_FONTS_DIR"
FETCH_TIMEOUT_S = 120  # One package; the whole set (262 tarballs, 274 MB) took about 8 minutes here.


@functools.cache
def manifest() -> tuple[dict, ...]:
  """The fonts' entries, sorted by name: {name, package, version, sha256, license, held_out}."""
  with open(MANIFEST) as f:
    entries = json.load(f)["fonts"]
  return tuple(sorted(entries, key=lambda e: e["name"]))


def tarball(entry: dict) -> str:
  """The file name `npm pack` gives the package: @fontsource/caveat 5.3.0 -> fontsource-caveat-5.3.0.tgz."""
  return f"{entry['package'].lstrip('@').replace('/', '-')}-{entry['version']}.tgz"


def default_dir(data_dir: str) -> str:
  return os.path.join(data_dir, "downloads", "handwriting_fonts")


def directory() -> str:
  """Where the tarballs are read from outside a dataset build: $NETS_FONTS_DIR, else the default data
  directory's (the builder's own `source_dir` option aside)."""
  from nets import data  # noqa: PLC0415 - nets.data imports this module.

  return os.environ.get(ENV_VAR) or default_dir(data.data_dir())


def npm_pack(spec: str, directory: str) -> str:
  """The path of the tarball `npm pack SPEC` writes into `directory`; subprocess's errors raised as is."""
  out = subprocess.run(
    ["npm", "pack", spec, "--silent", "--pack-destination", directory],
    check=True,
    capture_output=True,
    text=True,
    timeout=FETCH_TIMEOUT_S,
  )
  return os.path.join(directory, out.stdout.strip().splitlines()[-1])


def fetch(directory: str, entries=None) -> list[str]:
  """Every tarball of `entries` (default: the manifest) in `directory`, fetched by `npm pack` where
  missing; the names fetched. ConfigError, with the way out, if npm is missing or cannot reach its
  registry."""
  os.makedirs(directory, exist_ok=True)
  fetched = []
  for entry in entries or manifest():
    if os.path.exists(os.path.join(directory, tarball(entry))):
      continue
    spec = f"{entry['package']}@{entry['version']}"
    try:
      npm_pack(spec, directory)
    except (OSError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
      why = (getattr(e, "stderr", "") or str(e)).strip().splitlines()
      raise ConfigError(
        f"fetching the handwriting font {spec} failed ({(why or [type(e).__name__])[-1][:200]}); "
        f"install npm (Debian: apt-get install npm) and let it reach its registry, or put the "
        f"tarballs ({tarball(entry)}, ...) into a directory given by ${ENV_VAR} or source_dir"
      ) from None
    fetched.append(entry["name"])
  return fetched


def read_tarball(directory: str, entry: dict) -> bytes:
  """The tarball's bytes, checked against the manifest's SHA-256."""
  path = os.path.join(directory, tarball(entry))
  try:
    with open(path, "rb") as f:
      blob = f.read()
  except OSError as e:
    raise ConfigError(
      f"handwriting font {entry['name']!r}: {path} cannot be read ({e.strerror}); fetch it with "
      f"`python -m nets.data.fonts {directory}`"
    ) from None
  got = hashlib.sha256(blob).hexdigest()
  if got != entry["sha256"]:
    raise ConfigError(
      f"handwriting font {entry['name']!r}: checksum mismatch: {path} has sha256 {got[:16]}..., "
      f"expected {entry['sha256'][:16]}...; delete it to fetch it again"
    )
  return blob


def font_file(blob: bytes, name: str) -> bytes:
  """The Latin regular font of a Fontsource tarball: files/NAME-latin-W-normal.woff, W the weight
  nearest 400 (a few handwriting fonts come in one other weight only)."""
  with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as t:
    members = {m.name: m for m in t.getmembers()}
    prefix = f"package/files/{name}-latin-"
    weights = [
      int(n[len(prefix) :].split("-")[0])
      for n in members
      if n.startswith(prefix) and n.endswith("-normal.woff") and n[len(prefix) :].split("-")[0].isdigit()
    ]
    if not weights:
      raise ConfigError(f"handwriting font {name!r}: its tarball has no {prefix}*-normal.woff")
    weight = min(weights, key=lambda w: (abs(w - 400), w))
    return t.extractfile(members[f"{prefix}{weight}-normal.woff"]).read()


def missing_glyphs(font: bytes, chars: str) -> str:
  """The characters of `chars` (other than space) that the font's character map lacks."""
  from fontTools.ttLib import TTFont  # noqa: PLC0415 - matplotlib's dependency; needed to check only.

  cmap = TTFont(io.BytesIO(font)).getBestCmap() or {}
  return "".join(c for c in chars if c != " " and ord(c) not in cmap)


# A font whose "b d h k l" stand no taller than its "a c e m n ..." draws its lowercase letters as small
# capitals (permanent-marker, rock-salt: 1.00 and 1.04); every kept font's ratio is 1.31 or more.
MIN_ASCENDER_RATIO = 1.15


def ascender_ratio(font: bytes) -> float:
  """How far the ascenders' tops ("bdhkl") stand above the baseline, over the x-height ("acemnorsuvwxz")."""
  from PIL import ImageFont  # noqa: PLC0415 - needed to check only.

  face = ImageFont.truetype(io.BytesIO(font), 100)

  def median_top(chars: str) -> float:
    return float(np.median([-face.getbbox(c, anchor="ls")[1] for c in chars]))

  return median_top("bdhkl") / max(1.0, median_top("acemnorsuvwxz"))


def unusable(font: bytes, chars: str) -> str:
  """Why the font cannot draw text lines of `chars` ("" when it can): a character its map lacks or
  points at an empty glyph, or lowercase letters drawn as capitals."""
  from PIL import Image, ImageDraw, ImageFont  # noqa: PLC0415

  if lacks := missing_glyphs(font, chars):
    return f"lacks {lacks!r}"
  face = ImageFont.truetype(io.BytesIO(font), 40)
  for ch in chars.replace(" ", ""):
    image = Image.new("L", (120, 120), 0)
    ImageDraw.Draw(image).text((20, 80), ch, 255, face, anchor="ls")
    if (np.asarray(image) > 0).sum() < 3:
      return f"draws no {ch!r}"
  if (ratio := ascender_ratio(font)) < MIN_ASCENDER_RATIO:
    return f"its lowercase letters are small capitals (ascenders {ratio:.2f} of the x-height)"
  return ""


# The fonts taken out of their tarballs, by the tarball's SHA-256: a tarball is read and checked on every
# load, but unpacked once a process (262 of them: 3.3 s of the 4 s a load took).
_unpacked: dict[str, bytes] = {}


def load(directory: str, *, fetch_missing: bool = True) -> dict[str, bytes]:
  """Font name -> the font's bytes (font_file) for every manifest font, fetched first if allowed."""
  if fetch_missing:
    fetch(directory)
  fonts = {}
  for e in manifest():
    blob = read_tarball(directory, e)  # Checked against e["sha256"], so the key names these bytes.
    if e["sha256"] not in _unpacked:
      _unpacked[e["sha256"]] = font_file(blob, e["name"])
    fonts[e["name"]] = _unpacked[e["sha256"]]
  return fonts


def held_out() -> list[str]:
  return [e["name"] for e in manifest() if e["held_out"]]


def training() -> list[str]:
  return [e["name"] for e in manifest() if not e["held_out"]]


if __name__ == "__main__":
  from nets.data.lines import TEXT  # noqa: PLC0415

  target = sys.argv[1] if len(sys.argv) > 1 else directory()
  print(f"fetched {len(fetch(target))} packages into {target}")
  for name, font in load(target, fetch_missing=False).items():
    if lacks := missing_glyphs(font, TEXT):
      print(f"{name} lacks {lacks!r}")
