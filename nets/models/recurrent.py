"""Recurrent sequence models: vanilla RNN, LSTM and GRU cells, uni- or bidirectional, stacked.

`Recurrent` is the reusable layer (N x T x D -> N x T x H, or 2H bidirectional); `RNNClassifier`
reads a sequence out into class scores. Images N x H x W x C are read row by row (T = H).
"""

import flax.linen as nn
import jax

from nets.errors import ConfigError, lookup
from nets.models.dropout import Dropout

CELLS = {"rnn": nn.SimpleCell, "lstm": nn.OptimizedLSTMCell, "gru": nn.GRUCell}
READOUTS = ("last", "mean", "flatten")


class Recurrent(nn.Module):
  """`num_layers` recurrent layers of `hidden` units over axis 1; both directions concatenated when
  `bidirectional` (each step then sees the whole sequence)."""

  hidden: int = 64
  cell: str = "lstm"
  bidirectional: bool = False
  num_layers: int = 1
  dropout_rate: float = 0.0  # between layers

  @nn.compact
  def __call__(self, x_BxTxD: jax.Array, train: bool = False) -> jax.Array:
    cell = lookup(CELLS, "cell", self.cell)
    h = x_BxTxD
    for i in range(self.num_layers):
      if i and self.dropout_rate:
        h = Dropout(self.dropout_rate, deterministic=not train)(h)
      forward = nn.RNN(cell(self.hidden), name=f"forward_{i}")
      if self.bidirectional:
        backward = nn.RNN(cell(self.hidden), reverse=True, keep_order=True, name=f"backward_{i}")
        h = nn.Bidirectional(forward, backward, name=f"bidirectional_{i}")(h)
      else:
        h = forward(h)
    return h


def as_sequence(x: jax.Array) -> jax.Array:
  """N x T x D as is; N x H x W x C as N x H x (W C), one row a step."""
  if x.ndim < 3:
    raise ConfigError(f"a recurrent model takes N x T x D sequences or images, got shape {tuple(x.shape)}")
  return x.reshape(x.shape[0], x.shape[1], -1)


class RNNClassifier(nn.Module):
  """Recurrent layers, then a readout of the outputs into `num_outputs` scores.

  readout: "last" (the final step's output; bidirectional: the forward half's last step
  concatenated with the backward half's first), "mean" over steps, or "flatten" every step (the
  MNIST-1D paper's GRU reads all 40 steps).
  """

  num_outputs: int
  hidden: int = 64
  cell: str = "lstm"
  bidirectional: bool = False
  num_layers: int = 1
  readout: str = "last"
  dropout_rate: float = 0.0

  @nn.compact
  def __call__(self, x: jax.Array, train: bool = False) -> jax.Array:
    readout = lookup({r: r for r in READOUTS}, "readout", self.readout)
    h = Recurrent(self.hidden, self.cell, self.bidirectional, self.num_layers, self.dropout_rate)(
      as_sequence(x), train
    )
    if readout == "flatten":
      h = h.reshape(h.shape[0], -1)
    elif readout == "mean":
      h = h.mean(axis=1)
    elif self.bidirectional:
      h = jax.numpy.concatenate([h[:, -1, : self.hidden], h[:, 0, self.hidden :]], axis=-1)
    else:
      h = h[:, -1]
    if self.dropout_rate:  # 0 = off; Dropout rejects a rate outside [0, 1]
      h = Dropout(self.dropout_rate, deterministic=not train)(h)
    return nn.Dense(self.num_outputs)(h)
