"""The fields every experiment has; an experiment's get_config() starts here and changes some.

They are nets.options.Train's fields at their defaults: that dataclass declares each one's type, default
and meaning, and nets.options.resolve checks a config against it (and its driver's and task's options).
"""

import ml_collections

from nets.options import Train, defaults


def base_config() -> ml_collections.ConfigDict:
  return ml_collections.ConfigDict(defaults(Train))
