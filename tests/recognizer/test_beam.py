"""CTC prefix beam search and the character n-gram LM, on cases small enough to compute by hand."""

import math

import numpy as np
import pytest

from nets.recognizer.beam import beam_search, decode_batch
from nets.recognizer.charlm import END, CharNgram


def frames(*rows):
  """Log-probabilities [T, C] from rows of probabilities (blank first)."""
  return np.log(np.array(rows, np.float64))


def test_beam_sums_the_paths_of_each_text():
  # Two frames over (blank, a, b). Paths: "a" = aa, a_, _a; "" = __; "ab" = ab; "b" = bb, b_, _b; ...
  p = np.array([[0.5, 0.3, 0.2], [0.4, 0.5, 0.1]])
  got = dict(beam_search(np.log(p), "ab", beam=100))
  want = {
    "": p[0, 0] * p[1, 0],
    "a": p[0, 1] * p[1, 1] + p[0, 1] * p[1, 0] + p[0, 0] * p[1, 1],
    "b": p[0, 2] * p[1, 2] + p[0, 2] * p[1, 0] + p[0, 0] * p[1, 2],
    "ab": p[0, 1] * p[1, 2],
    "ba": p[0, 2] * p[1, 1],
  }
  assert set(got) == set(want)  # "aa" needs a blank between: three frames.
  for text, prob in want.items():
    assert got[text] == pytest.approx(math.log(prob))


def test_a_repeated_character_needs_a_blank_between():
  p = np.array([[0.1, 0.9], [0.8, 0.2], [0.1, 0.9]])
  got = dict(beam_search(np.log(p), "a", beam=100))
  assert got["aa"] == pytest.approx(math.log(0.9 * 0.8 * 0.9))
  # "a": every path of a's and blanks with one run of a's: aaa, aa_, a__, _aa, __a, _a_.
  a_paths = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 1, 1), (0, 0, 1), (0, 1, 0)]
  prob_a = sum(np.prod([p[t, c] for t, c in enumerate(q)]) for q in a_paths)
  assert got["a"] == pytest.approx(math.log(prob_a))


def test_beam_reads_the_likeliest_text_where_greedy_reads_the_likeliest_path():
  # Each frame: blank 0.6, a 0.4. The best path is "__" ("" at 0.36); "a" has 0.64 over three paths.
  lp = frames([0.6, 0.4], [0.6, 0.4])
  assert beam_search(lp, "a", beam=4)[0][0] == "a"
  assert np.argmax(lp, -1).tolist() == [0, 0]


class OneWordLM:
  """P(next | prefix): 'a' then the end, whatever came before; 'b' unlikely."""

  symbols = "ab" + END
  index = {s: i for i, s in enumerate(symbols)}

  def context(self, prefix):
    return prefix

  def log_probs(self, context):
    return np.log([0.9, 0.05, 0.05]) if not context else np.log([0.05, 0.05, 0.9])


def test_shallow_fusion_lets_the_lm_overrule_a_close_call():
  lp = frames([0.1, 0.4, 0.5])  # One frame: b 0.5, a 0.4.
  assert beam_search(lp, "ab")[0][0] == "b"
  # Fused: a: log 0.4 + log 0.9 + log 0.9 (its end); b: log 0.5 + log 0.05 + log 0.9.
  best, score = beam_search(lp, "ab", lm=OneWordLM(), alpha=1.0)[0]
  assert best == "a"
  assert score == pytest.approx(math.log(0.4 * 0.9 * 0.9))
  # beta pays per character: enough of it keeps a character over the blank's "".
  assert beam_search(frames([0.7, 0.2, 0.1]), "ab", beta=2.0)[0][0] == "a"
  assert decode_batch(np.log([[[0.7, 0.2, 0.1]]]), "ab") == [""]


def test_witten_bell_by_hand():
  lm = CharNgram(["ab", "aa"], "ab", order=2)  # Symbols a, b, END (V = 3).
  # Unigram: counts a 3, b 1, END 2 (N = 6, T = 3): P(x) = (c + 3 / 3) / 9.
  uni = {"a": 4 / 9, "b": 2 / 9, END: 3 / 9}
  # A line starts: "a" twice (C = 2, T = 1). After "a": followed by b once, a once, END once (C = 3, T = 3).
  after_a = {s: ((s in "ab" + END) + 3 * uni[s]) / 6 for s in uni}
  for s, p in after_a.items():
    assert math.exp(lm.log_probs("a")[lm.index[s]]) == pytest.approx(p)
  assert lm.line_log_prob("ab") == pytest.approx(
    math.log((2 + uni["a"]) / 3) + math.log(after_a["b"]) + math.log((1 + uni[END]) / 2)
  )
  for context in ("", "a", "b", lm.context("")):
    assert np.exp(lm.log_probs(context)).sum() == pytest.approx(1.0)


def test_lm_refuses_text_outside_its_alphabet():
  with pytest.raises(ValueError, match="outside the alphabet"):
    CharNgram(["a_b"], "ab")


def test_an_lm_travels_as_bytes_and_comes_back_the_same_model():
  lines = ["ab ab", "ba", "aab b", "b"]
  lm = CharNgram(lines, "ab ", order=3)
  raw = lm.to_bytes()
  again = CharNgram.from_bytes(raw)
  assert raw == CharNgram(lines, "ab ", order=3).to_bytes() == again.to_bytes()  # The same bytes each time.
  assert (again.alphabet, again.order, again.lines) == ("ab ", 3, tuple(lines))
  for line in ("ab", "bb a", "", "aab b"):
    assert again.line_log_prob(line) == lm.line_log_prob(line)
