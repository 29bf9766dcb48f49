"""Each result has one home: its experiment's docstring (one Result paragraph, a command, the time), and
README's headline table only quotes it - every figure of a row must stand verbatim where the row links."""

import importlib.util
import re
from pathlib import Path

import pytest

from nets import cli

ROOT = Path(__file__).resolve().parent.parent
EXPERIMENTS = sorted(p for p in (ROOT / "experiments").glob("*.py") if not p.name.startswith("_"))
# A duration: "4.1 s", "13.2 min", "3 min 2 s", "23 minutes", "1,371 s".
TIME = re.compile(r"\b\d[\d,]*(?:\.\d+)?\s?(?:ms|s|min|minutes?|h|hours?)\b")
# A figure: "95.70 +- 0.31%", "97.17%", "5/5", "2.75x", "0.53".
FIGURE = re.compile(r"\d+/\d+|\d[\d,]*(?:\.\d+)?(?: \+- \d[\d,]*(?:\.\d+)?)?[%x]?")


def _commands(doc: str) -> list[str]:
  spec = importlib.util.spec_from_file_location("catalogue", ROOT / "scripts" / "catalogue.py")
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module.commands(doc)


def shape_problems(path: Path) -> list[str]:
  """What keeps `path`'s docstring from the shape every experiment shares, or []."""
  doc = cli._docstring(path)
  problems = []
  starts = [line for line in doc.splitlines() if line.lstrip().startswith("Result")]
  if len(starts) != 1:
    problems.append(f"{len(starts)} Result paragraphs, not one")
  if starts and not starts[0].startswith("Result:"):
    problems.append(f"its Result paragraph starts {starts[0][:20]!r}, not 'Result:'")
  if not _commands(doc):
    problems.append("no indented command line (  python train.py --config=...)")
  if not TIME.search(cli.result_paragraph(doc)):
    problems.append("no time (e.g. '4.1 s', '13 min') in its Result paragraph")
  return problems


@pytest.mark.parametrize("path", EXPERIMENTS, ids=lambda p: p.stem)
def test_docstring_has_one_result_a_command_and_a_time(path):
  problems = shape_problems(path)
  assert not problems, f"experiments/{path.name}: " + "; ".join(problems)


def test_shape_problems_are_caught(tmp_path):
  """A second Result paragraph, a missing command or time: each named."""
  path = tmp_path / "two.py"
  path.write_text('"""Two.\n\n  python train.py --config=x.py\n\nResult: 1%, 3 s.\n\nResult: 2%, 4 s."""\n')
  assert shape_problems(path) == ["2 Result paragraphs, not one"]
  path.write_text('"""None.\n\nResult (seed 0): 1% in no time."""\n')
  assert shape_problems(path) == [
    "its Result paragraph starts 'Result (seed 0): 1% ', not 'Result:'",
    "no indented command line (  python train.py --config=...)",
    "no time (e.g. '4.1 s', '13 min') in its Result paragraph",
  ]


def headline_rows(readme: str) -> list[list[str]]:
  """The cells of each row of README's "Headline results" table."""
  section = readme.split("## Headline results", 1)[1].split("\n## ", 1)[0]
  rows = [line for line in section.splitlines() if line.startswith("|")]
  return [[cell.strip() for cell in row.strip("|").split(" | ")] for row in rows[2:]]


def row_problems(cells: list[str]) -> list[str]:
  """The figures of a row's "ours" cell that the place it links to does not state verbatim."""
  first, ours = cells[0], cells[2]
  name = re.search(r"`(\w+)`", first)
  if name and (ROOT / "experiments" / f"{name[1]}.py").exists():
    home = f"experiments/{name[1]}.py's Result paragraph"
    text = cli.result_paragraph(cli._docstring(ROOT / "experiments" / f"{name[1]}.py"))
  else:
    link = re.search(r"\]\(([^)#]+)", first)[1]
    home, text = link, (ROOT / link).read_text()
  text = " ".join(text.split())
  missing = [f for f in FIGURE.findall(ours) if not re.search(rf"(?<![\d.]){re.escape(f)}(?!\d)", text)]
  return [f"{f!r} is not in {home}" for f in missing]


def test_headline_table_quotes_the_results_it_links():
  rows = headline_rows((ROOT / "README.md").read_text())
  assert 10 <= len(rows) <= 15, f"README's headline table has {len(rows)} rows; the issue allows at most 15"
  problems = [f"README row {cells[0][:40]!r}: {p}" for cells in rows for p in row_problems(cells)]
  assert not problems, "\n".join(problems)


def test_a_drifted_figure_is_caught():
  row = "[`mnist_cnn_full`](docs/results/catalogue.md#mnist_cnn_full): CNN | MNIST 50k | 99.25 +- 0.06% | -"
  cells = [cell.strip() for cell in row.split(" | ")]
  where = "experiments/mnist_cnn_full.py's Result paragraph"
  assert row_problems(cells) == [f"'99.25 +- 0.06%' is not in {where}"]


# A measured figure in milestones.md: decimals only ("99.44 +- 0.02%", "491.6"), not counts like "3 seeds".
MEASURED = re.compile(r"\d[\d,]*\.\d+(?: \+- \d[\d,]*\.\d+)?%?")


def milestone_problems(row: str) -> list[str]:
  """The figures of a milestones.md row's "measured" cell that no experiment it names states in its Result."""
  cells = [cell.strip() for cell in row.strip().strip("|").split(" | ")]
  names = [n for n in re.findall(r"`(\w+)`", cells[3]) if (ROOT / "experiments" / f"{n}.py").exists()]
  text = " ".join(cli.result_paragraph(cli._docstring(ROOT / "experiments" / f"{n}.py")) for n in names)
  text = " ".join(text.split())
  missing = [f for f in MEASURED.findall(cells[4]) if not re.search(rf"(?<![\d.]){re.escape(f)}(?!\d)", text)]
  return [
    f"{cells[1]}: {f!r} is in no Result paragraph of {', '.join(names) or 'a named experiment'}"
    for f in missing
  ]


def test_milestones_quote_the_results_of_the_experiments_they_name():
  rows = [r for r in (ROOT / "docs/results/milestones.md").read_text().splitlines() if r.startswith("| 20")]
  assert len(rows) >= 10
  problems = [p for row in rows for p in milestone_problems(row)]
  assert not problems, (
    "docs/results/milestones.md retypes a figure its experiments do not state:\n" + "\n".join(problems)
  )


def test_a_drifted_milestone_is_caught():
  row = (
    "| 2015 | GAN | a generator against a discriminator | `gan` | Frechet distance 10.8 +- 1.3 over 3 seeds |"
  )
  assert milestone_problems(row) == ["GAN: '10.8 +- 1.3' is in no Result paragraph of gan"]
