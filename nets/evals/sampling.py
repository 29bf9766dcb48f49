"""Sample text from a trained next-character model, with a temperature.

`load(workdir)` rebuilds a language-model run's model from its config.json and restores the newest
checkpoint; `sample(...)` draws one character at a time. The model always sees a fixed window of
seq_len ids filled from the left (one compiled shape): a causal model's logits at position n - 1
do not depend on the unfilled positions after it. Once full, the window slides.
"""

from functools import partial

import jax
import jax.numpy as jnp
import numpy as np

from nets.data import Dataset
from nets.data.text import VOCAB_SIZE, decode, encode
from nets.errors import ConfigError
from nets.training.workdir import read_config, restore


def load(workdir: str):
  """(model, params, seq_len) of the language-model run in `workdir`."""
  config = read_config(workdir)
  if config.task != "language_model":
    raise ConfigError(f"{workdir} trained task {config.task!r}; sampling needs a 'language_model' run")
  x = np.zeros((1, config.data.seq_len), np.int32)
  dataset = Dataset(config.data.name, {"train": {"x": x, "y": x}}, VOCAB_SIZE)
  task, state = restore(config, dataset, workdir)
  return task.model, state.params, config.data.seq_len


@partial(jax.jit, static_argnames=("model",))
def _next(model, params, window_T, n, key, temperature):
  logits_V = model.apply({"params": params}, window_T[None])[0, n - 1]
  greedy = jnp.argmax(logits_V)
  drawn = jax.random.categorical(key, logits_V / jnp.maximum(temperature, 1e-6))
  return jnp.where(temperature > 0, drawn, greedy)


def sample(
  model, params, seq_len: int, prompt: str, *, length: int, temperature: float, seed: int = 0
) -> str:
  """`prompt` continued by `length` characters; temperature 0 takes the most likely each time."""
  if temperature < 0:
    raise ConfigError(f"temperature must be >= 0, got {temperature}")
  ids = list(encode(prompt or "\n"))
  key = jax.random.PRNGKey(seed)
  for i in range(length):
    context = ids[-seq_len:]
    window = np.zeros(seq_len, np.int32)
    window[: len(context)] = context
    token = _next(model, params, window, len(context), jax.random.fold_in(key, i), temperature)
    ids.append(int(token))
  return decode(ids) if prompt else decode(ids[1:])
