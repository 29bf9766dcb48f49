"""Hand-written NumPy backprop (nets/teaching/scratch.py) against the JAX loop on Nielsen's network.

Both start from the same parameters (the JAX task's init with the run's seed) and see the same
mini-batches in the same order (the loop's per-epoch permutation), so they differ only in float
rounding: the test accuracies should end within a point of each other.
"""

import os
import time

import jax
import ml_collections
import numpy as np

from nets import data, optim, options, tasks
from nets.errors import ConfigError
from nets.teaching import scratch
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate
from nets.training.workdir import pyplot, save_figure, write_results

plt = pyplot()


@options.resolved
def run(config: ml_collections.ConfigDict, workdir: str) -> dict:
  if config.optimizer.name != "sgd" or config.optimizer.schedule != "constant":
    raise ConfigError("the NumPy network trains with plain SGD at a constant learning rate only")
  os.makedirs(workdir, exist_ok=True)
  jax_dir = os.path.join(workdir, "jax")
  jax_results = train_and_evaluate(config, jax_dir)

  dataset = data.load(config.data.name, config.data.data_dir)
  train, test = dataset.splits["train"], dataset.splits["test"]
  n, batch_size = len(train["y"]), config.batch_size
  task = tasks.make(config, dataset, optim.make_optimizer(config.optimizer, 1))
  init_key, perm_key = jax.random.split(jax.random.PRNGKey(config.seed))
  params = scratch.from_flax(
    jax.jit(task.init)(init_key, {k: v[:batch_size] for k, v in train.items()}).params
  )
  kw = dict(
    activation=config.model.activation,
    output_activation=options.model_field(config.model, "output_activation"),
    cost_name=config.loss,
  )
  targets = scratch.one_hot(train["y"], dataset.num_classes)
  curve, seconds = [], 0.0
  for epoch in range(config.num_epochs):
    perm = np.asarray(jax.random.permutation(jax.random.fold_in(perm_key, epoch), n))
    batches = [perm[i * batch_size : (i + 1) * batch_size] for i in range(n // batch_size)]
    t0 = time.perf_counter()
    params = scratch.train(params, train["x"], targets, batches, config.optimizer.learning_rate, **kw)
    seconds += time.perf_counter() - t0
    curve.append(scratch.accuracy(params, test["x"], test["y"], kw["activation"], kw["output_activation"]))

  jax_curve = [
    r["test_accuracy"] for r in read_jsonl(os.path.join(jax_dir, "metrics.jsonl")) if "test_accuracy" in r
  ]
  steps = config.num_epochs * (n // batch_size)
  results = {
    "numpy_test_accuracy": curve[-1],
    "jax_test_accuracy": jax_results["test_accuracy"],
    "difference_points": round(100 * (curve[-1] - jax_results["test_accuracy"]), 2) + 0.0,
    "numpy_train_seconds": round(seconds, 3),
    "jax_train_seconds": jax_results["train_seconds"],
    "numpy_examples_per_second": round(steps * batch_size / seconds, 1),
    "jax_examples_per_second": jax_results["examples_per_second"],
    "numpy_curve": curve,
    "jax_curve": jax_curve,
  }
  fig, ax = plt.subplots(figsize=(5, 3.5))
  epochs = np.arange(1, len(curve) + 1)
  ax.plot(epochs, curve, label="NumPy, hand-written backprop")
  ax.plot(epochs[: len(jax_curve)], jax_curve, "--", label="JAX, jax.grad + the loop")
  ax.set(xlabel="epoch", ylabel="test accuracy", title=f"Nielsen's network on {dataset.name}")
  ax.legend()
  save_figure(fig, workdir, "backprop_curves.png")
  return write_results(workdir, results, {k: v for k, v in results.items() if not k.endswith("curve")})
