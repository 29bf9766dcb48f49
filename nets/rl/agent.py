"""What every agent is: three pure functions the driver compiles into one program."""

from collections.abc import Callable
from typing import Any, NamedTuple

import jax


class Agent(NamedTuple):
  """`init(key) -> state`; `update(state) -> (state, metrics)` acts in its environments and learns once;
  `greedy(state, obs_BxD) -> action_B` is the policy evaluated. Every state has `env_steps`, the
  environment transitions it has taken; metrics have `return_sum` and `episodes`, the summed undiscounted
  return of the training episodes that ended in the update and their number."""

  init: Callable[[jax.Array], Any]
  update: Callable[[Any], tuple[Any, dict[str, jax.Array]]]
  greedy: Callable[[Any, jax.Array], jax.Array]
