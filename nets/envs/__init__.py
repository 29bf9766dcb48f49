"""Environments by name: pure JAX functions from gymnax, `reset(key, params)`, `step(key, state, a, params)`.

`step` returns `(obs, state, reward, terminated, truncated, info)` and resets by itself when an episode
ends (`info["final_observation"]` is the observation the episode ended on), so a rollout is one
`lax.scan` and many environments are one `vmap`.
"""

from typing import Any

from nets.errors import lookup

ENVS: dict[str, str] = {
  "cartpole": "CartPole-v1",  # Barto, Sutton & Anderson (1983); 500 steps, reward 1 per step
}


def make(name: str) -> tuple[Any, Any]:
  """`(env, env_params)` for the environment `name` in ENVS."""
  import gymnax  # noqa: PLC0415 - takes seconds to import; only RL runs pay for it.

  return gymnax.make(lookup(ENVS, "environment", name))
