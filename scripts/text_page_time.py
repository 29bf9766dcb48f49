"""Time the service reading full pages of text: greedy beside beam search with the run's LM, one process.

  python scripts/text_page_time.py --checkpoint=runs/recognizer_text/export --pages=20 --lines=8

Pages of `--lines` consecutive held-out-font test lines of the run (nets.recognizer.photos.text_pages),
photographed, are POSTed to /v1/predict of two apps serving the same model, one reading greedily and one
as the export reads (beam search with its LM); each page goes to both in turn. Prints the seconds per
request (median and max) of each and the request deadline they must fit (work.Limits.deadline_s).
"""

import argparse
import base64
import dataclasses
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
  parser.add_argument("--checkpoint", required=True, help="a text run's workdir or its export")
  parser.add_argument("--pages", type=int, default=20)
  parser.add_argument("--lines", type=int, default=8)
  parser.add_argument("--seed", type=int, default=2026)
  args = parser.parse_args()
  from fastapi.testclient import TestClient  # noqa: PLC0415

  from nets.drivers.recognizer_text import read_split  # noqa: PLC0415
  from nets.recognizer import photos, serve  # noqa: PLC0415
  from nets.recognizer.pipeline import Recognizer  # noqa: PLC0415
  from nets.recognizer.work import Limits  # noqa: PLC0415
  from nets.training.workdir import read_config  # noqa: PLC0415

  fused = Recognizer.load(args.checkpoint)
  if fused.decoder is None:
    sys.exit(f"error: {args.checkpoint} reads greedily (no LM): nothing to compare")
  clients = {
    name: TestClient(serve.create_app(recognizer=r))
    for name, r in (("greedy", dataclasses.replace(fused, decoder=None)), ("beam_lm", fused))
  }
  x, texts, _ = read_split(read_config(photos.run_workdir(args.checkpoint)), "test")
  pages = photos.text_pages(x, texts, args.pages, args.seed, num_lines=(args.lines, args.lines))
  seconds = {name: [] for name in clients}
  for raw, _ in pages:
    body = {"image": "data:image/jpeg;base64," + base64.b64encode(raw).decode()}
    for name, client in clients.items():
      t0 = time.perf_counter()
      r = client.post("/v1/predict", json=body)
      seconds[name].append(time.perf_counter() - t0)
      if r.status_code != 200:  # A page over the service's limits (2 MB, 256 lines) is answered, not timed.
        error = r.json()["error"]
        sys.exit(f"error: the service answered a page of {args.lines} lines {r.status_code}: {error}")
  for name, s in seconds.items():
    record = {"decoding": name, "pages": args.pages, "lines_per_page": args.lines}
    record.update(median_s=round(float(np.median(s)), 3), max_s=round(float(np.max(s)), 3))
    print(json.dumps({**record, "deadline_s": Limits.deadline_s}), flush=True)


if __name__ == "__main__":
  main()
