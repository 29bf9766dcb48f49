"""Encoder-decoder with attention (Bahdanau et al. 2015; Luong et al. 2015's dot-product form).

A bidirectional GRU reads the source ids [B, S] (0 = padding) into a memory [B, S, H]. A GRU
decoder emits one token a step: it reads the previous token and the previous attentional vector
(input feeding), attends over the memory with its new state, and predicts from [state, context].
`teacher` [B, T] gives each step's input token; -1 feeds back the decoder's own previous argmax,
so teacher forcing (training) and greedy decoding (evaluation) are the same scan.
"""

import flax.linen as nn
import jax
import jax.numpy as jnp

PAD, BOS, EOS = 0, 1, 2


class DecoderCell(nn.Module):
  vocab_size: int
  hidden: int
  embed_dim: int

  @nn.compact
  def __call__(self, carry, token_B, memory_BxSxH, valid_BxS):
    h_BxH, attentional_BxH, prev_logits_BxV = carry
    token_B = jnp.where(token_B >= 0, token_B, jnp.argmax(prev_logits_BxV, -1))
    inputs = jnp.concatenate([nn.Embed(self.vocab_size, self.embed_dim)(token_B), attentional_BxH], -1)
    h_BxH, _ = nn.GRUCell(self.hidden)(h_BxH, inputs)
    scores_BxS = jnp.einsum("bh,bsh->bs", nn.Dense(self.hidden, use_bias=False)(h_BxH), memory_BxSxH)
    weights_BxS = jax.nn.softmax(jnp.where(valid_BxS, scores_BxS, -1e9), axis=-1)
    context_BxH = jnp.einsum("bs,bsh->bh", weights_BxS, memory_BxSxH)
    attentional_BxH = jnp.tanh(nn.Dense(self.hidden)(jnp.concatenate([h_BxH, context_BxH], -1)))
    logits_BxV = nn.Dense(self.vocab_size)(attentional_BxH)
    return (h_BxH, attentional_BxH, logits_BxV), (logits_BxV, weights_BxS)


class EncoderDecoder(nn.Module):
  """Logits [B, T, num_outputs] (and attention weights [B, T, S] with `return_attention`)."""

  num_outputs: int  # the vocabulary, shared by source and target
  hidden: int = 64
  embed_dim: int = 32

  @nn.compact
  def __call__(self, src_BxS, teacher_BxT=None, train: bool = False, return_attention: bool = False):
    del train
    B, S = src_BxS.shape
    if teacher_BxT is None:  # Greedy decoding of up to S + 1 tokens (the output and EOS).
      teacher_BxT = jnp.full((B, S + 1), -1, jnp.int32).at[:, 0].set(BOS)
    valid_BxS = src_BxS != PAD
    lengths_B = valid_BxS.sum(-1)
    x = nn.Embed(self.num_outputs, self.embed_dim)(src_BxS)
    half = self.hidden // 2
    memory_BxSxH = nn.Bidirectional(nn.RNN(nn.GRUCell(half)), nn.RNN(nn.GRUCell(half)))(
      x, seq_lengths=lengths_B
    )
    mean_BxH = (memory_BxSxH * valid_BxS[..., None]).sum(1) / jnp.maximum(lengths_B, 1)[:, None]
    carry = (
      jnp.tanh(nn.Dense(self.hidden)(mean_BxH)),
      jnp.zeros((B, self.hidden)),
      jnp.zeros((B, self.num_outputs)),
    )
    scan = nn.scan(
      DecoderCell,
      variable_broadcast="params",
      split_rngs={"params": False},
      in_axes=(1, nn.broadcast, nn.broadcast),
      out_axes=1,
    )
    _, (logits_BxTxV, weights_BxTxS) = scan(self.num_outputs, self.hidden, self.embed_dim)(
      carry, teacher_BxT, memory_BxSxH, valid_BxS
    )
    return (logits_BxTxV, weights_BxTxS) if return_attention else logits_BxTxV
