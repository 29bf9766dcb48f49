"""docs/results/catalogue.md is generated from the experiment docstrings: a stale committed page fails."""

import importlib.util
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _catalogue():
  spec = importlib.util.spec_from_file_location("catalogue", ROOT / "scripts" / "catalogue.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


def test_committed_page_is_what_the_docstrings_say():
  catalogue = _catalogue()
  assert catalogue.PAGE.read_text() == catalogue.render(), (
    "docs/results/catalogue.md is stale: run python scripts/catalogue.py and commit it"
  )


def test_page_follows_a_docstring(tmp_path):
  """A changed Result paragraph, a new experiment: both show on the page, with the command."""
  catalogue = _catalogue()
  experiments = tmp_path / "experiments"
  shutil.copytree(ROOT / "experiments", experiments)
  path = experiments / "nielsen.py"
  stated = "Result: 86.2 +- 4.3% test accuracy"
  path.write_text(path.read_text().replace(stated, "Result: 99.9% test accuracy", 1))
  (experiments / "zz_new.py").write_text(
    '"""A new one.\n\n  python train.py --config=experiments/zz_new.py\n\nResult: 1%."""\n'
  )
  page = catalogue.render(experiments)
  assert "Result: 99.9% test accuracy" in page and stated not in page
  assert (
    "## zz_new\n\nA new one.\n\n```bash\npython train.py --config=experiments/zz_new.py\n```\n\nResult: 1%."
    in page
  )
