"""Optimizers on an MNIST MLP: full-batch GD, SGD at several batch sizes, momentum, Nesterov, Adagrad,
RMSprop, Adam and RAdam, each at its best learning rate from a small grid.

The curve is the loss on the whole training set every `eval_every` steps; the table gives the steps
and the seconds each needs to reach the target loss. A full-batch step costs as much as
n / batch_size mini-batch steps, which the seconds column shows and the steps column hides.
"""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import data, losses, models, options
from nets.drivers.studies.compare import plot_curves, summary_rows, sweep
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  os.makedirs(workdir, exist_ok=True)
  t0, cpu0 = time.perf_counter(), time.process_time()
  dataset = data.load(config.data.name, config.data.data_dir)
  x = jnp.asarray(dataset.splits["train"]["x"]).reshape(len(dataset.splits["train"]["x"]), -1)
  y = jax.nn.one_hot(dataset.splits["train"]["y"], dataset.num_classes)
  model = models.make(config.model, dataset.num_classes)
  loss = losses.get(config.loss)
  key = jax.random.PRNGKey(config.seed)
  params = jax.jit(model.init)(key, x[:1])["params"]

  def loss_fn(p, idx):
    xb, yb = (x, y) if idx.size == 0 else (x[idx], y[idx])
    return jnp.mean(loss(model.apply({"params": p}, xb), yb))

  eval_fn = lambda p: loss_fn(p, jnp.zeros((0,), jnp.int32))
  results = {
    name: sweep(m, loss_fn, eval_fn, params, len(x), config, jax.random.fold_in(key, i))
    for i, (name, m) in enumerate(config.methods.items())
  }
  out = {
    "target_loss": config.target_loss,
    "methods": results,
    "wall_seconds": round(time.perf_counter() - t0, 2),
    "cpu_seconds": round(time.process_time() - cpu0, 2),
  }
  fig, axes = plt.subplots(1, 2, figsize=(11, 4), sharey=True)
  plot_curves(axes[0], results, config.eval_every, title=f"{dataset.name} MLP: training loss by step")
  axes[0].axhline(config.target_loss, color="gray", ls=":", lw=1)
  axes[0].set_ylabel("training loss (whole set)")
  for name, r in results.items():  # The same curves against measured time: a GD step costs more.
    t = r["step_milliseconds"] / 1e3 * config.eval_every * np.arange(1, len(r["curve"]) + 1)
    axes[1].semilogy(t, r["curve"], label=name)
  axes[1].axhline(config.target_loss, color="gray", ls=":", lw=1)
  axes[1].set(xlabel="seconds (measured per step, shared 2-core CPU)", xscale="log", title="...by wall time")
  axes[1].grid(True, which="both", alpha=0.3)
  save_figure(fig, workdir, "optimizers.png")
  return write_results(workdir, out, {**summary_rows(results), "wall_seconds": out["wall_seconds"]})
