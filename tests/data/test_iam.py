"""The IAM line reader on a few files written in IAM's own layout and lines.txt format."""

import numpy as np
import pytest
from PIL import Image

from nets.data import iam, lines
from nets.errors import ConfigError

LINES_TXT = """#--- lines.txt ---------------------------------------------------------------#
#
# format: a01-000u-00 ok 154 19 408 746 1661 89 A|MOVE|to|stop|Mr.|Gaitskell|from
#
a01-000u-00 ok 154 19 408 746 1661 89 A|MOVE|to|stop|Mr.|Gaitskell|from
a01-000u-01 err 156 19 395 932 1850 105 nominating|any|more|Labour|life|Peers
a01-000u-02 ok 157 16 408 1106 1986 105 of|Labour|M|Ps|tomorrow|.|Mr.|Michael|Foot|has
a01-003-00 ok 176 11 339 770 1780 99 #|put|down|a|resolution
b02-010-00 ok 180 5 300 700 1200 90 "|Yes|,|"|he|said|(|1961|)
"""


def _write_iam(root, rows=LINES_TXT, ascii_dir=False):
  """lines.txt and an image per row: dark strokes, as many as the text has words, on light paper."""
  target = root / "ascii" if ascii_dir else root
  target.mkdir(parents=True, exist_ok=True)
  (target / "lines.txt").write_text(rows)
  for line in iam.parse_lines_txt(rows):
    path = root / "lines" / line.id.split("-")[0] / line.form / f"{line.id}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page = np.full((60, 400), 235, np.uint8)
    for i in range(len(line.text.split())):
      page[15:45, 10 + 30 * i : 22 + 30 * i] = 20
    Image.fromarray(page).save(path)


def test_parse_lines_txt_reads_every_field_and_joins_words_with_spaces():
  rows = iam.parse_lines_txt(LINES_TXT)
  assert [r.id for r in rows][:2] == ["a01-000u-00", "a01-000u-01"] and len(rows) == 5
  first = rows[0]
  assert (first.ok, first.graylevel, first.box) == (True, 154, (408, 746, 1661, 89))
  assert first.text == "A MOVE to stop Mr. Gaitskell from" and first.form == "a01-000u"
  assert rows[1].ok is False and rows[2].text.endswith("tomorrow . Mr. Michael Foot has")
  assert first.image_path("/iam") == "/iam/lines/a01/a01-000u/a01-000u-00.png"


def test_a_malformed_row_names_its_line_number():
  with pytest.raises(ConfigError, match=r"lines.txt:2 is not an IAM lines.txt row"):
    iam.parse_lines_txt("# comment\na01-000u-00 maybe 154 19 408 746 1661 89 A|MOVE\n")
  with pytest.raises(ConfigError, match=r"lines.txt:1 is not an IAM lines.txt row"):
    iam.parse_lines_txt("a01-000u-00 ok 154 19 408 x 1661 89 A|MOVE\n")


def test_load_lays_lines_out_and_skips_what_the_alphabet_cannot_hold(tmp_path):
  _write_iam(tmp_path, ascii_dir=True)
  rows = iam.read_lines(str(tmp_path))
  data, skipped = iam.load(str(tmp_path), rows, height=32, width=384, max_len=50)
  assert skipped == {"characters outside the alphabet": 1}  # a01-003-00's '#'
  assert data["x"].shape == (4, 32, 384, 1) and data["y"].shape == (4, 50)
  texts = [lines.decode(y, lines.TEXT) for y in data["y"]]
  assert texts[0] == "A MOVE to stop Mr. Gaitskell from" and texts[3] == '" Yes , " he said ( 1961 )'
  for x, text in zip(data["x"][..., 0], texts, strict=True):  # Bright ink, one stroke per word.
    columns = x.max(axis=0) > 0.5
    assert np.count_nonzero(np.diff(columns.astype(int)) == 1) + columns[0] == len(text.split())
  short, skipped = iam.load(str(tmp_path), rows, height=32, width=384, max_len=34)
  assert len(short["x"]) == 2 and skipped["longer than 34 characters"] == 2


def test_splits_follow_the_task_files_or_keep_forms_whole(tmp_path):
  _write_iam(tmp_path)
  rows = iam.read_lines(str(tmp_path))
  by_form = iam.split_of(rows, str(tmp_path), test_fraction=0.5)
  assert sum(map(len, by_form.values())) == 5
  forms = {s: {r.form for r in part} for s, part in by_form.items()}
  assert forms["train"].isdisjoint(forms["test"]) and forms["train"] and forms["test"]
  (tmp_path / "trainset.txt").write_text("a01-000u-00\na01-000u-01\nb02-010\n")
  (tmp_path / "validationset1.txt").write_text("a01-000u-02\n")
  (tmp_path / "validationset2.txt").write_text("")
  (tmp_path / "testset.txt").write_text("a01-003-00\n")
  task = {s: [r.id for r in part] for s, part in iam.split_of(rows, str(tmp_path)).items()}
  assert task == {
    "train": ["a01-000u-00", "a01-000u-01", "b02-010-00"],
    "validation": ["a01-000u-02"],
    "test": ["a01-003-00"],
  }
  with pytest.raises(ConfigError, match="holds no IAM lines.txt"):
    iam.read_lines(str(tmp_path / "nowhere"))
