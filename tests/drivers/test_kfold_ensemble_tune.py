import json

import ml_collections
import numpy as np
import optuna
import pytest

from nets import data, drivers
from nets.drivers import tune
from nets.errors import ConfigError


@pytest.fixture
def digits_config(tiny_config):
  config = tiny_config
  config.data.name, config.batch_size = "digits", 100
  config.steps_per_call = 14  # At most an epoch per call, without auto's cost analysis.
  return config


def test_kfold_uses_every_example_exactly_once_as_validation():
  for n, k in ((10, 3), (1437, 5)):
    vals = [data.kfold_indices(n, k, i)[1] for i in range(k)]
    assert sorted(np.concatenate(vals).tolist()) == list(range(n))
    assert max(map(len, vals)) - min(map(len, vals)) <= 1
    train, val = data.kfold_indices(n, k, 1)
    assert sorted([*train, *val]) == list(range(n))
  with pytest.raises(ConfigError, match="k-fold needs 2 <= folds <= 10"):
    data.kfold_indices(10, 11, 0)


def test_kfold_driver_trains_each_fold_and_summarises(digits_config, tmp_path):
  config = digits_config
  config.driver, config.kfold = "kfold", 2
  results = drivers.run(config, str(tmp_path))
  folds = results["folds"]
  assert len(folds) == 2 and json.load(open(tmp_path / "results.json")) == results
  val = [f["val_accuracy"] for f in folds]
  assert results["summary"]["val_accuracy"]["mean"] == pytest.approx(np.mean(val))
  assert results["summary"]["val_accuracy"]["std"] == pytest.approx(np.std(val))
  assert [f["steps"] for f in folds] == [718 // 100, 719 // 100]  # 1,437 halved: 719 and 718 held out
  whole = data.load("digits").splits["train"]["x"]
  held_out = np.concatenate(
    [data.load("digits", folds=2, fold=i).splits["validation"]["x"] for i in range(2)]
  )
  assert sorted(map(bytes, held_out)) == sorted(map(bytes, whole))  # Each example validates once.
  config.kfold = 1
  with pytest.raises(ConfigError, match="needs config.kfold >= 2"):
    drivers.run(config, str(tmp_path / "bad"))


def test_vmap_ensemble_members_equal_separate_runs_with_the_same_keys(digits_config, tmp_path):
  config = digits_config
  config.model.dropout_rate = 0.3  # Members' dropout keys must match the runs' too.
  config.driver, config.ensemble_size, config.seed = "ensemble", 2, 5
  config.steps_per_call = 5  # Three calls an epoch (5, 5, 4 steps), as the loop makes for the single run.
  ensemble = drivers.run(config, str(tmp_path / "ensemble"))
  single = config.copy_and_resolve_references()
  single.driver, single.seed = "train", 6  # Member 1: its keys come from seed + 1.
  run = drivers.run(single, str(tmp_path / "seed_6"))
  assert ensemble["members"]["test_loss"][1] == pytest.approx(run["test_loss"], rel=1e-5)
  assert ensemble["members"]["test_accuracy"][1] == pytest.approx(run["test_accuracy"], abs=1e-6)
  assert ensemble["members"]["test_loss"][0] != pytest.approx(run["test_loss"], rel=1e-3)
  assert ensemble["seeds"] == [5, 6] and len(ensemble["ensemble_accuracy_by_size"]) == 2
  assert ensemble["ensemble_accuracy_by_size"][0] == pytest.approx(ensemble["members"]["test_accuracy"][0])
  assert (tmp_path / "ensemble" / "ensemble.png").exists()


def test_ensemble_loads_the_dataset_with_its_own_options_as_the_loop_does(tmp_path):
  from nets.config import base_config

  config = base_config()
  config.data.name, config.data.seq_len = "pydoc_topic_snippets", 32  # Not the builder's default (64).
  config.model = ml_collections.ConfigDict(dict(name="mlp", widths=(8,)))  # The ids as numbers: cheap.
  config.batch_size, config.num_epochs, config.eval_batch_size = 256, 1, 512
  config.driver, config.ensemble_size = "ensemble", 2
  ensemble = drivers.run(config, str(tmp_path / "ensemble"))
  single = config.copy_and_resolve_references()
  single.driver, single.seed = "train", 1
  run = drivers.run(single, str(tmp_path / "seed_1"))
  # Member 1 is the loop's seed-1 run on the same 32-character windows (there is no test split here).
  assert ensemble["members"]["val_loss"][1] == pytest.approx(run["val_loss"], rel=1e-5)
  assert "ensemble_val_accuracy" in ensemble


def _fake_train(calls, interrupt_at=None):
  def train(config, workdir):
    calls.append((workdir, config.optimizer.learning_rate))
    if len(calls) == interrupt_at:
      raise KeyboardInterrupt
    return {"val_accuracy": 1.0 - abs(np.log10(config.optimizer.learning_rate) + 2), "test_accuracy": 0.5}

  return train


def test_interrupted_optuna_study_resumes_in_its_sqlite_file(digits_config, tmp_path, monkeypatch):
  config = digits_config
  config.driver, config.data.validation_size = "tune", 200
  config.tune = dict(trials=4, metric="val_accuracy")
  calls = []
  monkeypatch.setattr(tune, "train", _fake_train(calls, interrupt_at=2))
  with pytest.raises(KeyboardInterrupt):
    drivers.run(config, str(tmp_path))
  interrupted_dir, interrupted_lr = calls[1]
  # A kill leaves a trial RUNNING: ask for one and never tell.
  study = optuna.load_study(study_name="tune", storage=f"sqlite:///{tmp_path / 'study.db'}")
  killed = study.ask({"learning_rate": optuna.distributions.FloatDistribution(1e-4, 1e-1, log=True)})
  killed.set_user_attr("workdir", str(tmp_path / "trial_killed"))

  monkeypatch.setattr(tune, "train", _fake_train(calls))
  results = drivers.run(config, str(tmp_path))
  assert len(results["trials"]) == 4  # trial 0 kept, the two interrupted redone, one more.
  assert len(calls) == 2 + 3 and calls[0] not in calls[2:]
  assert (interrupted_dir, interrupted_lr) in calls[2:]  # Same parameters, same workdir: it resumes.
  assert str(tmp_path / "trial_killed") in [w for w, _ in calls[2:]]
  best = max(results["trials"], key=lambda t: t["value"])
  assert results["best"]["value"] == best["value"] and (tmp_path / "tune.png").exists()
  assert drivers.run(config, str(tmp_path))["trials"] == results["trials"]  # Done: nothing reruns.
  assert len(calls) == 5


def test_tune_needs_a_validation_metric(digits_config, tmp_path):
  config = digits_config
  config.driver = "tune"
  with pytest.raises(ConfigError, match="validation_size > 0"):
    drivers.run(config, str(tmp_path))
