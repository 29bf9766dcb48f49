"""Train one experiment: python train.py --config=experiments/NAME.py --workdir=runs/NAME.

Any config field can be overridden: --config.optimizer.learning_rate=0.1. Without --config it
trains the default experiment (experiments/mnist_mlp.py); without --workdir it writes to runs/NAME.
"""

import os
import sys

from absl import app, flags, logging
from ml_collections import config_flags

_DEFAULT_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiments", "mnist_mlp.py")
_CONFIG = config_flags.DEFINE_config_file("config", _DEFAULT_CONFIG, "Experiment config file.")
_WORKDIR = flags.DEFINE_string("workdir", None, "Where the run lives; default runs/<experiment>.")


def main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {' '.join(argv[1:])}")
  logging.set_verbosity(logging.WARNING)
  from nets import drivers  # noqa: PLC0415
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.

  name = os.path.splitext(os.path.basename(config_flags.get_config_filename(flags.FLAGS["config"])))[0]
  workdir = _WORKDIR.value or os.path.join("runs", name)
  try:
    drivers.run(_CONFIG.value, workdir)
  except (ConfigError, FloatingPointError) as e:
    sys.exit(f"error: {e}")


if __name__ == "__main__":
  app.run(main)
