"""What the loss does: MSE, MAE and Huber on a line with outliers; quadratic vs cross-entropy costs
on Nielsen's classifier (his chapter 3: cross-entropy avoids the learning slowdown of saturated
sigmoid outputs)."""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import losses, optim, options
from nets.drivers.studies.fit import minimise
from nets.models import MLP
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def outlier_data(key, n: int, slope: float, intercept: float, noise: float, fraction: float, size: float):
  """x ~ U(-2, 2), y = slope x + intercept + noise; a `fraction` of the y pushed up by ~U(size/2, size)."""
  kx, kn, ko, ks = jax.random.split(key, 4)
  x = jax.random.uniform(kx, (n,), minval=-2.0, maxval=2.0)
  y = slope * x + intercept + noise * jax.random.normal(kn, (n,))
  is_outlier = jax.random.bernoulli(ko, fraction, (n,))
  y = y + is_outlier * jax.random.uniform(ks, (n,), minval=size / 2, maxval=size)
  return x, y, is_outlier


@options.resolved
def outliers(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Fit a line (an MLP with no hidden layer) under each loss; report the parameter error."""
  os.makedirs(workdir, exist_ok=True)
  t0 = time.perf_counter()
  true = np.array([config.slope, config.intercept])
  x, y, is_outlier = outlier_data(
    jax.random.PRNGKey(config.seed), config.num_examples, config.slope, config.intercept,
    config.noise, config.outlier_fraction, config.outlier_size,
  )  # fmt: skip
  model = MLP(num_outputs=1, widths=())
  params0 = jax.jit(model.init)(jax.random.PRNGKey(0), x[:1, None])["params"]
  tx = optim.make_optimizer(config.optimizer, config.num_steps)
  fits = {}
  for name in config.losses:
    loss = losses.get(name)
    loss_fn = lambda p, _, loss=loss: jnp.mean(loss(model.apply({"params": p}, x[:, None]), y[:, None]))
    params, curve, _ = jax.jit(lambda p, loss_fn=loss_fn: minimise(loss_fn, p, tx, config.num_steps))(params0)
    fit = np.array([float(params["Dense_0"]["kernel"][0, 0]), float(params["Dense_0"]["bias"][0])])
    fits[name] = {
      "slope": fit[0],
      "intercept": fit[1],
      "parameter_error": float(np.linalg.norm(fit - true)),
      "final_loss": float(curve[-1]),
    }
  out = {
    "true": {"slope": config.slope, "intercept": config.intercept},
    "num_outliers": int(is_outlier.sum()),
    "fits": fits,
    "wall_seconds": round(time.perf_counter() - t0, 2),
  }
  fig, ax = plt.subplots(figsize=(5.5, 4))
  xs, ys, out_mask = np.asarray(x), np.asarray(y), np.asarray(is_outlier, bool)
  ax.scatter(xs[~out_mask], ys[~out_mask], s=8, color="gray", label="data")
  ax.scatter(xs[out_mask], ys[out_mask], s=12, color="crimson", marker="x", label="outliers")
  grid = np.linspace(-2, 2, 10)
  ax.plot(grid, config.slope * grid + config.intercept, "k--", lw=1.5, label="true line")
  for name, f in fits.items():
    ax.plot(
      grid, f["slope"] * grid + f["intercept"], lw=1.5, label=f"{name} (error {f['parameter_error']:.2f})"
    )
  ax.set(xlabel="x", ylabel="y", title=f"{out['num_outliers']} outliers in {config.num_examples} points")
  ax.legend(fontsize=7)
  save_figure(fig, workdir, "losses_outliers.png")
  summary = {
    n: f"slope {f['slope']:.3f}, intercept {f['intercept']:.3f}, |error| {f['parameter_error']:.3f}"
    for n, f in fits.items()
  }
  return write_results(
    workdir, out, {"true": f"slope {config.slope}, intercept {config.intercept}", **summary}
  )


@options.resolved
def classification(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """The one loop once per entry of config.costs (loss, output_activation, learning_rate)."""
  os.makedirs(workdir, exist_ok=True)
  runs = {}
  for name, cost in config.costs.items():
    cfg = options.for_driver(config, "train")  # config.costs is this driver's, not the run's.
    cfg.loss = cost.loss
    cfg.model.output_activation = cost.output_activation
    cfg.optimizer.learning_rate = cost.learning_rate
    run_dir = os.path.join(workdir, name)
    result = train_and_evaluate(cfg, run_dir)
    log = [r for r in read_jsonl(os.path.join(run_dir, "metrics.jsonl")) if "test_accuracy" in r]
    runs[name] = {
      **{k: result[k] for k in ("test_accuracy", "train_seconds")},
      "learning_rate": cost.learning_rate,
      "test_accuracy_curve": [r["test_accuracy"] for r in log],
      "train_accuracy_curve": [r["train_accuracy"] for r in log],
    }
  fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
  for name, r in runs.items():
    epochs = np.arange(1, len(r["test_accuracy_curve"]) + 1)
    axes[0].plot(epochs, r["train_accuracy_curve"], label=f"{name} (lr {r['learning_rate']:g})")
    axes[1].plot(epochs, r["test_accuracy_curve"], label=name)
  axes[0].set(xlabel="epoch", ylabel="accuracy", title="training (running mean over the epoch)")
  axes[1].set(xlabel="epoch", title="test")
  for ax in axes:
    ax.grid(True, alpha=0.3)
  axes[0].legend(fontsize=7)
  save_figure(fig, workdir, "losses_classification.png")
  summary = {n: f"test {r['test_accuracy']:.3f} ({r['train_seconds']:.1f}s)" for n, r in runs.items()}
  return write_results(workdir, {"runs": runs}, summary)
