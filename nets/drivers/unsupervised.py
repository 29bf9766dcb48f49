"""Drivers of the unsupervised experiments: train with the one loop, then draw and measure.

Each runs `train_and_evaluate` with an `on_end` (and where useful an `on_epoch`) hook that writes PNG
figures into the workdir and adds the numbers a per-example eval_step cannot give to results.json.
"""

import os
from collections.abc import Callable

import jax
import ml_collections
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from nets import options
from nets.config import base_config
from nets.evals import figures, frechet
from nets.tasks import Reconstructor
from nets.tasks import nextpixel as nextpixel_task
from nets.training.logbook import read_jsonl
from nets.training.loop import train_and_evaluate


def one_per_class(labels_N: np.ndarray, per_class: int = 1) -> np.ndarray:
  """Indices of the first `per_class` examples of each class, class by class."""
  return np.concatenate([np.flatnonzero(labels_N == c)[:per_class] for c in np.unique(labels_N)])


@options.resolved
def autoencoder(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """An autoencoder, denoising autoencoder or VAE; figures of reconstructions, codes and samples."""

  def on_end(task: Reconstructor, state, dataset) -> dict:
    x, y = dataset.splits["test"]["x"], dataset.splits["test"]["y"]
    show = x[one_per_class(y)]
    inputs = np.asarray(task.corrupt(jax.random.PRNGKey(1), show))
    rows = {"original": show}
    if config.noise_std > 0:
      rows["noisy input"] = inputs
    rows["reconstruction"] = np.asarray(task.reconstruct(state, inputs))
    names = [figures.save_rows(os.path.join(workdir, "reconstructions.png"), rows, _title(config))]
    codes = np.asarray(task.encode(state, x))
    if codes.shape[1] == 2:
      path = os.path.join(workdir, "latent.png")
      names.append(figures.save_scatter(path, codes, y, f"{_title(config)}: test codes"))
    if config.task == "vae":  # A generative model: decode draws from its prior.
      samples = np.asarray(task.sample(state, jax.random.PRNGKey(2), 100))
      path = os.path.join(workdir, "samples.png")
      names.append(figures.save_grid(path, samples, 10, f"{_title(config)}: decoded z ~ N(0, I)"))
    return {"figures": [os.path.basename(n) for n in names]}

  return train_and_evaluate(config, workdir, on_end=on_end)


def _title(config: ml_collections.ConfigDict) -> str:
  m = config.model
  noise = f", noise {config.noise_std}" if config.noise_std else ""
  kind, latent = options.model_field(m, "kind"), options.model_field(m, "latent_dim")
  return f"{config.task} {kind}, latent {latent}{noise}"


def classifier_features(config: ml_collections.ConfigDict, workdir: str) -> tuple[Callable, tuple, dict]:
  """Train config.classifier on config.data with the loop: (its last-hidden-layer map, the training
  images' feature statistics, its results)."""
  clf = base_config()
  clf.data = config.data
  clf.seed = config.seed
  clf.model = config.classifier.model
  clf.num_epochs = config.classifier.num_epochs
  clf.batch_size = config.classifier.batch_size
  clf.optimizer.learning_rate = config.classifier.learning_rate
  found = {}

  def on_end(task, state, dataset):
    features = frechet.last_hidden(task.model, {"params": state.params, **state.model_state})
    found.update(features=features, stats=frechet.statistics(features(dataset.splits["train"]["x"])))

  results = train_and_evaluate(clf, workdir, on_end=on_end)
  return found["features"], found["stats"], results


@options.resolved
def gan(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """A GAN; a sample grid per epoch, and the Frechet distance of its samples to the training images.

  The distance is measured in the feature space of a classifier trained first on the same data, and
  reported beside the same distance for uniform noise images and for held-out real (test) images.
  """
  features, reference, clf_results = classifier_features(config, os.path.join(workdir, "classifier"))
  os.makedirs(os.path.join(workdir, "samples"), exist_ok=True)
  num, key = config.frechet_samples, jax.random.PRNGKey(config.seed + 1)
  shown = {}

  def distance(images):
    return frechet.frechet_distance(*frechet.statistics(features(images)), *reference)

  def on_epoch(task, state, epoch):
    samples = np.asarray(task.sample(state, key, num))
    shown[epoch] = samples[:10]
    plt_path = os.path.join(workdir, "samples", f"epoch_{epoch:03d}.png")
    figures.save_grid(plt_path, samples[:100], 10, f"epoch {epoch}")
    return {"frechet_distance": distance(samples)}

  def on_end(task, state, dataset):
    samples = np.asarray(task.sample(state, key, num))
    noise = np.asarray(jax.random.uniform(jax.random.PRNGKey(3), samples.shape))
    results = {
      "frechet_generated": distance(samples),
      "frechet_test_real": distance(dataset.splits["test"]["x"][:num]),
      "frechet_noise": distance(noise),
      "classifier_test_accuracy": clf_results["test_accuracy"],
    }
    names = [figures.save_grid(os.path.join(workdir, "samples.png"), samples[:100], 10, "GAN samples")]
    if shown:
      epochs = _spread(sorted(shown), 8)
      rows = {f"epoch {e}": shown[e] for e in epochs}
      names.append(
        figures.save_rows(os.path.join(workdir, "progress.png"), rows, "the same z, epoch by epoch")
      )
    history = [r for r in read_jsonl(os.path.join(workdir, "metrics.jsonl")) if "frechet_distance" in r]
    if history:
      path = os.path.join(workdir, "frechet.png")
      levels = {"held-out real": results["frechet_test_real"], "uniform noise": results["frechet_noise"]}
      title = "Frechet distance of GAN samples to the training digits"
      names.append(figures.save_curve(path, history, "frechet_distance", levels, title))
    return {**results, "figures": [os.path.basename(n) for n in names]}

  return train_and_evaluate(config, workdir, on_epoch=on_epoch, on_end=on_end)


def _spread(items: list, k: int) -> list:
  """At most k items, evenly spread, always the first and the last."""
  if len(items) <= k:
    return items
  return [items[round(i * (len(items) - 1) / (k - 1))] for i in range(k)]


@options.resolved
def nextpixel(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """An autoregressive next-pixel model; its test bits per pixel beside independent pixels'; samples."""

  def on_end(task, state, dataset):
    train_x, test_x = dataset.splits["train"]["x"], dataset.splits["test"]["x"]
    samples = np.asarray(task.sample(state, jax.random.PRNGKey(config.seed + 1), config.num_samples))
    path = os.path.join(workdir, "samples.png")
    figures.save_grid(path, samples, 8, "MADE samples, drawn pixel by pixel")
    baseline = nextpixel_task.independent_pixels_bits(train_x, test_x)
    return {"independent_pixels_test_bits_per_pixel": baseline, "figures": ["samples.png"]}

  return train_and_evaluate(config, workdir, on_end=on_end)


def linear_probe(train_h: np.ndarray, train_y: np.ndarray, test_h: np.ndarray, test_y: np.ndarray) -> float:
  """Test accuracy of a logistic regression on frozen (standardised) features."""
  scaler = StandardScaler().fit(train_h)
  probe = LogisticRegression(max_iter=2000).fit(scaler.transform(train_h), train_y)
  return float(probe.score(scaler.transform(test_h), test_y))


@options.resolved
def contrastive(config: ml_collections.ConfigDict, workdir: str) -> dict:
  """SimCLR; linear probes on its representation, on a random encoder's and on raw pixels, beside
  the same encoder trained with labels (config.supervised, in workdir/supervised)."""
  sup = base_config()
  sup.data, sup.seed = config.data, config.seed
  sup.model = ml_collections.ConfigDict(
    dict(name="conv_encoder", widths=tuple(config.model.widths))
  )  # The encoder, its last Dense giving the classes' logits.
  sup.num_epochs, sup.batch_size = config.supervised.num_epochs, config.supervised.batch_size
  supervised = train_and_evaluate(sup, os.path.join(workdir, "supervised"))

  def on_end(task, state, dataset):
    train, test = dataset.splits["train"], dataset.splits["test"]
    represent = jax.jit(task.represent)
    random_params = task.init(jax.random.PRNGKey(config.seed + 1), {"x": train["x"][:2]}).params
    probe = {}
    for name, params in (("simclr", state.params), ("random_encoder", random_params)):
      probe[f"probe_{name}_test_accuracy"] = linear_probe(
        np.asarray(represent(params, train["x"])),
        train["y"],
        np.asarray(represent(params, test["x"])),
        test["y"],
      )
    flat = lambda x: x.reshape(len(x), -1)
    probe["probe_pixels_test_accuracy"] = linear_probe(
      flat(train["x"]), train["y"], flat(test["x"]), test["y"]
    )
    probe["supervised_test_accuracy"] = supervised["test_accuracy"]
    show = test["x"][one_per_class(test["y"])]
    rows = {
      "image": show,
      **{f"view {i + 1}": np.asarray(task.views(jax.random.PRNGKey(i), show)) for i in range(3)},
    }
    figures.save_rows(os.path.join(workdir, "views.png"), rows, "SimCLR's random views of each digit")
    return {**probe, "figures": ["views.png"]}

  return train_and_evaluate(config, workdir, on_end=on_end)
