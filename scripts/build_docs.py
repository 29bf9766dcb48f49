"""Build the documentation site offline, warnings as errors, lessons executed; print the time it took.

  pip install -e ".[docs]"
  python scripts/build_docs.py            # = sphinx-build -W --keep-going -b html docs docs/_build/html
  python scripts/build_docs.py --fresh    # without the lessons' execution cache: every lesson runs

The catalogue page is checked first (scripts/catalogue.py --check): a stale page stops the build.
"""

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--fresh", action="store_true", help="delete docs/_build first: every lesson runs")
  args = parser.parse_args()
  if args.fresh:
    shutil.rmtree(ROOT / "docs" / "_build", ignore_errors=True)
  start = time.perf_counter()
  check = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogue.py"), "--check"])
  if check.returncode:
    return check.returncode
  build = [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html"]
  code = subprocess.run(build, cwd=ROOT).returncode
  print(f"docs build {'passed' if code == 0 else 'FAILED'} in {time.perf_counter() - start:.0f} s")
  return code


if __name__ == "__main__":
  sys.exit(main())
