"""A character n-gram language model for decoding lines: P(next character | the line so far).

Interpolated Witten-Bell smoothing (a context h seen C(h) times, followed by T(h) distinct characters):

  P(c | h) = (C(h, c) + T(h) P(c | h')) / (C(h) + T(h)),   h' = h without its first character,

down to the empty context, which interpolates with the uniform distribution; a context never seen is
its shorter context. Every distribution sums to 1 over the alphabet plus END, the end of the line, so a
decoder can score a whole line, its end included. Lines start from ORDER - 1 BEGIN marks, so the model
knows how lines start. No parameter is fitted on held-out text: Witten-Bell has none.

`to_bytes()` gives the model as the lines it counted (gzipped JSON, under a quarter of its counts' size) and
`CharNgram.from_bytes` counts them again: the same model, to the bit (an export carries its run's LM so).
"""

import functools
import gzip
import json
import math
from collections import Counter
from collections.abc import Iterable

import numpy as np

BEGIN, END = "\x02", "\x03"  # Outside every alphabet of nets.data.lines.


class CharNgram:
  """An n-gram model of lines over `alphabet`; `log_probs(context)` is log P(. | context) over
  alphabet + END (END last), cached per context."""

  def __init__(self, lines: Iterable[str], alphabet: str, order: int = 6):
    if order < 1:
      raise ValueError(f"order must be at least 1, got {order}")
    self.alphabet, self.order = alphabet, order
    self.symbols = alphabet + END
    self.index = {s: i for i, s in enumerate(self.symbols)}
    self.lines = tuple(lines)  # What it counted: save() writes them.
    padded = []
    for line in self.lines:
      outside = set(line) - set(alphabet)
      if outside:
        raise ValueError(f"line {line!r} has characters outside the alphabet: {sorted(outside)}")
      padded.append(BEGIN * (order - 1) + line + END)
    # counts[k][h] = Counter of the characters after the k-character context h; each order's n-grams
    # counted whole first, then grouped by context: 2-3x faster than one by one.
    self.counts: list[dict[str, Counter]] = [{} for _ in range(order)]
    for k in range(order):
      grams = Counter(p[i - k : i + 1] for p in padded for i in range(order - 1, len(p)))
      for gram, n in grams.items():
        self.counts[k].setdefault(gram[:-1], Counter())[gram[-1]] = n
    self.log_probs = functools.lru_cache(maxsize=200_000)(self._log_probs)

  def to_bytes(self) -> bytes:
    """The model as the lines it counted, its alphabet and order: gzipped JSON, the same bytes each time."""
    record = {"alphabet": self.alphabet, "order": self.order, "lines": list(self.lines)}
    return gzip.compress(json.dumps(record, ensure_ascii=False).encode(), mtime=0)

  @classmethod
  def from_bytes(cls, raw: bytes) -> "CharNgram":
    """The model to_bytes() wrote, counted again."""
    record = json.loads(gzip.decompress(raw))
    return cls(record["lines"], record["alphabet"], record["order"])

  def context(self, prefix: str) -> str:
    """The last order - 1 characters of a line that begins with `prefix`, BEGIN-padded."""
    return (BEGIN * (self.order - 1) + prefix)[len(prefix) :] if self.order > 1 else ""

  def _probs(self, h: str) -> np.ndarray:
    if not h:
      lower = np.full(len(self.symbols), 1.0 / len(self.symbols))
    else:
      lower = self._probs(h[1:])
    seen = self.counts[len(h)].get(h)
    if not seen:
      return lower
    total, types = sum(seen.values()), len(seen)
    p = lower * (types / (total + types))
    for s, n in seen.items():
      p[self.index[s]] += n / (total + types)
    return p

  def _log_probs(self, h: str) -> np.ndarray:
    return np.log(self._probs(h))

  def line_log_prob(self, line: str) -> float:
    """log P(line, then its end)."""
    total = 0.0
    for i, s in enumerate(line + END):
      total += float(self.log_probs(self.context(line[:i]))[self.index[s]])
    return total

  def bits_per_char(self, lines: Iterable[str]) -> float:
    """Bits per symbol (each line's characters and its end) over `lines`."""
    nats, symbols = 0.0, 0
    for line in lines:
      nats -= self.line_log_prob(line)
      symbols += len(line) + 1
    return nats / math.log(2) / max(symbols, 1)
