"""CTC prefix beam search, with a character language model by shallow fusion.

Greedy decoding (nets.recognizer.ctc.greedy_decode) reads the best class of each frame; the most
probable *text* sums over all the frame paths that collapse to it, which the prefix beam search of
Hannun et al. (2014) tracks: each kept prefix carries the log-probability of the frames so far ending
in a blank (pb) and in its last character (pnb). Shallow fusion ranks prefixes by

  log P_ctc(prefix | frames) + alpha * log P_lm(prefix) + beta * len(prefix)

with the LM's end-of-line probability added at the end; alpha = 0 and beta = 0 is the CTC alone.
Class 0 is the blank, class i the alphabet's character i - 1 (nets.data.lines).
"""

import dataclasses
import math
from typing import Any

import numpy as np

NEG = -math.inf


def _add(a: float, b: float) -> float:
  """log(exp(a) + exp(b)) of Python floats (numpy's scalar logaddexp costs 10x more here)."""
  if a < b:
    a, b = b, a
  return a if b == NEG else a + math.log1p(math.exp(b - a))


@dataclasses.dataclass
class _Beam:
  pb: float = NEG  # log P(frames so far, ending in a blank, collapse to the prefix)
  pnb: float = NEG  # ... ending in the prefix's last character
  lm: float = 0.0  # alpha * log P_lm(prefix) + beta * len(prefix)

  def ctc(self) -> float:
    return _add(self.pb, self.pnb)


def beam_search(
  log_probs_TxC: np.ndarray,
  alphabet: str,
  lm=None,
  alpha: float = 0.0,
  beta: float = 0.0,
  beam: int = 16,
  prune: float = -8.0,
) -> list[tuple[str, float]]:
  """The `beam` best texts of one line's frame log-probabilities (log-softmax over classes), best first,
  each with its fused score. `lm` (nets.recognizer.charlm.CharNgram or anything with its `context`,
  `log_probs` and `index`) is used when alpha != 0. A class below `prune` (log-probability) in a frame
  extends no prefix there (its paths are dropped: at -8, under 1/3,000 of that frame's mass each)."""
  use_lm = lm is not None and alpha != 0.0

  beams = {"": _Beam(pb=0.0)}
  log_probs_TxC = np.asarray(log_probs_TxC, np.float64)
  for lp_row, kept in zip(log_probs_TxC.tolist(), log_probs_TxC > prune, strict=True):
    classes = [(int(c), alphabet[c - 1], lp_row[c]) for c in np.flatnonzero(kept) if c != 0]
    blank = lp_row[0]
    nxt: dict[str, _Beam] = {}
    for prefix, b in beams.items():
      total = b.ctc()
      same = nxt.get(prefix)
      if same is None:
        same = nxt[prefix] = _Beam(lm=b.lm)
      same.pb = _add(same.pb, total + blank)  # A blank: the prefix stays.
      next_lm = (
        None  # alpha * log P_lm(. | prefix) as a list, looked up once a prefix (3x faster than per class).
      )
      for _, ch, lp in classes:
        if prefix and prefix[-1] == ch:
          same.pnb = _add(same.pnb, b.pnb + lp)  # The last character again: merged.
          reach = b.pb + lp  # A repeated character needs a blank between.
        else:
          reach = total + lp
        if reach == NEG:
          continue
        longer = nxt.get(prefix + ch)
        if longer is None:
          if use_lm and next_lm is None:
            next_lm = (alpha * lm.log_probs(lm.context(prefix))).tolist()
          step = next_lm[lm.index[ch]] + beta if use_lm else beta
          longer = nxt[prefix + ch] = _Beam(lm=b.lm + step)
        longer.pnb = _add(longer.pnb, reach)
    beams = dict(sorted(nxt.items(), key=lambda kv: kv[1].ctc() + kv[1].lm, reverse=True)[:beam])

  def final(prefix: str, b: _Beam) -> float:
    end = alpha * float(lm.log_probs(lm.context(prefix))[lm.index[lm.symbols[-1]]]) if use_lm else 0.0
    return b.ctc() + b.lm + end

  return sorted(((p, final(p, b)) for p, b in beams.items()), key=lambda ps: ps[1], reverse=True)


def log_softmax(logits_BxTxC: np.ndarray) -> np.ndarray:
  z = np.asarray(logits_BxTxC, np.float64)
  z = z - z.max(-1, keepdims=True)
  return z - np.log(np.exp(z).sum(-1, keepdims=True))


def decode_batch(logits_BxTxC, alphabet: str, **options) -> list[str]:
  """The best text of each line (beam_search's options)."""
  return [beam_search(lp, alphabet, **options)[0][0] for lp in log_softmax(logits_BxTxC)]


@dataclasses.dataclass(frozen=True)
class Fused:
  """How a text recognizer reads lines when its run has a character LM: beam search of `beam` prefixes with
  the LM fused by `alpha` and `beta` (the run's config.decoding), as recognizer_text scored its test lines."""

  lm: Any  # nets.recognizer.charlm.CharNgram
  alpha: float
  beta: float
  beam: int

  def read(self, logits_BxTxC, alphabet: str) -> list[str]:
    return decode_batch(logits_BxTxC, alphabet, lm=self.lm, alpha=self.alpha, beta=self.beta, beam=self.beam)

  def describe(self) -> str:
    lm = f"a character {self.lm.order}-gram (alpha {self.alpha}, beta {self.beta})"
    return f"beam search of {self.beam} with {lm}"
