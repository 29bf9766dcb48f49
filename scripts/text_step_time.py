"""Time one training step of text line recognizers (32 x 384 lines, 78 CTC classes) side by side.

  python scripts/text_step_time.py --batch=64 --models=lstm_16_32_64_xla,lstm_16_32_64,cnn_8_16_32

Each model: one jitted Adam step of the CTC loss on random lines, compiled first, then the mean of
`--steps` steps. In one process, so the ratios hold even on a shared machine (docs/guide/handwriting_data.md).
"""

import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import optax
from absl import app, flags

from nets import models
from nets.recognizer.ctc import ctc_loss

MODELS = {
  "lstm_16_32_64_xla": dict(name="line_lstm", channels=(16, 32, 64), hidden=96, conv="xla"),
  "lstm_16_32_64": dict(name="line_lstm", channels=(16, 32, 64), hidden=96, conv="fast"),
  "lstm_16_32_64_wp3": dict(name="line_lstm", channels=(16, 32, 64), width_pools=3, hidden=96, conv="fast"),
  "lstm_32_64_96": dict(name="line_lstm", channels=(32, 64, 96), hidden=128, conv="fast"),
  "lstm_8_16_32": dict(name="line_lstm", channels=(8, 16, 32), hidden=96, conv="fast"),
  "lstm_p4_64_96_128": dict(name="line_lstm", channels=(64, 96, 128), patch=4, hidden=96, conv="fast"),
  "cnn_8_16_32": dict(name="line_cnn", channels=(8, 16, 32), hidden=128, conv="fast"),
}
flags.DEFINE_integer("batch", 64, "lines a step")
flags.DEFINE_integer("steps", 5, "timed steps a model")
flags.DEFINE_list("models", list(MODELS), f"which of {', '.join(MODELS)}")
FLAGS = flags.FLAGS


def step_seconds(spec: dict, batch: int, steps: int) -> tuple[int, float]:
  """(parameters, seconds a step) of one model."""
  rng = np.random.default_rng(0)
  x = jnp.asarray(rng.random((batch, 32, 384, 1), np.float32))
  y = jnp.asarray(rng.integers(1, 78, (batch, 32)).astype(np.int32))
  model = models.make(ml_collections.ConfigDict(spec), 78)
  variables = model.init(jax.random.key(0), x[:2], train=False)
  params, stats = variables["params"], variables.get("batch_stats", {})
  tx = optax.adam(1e-3)

  @jax.jit
  def step(params, stats, opt_state, key):
    def loss(p):
      out, new = model.apply(
        {"params": p, "batch_stats": stats}, x, train=True, rngs={"dropout": key}, mutable=["batch_stats"]
      )
      return ctc_loss(out, y).mean(), new["batch_stats"]

    (value, stats), grads = jax.value_and_grad(loss, has_aux=True)(params)
    updates, opt_state = tx.update(grads, opt_state, params)
    return optax.apply_updates(params, updates), stats, opt_state, value

  state = (params, stats, tx.init(params))
  jax.block_until_ready(step(*state, jax.random.key(1)))  # Compile.
  start = time.perf_counter()
  for i in range(steps):
    *state, value = step(*state, jax.random.key(i))
  jax.block_until_ready(value)
  return sum(p.size for p in jax.tree.leaves(params)), (time.perf_counter() - start) / steps


def main(_):
  for name in FLAGS.models:
    n, seconds = step_seconds(MODELS[name], FLAGS.batch, FLAGS.steps)
    print(f"{name}: {n:,} parameters, {seconds * 1000:,.0f} ms a step at batch {FLAGS.batch}", flush=True)


if __name__ == "__main__":
  app.run(main)
