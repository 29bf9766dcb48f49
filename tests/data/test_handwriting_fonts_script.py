"""scripts/handwriting_fonts.py: which catalogue families are candidates, and which tarballs it keeps."""

import importlib.util
import io
import json
import os
import tarfile

import matplotlib
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEJAVU = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")


@pytest.fixture(scope="module")
def script():
  spec = importlib.util.spec_from_file_location(
    "handwriting_fonts", os.path.join(ROOT, "scripts", "handwriting_fonts.py")
  )
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def tarball(path, files: dict[str, bytes]) -> str:
  with tarfile.open(path, "w:gz") as t:
    for name, blob in files.items():
      info = tarfile.TarInfo(name)
      info.size = len(blob)
      t.addfile(info, io.BytesIO(blob))
  return str(path)


def test_candidates_are_latin_handwriting_families_without_guides(script, tmp_path):
  families = {
    "caveat": dict(category="handwriting", subsets=["latin", "cyrillic"]),
    "playwrite-us-trad-guides": dict(category="handwriting", subsets=["latin"]),
    "noto-sans-jp": dict(category="handwriting", subsets=["japanese"]),
    "abeezee": dict(category="sans-serif", subsets=["latin"]),
    "zeyada": dict(category="handwriting", subsets=["latin"]),
  }
  path = tarball(tmp_path / "meta.tgz", {"package/data/google-fonts-v2.json": json.dumps(families).encode()})
  assert script.candidates(path) == ["caveat", "zeyada"]


@pytest.mark.parametrize(
  "category, license, why",
  [
    ("handwriting", "OFL-1.1", ""),
    ("serif", "OFL-1.1", "its package files it under 'serif'"),
    ("handwriting", "MIT", "licence 'MIT'"),
  ],
)
def test_a_tarball_is_kept_only_as_a_handwriting_font_under_an_open_font_licence(
  script, tmp_path, category, license, why
):
  with open(DEJAVU, "rb") as f:
    font = f.read()
  path = tarball(
    tmp_path / "fontsource-hand-5.3.0.tgz",
    {
      "package/package.json": json.dumps(
        dict(name="@fontsource/hand", version="5.3.0", license=license)
      ).encode(),
      "package/metadata.json": json.dumps(dict(category=category)).encode(),
      "package/files/hand-latin-400-normal.woff": font,  # FreeType and fontTools read it by its bytes.
    },
  )
  got, entry = script.check(path, "hand")
  assert got == why
  assert entry["package"] == "@fontsource/hand" and entry["version"] == "5.3.0" and not entry["held_out"]
  assert len(entry["sha256"]) == 64
