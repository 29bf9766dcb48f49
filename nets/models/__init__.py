"""Model families by name. `make(cfg, num_outputs)` builds a Flax module from `cfg.name` + fields."""

import dataclasses

import flax.linen as nn
import ml_collections

from nets.errors import ConfigError, lookup
from nets.models.cnn import CNN
from nets.models.mlp import MLP
from nets.models.recurrent import RNNClassifier
from nets.models.resnet import ResNet
from nets.models.transformer import Transformer

MODELS: dict[str, type[nn.Module]] = {
  "mlp": MLP,
  "cnn": CNN,
  "resnet": ResNet,
  "rnn": RNNClassifier,
  "transformer": Transformer,
}


def make(cfg: ml_collections.ConfigDict, num_outputs: int) -> nn.Module:
  """The model `cfg.name`, its fields from the rest of `cfg`; num_outputs from the data if unset."""
  cls = lookup(MODELS, "model", cfg.name)
  kwargs = {k: v for k, v in cfg.to_dict().items() if k != "name"}
  kwargs.setdefault("num_outputs", num_outputs)
  fields = {f.name for f in dataclasses.fields(cls) if f.init and f.name not in ("parent", "name")}
  unknown = sorted(set(kwargs) - fields)
  if unknown:
    raise ConfigError(
      f"model {cfg.name!r} has no field {', '.join(unknown)}; its fields: {', '.join(sorted(fields))}"
    )
  return cls(**kwargs)
