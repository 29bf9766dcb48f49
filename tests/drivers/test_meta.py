"""The MAML driver on a tiny budget: it runs, writes its results and figure, and MAML's start adapts."""

import json

import pytest

from experiments.maml_sine import get_config
from nets import drivers
from nets.errors import ConfigError


def tiny(**overrides):
  config = get_config()
  config.update(
    dict(shots=(10,), seeds=(0,), meta_iterations=200, eval_every=100, val_tasks=20, eval_tasks=100)
  )
  config.optimizer.learning_rate = 1e-2  # ten times the paper's meta step: an effect in 200 iterations
  config.update(dict(query_points=50, sweep_step_sizes=(0.003,), sharpness_tasks=10, **overrides))
  return config


def test_maml_adapts_in_one_step_where_the_baselines_do_not(tmp_path):
  results = drivers.run(tiny(), str(tmp_path))
  assert json.load(open(tmp_path / "results.json")) == json.loads(json.dumps(results))
  assert (tmp_path / "maml_sine.png").stat().st_size > 1000
  record = results["shots"]["10"]
  at = lambda alpha, method, steps: record[f"step_size_{alpha}"][method][f"after_{steps}"]["mean"]
  # One step of 0.01 on 10 shots lowers MAML's held-out loss by a margin after 200 meta-iterations ...
  assert at(0.01, "maml", 1) < 0.85 * at(0.01, "maml", 0)
  # ... and below where the pre-trained net gets in one step, at alpha or at the smaller 0.003.
  pretrained = [at(a, "pretrained", 1) for a in (0.01, 0.003)]
  assert at(0.01, "maml", 1) < 0.9 * min(p for p in pretrained if p is not None), pretrained
  # MAML's start is flatter than the others: alpha = 0.01 stays below its 2 / lambda_max.
  sharp = {m: record[f"{m}_sharpness"]["median"]["mean"] for m in ("maml", "pretrained", "scratch")}
  assert sharp["maml"] < min(sharp["pretrained"], sharp["scratch"]), sharp


def test_a_bad_budget_is_one_line(tmp_path):
  with pytest.raises(ConfigError, match="multiple of eval_every"):
    drivers.run(tiny(meta_iterations=250), str(tmp_path))
