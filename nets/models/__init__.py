"""Model families by name. `make(cfg, num_outputs, **from_data)` builds a Flax module from `cfg.name` and
the rest of `cfg` as its fields; every model of every task is built here, so a misspelt field is always
one line listing the valid ones."""

import dataclasses
import difflib

import flax.linen as nn
import ml_collections

from nets.errors import ConfigError, lookup
from nets.models.autoencoder import VAE, Autoencoder, ConvEncoder, SimCLRConv
from nets.models.charlm import CharRNN, CharTransformer
from nets.models.cnn import CNN
from nets.models.linecnn import LineCNN, LineLSTM
from nets.models.made import MADE
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
  "autoencoder": Autoencoder,  # task autoencode; task vae builds its VAE from the same fields
  "vae": VAE,
  "made": MADE,  # task nextpixel
  "simclr_conv": SimCLRConv,  # task contrastive: a conv encoder and an MLP projection head
}


def check_fields(name: str, given, from_data=()) -> set[str]:
  """The fields of model `name`; ConfigError (one line, the valid ones listed) if `given` has another.
  nets.options checks a config's model sections with it before any data is read; make, any model."""
  cls = lookup(MODELS, "model", name)
  fields = {f.name for f in dataclasses.fields(cls) if f.init and f.name not in ("parent", "name")}
  unknown = sorted(set(given) - {"name"} - (fields - set(from_data)))
  if unknown:
    settable = sorted(fields - set(from_data))
    close = difflib.get_close_matches(unknown[0], settable, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    names = ", ".join(map(repr, unknown))
    raise ConfigError(f"model {name!r} has no field {names}{hint}; its fields: {', '.join(settable)}")
  return fields


def make(cfg: ml_collections.ConfigDict, num_outputs: int | None = None, **from_data) -> nn.Module:
  """The model `cfg.name`, its fields from the rest of `cfg`. `num_outputs` (from the data: classes,
  vocabulary) is used unless cfg sets it, for models that have the field; `from_data` are fields that
  only the data decides (e.g. image_shape), never the config."""
  cls = lookup(MODELS, "model", cfg.name)
  kwargs = {k: v for k, v in cfg.to_dict().items() if k != "name"}
  fields = check_fields(cfg.name, kwargs, from_data)
  if "num_outputs" in fields and num_outputs is not None:
    kwargs.setdefault("num_outputs", num_outputs)
  return cls(**kwargs, **from_data)
