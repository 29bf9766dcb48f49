"""What a run leaves a person to read: metrics.jsonl, TensorBoard events, a summary table."""

import json
import os
from collections.abc import Mapping

from tensorboardX import SummaryWriter


class Logbook:
  """Appends one JSON object per record to metrics.jsonl and mirrors scalars to TensorBoard.

  `enabled=False` writes nothing: the non-primary processes of a multi-process run.
  """

  def __init__(self, workdir: str, enabled: bool = True):
    self.enabled = enabled
    if not enabled:
      return
    self._jsonl = open(os.path.join(workdir, "metrics.jsonl"), "a")  # noqa: SIM115
    self._tb = SummaryWriter(os.path.join(workdir, "tensorboard"))

  def write(self, step: int, record: Mapping[str, float]) -> None:
    if not self.enabled:
      return
    self._jsonl.write(json.dumps({"step": step, **record}) + "\n")
    self._jsonl.flush()
    for name, value in record.items():
      if isinstance(value, int | float) and name != "epoch":
        self._tb.add_scalar(name, value, step)

  def close(self) -> None:
    if not self.enabled:
      return
    self._jsonl.close()
    self._tb.close()


def read_jsonl(path: str) -> list[dict]:
  with open(path) as f:
    return [json.loads(line) for line in f if line.strip()]


def format_table(rows: Mapping[str, object], title: str = "") -> str:
  """A two-column text table: name, value (floats to 4 significant digits)."""
  cells = {k: f"{v:.4g}" if isinstance(v, float) else str(v) for k, v in rows.items()}
  width = max(map(len, cells), default=0)
  vwidth = max(map(len, cells.values()), default=0)
  rule = "-" * (width + vwidth + 3)
  lines = [title, rule] if title else [rule]
  lines += [f"{k:<{width}} | {v}" for k, v in cells.items()]
  return "\n".join([*lines, rule])
