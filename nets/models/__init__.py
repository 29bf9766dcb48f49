"""Model families by name. `make(cfg, num_outputs)` builds a Flax module from `cfg.name` + fields."""

import dataclasses

import flax.linen as nn
import ml_collections

from nets.errors import ConfigError, lookup
from nets.models.autoencoder import ConvEncoder
from nets.models.charlm import CharRNN, CharTransformer
from nets.models.cnn import CNN
from nets.models.linecnn import LineCNN, LineLSTM
from nets.models.mlp import MLP
from nets.models.recurrent import RNNClassifier
from nets.models.resnet import ResNet
from nets.models.seq2seq import EncoderDecoder
from nets.models.transformer import Transformer

MODELS: dict[str, type[nn.Module]] = {
  "mlp": MLP,
  "cnn": CNN,
  "resnet": ResNet,
  "rnn": RNNClassifier,
  "transformer": Transformer,
  "char_rnn": CharRNN,
  "char_transformer": CharTransformer,
  "encoder_decoder": EncoderDecoder,
  "conv_encoder": ConvEncoder,  # stride-2 convolutions, then one Dense: SimCLR's supervised twin
  "line_cnn": LineCNN,
  "line_lstm": LineLSTM,
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
