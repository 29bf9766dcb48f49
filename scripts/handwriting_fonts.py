"""Rewrite nets/data/handwriting_fonts.json: every Google Fonts handwriting font that draws the alphabet.

  python scripts/handwriting_fonts.py [--metadata=google-font-metadata@6.0.8] [--fonts_dir=DIR]

The candidates are every family that Fontsource's `google-font-metadata` package (fetched with `npm pack`)
files under the category "handwriting" with a Latin subset, except the Playwrite "-guides" variants (the
same letters on ruled guide lines). Each candidate's `@fontsource/NAME` tarball is fetched with `npm pack`
(its latest version) into the fonts directory and kept when its own metadata.json says "handwriting", its
licence is OFL-1.1 or Apache-2.0, and `fonts.unusable` finds nothing wrong (every character of the
alphabet drawn, lowercase letters that are not small capitals). Fonts already in the manifest keep their
entry, held out or not; every font added trains, so the held-out fonts - the test of a new hand - stay
the ones drawn when the manifest was made. The rest are listed under "dropped" with the reason.
"""

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile

from absl import app, flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nets.data import fonts  # noqa: E402
from nets.data.lines import TEXT  # noqa: E402

METADATA = flags.DEFINE_string("metadata", "google-font-metadata@6.0.8", "The npm package of the catalogue.")
FONTS_DIR = flags.DEFINE_string("fonts_dir", "", "Where the tarballs go; default fonts.directory().")
LICENSES = ("OFL-1.1", "Apache-2.0")


def candidates(metadata_tgz: str) -> list[str]:
  with tarfile.open(metadata_tgz) as t:
    families = json.load(t.extractfile("package/data/google-fonts-v2.json"))
  return sorted(
    name
    for name, family in families.items()
    if family.get("category") == "handwriting"
    and "latin" in family["subsets"]
    and not name.endswith("-guides")  # The same letters on ruled guide lines.
  )


def check(path: str, name: str) -> tuple[str, dict]:
  """(why it is dropped or "", its manifest entry)."""
  with open(path, "rb") as f:
    blob = f.read()
  with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as t:
    package = json.load(t.extractfile("package/package.json"))
    names = t.getnames()
    category = (
      json.load(t.extractfile("package/metadata.json")).get("category")
      if "package/metadata.json" in names
      else None
    )
  entry = dict(
    name=name,
    package=package["name"],
    version=package["version"],
    sha256=hashlib.sha256(blob).hexdigest(),
    license=package.get("license", ""),
    held_out=False,
  )
  if category != "handwriting":
    return f"its package files it under {category!r}", entry
  if entry["license"] not in LICENSES:
    return f"licence {entry['license']!r}", entry
  try:
    font = fonts.font_file(blob, name)
  except Exception as e:  # noqa: BLE001 - any unreadable font is dropped with its reason.
    return f"no Latin regular font ({str(e)[:160]})", entry
  return fonts.unusable(font, TEXT), entry


def main(argv):
  del argv
  directory = FONTS_DIR.value or fonts.directory()
  os.makedirs(directory, exist_ok=True)
  with open(fonts.MANIFEST) as f:
    manifest = json.load(f)
  kept = {e["name"]: e for e in manifest["fonts"]}
  with tempfile.TemporaryDirectory() as tmp:
    names = candidates(fonts.npm_pack(METADATA.value, tmp))
  dropped = []
  for name in names:
    if name in kept:
      continue
    try:
      path = fonts.npm_pack(f"@fontsource/{name}", directory)
    except subprocess.CalledProcessError as e:  # --silent: npm says nothing; a 404 exits 1.
      dropped.append(dict(name=name, package=f"@fontsource/{name}", why=f"npm pack exited {e.returncode}"))
      continue
    except subprocess.TimeoutExpired:
      dropped.append(dict(name=name, package=f"@fontsource/{name}", why="npm pack timed out"))
      continue
    why, entry = check(path, name)
    if why:
      dropped.append(dict(name=name, package=entry["package"], version=entry["version"], why=why))
    else:
      kept[name] = entry
    print(f"{name}: {why or 'kept'}", flush=True)
  manifest["fonts"] = sorted(kept.values(), key=lambda e: e["name"])
  manifest["dropped"] = dropped
  manifest["catalogue"] = METADATA.value
  with open(fonts.MANIFEST, "w") as f:
    json.dump(manifest, f, indent=1)
    f.write("\n")
  held_out = sum(e["held_out"] for e in manifest["fonts"])
  print(f"{len(manifest['fonts'])} fonts ({held_out} held out); dropped {len(dropped)} of {len(names)}")


if __name__ == "__main__":
  app.run(main)
