"""Normalisation by name: batch, layer, weight norm, or none.

Batch and layer norm act on activations (`normalize`); weight norm reparameterises a layer's weights
(`weighted`). A model calls both around each layer, so one config field picks the scheme:

  h = normalize(norm, train)(weighted(norm, nn.Conv(64, (3, 3)))(h))
"""

from collections.abc import Callable

import flax.linen as nn
import jax

from nets.errors import lookup

NORMS = ("none", "batch", "layer", "weight")


def _check(kind: str) -> str:
  return lookup({n: n for n in NORMS}, "norm", kind)


def normalize(kind: str, train: bool, name: str | None = None) -> Callable[[jax.Array], jax.Array]:
  """Activation normalisation: batch norm (running statistics in `batch_stats`, used when not
  training), layer norm, or identity (for "none" and "weight"). Call inside a compact module."""
  kind = _check(kind)
  if kind == "batch":
    return nn.BatchNorm(use_running_average=not train, momentum=0.9, name=name)
  if kind == "layer":
    return nn.LayerNorm(name=name)
  return lambda x: x


def weighted(kind: str, layer: nn.Module) -> nn.Module:
  """`layer` with weight norm (w = g * v / |v|, per output feature) when kind is "weight"."""
  return nn.WeightNorm(layer) if _check(kind) == "weight" else layer
