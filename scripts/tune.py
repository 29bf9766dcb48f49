"""Bayesian hyper-parameter search: python scripts/tune.py --config=experiments/NAME_tune.py --workdir=DIR.

Runs (or resumes, from DIR/study.db) the optuna study that config.tune describes; see nets/drivers/tune.py.
"""

import os
import sys

from absl import app, flags, logging
from ml_collections import config_flags

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_CONFIG = config_flags.DEFINE_config_file("config", None, "Experiment config file with a `tune` field.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Where the study and its trials live.", required=True)


def main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {' '.join(argv[1:])}")
  logging.set_verbosity(logging.WARNING)
  from nets.drivers.tune import tune  # noqa: PLC0415
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.

  try:
    tune(_CONFIG.value, _WORKDIR.value)
  except (ConfigError, FloatingPointError) as e:
    sys.exit(f"error: {e}")


if __name__ == "__main__":
  flags.mark_flag_as_required("config")
  app.run(main)
