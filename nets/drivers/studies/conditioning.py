"""Conditioning: optimizers on an ill-conditioned least-squares problem, raw and standardised, and
Newton's method (`jax.hessian`) beside gradient descent on least squares and logistic regression.

Features x_d = scale_d (1 + z_d) with scales spread over two decades and a shared offset: the
Hessian X^T X / N then has a condition number near 1e5, and one learning rate cannot suit every
direction. Standardising (subtract the mean, divide by the std, per feature) brings it near 1.
Newton's step -H^-1 g rescales every direction by its curvature, so it is blind to this: it solves
least squares in one step and logistic regression in a handful.
"""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import options
from nets.drivers.studies.compare import plot_curves, summary_rows, sweep
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def make_problem(key, n: int, d: int, decades: float, noise: float):
  """(X [n, d], least-squares targets y [n], binary labels [n]) with ill-conditioned features."""
  kz, kw, kn, kl = jax.random.split(key, 4)
  scales = jnp.logspace(-decades / 2, decades / 2, d)
  x = scales * (1.0 + jax.random.normal(kz, (n, d)))
  w_true = jax.random.normal(kw, (d,)) / scales  # Every feature matters about equally.
  signal = (x - x.mean(0)) @ w_true
  y = signal + noise * jax.random.normal(kn, (n,))
  labels = jax.random.bernoulli(kl, jax.nn.sigmoid(signal / signal.std())).astype(jnp.float32)
  return x, y, labels


def squared_loss(theta, x, y):
  """0.5 mean (x w + b - y)^2 with theta = [w, b]."""
  return 0.5 * jnp.mean((x @ theta[:-1] + theta[-1] - y) ** 2)


def logistic_loss(theta, x, labels):
  logits = x @ theta[:-1] + theta[-1]
  return jnp.mean(jnp.logaddexp(0.0, logits) - labels * logits)


def newton(loss, theta, num_steps: int):
  """theta <- theta - H^-1 g, recording the loss before each step and after the last."""
  loss = jax.jit(loss)
  step = jax.jit(lambda th: th - jnp.linalg.solve(jax.hessian(loss)(th), jax.grad(loss)(th)))
  values = []
  for _ in range(num_steps):
    values.append(float(loss(theta)))
    theta = step(theta)
  values.append(float(loss(theta)))
  return theta, values


def _optimum(x, y) -> float:
  """The least-squares minimum in float64, the floor every curve is measured from."""
  design = np.concatenate([np.asarray(x, np.float64), np.ones((len(x), 1))], axis=1)
  coef = np.linalg.lstsq(design, np.asarray(y, np.float64), rcond=None)[0]
  return float(0.5 * np.mean((design @ coef - np.asarray(y, np.float64)) ** 2))


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  os.makedirs(workdir, exist_ok=True)
  t0, cpu0 = time.perf_counter(), time.process_time()
  key = jax.random.PRNGKey(config.seed)
  x_raw, y, labels = jax.jit(make_problem, static_argnums=(1, 2, 3, 4))(
    key, config.num_examples, config.num_features, config.decades, config.noise
  )
  x_std = (x_raw - x_raw.mean(0)) / x_raw.std(0)
  floor = _optimum(x_raw, y)
  theta0 = jnp.zeros(config.num_features + 1)
  cfg = ml_collections.ConfigDict(
    dict(
      num_steps=config.num_steps, eval_every=config.eval_every, target_loss=floor * (1 + config.target_excess)
    )
  )
  results, conds = {}, {}
  for name, x in (("raw", x_raw), ("standardized", x_std)):
    design = jnp.concatenate([x, jnp.ones((len(x), 1))], axis=1)
    eig = np.linalg.eigvalsh(np.asarray(design.T @ design / len(x), np.float64))
    conds[name] = float(eig[-1] / eig[0])
    loss_fn = lambda th, idx, x=x: squared_loss(
      th, x if idx.size == 0 else x[idx], y if idx.size == 0 else y[idx]
    )
    eval_fn = lambda th, x=x: squared_loss(th, x, y)
    results[name] = {
      label: sweep(m, loss_fn, eval_fn, theta0, len(y), cfg, jax.random.fold_in(key, i))
      for i, (label, m) in enumerate(config.methods.items())
    }

  # Newton beside the best plain gradient descent on the same raw, ill-conditioned problem.
  _, newton_ls = newton(lambda th: squared_loss(th, x_raw, y), theta0, config.newton_steps)
  _, newton_lr = newton(lambda th: logistic_loss(th, x_raw, labels), theta0, config.newton_steps)
  gd = config.methods.gd
  gd_lr_cfg = ml_collections.ConfigDict(
    dict(num_steps=config.num_steps, eval_every=config.eval_every, target_loss=0.0)
  )
  log_eval = lambda th: logistic_loss(th, x_raw, labels)
  gd_logistic = sweep(gd, lambda th, _: log_eval(th), log_eval, theta0, len(y), gd_lr_cfg, key)
  logistic_floor = min(newton_lr[-1], gd_logistic["final_loss"])
  newton_results = {
    "least_squares": {"newton": newton_ls, "gd_best": results["raw"]["gd"]["curve"], "optimum": floor},
    "logistic": {
      "newton": newton_lr,
      "gd_best": gd_logistic["curve"],
      "gd_learning_rate": gd_logistic["learning_rate"],
    },
  }

  out = {
    "condition_number": conds,
    "least_squares_optimum": floor,
    "target_loss": cfg.target_loss,
    "methods": results,
    "newton": newton_results,
    "wall_seconds": round(time.perf_counter() - t0, 2),
    "cpu_seconds": round(time.process_time() - cpu0, 2),
  }
  _plot(config, results, newton_results, floor, logistic_floor, workdir)
  summary = {f"condition number ({k})": v for k, v in conds.items()}
  for name, res in results.items():
    summary.update(summary_rows(res, f"{name}/"))
  summary["newton least squares (loss per step)"] = " ".join(f"{v:.3g}" for v in newton_ls)
  summary["newton logistic (loss per step)"] = " ".join(f"{v:.4g}" for v in newton_lr)
  summary["gd logistic final"] = f"{gd_logistic['final_loss']:.4g} after {config.num_steps} steps"
  summary["wall_seconds"] = out["wall_seconds"]
  return write_results(workdir, out, summary)


def _plot(config, results, newton_results, floor, logistic_floor, workdir):
  fig, axes = plt.subplots(1, 2, figsize=(10, 3.8), sharey=True)
  for ax, (name, res) in zip(axes, results.items(), strict=True):
    plot_curves(ax, res, config.eval_every, offset=floor, title=f"least squares, {name} inputs")
  axes[0].set_ylabel("loss - optimum")
  save_figure(fig, workdir, "conditioning.png")

  fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
  for ax, (name, r), base in zip(axes, newton_results.items(), (floor, logistic_floor), strict=True):
    ax.semilogy(np.maximum(np.array(r["newton"]) - base, 1e-16), "o-", label="Newton (jax.hessian)")
    steps = config.eval_every * np.arange(1, len(r["gd_best"]) + 1)
    ax.semilogy(steps, np.maximum(np.array(r["gd_best"]) - base, 1e-16), label="gradient descent (best lr)")
    ax.set(
      xscale="symlog",
      xlabel="step",
      ylabel="loss - best found",
      title=f"{name.replace('_', ' ')}, raw inputs",
    )
    ax.legend(fontsize=7)
  save_figure(fig, workdir, "newton.png")
