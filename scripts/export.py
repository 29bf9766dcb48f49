"""Export a trained run's predict function: python scripts/export.py --workdir=runs/NAME.

Writes RUN/export/predict.jax_export (serialized jax.export, StableHLO, any batch size) and
RUN/export/spec.json (input and output shapes, dtypes, meanings, and the artifact's SHA-256, which
loading checks); see nets/export.py for loading it. The artifact is code: serve only exports of runs you
trust.
"""

import json
import os
import sys

from absl import app, flags, logging

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this checkout's nets

_WORKDIR = flags.DEFINE_string("workdir", None, "A trained run's workdir.", required=True)
_OUT = flags.DEFINE_string("out", None, "Where to write; default WORKDIR/export.")
_PLATFORMS = flags.DEFINE_list("platforms", ["cpu", "cuda", "tpu"], "Backends to lower for.")


def main(argv):
  del argv
  logging.set_verbosity(logging.ERROR)
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.
  from nets.export import export  # noqa: PLC0415

  try:
    spec = export(_WORKDIR.value, _OUT.value, tuple(_PLATFORMS.value))
  except ConfigError as e:
    sys.exit(f"error: {e}")
  print(json.dumps(spec, indent=2))


if __name__ == "__main__":
  app.run(main)
