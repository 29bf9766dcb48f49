"""The line finder: a projection-profile baseline, and precision/recall of found lines against true ones.

Rows with ink form runs; runs closer than `min_gap` rows are one line (a digit's strokes may leave a
blank row), runs lower than `min_height` rows are specks, not lines.
"""

import numpy as np


def find_lines(
  image_HxW: np.ndarray, *, threshold: float = 0.3, min_gap: int = 3, min_height: int = 4
) -> list[tuple[int, int]]:
  """(top, bottom) row ranges (bottom exclusive) of the text lines of a bright-ink image."""
  inked = np.flatnonzero((image_HxW > threshold).any(axis=1))
  if inked.size == 0:
    return []
  breaks = np.flatnonzero(np.diff(inked) > min_gap)
  starts = np.concatenate([[inked[0]], inked[breaks + 1]])
  ends = np.concatenate([inked[breaks], [inked[-1]]]) + 1
  return [(int(s), int(e)) for s, e in zip(starts, ends, strict=True) if e - s >= min_height]


def iou(a: tuple[int, int], b: tuple[int, int]) -> float:
  """Intersection over union of two row ranges."""
  inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
  return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match(found: list[tuple[int, int]], true: list[tuple[int, int]], min_iou: float = 0.5) -> int:
  """How many found lines match a distinct true line with IoU >= min_iou (greedy, best first)."""
  pairs = sorted(((iou(f, t), i, j) for i, f in enumerate(found) for j, t in enumerate(true)), reverse=True)
  used_f, used_t = set(), set()
  for score, i, j in pairs:
    if score >= min_iou and i not in used_f and j not in used_t:
      used_f.add(i)
      used_t.add(j)
  return len(used_f)
