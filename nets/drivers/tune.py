"""Bayesian hyper-parameter search with optuna's TPE sampler over the one loop.

Searches learning rate and weight decay (log-uniform) and dropout rate (uniform) within
`config.tune`'s ranges, maximising or minimising `config.tune.metric` (a validation figure). The
study lives in SQLite (workdir/study.db) and each trial in workdir/trial_N, so a killed search
started again on the same workdir resumes: finished trials are kept, and an interrupted one is run
again with its parameters in its own workdir, where the loop resumes it from its last checkpoint.
"""

import os

import ml_collections
import optuna

from nets import options
from nets.errors import ConfigError
from nets.training import loop
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()

train = loop.train_and_evaluate  # What a trial runs; tests replace it.


def _resume_interrupted(study: optuna.Study) -> None:
  """Fail trials a killed process left RUNNING, and queue every interrupted trial's parameters
  again (once) with its workdir, so the search redoes it from its checkpoints."""
  trials = study.get_trials(deepcopy=False)
  requeued = {t.user_attrs.get("resumes") for t in trials}
  for t in trials:
    if t.state == optuna.trial.TrialState.RUNNING:  # No process runs it now: it was killed.
      # The storage API names trials by id; FrozenTrial keeps it private.
      study._storage.set_trial_user_attr(t._trial_id, "interrupted", True)
      study._storage.set_trial_state_values(t._trial_id, optuna.trial.TrialState.FAIL)
    elif not t.user_attrs.get("interrupted"):
      continue
    if t.number not in requeued:
      study.enqueue_trial(t.params, user_attrs={"workdir": t.user_attrs["workdir"], "resumes": t.number})


@options.resolved
def tune(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Run (or resume) the search; results.json holds every trial and the best one."""
  spec = config.tune.to_dict()  # Its fields and defaults: nets.options.Tune.
  metric = spec["metric"]
  if not metric.startswith("val_") or not config.data.validation_size:
    raise ConfigError(
      f"tune.metric must be a val_ figure with config.data.validation_size > 0, got {metric!r}"
    )
  direction = "minimize" if metric.endswith(("loss", "error")) else "maximize"
  os.makedirs(workdir, exist_ok=True)
  study = optuna.create_study(
    study_name="tune",
    storage=f"sqlite:///{os.path.abspath(os.path.join(workdir, 'study.db'))}",
    sampler=optuna.samplers.TPESampler(seed=config.seed, n_startup_trials=min(5, spec["trials"])),
    direction=direction,
    load_if_exists=True,
  )
  _resume_interrupted(study)

  def objective(trial: optuna.Trial) -> float:
    trial_dir = trial.user_attrs.get("workdir") or os.path.join(workdir, f"trial_{trial.number}")
    trial.set_user_attr("workdir", trial_dir)
    trial_config = options.for_driver(config, "train")  # The search's own fields left out.
    with trial_config.unlocked():
      opt = trial_config.optimizer
      opt.learning_rate = trial.suggest_float("learning_rate", *spec["learning_rate"], log=True)
      opt.weight_decay = trial.suggest_float("weight_decay", *spec["weight_decay"], log=True)
      trial_config.model.dropout_rate = trial.suggest_float("dropout_rate", *spec["dropout_rate"])
    try:
      results = train(trial_config, trial_dir)
    except KeyboardInterrupt:
      trial.set_user_attr("interrupted", True)
      raise
    trial.set_user_attr("test_accuracy", results.get("test_accuracy"))
    return results[metric]

  done = [t for t in study.get_trials(deepcopy=False) if t.state.is_finished()]
  remaining = spec["trials"] - len([t for t in done if not t.user_attrs.get("interrupted")])
  if remaining > 0:
    study.optimize(objective, n_trials=remaining, catch=(FloatingPointError,))

  complete = study.get_trials(states=(optuna.trial.TrialState.COMPLETE,))
  best = study.best_trial
  results = {
    "metric": metric,
    "direction": direction,
    "best": {"number": best.number, "value": best.value, "params": best.params, **best.user_attrs},
    "trials": [{"number": t.number, "value": t.value, "params": t.params, **t.user_attrs} for t in complete],
  }
  _plot(complete, direction, metric, os.path.join(workdir, "tune.png"))
  summary = {"trials": len(complete), metric: best.value, **best.params}
  return write_results(workdir, results, summary, title="best trial")


def _plot(trials: list, direction: str, metric: str, path: str) -> None:
  values = [t.value for t in sorted(trials, key=lambda t: t.number)]
  best = [
    min(values[: i + 1]) if direction == "minimize" else max(values[: i + 1]) for i in range(len(values))
  ]
  fig, ax = plt.subplots(figsize=(5, 3.5))
  ax.plot(values, "o", label="trial")
  ax.plot(best, "-", label="best so far")
  ax.set(xlabel="trial", ylabel=metric)
  ax.legend()
  save_figure(fig, path, dpi=120)
