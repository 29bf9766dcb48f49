"""Optimizers side by side: each method runs a grid of learning rates at once (vmapped) and keeps the
rate that reaches the target loss in the fewest steps (else the lowest final loss)."""

import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import optim
from nets.drivers.studies.fit import minimise


def batch_indices(key: jax.Array, n: int, batch_size: int, num_steps: int) -> jax.Array | None:
  """[num_steps, B] example indices, a fresh permutation each epoch; None for full batch (B = 0)."""
  if not batch_size or batch_size >= n:
    return None
  per_epoch = n // batch_size
  epochs = -(-num_steps // per_epoch)
  perms = jax.vmap(lambda e: jax.random.permutation(jax.random.fold_in(key, e), n))(jnp.arange(epochs))
  return perms[:, : per_epoch * batch_size].reshape(-1, batch_size)[:num_steps]


def sweep(method: ml_collections.ConfigDict, loss_fn, eval_fn, params, n: int, cfg, key) -> dict:
  """Run `method` (optimizer, batch_size, learning_rates) for cfg.num_steps; pick its best rate.

  Returns the curve of eval_fn every cfg.eval_every steps at the best rate, that rate, the steps
  and seconds to reach cfg.target_loss (None if never), and the seconds one step takes.
  """
  opt_cfg = ml_collections.ConfigDict({"name": method.optimizer, "learning_rate": 1.0})
  tx = optim.make_optimizer(opt_cfg, cfg.num_steps)
  batches = batch_indices(key, n, method.batch_size, cfg.num_steps)
  lrs = jnp.asarray(method.learning_rates, jnp.float32)

  def one(lr):
    _, _, evals = minimise(
      loss_fn, params, tx, cfg.num_steps, batches, scale=lr, eval_fn=eval_fn, eval_every=cfg.eval_every
    )
    return evals

  compiled = jax.jit(jax.vmap(one)).lower(lrs).compile()  # Compile first: time only the run.
  t0 = time.perf_counter()
  curves = np.asarray(jax.block_until_ready(compiled(lrs)))
  step_seconds = (time.perf_counter() - t0) / (len(lrs) * cfg.num_steps)
  curves = np.where(np.isfinite(curves), curves, np.inf)
  hits = [np.flatnonzero(c <= cfg.target_loss) for c in curves]
  first = np.array([(h[0] + 1) * cfg.eval_every if h.size else np.inf for h in hits])
  best = int(np.argmin(first)) if np.isfinite(first).any() else int(np.argmin(curves[:, -1]))
  steps = None if not np.isfinite(first[best]) else int(first[best])
  return {
    "learning_rate": float(lrs[best]),
    "steps_to_target": steps,
    "seconds_to_target": None if steps is None else round(steps * step_seconds, 4),
    "step_milliseconds": round(1e3 * step_seconds, 4),
    "final_loss": float(curves[best, -1]),
    "curve": [float(v) for v in curves[best]],
    "final_loss_per_rate": {
      f"{lr:g}": float(c[-1]) for lr, c in zip(method.learning_rates, curves, strict=True)
    },
  }


def summary_rows(results: dict, prefix: str = "") -> dict:
  """One table line per method: lr, steps and seconds to the target."""
  rows = {}
  for name, r in results.items():
    reach = (
      f"{r['steps_to_target']} steps, {r['seconds_to_target']}s" if r["steps_to_target"] else "not reached"
    )
    rows[f"{prefix}{name}"] = f"lr {r['learning_rate']:g}: {reach}; final {r['final_loss']:.3g}"
  return rows


def plot_curves(ax, results: dict, eval_every: int, offset: float = 0.0, title: str = ""):
  for name, r in results.items():
    steps = eval_every * np.arange(1, len(r["curve"]) + 1)
    ax.semilogy(
      steps, np.maximum(np.array(r["curve"]) - offset, 1e-12), label=f"{name} (lr {r['learning_rate']:g})"
    )
  ax.set(xlabel="step", title=title)
  ax.grid(True, which="both", alpha=0.3)
  ax.legend(fontsize=6)
