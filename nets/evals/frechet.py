"""The Frechet distance between two sets of images in a classifier's feature space (as in FID).

Each set's features are summarised by a Gaussian N(mean, covariance); the distance between two is
||m1 - m2||^2 + tr(C1 + C2 - 2 (C1 C2)^(1/2)). FID uses Inception-v3's features of ImageNet photos;
here the features are a classifier's last hidden layer, trained on the same digits.
"""

import warnings
from collections.abc import Callable

import flax.linen as nn
import jax
import numpy as np
import scipy.linalg


def statistics(features_NxD: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
  """Mean and (unbiased) covariance of the features."""
  features = np.asarray(features_NxD, np.float64)
  return features.mean(axis=0), np.cov(features, rowvar=False)


def frechet_distance(mean1: np.ndarray, cov1: np.ndarray, mean2: np.ndarray, cov2: np.ndarray) -> float:
  """||m1 - m2||^2 + tr(C1 + C2 - 2 sqrt(C1 C2)): the squared 2-Wasserstein distance of the Gaussians."""
  with warnings.catch_warnings():  # Dead ReLU features make a covariance singular; handled below.
    warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
    root = scipy.linalg.sqrtm(cov1 @ cov2)
    if not np.isfinite(root).all():  # As pytorch-fid does: a tiny ridge on both covariances.
      ridge = 1e-6 * np.eye(len(cov1))
      root = scipy.linalg.sqrtm((cov1 + ridge) @ (cov2 + ridge))
  root = np.real(root)  # Round-off gives tiny imaginary parts.
  return float(np.sum((mean1 - mean2) ** 2) + np.trace(cov1 + cov2 - 2.0 * root))


def last_hidden(model: nn.Module, variables: dict) -> Callable[[jax.Array], jax.Array]:
  """x -> the input of `model`'s last Dense layer: the features its output layer reads."""

  def features(x: jax.Array) -> jax.Array:
    inputs = []

    def record(next_fun, args, kwargs, context):
      if isinstance(context.module, nn.Dense) and context.method_name == "__call__":
        inputs.append(args[0])
      return next_fun(*args, **kwargs)

    with nn.intercept_methods(record):
      model.apply(variables, x, train=False)
    return inputs[-1]

  return jax.jit(features)
