"""scripts/text_errors.py: a recognizer's edits sorted by kind, on readings counted by hand; and
scripts/shifted_cer.py's moved and shrunk lines."""

import importlib.util
import os
import subprocess
import sys

import numpy as np

from nets.recognizer.ctc import text_edit_distance

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _script(name: str):
  spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "scripts", f"{name}.py"))
  module = importlib.util.module_from_spec(spec)
  spec.loader.exec_module(module)
  return module


text_errors = _script("text_errors")

# "Cat 0k," read "cat Ok": C->c (case), 0->O (look-alike), ',' dropped (punctuation).
# "ab cd" read "abxd": the space dropped (space), c->x (other); 5 edits over 12 characters.
TEXTS, READINGS = ["Cat 0k,", "ab cd"], ["cat Ok", "abxd"]


def test_each_edit_is_aligned_and_given_its_kind():
  assert text_errors.alignment("Cat 0k,", "cat Ok") == [("C", "c"), ("0", "O"), (",", "")]
  assert text_errors.alignment("ab cd", "abxd") == [(" ", ""), ("c", "x")]
  assert text_errors.alignment("ab", "ab!") == [("", "!")]
  kinds, substitutions, chars = text_errors.error_kinds(READINGS, TEXTS)
  assert chars == 12 and dict(kinds) == {
    ("case", "substituted"): 1,
    ("look-alike", "substituted"): 1,
    ("space", "dropped"): 1,
    ("punctuation", "dropped"): 1,
    ("other", "substituted"): 1,
  }
  assert substitutions == {("C", "c"): 1, ("0", "O"): 1, ("c", "x"): 1}
  edits = [("l", "I"), ("s", "5"), (" ", "."), ("", " "), ("a", " "), ("", "?"), ("a", "")]
  kinds = ["look-alike", "look-alike", "space", "space", "space", "punctuation", "other"]
  assert [text_errors.kind(*e) for e in edits] == kinds


def test_the_alignment_is_as_long_as_the_edit_distance():
  rng = np.random.default_rng(0)
  for _ in range(200):
    text, reading = ("".join(rng.choice(list("ab c."), rng.integers(0, 9))) for _ in range(2))
    assert len(text_errors.alignment(text, reading)) == text_edit_distance(reading, text), (text, reading)


def test_the_report_gives_the_cer_left_without_each_kind(capsys):
  text_errors.report("test, greedy", READINGS, TEXTS, top=2)
  out = capsys.readouterr().out
  assert "test, greedy: CER 41.7% (5 edits over 12 characters)" in out
  assert (
    "case             1 edits (1 substituted, 0 dropped, 0 added), 20.0% of them; CER without them 33.3%"
    in out
  )
  assert "space            1 edits (0 substituted, 1 dropped, 0 added)" in out


def test_a_workdir_without_a_run_is_one_line_and_exit_1(tmp_path):
  for script in ("text_errors.py", "shifted_cer.py"):
    proc = subprocess.run(
      [sys.executable, os.path.join(ROOT, "scripts", script), f"--workdir={tmp_path}"],
      capture_output=True,
      text=True,
      timeout=120,
    )
    assert proc.returncode == 1 and proc.stderr.strip().splitlines() == [
      f"error: no run in {tmp_path}: {tmp_path}/config.json does not exist"
    ], (script, proc.stderr)


def test_shifted_cer_shrinks_a_line_and_enlarges_it_back_losing_only_what_the_smaller_size_cannot_hold():
  shifted_cer = _script("shifted_cer")
  rows_NxHxW = np.zeros((2, 32, 384), np.float32)
  rows_NxHxW[0, 8:24:2] = 1.0  # Stripes a row apart: half the rows cannot hold them.
  rows_NxHxW[1, 8:24] = 1.0  # A band 16 rows tall: they can.
  assert np.array_equal(shifted_cer.shrunk(rows_NxHxW, 1.0), rows_NxHxW)
  half = shifted_cer.shrunk(rows_NxHxW, 0.5)
  assert half.shape == rows_NxHxW.shape and half.dtype == np.float32
  assert np.ptp(half[0, 10:22, 100]) < 0.3  # The stripes blurred to grey.
  assert half[1, 10:22, 100].min() > 0.9 and half[1, :6, 100].max() < 0.1  # The band kept.


def test_shifted_cer_refuses_a_shrink_that_is_not_a_factor_in_0_1_before_loading_a_run(tmp_path):
  for bad in ("0", "1.5", "-0.5", "half"):
    proc = subprocess.run(
      [
        sys.executable,
        os.path.join(ROOT, "scripts", "shifted_cer.py"),
        f"--workdir={tmp_path}",
        f"--shrink=0.7,{bad}",
      ],
      capture_output=True,
      text=True,
      timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert (
      proc.stderr.strip().splitlines()[-1]
      == f"shifted_cer.py: error: --shrink: {bad!r} is not a factor in (0, 1]"
    )
