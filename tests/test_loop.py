import json
import os

import numpy as np

from nets.logbook import read_jsonl
from nets.loop import train_and_evaluate


def test_one_epoch_writes_a_readable_workdir(tiny_config, tmp_path):
  results = train_and_evaluate(tiny_config, str(tmp_path))
  assert set(os.listdir(tmp_path)) >= {
    "config.json",
    "metrics.jsonl",
    "results.json",
    "tensorboard",
    "checkpoints",
  }
  assert json.load(open(tmp_path / "results.json")) == results
  assert 0.5 < results["test_accuracy"] <= 1.0 and np.isfinite(results["test_loss"])
  assert results["steps"] == 4000 // 50 and results["epochs"] == 1
  (record,) = read_jsonl(tmp_path / "metrics.jsonl")
  assert record["step"] == 80 and record["epoch"] == 1
