"""Drivers of the unsupervised experiments: train with the one loop, then draw and measure.

Each runs `train_and_evaluate` with an `on_end` (and where useful an `on_epoch`) hook that writes PNG
figures into the workdir and adds the numbers a per-example eval_step cannot give to results.json.
"""

import os

import jax
import ml_collections
import numpy as np

from nets import figures
from nets.loop import train_and_evaluate


def one_per_class(labels_N: np.ndarray, per_class: int = 1) -> np.ndarray:
  """Indices of the first `per_class` examples of each class, class by class."""
  return np.concatenate([np.flatnonzero(labels_N == c)[:per_class] for c in np.unique(labels_N)])


def autoencoder(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """An autoencoder, denoising autoencoder or VAE; figures of reconstructions, codes and samples."""

  def on_end(task, state, dataset) -> dict:
    x, y = dataset.splits["test"]["x"], dataset.splits["test"]["y"]
    show = x[one_per_class(y)]
    inputs = np.asarray(task.corrupt(jax.random.PRNGKey(1), show)) if hasattr(task, "corrupt") else show
    rows = {"original": show}
    if getattr(task, "noise_std", 0) > 0:
      rows["noisy input"] = inputs
    rows["reconstruction"] = np.asarray(task.reconstruct(state, inputs))
    names = [figures.save_rows(os.path.join(workdir, "reconstructions.png"), rows, _title(config))]
    codes = np.asarray(task.encode(state, x))
    if codes.shape[1] == 2:
      path = os.path.join(workdir, "latent.png")
      names.append(figures.save_scatter(path, codes, y, f"{_title(config)}: test codes"))
    if hasattr(task, "sample"):
      samples = np.asarray(task.sample(state, jax.random.PRNGKey(2), 100))
      path = os.path.join(workdir, "samples.png")
      names.append(figures.save_grid(path, samples, 10, f"{_title(config)}: decoded z ~ N(0, I)"))
    return {"figures": [os.path.basename(n) for n in names]}

  return train_and_evaluate(config, workdir, on_end=on_end)


def _title(config: ml_collections.ConfigDict) -> str:
  m = config.model
  noise = f", noise {config.noise_std}" if config.get("noise_std", 0) else ""
  return f"{config.task} {m.get('kind', 'mlp')}, latent {m.get('latent_dim', 2)}{noise}"
