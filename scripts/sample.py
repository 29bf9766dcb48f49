"""Sample text from a trained next-character model.

python scripts/sample.py --workdir=runs/charlm_lstm --temperature=0.8 --length=400 --prompt="The "
"""

import os
import sys

from absl import app, flags, logging

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

_WORKDIR = flags.DEFINE_string("workdir", None, "A language_model run's workdir.", required=True)
_TEMPERATURE = flags.DEFINE_float("temperature", 0.8, "Softmax temperature; 0 = greedy.")
_LENGTH = flags.DEFINE_integer("length", 400, "Characters to generate.")
_PROMPT = flags.DEFINE_string("prompt", "The ", "Text to continue.")
_SEED = flags.DEFINE_integer("seed", 0, "Sampling seed.")


def main(argv):
  del argv
  logging.set_verbosity(logging.WARNING)
  from nets.errors import ConfigError  # noqa: PLC0415
  from nets.evals import sampling  # noqa: PLC0415

  try:
    model, params, seq_len = sampling.load(_WORKDIR.value)
    text = sampling.sample(
      model,
      params,
      seq_len,
      _PROMPT.value,
      length=_LENGTH.value,
      temperature=_TEMPERATURE.value,
      seed=_SEED.value,
    )
  except ConfigError as e:
    sys.exit(f"error: {e}")
  print(text)


if __name__ == "__main__":
  app.run(main)
