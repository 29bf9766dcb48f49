"""Character language models: recurrent (vanilla RNN, LSTM, GRU) and a small Transformer.

Both read token ids x [B, T] (or a distribution over tokens [B, T, V], e.g. one-hot, so that
gradients with respect to the inputs exist) and return logits [B, T, num_outputs]: position t
predicts token t + 1. The recurrent models are causal by construction; the Transformer is causal
when `causal` (decoder-only, next-token prediction) and bidirectional otherwise (an encoder for
masked-token pre-training). With `pool` the Transformer averages over positions and classifies.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp

from nets.data.text import VOCAB_SIZE
from nets.errors import ConfigError, lookup
from nets.models.dropout import Dropout

CELLS = {"rnn": nn.SimpleCell, "lstm": nn.OptimizedLSTMCell, "gru": nn.GRUCell}


def embed(table: nn.Embed, x: jax.Array) -> jax.Array:
  """Look ids [B, T] up in `table`; a distribution [B, T, V] averages its rows."""
  return table(x) if jnp.issubdtype(x.dtype, jnp.integer) else x @ table.embedding


class CharRNN(nn.Module):
  """Embedding, `num_layers` recurrent layers of `cell` ("rnn", "lstm", "gru"), a Dense readout."""

  num_outputs: int
  cell: str = "lstm"
  hidden: int = 256
  num_layers: int = 1
  embed_dim: int = 64
  vocab_size: int = VOCAB_SIZE

  @nn.compact
  def __call__(self, x_BxT: jax.Array, train: bool = False) -> jax.Array:
    del train
    cell = lookup(CELLS, "cell", self.cell)
    h_BxTxD = embed(nn.Embed(self.vocab_size, self.embed_dim), x_BxT)
    for _ in range(self.num_layers):
      h_BxTxD = nn.RNN(cell(features=self.hidden))(h_BxTxD)
    return nn.Dense(self.num_outputs)(h_BxTxD)


class Block(nn.Module):
  """Pre-norm Transformer block: self-attention, then a 4x-wide GELU MLP, each with a residual."""

  num_heads: int
  dropout_rate: float = 0.0

  @nn.compact
  def __call__(self, h_BxTxD: jax.Array, mask: jax.Array | None, train: bool) -> jax.Array:
    d = h_BxTxD.shape[-1]
    a = nn.LayerNorm()(h_BxTxD)
    a = nn.MultiHeadDotProductAttention(
      self.num_heads, dropout_rate=self.dropout_rate, deterministic=not train
    )(a, a, mask=mask)
    h_BxTxD = h_BxTxD + Dropout(self.dropout_rate, deterministic=not train)(a)
    m = nn.Dense(d)(nn.gelu(nn.Dense(4 * d)(nn.LayerNorm()(h_BxTxD))))
    return h_BxTxD + Dropout(self.dropout_rate, deterministic=not train)(m)


class CharTransformer(nn.Module):
  """Token + learned position embeddings, `num_layers` blocks, a final LayerNorm and a readout.

  The readout is "head" (per position) or, with `pool`, "classifier" (mean over positions), so a
  pre-trained encoder's parameters warm-start a classifier by name.
  """

  num_outputs: int
  d_model: int = 128
  num_heads: int = 4
  num_layers: int = 2
  max_len: int = 512
  causal: bool = True
  pool: bool = False
  dropout_rate: float = 0.0
  vocab_size: int = VOCAB_SIZE

  @nn.compact
  def __call__(self, x_BxT: jax.Array, train: bool = False) -> jax.Array:
    T = x_BxT.shape[1]
    if T > self.max_len:
      raise ConfigError(f"CharTransformer has max_len {self.max_len}, got sequences of {T}")
    h_BxTxD = embed(nn.Embed(self.vocab_size, self.d_model), x_BxT)
    pos_TxD = self.param("position", nn.initializers.normal(0.02), (self.max_len, self.d_model))[:T]
    h_BxTxD = h_BxTxD + pos_TxD
    mask = nn.make_causal_mask(jnp.zeros(x_BxT.shape[:2])) if self.causal else None
    for _ in range(self.num_layers):
      h_BxTxD = Block(self.num_heads, self.dropout_rate)(h_BxTxD, mask, train)
    h_BxTxD = nn.LayerNorm()(h_BxTxD)
    if self.pool:
      return nn.Dense(self.num_outputs, name="classifier")(h_BxTxD.mean(axis=1))
    return nn.Dense(self.num_outputs, name="head")(h_BxTxD)
