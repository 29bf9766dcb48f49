"""Depth, activations and normalisation: why a deep sigmoid network barely learns, and what fixes it.

For each activation and normalisation, a deep MLP (10 hidden layers by default) is built by the
supervised task. At initialisation, the norm of the loss's gradient with respect to each layer's
kernel shows how much signal reaches it: with sigmoid (f' <= 1/4) it shrinks layer by layer towards
the input - the vanishing gradient (Nielsen, chapter 5). Then each net trains with the same SGD
and its training loss is recorded. Also: every activation function and its derivative.
"""

import os
import time

import jax
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import activations, data, optim, options, tasks
from nets.drivers.studies.compare import batch_indices
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


def kernel_grad_norms(task, state, batch) -> np.ndarray:
  """||dL/dW_l|| for every Dense kernel, input layer first, in training mode (batch statistics)."""

  def loss(params):
    variables = {"params": params, **state.model_state}
    out, _ = task.model.apply(variables, batch["x"], train=True, mutable=list(state.model_state))
    return jnp.mean(task.loss(out, task.targets(batch["y"], out)))

  grads = jax.jit(jax.grad(loss))(state.params)  # Compiled: eager JAX compiles every op anew.
  dense = sorted((k for k in grads if k.startswith("Dense_")), key=lambda k: int(k.split("_")[1]))
  return np.array([float(jnp.linalg.norm(grads[k]["kernel"])) for k in dense])


def _train(task, state, train, batches, eval_every):
  """SGD steps over `batches` in one scan; mean training loss per `eval_every` steps."""

  def step(state, idx_B):
    return task.train_step(state, {k: v[idx_B] for k, v in train.items()})

  state, metrics = jax.lax.scan(step, state, batches)
  return state, metrics["loss"].reshape(-1, eval_every).mean(axis=1)


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  os.makedirs(workdir, exist_ok=True)
  t0, cpu0 = time.perf_counter(), time.process_time()
  dataset = data.load(config.data.name, config.data.data_dir)
  train = {k: jnp.asarray(v) for k, v in dataset.splits["train"].items()}
  test = {k: jnp.asarray(v) for k, v in dataset.splits["test"].items()}
  key = jax.random.PRNGKey(config.seed)
  init_key, perm_key = jax.random.split(key)
  batches = batch_indices(perm_key, len(train["y"]), config.batch_size, config.num_steps)
  probe = {k: v[: config.probe_size] for k, v in train.items()}
  tx = optim.make_optimizer(config.optimizer, config.num_steps)

  results = {}
  for act in config.activations:
    for norm in config.normalizations:
      cfg = ml_collections.ConfigDict(config.to_dict())
      cfg.model.activation, cfg.model.normalization = act, norm
      cfg.model.widths = (config.width,) * config.depth
      task = tasks.make(cfg, dataset, tx)
      state = jax.jit(task.init)(init_key, probe)
      norms = kernel_grad_norms(task, state, probe)
      state, curve = jax.jit(_train, static_argnums=(0, 4))(task, state, train, batches, config.eval_every)
      test_acc = float(jnp.mean(jax.jit(task.eval_step)(state, test)["accuracy"]))
      results[f"{act}/{norm}"] = {
        "grad_norms_at_init": norms.tolist(),
        "first_to_last_layer_ratio": float(norms[0] / norms[-1]),
        "train_loss": np.asarray(curve).tolist(),
        "final_train_loss": float(curve[-1]),
        "test_accuracy": test_acc,
      }
  out = {
    "runs": results,
    "depth": config.depth,
    "width": config.width,
    "wall_seconds": round(time.perf_counter() - t0, 2),
    "cpu_seconds": round(time.process_time() - cpu0, 2),
  }
  _plot_gradients(config, results, workdir)
  _plot_training(config, results, workdir)
  _plot_activations(workdir)
  summary = {
    name: f"|g| layer1/layer{config.depth + 1} {r['first_to_last_layer_ratio']:.2g}; "
    f"loss {r['final_train_loss']:.3g}; test {r['test_accuracy']:.3f}"
    for name, r in results.items()
  }
  return write_results(workdir, out, {**summary, "wall_seconds": out["wall_seconds"]})


def _plot_gradients(config, results, workdir):
  norms = list(config.normalizations)
  fig, axes = plt.subplots(1, len(norms), figsize=(3.4 * len(norms), 3.3), sharey=True, squeeze=False)
  for ax, norm in zip(axes[0], norms, strict=True):
    for act in config.activations:
      g = results[f"{act}/{norm}"]["grad_norms_at_init"]
      ax.semilogy(np.arange(1, len(g) + 1), g, "o-", ms=3, label=act)
    ax.set(xlabel="layer (1 = input side)", title=f"normalization: {norm}")
    ax.grid(True, which="both", alpha=0.3)
  axes[0, 0].set_ylabel("||dL/dW|| at initialisation")
  axes[0, 0].legend()
  fig.suptitle(f"{config.depth} hidden layers of {config.width}: gradient reaching each layer")
  save_figure(fig, workdir, "vanishing_gradients.png")


def _plot_training(config, results, workdir):
  norms = list(config.normalizations)
  fig, axes = plt.subplots(1, len(norms), figsize=(3.4 * len(norms), 3.3), sharey=True, squeeze=False)
  for ax, norm in zip(axes[0], norms, strict=True):
    for act in config.activations:
      curve = results[f"{act}/{norm}"]["train_loss"]
      ax.plot(config.eval_every * np.arange(1, len(curve) + 1), curve, label=act)
    ax.set(xlabel="step", title=f"normalization: {norm}")
    ax.grid(True, alpha=0.3)
  axes[0, 0].set_ylabel("training loss")
  axes[0, 0].legend()
  save_figure(fig, workdir, "depth_training.png")


def _plot_activations(workdir):
  x = jnp.linspace(-4.0, 4.0, 801)
  names = sorted(activations.ACTIVATIONS)
  fig, axes = plt.subplots(2, (len(names) + 1) // 2, figsize=(12, 5), squeeze=False)
  # Every function and derivative in one compiled call (one compile, not one per function).
  values = jax.jit(
    lambda x: {n: (f(x), jax.vmap(jax.grad(f))(x)) for n, f in activations.ACTIVATIONS.items()}
  )(x)
  for ax, name in zip(axes.flat, names, strict=False):
    f_x, df_x = values[name]
    ax.plot(x, f_x, label="f")
    ax.plot(x, df_x, "--", label="f'")
    ax.set_title(name, fontsize=9)
    ax.grid(True, alpha=0.3)
  axes[0, 0].legend(fontsize=7)
  save_figure(fig, workdir, "activations.png")
