"""Meta-learning on sine waves: MAML beside a net pre-trained on all tasks and a net from scratch.

For each K in `shots` and every seed (vmapped: one compiled program per K and method):
  - MAML: Adam on the meta-loss (nets.meta.maml_loss) of `meta_batch` fresh tasks per iteration, each
    with K support and K query points, `inner_steps` inner steps of size `alpha`;
  - pretrained: the same net, optimizer and iterations, regressing every one of those 2K points of
    every task directly (no inner step): its best guess for an unseen task is near 0;
  - scratch: the same net at its random initialisation.
Then all three adapt to `eval_tasks` held-out tasks (a key no training run draws from) by the same
plain gradient steps of size `alpha` on K shots, and are scored by the MSE on `query_points` other
points of each task after 0, 1, ..., `eval_steps` steps. `sweep_step_sizes` repeats the evaluation at
other step sizes, to show whether a baseline is held back by alpha. Both training runs go through
the studies' one compiled trainer (nets.drivers.studies.fit.minimise); each iteration draws its tasks
from the iteration's index.
"""

import os
import time
from functools import partial

import jax
import jax.flatten_util
import jax.numpy as jnp
import ml_collections
import numpy as np

from nets import meta, models, optim, options
from nets.drivers.studies.fit import minimise
from nets.errors import ConfigError
from nets.training.workdir import pyplot, save_figure, write_results

METHODS = ("maml", "pretrained", "scratch")


def train(config, model, sines: meta.Sines, shots: int, method: str, key: jax.Array):
  """(params, training loss per iteration, 1-step query MSE on validation tasks every `eval_every`)."""
  k_init, k_tasks, k_val = jax.random.split(key, 3)
  params = model.init(k_init, jnp.zeros((1, 1)))
  x_val, y_val, _, _ = meta.sample_sines(k_val, sines, config.val_tasks, shots + config.query_points)
  support_val, query_val = (x_val[:, :shots], y_val[:, :shots]), (x_val[:, shots:], y_val[:, shots:])
  maml_loss = partial(meta.maml_loss, model, alpha=config.alpha, inner_steps=config.inner_steps)

  def loss_fn(params, step_1):
    x, y, _, _ = meta.sample_sines(
      jax.random.fold_in(k_tasks, step_1[0]), sines, config.meta_batch, 2 * shots
    )
    if method == "maml":
      return maml_loss(params, (x[:, :shots], y[:, :shots]), (x[:, shots:], y[:, shots:]))
    return jnp.mean(jax.vmap(meta.mse, in_axes=(None, None, 0, 0))(model, params, x, y))

  tx = optim.make_optimizer(config.optimizer, config.meta_iterations)
  steps = jnp.arange(config.meta_iterations)[:, None]
  val_fn = lambda p: maml_loss(p, support_val, query_val)
  return minimise(
    loss_fn, params, tx, config.meta_iterations, steps, eval_fn=val_fn, eval_every=config.eval_every
  )


def curves(model, params, tasks, alpha: float, num_steps: int) -> jax.Array:
  """Query MSE after 0..num_steps steps on each task's support: [tasks, num_steps + 1]."""
  curve = partial(meta.adaptation_curve, model, params, alpha=alpha, num_steps=num_steps)
  return jax.vmap(curve)(*tasks)


def sharpness(model, params, x_Kx1, y_Kx1, num_iterations: int = 30) -> jax.Array:
  """The largest Hessian eigenvalue of the support MSE at `params` (power iteration on Hessian-vector
  products): a gradient step of size alpha is stable along that direction only when alpha < 2 / it."""
  flat, unravel = jax.flatten_util.ravel_pytree(params)
  grad_fn = lambda w: jax.flatten_util.ravel_pytree(
    jax.grad(meta.mse, argnums=1)(model, unravel(w), x_Kx1, y_Kx1)
  )[0]
  hvp = lambda v: jax.jvp(grad_fn, (flat,), (v,))[1]

  def step(v, _):
    hv = hvp(v)
    return hv / jnp.linalg.norm(hv), None

  v = jax.lax.scan(step, jnp.ones_like(flat) / jnp.sqrt(flat.size), None, length=num_iterations)[0]
  return v @ hvp(v)


def evaluate(config, model, params: dict, tasks) -> dict:
  """Each method's (params: one per seed) curvature and adaptation curves on the held-out tasks."""
  record = {}
  # The curvature at each start, on the first sharpness_tasks tasks: 2 / lambda_max is the step size
  # above which gradient steps on the K shots grow, not shrink, the loss along the sharpest direction.
  n = config.sharpness_tasks
  lam = jax.vmap(lambda x_s, y_s, p: sharpness(model, p, x_s, y_s), in_axes=(0, 0, None))
  lam_by_seed = jax.jit(jax.vmap(lambda p: lam(tasks[0][:n], tasks[1][:n], p)))
  for method in METHODS:
    lam_SxT = np.asarray(lam_by_seed(params[method]))
    record[f"{method}_sharpness"] = {"median": _stats(np.median(lam_SxT, 1)), "max": _stats(lam_SxT.max(1))}
  for step_size in sorted({config.alpha, *config.sweep_step_sizes}):
    curve = partial(curves, model, tasks=tasks, alpha=step_size, num_steps=config.eval_steps)
    by_seed = jax.jit(jax.vmap(curve))
    for method in METHODS:
      curve_SxTxC = np.asarray(by_seed(params[method]), np.float64)
      finite_SxT = np.isfinite(curve_SxTxC).all(2)  # a task diverged when any of its losses is inf or NaN
      with np.errstate(over="ignore", invalid="ignore"):  # diverged losses overflow: None in the JSON
        all_SxC = curve_SxTxC.mean(1)  # over every task: not finite when one diverged
        kept_SxC = np.where(finite_SxT[..., None], curve_SxTxC, 0).sum(1)
        kept_SxC /= np.maximum(finite_SxT.sum(1), 1)[:, None]  # over the tasks that stayed finite
      entry = {"diverged_tasks": (~finite_SxT).sum(1).tolist()}  # per seed, of eval_tasks
      entry.update(curve_mean=_json(kept_SxC.mean(0)), curve_std=_json(kept_SxC.std(0)))
      for s in (0, 1, config.eval_steps):
        entry[f"after_{s}"] = _stats(all_SxC[:, s])
        entry[f"after_{s}_finite_tasks"] = _stats(kept_SxC[:, s])
      # The median task's loss after the last step, a diverged task counted as infinitely bad.
      last_SxT = np.where(finite_SxT, curve_SxTxC[:, :, -1], np.inf)
      entry["median_task_after_last"] = _stats(np.median(last_SxT, axis=1))
      record.setdefault(f"step_size_{step_size:g}", {})[method] = entry
  return record


def _json(values) -> list:
  """Floats for JSON, a diverged (infinite or NaN) value as None."""
  return [float(v) if np.isfinite(v) else None for v in np.asarray(values, np.float64)]


def _stats(values_S) -> dict:
  """Mean and std over seeds; None when any seed diverged."""
  values_S = np.asarray(values_S, np.float64)
  finite = bool(np.isfinite(values_S).all())
  mean, std = (float(values_S.mean()), float(values_S.std())) if finite else (None, None)
  return {"mean": mean, "std": std, "seeds": _json(values_S)}


@options.resolved
def maml(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """Driver: train MAML and the pretrained baseline per K and seed; evaluate the three; results + figure."""
  os.makedirs(workdir, exist_ok=True)
  if config.inner_steps < 1 or config.meta_iterations % config.eval_every:
    raise ConfigError("inner_steps must be >= 1 and meta_iterations a multiple of eval_every")
  model = models.make(config.model, 1)
  sines = meta.Sines(tuple(config.amplitude), tuple(config.phase), tuple(config.x))
  seed_keys = jax.vmap(jax.random.key)(jnp.asarray(config.seeds))
  x_G, mean_task_G = _mean_task(config, sines)
  results = {"seeds": list(config.seeds), "meta_iterations": config.meta_iterations, "shots": {}}
  examples = {}
  for shots in config.shots:
    eval_key = jax.random.key(1_000_000 + shots)  # held-out tasks: no training run uses this key
    x, y, amplitude_T, phase_T = meta.sample_sines(
      eval_key, sines, config.eval_tasks, shots + config.query_points
    )
    tasks = (x[:, :shots], y[:, :shots], x[:, shots:], y[:, shots:])
    params, record = {}, {}
    for method in ("maml", "pretrained"):
      start = time.perf_counter()
      fit = jax.jit(jax.vmap(partial(train, config, model, sines, shots, method)))
      params[method], losses_SxI, val_SxE = jax.block_until_ready(fit(seed_keys))
      record[f"{method}_train_seconds"] = time.perf_counter() - start  # all seeds, compiling included
      record[f"{method}_final_train_loss"] = _stats(np.asarray(losses_SxI)[:, -100:].mean(1))
      record[f"{method}_val_curve"] = _json(np.asarray(val_SxE).mean(0))  # every eval_every iterations
    scratch_init = lambda k: model.init(jax.random.fold_in(k, 7), jnp.zeros((1, 1)))  # its own start
    params["scratch"] = jax.vmap(scratch_init)(seed_keys)
    record.update(evaluate(config, model, params, tasks))
    # What regressing all tasks at once learns: the mean task, which for phases in [0, pi] is not 0.
    pretrained_SxG = jax.vmap(model.apply, in_axes=(0, None))(params["pretrained"], x_G)[..., 0]
    rms = lambda d: np.sqrt(np.mean(np.square(d), axis=-1))
    record["pretrained_rms_from_mean_task"] = _stats(rms(np.asarray(pretrained_SxG - mean_task_G)))
    record["mean_task_rms"] = float(rms(np.asarray(mean_task_G)))  # the zero function's distance from it
    results["shots"][str(shots)] = record
    examples[shots] = _example(config, model, sines, params, tasks, amplitude_T[0], phase_T[0])
  _figure(workdir, config, results, examples)
  summary = {}
  for shots, record in results["shots"].items():
    for method in METHODS:
      entry = record[f"step_size_{config.alpha:g}"][method]
      after = [entry[f"after_{s}"] for s in (0, 1, config.eval_steps)]
      figures = [f"{a['mean']:.3f} +- {a['std']:.3f}" for a in after if a["mean"] is not None]
      summary[f"K={shots} {method}"] = " / ".join(figures)
      if diverged := sum(entry["diverged_tasks"]):
        last = entry[f"after_{config.eval_steps}_finite_tasks"]
        summary[f"K={shots} {method}"] += (
          f" / diverged on {diverged} of {len(config.seeds) * config.eval_tasks} tasks;"
          f" the others {last['mean']:.3f} +- {last['std']:.3f}"
        )
  title = f"query MSE after 0 / 1 / {config.eval_steps} steps of {config.alpha:g}, {len(config.seeds)} seeds"
  return write_results(workdir, results, summary, title=title)


def _mean_task(config, sines: meta.Sines):
  """(x_Gx1, the mean of 100,000 tasks' y on that grid): the best guess of a net that never adapts."""
  x_Gx1 = jnp.linspace(*config.x, 200)[:, None]
  _, _, amplitude_T, phase_T = meta.sample_sines(jax.random.key(2_000_000), sines, 100_000, 1)
  return x_Gx1, jnp.mean(amplitude_T[:, None] * jnp.sin(x_Gx1[:, 0] - phase_T[:, None]), axis=0)


def _example(config, model, sines, params, tasks, amplitude, phase) -> dict:
  """Seed 0's fits of the first held-out task: x grid, truth, shots and each method's predictions."""
  x_G, mean_task_G = _mean_task(config, sines)
  x_s, y_s = tasks[0][0], tasks[1][0]
  out = {"x": np.asarray(x_G[:, 0]), "truth": np.asarray(amplitude * jnp.sin(x_G[:, 0] - phase))}
  out["mean task"] = np.asarray(mean_task_G)
  out["shots"] = (np.asarray(x_s[:, 0]), np.asarray(y_s[:, 0]))
  for method in METHODS:
    p0 = jax.tree.map(lambda a: a[0], params[method])
    for steps in (0, 1, config.eval_steps):
      p = meta.adapt(model, p0, x_s, y_s, config.alpha, steps) if steps else p0
      out[f"{method} {steps}"] = np.asarray(model.apply(p, x_G)[:, 0])
  return out


def _figure(workdir: str, config, results: dict, examples: dict) -> None:
  plt = pyplot()
  shots = list(examples)
  fig, axes = plt.subplots(2, len(shots), figsize=(5.2 * len(shots), 7.6), squeeze=False)
  colors = {"maml": "C0", "pretrained": "C1", "scratch": "C2"}
  steps = np.arange(config.eval_steps + 1)
  for col, k in enumerate(shots):
    ax = axes[0, col]
    for method in METHODS:
      entry = results["shots"][str(k)][f"step_size_{config.alpha:g}"][method]
      mean, std = (np.asarray(entry[name], dtype=float) for name in ("curve_mean", "curve_std"))  # None: nan
      diverged = sum(entry["diverged_tasks"])
      label = f"{method} ({diverged} diverged task{'s' * (diverged > 1)} left out)" if diverged else method
      ax.plot(steps, mean, "o-", ms=3, color=colors[method], label=label)
      ax.fill_between(steps, mean - std, mean + std, color=colors[method], alpha=0.2)
    ax.set(
      xlabel=f"gradient steps of {config.alpha:g} on the K shots",
      ylabel="query MSE, mean over held-out tasks",
    )
    ax.set(title=f"K = {k}: mean +- std over {len(config.seeds)} seeds", yscale="log")
    starts = [results["shots"][str(k)][f"step_size_{config.alpha:g}"][m]["curve_mean"][0] for m in METHODS]
    ax.set_ylim(top=10 * max(starts))  # a diverging curve leaves the plot upward
    ax.grid(alpha=0.3)
    ax.legend()
    ex, ax = examples[k], axes[1, col]
    ax.plot(ex["x"], ex["truth"], "k-", lw=2, label="task")
    ax.plot(*ex["shots"], "k^", ms=7, label=f"{k} shots")
    ax.plot(ex["x"], ex["mean task"], "-.", color="gray", lw=1, label="mean of all tasks")
    for method, style in (("maml", "-"), ("pretrained", "--"), ("scratch", ":")):
      for steps_, alpha in ((0, 0.35), (config.eval_steps, 1.0)):
        label = f"{method}, {steps_} steps"
        ax.plot(ex["x"], ex[f"{method} {steps_}"], style, color=colors[method], alpha=alpha, label=label)
    ax.set(xlabel="x", ylabel="y", title=f"one held-out task, K = {k} (seed {config.seeds[0]})")
    ax.legend(fontsize=7, ncol=2)
  fig.tight_layout()
  save_figure(fig, workdir, "maml_sine.png")
