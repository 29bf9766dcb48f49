"""Train one experiment: python train.py --config=experiments/NAME.py --workdir=runs/NAME.

Any config field can be overridden: --config.optimizer.learning_rate=0.1. Without --config it
trains the default experiment (experiments/mnist_mlp.py); without --workdir it writes to runs/NAME.
"""

import os
import sys

from absl import app, flags, logging
from ml_collections import config_flags

_DEFAULT_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "experiments", "mnist_mlp.py")


def _no_such_field(e: Exception) -> str:
  field = str(e).strip("\"'")
  return f"error: no config field {field!r}; the fields are those of nets/config.py and the experiment file"


try:  # ml_collections reads --config.FIELD overrides here, so an unknown field fails here.
  _CONFIG = config_flags.DEFINE_config_file("config", _DEFAULT_CONFIG, "Experiment config file.")
except (KeyError, AttributeError) as e:
  sys.exit(_no_such_field(e))
_WORKDIR = flags.DEFINE_string("workdir", None, "Where the run lives; default runs/<experiment>.")


def main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {' '.join(argv[1:])}")
  logging.set_verbosity(logging.ERROR)  # Library chatter; the loop reports what matters.
  from nets import distributed, drivers  # noqa: PLC0415
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.

  name = os.path.splitext(os.path.basename(config_flags.get_config_filename(flags.FLAGS["config"])))[0]
  workdir = _WORKDIR.value or os.path.join("runs", name)
  try:
    distributed.initialize_from_env()  # Before any computation: several processes act as one.
    drivers.run(_CONFIG.value, workdir)
  except (ConfigError, FloatingPointError) as e:
    sys.exit(f"error: {e}")


def parse_flags(argv: list[str]) -> list[str]:
  """absl's flag parsing, with a bad config file or flag value reported in one line."""
  try:
    argv = flags.FLAGS(argv)
    path = config_flags.get_config_filename(flags.FLAGS["config"])
    if not os.path.isfile(path):
      sys.exit(f"error: config file {path!r} does not exist; the experiments are in experiments/")
    _CONFIG.value.keys()  # Loads the config file, which ml_collections defers to the first use.
  except flags.Error as e:
    sys.exit(f"error: {e}")
  except (KeyError, AttributeError) as e:
    sys.exit(_no_such_field(e))
  except OSError as e:
    sys.exit("error: " + " ".join(str(e).split()))
  return argv


if __name__ == "__main__":
  app.run(main, flags_parser=parse_flags)
