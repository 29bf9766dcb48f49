"""Universality: one hidden layer of growing width fitted to continuous functions on [-1, 1].

Nielsen's construction (chapter 4) starts the fit: hidden unit j switches at a centre c_j drawn
uniformly on [-1, 1] (w_j = +-s, b_j = -w_j c_j, with sigmoid steepness s = width / 2 so neighbouring
steps overlap), and the output layer is the least-squares combination of those units. Adam then trains
every parameter on the full grid of training points. Errors are measured on a 4x finer grid. Each
(activation, width) is one compiled program, vmapped over targets and seeds; the best seed by training
loss is kept, since a fit is a claim about what the width can express.
"""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import activations, losses, optim, options
from nets.drivers.studies.fit import minimise
from nets.errors import ConfigError, lookup
from nets.models import MLP
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()

TARGETS = {
  "sin": lambda x: jnp.sin(jnp.pi * x),
  "abs": jnp.abs,  # A kink: the derivative jumps.
  "wiggly": lambda x: 0.6 * jnp.sin(3 * jnp.pi * x) + 0.3 * jnp.sin(7 * jnp.pi * x) + 0.2 * jnp.cos(13 * x),
  "step": lambda x: jax.nn.sigmoid(40 * x),  # A steep sigmoid step at 0.
}


def _fit_width(cfg, activation, width, x_N, y_TxN, x_eval, seeds):
  """Best-of-seeds fits of every target: (train loss [T], predictions on x_eval [T, M])."""
  model = MLP(num_outputs=1, widths=(width,), activation=activation, kernel_init="normal", bias_init="normal")
  tx = optim.make_optimizer(cfg.optimizer, cfg.num_steps)

  def one(y_N, seed):
    params = _constructed(model, activation, width, x_N, y_N, jax.random.PRNGKey(seed))
    loss_fn = lambda p, _: jnp.mean(losses.mse(model.apply({"params": p}, x_N[:, None]), y_N[:, None]))
    trained, _, _ = minimise(loss_fn, params, tx, cfg.num_steps)
    # Keep the better of the construction and the trained net (Adam's first steps can undo a good start).
    better = loss_fn(trained, None) <= loss_fn(params, None)
    params = jax.tree.map(lambda a, b: jnp.where(better, a, b), trained, params)
    return loss_fn(params, None), model.apply({"params": params}, x_eval[:, None])[:, 0]

  over_seeds = jax.vmap(one, in_axes=(None, 0))
  final_TxS, pred_TxSxM = jax.jit(jax.vmap(over_seeds, in_axes=(0, None)))(y_TxN, seeds)
  best = jnp.argmin(final_TxS, axis=1)
  return final_TxS[jnp.arange(len(best)), best], pred_TxSxM[jnp.arange(len(best)), best]


def _constructed(model, activation, width, x_N, y_N, key):
  """Hidden units switching at random centres; output weights by least squares on those features."""
  k_centre, k_sign = jax.random.split(key)
  centre_H = jax.random.uniform(k_centre, (width,), minval=-1.0, maxval=1.0)
  sign_H = jnp.where(jax.random.bernoulli(k_sign, shape=(width,)), 1.0, -1.0)
  w_H = sign_H * (0.5 * width if activation == "sigmoid" else 1.0)
  params = model.init(key, x_N[:1, None])["params"]
  hidden = {"kernel": w_H[None, :], "bias": -w_H * centre_H}
  feats_NxH = activations.get(activation)(x_N[:, None] * w_H + hidden["bias"])
  design = jnp.concatenate([feats_NxH, jnp.ones_like(x_N)[:, None]], axis=1)
  coef = jnp.linalg.lstsq(design, y_N, rcond=None)[0]
  return {**params, "Dense_0": hidden, "Dense_1": {"kernel": coef[:-1, None], "bias": coef[-1:]}}


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  os.makedirs(workdir, exist_ok=True)
  names = list(config.targets)
  fns = [lookup(TARGETS, "target", n) for n in names]
  if not config.widths or min(config.widths) < 1:
    raise ConfigError(f"widths must be positive integers, got {config.widths}")
  x_N = jnp.linspace(-1.0, 1.0, config.num_points)
  x_eval = jnp.linspace(-1.0, 1.0, 4 * config.num_points + 1)
  y_TxN = jnp.stack([f(x_N) for f in fns])
  y_eval = np.stack([np.asarray(f(x_eval)) for f in fns])
  seeds = jnp.arange(config.num_seeds) + config.seed

  t0, cpu0 = time.perf_counter(), time.process_time()
  table, preds = {}, {}
  for act in config.activations:
    for width in config.widths:
      _, pred_TxM = _fit_width(config, act, width, x_N, y_TxN, x_eval, seeds)
      err = np.asarray(pred_TxM) - y_eval
      preds[act, width] = np.asarray(pred_TxM)
      for i, name in enumerate(names):
        row = table.setdefault(act, {}).setdefault(name, {"width": [], "rms": [], "max": []})
        row["width"].append(width)
        row["rms"].append(float(np.sqrt(np.mean(err[i] ** 2))))
        row["max"].append(float(np.max(np.abs(err[i]))))
  seconds = time.perf_counter() - t0

  summary = {}
  for act, rows in table.items():
    for name, row in rows.items():
      # Power law rms ~ width^-p: least-squares slope of log rms on log width over widths >= 4.
      w, r = np.array(row["width"]), np.array(row["rms"])
      keep = w >= 4
      row["rms_slope"] = float(np.polyfit(np.log(w[keep]), np.log(r[keep]), 1)[0]) if keep.sum() > 1 else None
      row["rms_ratio_first_to_last"] = float(r[0] / r[-1])
      summary[f"{act}/{name} rms w={w[0]}->{w[-1]}"] = f"{r[0]:.3g} -> {r[-1]:.3g}"
      summary[f"{act}/{name} slope"] = row["rms_slope"]
  results = {
    "errors": table,
    "seconds": round(seconds, 2),
    "cpu_seconds": round(time.process_time() - cpu0, 2),
    "num_points": config.num_points,
  }

  _plot_fits(config, names, x_eval, y_eval, preds, workdir)
  _plot_errors(config, names, table, workdir)
  return write_results(workdir, results, {**summary, "seconds": results["seconds"]})


def _plot_fits(config, names, x_eval, y_eval, preds, workdir):
  shown = [w for w in config.widths if w in (1, 4, 16, 256)] or list(config.widths)
  acts = list(config.activations)
  fig, axes = plt.subplots(len(acts), len(names), figsize=(3.2 * len(names), 2.6 * len(acts)), squeeze=False)
  colors = plt.cm.viridis(np.linspace(0, 0.9, len(shown)))
  for r, act in enumerate(acts):
    for c, name in enumerate(names):
      ax = axes[r, c]
      ax.plot(x_eval, y_eval[c], color="black", lw=2.5, alpha=0.35, label="target")
      for color, w in zip(colors, shown, strict=True):
        ax.plot(x_eval, preds[act, w][c], color=color, lw=1, label=f"width {w}")
      ax.set_title(f"{name}, {act}", fontsize=9)
      ax.tick_params(labelsize=7)
  axes[0, -1].legend(fontsize=7)
  fig.suptitle("One hidden layer: fits sharpen as width grows")
  save_figure(fig, workdir, "universality_fits.png")


def _plot_errors(config, names, table, workdir):
  acts = list(config.activations)
  fig, axes = plt.subplots(1, len(acts), figsize=(4.5 * len(acts), 3.6), squeeze=False, sharey=True)
  for ax, act in zip(axes[0], acts, strict=True):
    for name in names:
      row = table[act][name]
      slope = row["rms_slope"]
      ax.loglog(row["width"], row["rms"], "o-", ms=3, label=f"{name} (slope {slope:.2f})" if slope else name)
    ax.set(xlabel="hidden width", title=f"{act}: RMS error vs width")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
  axes[0, 0].set_ylabel("RMS error on [-1, 1]")
  save_figure(fig, workdir, "universality_error_vs_width.png")
