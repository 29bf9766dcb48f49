"""A learning-rate sweep on one network: every rate trains from the same start on the same batches,
all at once (vmapped). Too small a rate barely moves, too large a rate bounces or blows up; the
good range lies between (Nielsen, chapter 3, "How to choose a neural network's hyper-parameters")."""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import data, losses, models, optim, options
from nets.drivers.studies.compare import batch_indices
from nets.drivers.studies.fit import minimise
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  os.makedirs(workdir, exist_ok=True)
  t0 = time.perf_counter()
  dataset = data.load(config.data.name, config.data.data_dir)
  flat = lambda s: jnp.asarray(dataset.splits[s]["x"]).reshape(len(dataset.splits[s]["x"]), -1)
  x, x_test = flat("train"), flat("test")
  y = jax.nn.one_hot(dataset.splits["train"]["y"], dataset.num_classes)
  model = models.make(config.model, dataset.num_classes)
  loss = losses.get(config.loss)
  init_key, perm_key = jax.random.split(jax.random.PRNGKey(config.seed))
  params0 = jax.jit(model.init)(init_key, x[:1])["params"]
  batches = batch_indices(perm_key, len(x), config.batch_size, config.num_steps)
  opt = ml_collections.ConfigDict({**config.optimizer.to_dict(), "learning_rate": 1.0})
  tx = optim.make_optimizer(opt, config.num_steps)

  def loss_fn(p, idx):
    xb, yb = (x, y) if idx.size == 0 else (x[idx], y[idx])
    return jnp.mean(loss(model.apply({"params": p}, xb), yb))

  def one(lr):
    eval_fn = lambda p: loss_fn(p, jnp.zeros((0,), jnp.int32))
    params, _, curve = minimise(
      loss_fn, params0, tx, config.num_steps, batches, scale=lr, eval_fn=eval_fn, eval_every=config.eval_every
    )
    acc = jnp.mean(jnp.argmax(model.apply({"params": params}, x_test), -1) == dataset.splits["test"]["y"])
    return curve, acc

  lrs = jnp.asarray(config.learning_rates, jnp.float32)
  curves, accs = jax.jit(jax.vmap(one))(lrs)
  curves, accs = np.asarray(curves), np.asarray(accs)
  start = float(jax.jit(loss_fn)(params0, jnp.zeros((0,), jnp.int32)))
  rates = {
    f"{lr:g}": {"final_train_loss": float(c[-1]), "test_accuracy": float(a), "curve": c.tolist()}
    for lr, c, a in zip(config.learning_rates, curves, accs, strict=True)
  }
  best = max(rates, key=lambda k: rates[k]["test_accuracy"])
  out = {"initial_train_loss": start, "best_learning_rate": float(best), "rates": rates}
  out["wall_seconds"] = round(time.perf_counter() - t0, 2)

  fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
  colors = plt.cm.plasma(np.linspace(0, 0.9, len(rates)))
  steps = config.eval_every * np.arange(1, curves.shape[1] + 1)
  for color, (lr, r) in zip(colors, rates.items(), strict=True):
    axes[0].plot(steps, r["curve"], color=color, label=f"lr {lr}")
  axes[0].axhline(start, color="gray", ls=":", lw=1)
  axes[0].set(xlabel="step", ylabel="training loss (whole set)", title="curves by learning rate")
  axes[0].legend(fontsize=6)
  axes[1].semilogx(config.learning_rates, [r["test_accuracy"] for r in rates.values()], "o-")
  axes[1].set(xlabel="learning rate", ylabel="test accuracy", title=f"after {config.num_steps} steps")
  for ax in axes:
    ax.grid(True, alpha=0.3)
  save_figure(fig, workdir, "learning_rate.png")
  summary = {
    f"lr {k}": f"loss {r['final_train_loss']:.4g}, test {r['test_accuracy']:.3f}" for k, r in rates.items()
  }
  return write_results(workdir, out, {"initial loss": start, **summary, "wall_seconds": out["wall_seconds"]})
