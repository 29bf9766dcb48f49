"""CTC for line recognition: the loss (optax), greedy decoding and the character error rate.

Class 0 is the blank; labels are padded with 0 to a fixed length.
"""

import jax
import jax.numpy as jnp
import optax

BLANK = 0


def ctc_loss(logits_BxTxC: jax.Array, labels_BxL: jax.Array) -> jax.Array:
  """Per-line CTC negative log-likelihood; every frame is used, label positions equal to 0 are padding."""
  logit_paddings = jnp.zeros(logits_BxTxC.shape[:2], logits_BxTxC.dtype)
  label_paddings = (labels_BxL == BLANK).astype(logits_BxTxC.dtype)
  return optax.ctc_loss(logits_BxTxC, logit_paddings, labels_BxL, label_paddings, blank_id=BLANK)


def greedy_decode(logits_BxTxC: jax.Array) -> jax.Array:
  """Best class per frame, repeats merged, blanks dropped, left-aligned and 0-padded: [B, T]."""
  best_BxT = jnp.argmax(logits_BxTxC, -1)
  prev_BxT = jnp.pad(best_BxT[:, :-1], ((0, 0), (1, 0)), constant_values=BLANK)
  keep_BxT = (best_BxT != BLANK) & (best_BxT != prev_BxT)
  # Kept frames go to slots 0, 1, 2, ...; dropped ones to a spare last slot that is cut off.
  slot_BxT = jnp.where(keep_BxT, jnp.cumsum(keep_BxT, -1) - 1, best_BxT.shape[1])
  out = jnp.zeros((best_BxT.shape[0], best_BxT.shape[1] + 1), best_BxT.dtype)
  out = jax.vmap(lambda o, s, v: o.at[s].set(v))(out, slot_BxT, jnp.where(keep_BxT, best_BxT, BLANK))
  return out[:, :-1]


def greedy_confidence(logits_BxTxC: jax.Array) -> jax.Array:
  """Per line, the mean over the frames that emit a character (best class not the blank) of that class's
  softmax probability: [B] in (0, 1]. A line with no such frame scores its blank frames' mean instead.
  Blank frames are left out because a model is sure of the blank between glyphs it cannot read too."""
  best_BxT = jnp.max(jax.nn.softmax(logits_BxTxC, -1), -1)
  emits_BxT = jnp.argmax(logits_BxTxC, -1) != BLANK
  emitted = jnp.sum(best_BxT * emits_BxT, -1) / jnp.maximum(jnp.sum(emits_BxT, -1), 1)
  return jnp.where(jnp.any(emits_BxT, -1), emitted, jnp.mean(best_BxT, -1))


def edit_distance(hyp_T: jax.Array, ref_L: jax.Array) -> jax.Array:
  """Levenshtein distance between two 0-padded label sequences (insertions, deletions, substitutions)."""
  len_h, len_r = jnp.sum(hyp_T != BLANK), jnp.sum(ref_L != BLANK)
  first_row = jnp.arange(ref_L.shape[0] + 1)

  def next_row(row, i_h):
    i, h = i_h
    sub = row[:-1] + (ref_L != h)  # Diagonal: match or substitute.
    dele = row[1:] + 1  # From the row above: delete h.

    def cell(left, sd):  # From the left: insert the reference character.
      value = jnp.minimum(jnp.minimum(sd[0], sd[1]), left + 1)
      return value, value

    _, rest = jax.lax.scan(cell, i + 1, (sub, dele))
    new = jnp.concatenate([jnp.array([i + 1]), rest])
    return new, new

  _, rows = jax.lax.scan(next_row, first_row, (jnp.arange(hyp_T.shape[0]), hyp_T))
  rows = jnp.concatenate([first_row[None], rows])
  return rows[len_h, len_r]


def line_metrics(logits_BxTxC: jax.Array, labels_BxL: jax.Array) -> dict[str, jax.Array]:
  """Per-line edits and target length (their sums' ratio is the CER) and each line's own CER."""
  edits_B = jax.vmap(edit_distance)(greedy_decode(logits_BxTxC), labels_BxL).astype(jnp.float32)
  chars_B = jnp.sum(labels_BxL != BLANK, -1).astype(jnp.float32)
  return {"edits": edits_B, "chars": chars_B, "line_cer": edits_B / jnp.maximum(chars_B, 1.0)}


def text_edit_distance(hyp: str, ref: str) -> int:
  """Levenshtein distance between two strings (for texts of any alphabet, e.g. whole paragraphs)."""
  row = list(range(len(ref) + 1))
  for i, h in enumerate(hyp, 1):
    new = [i]
    for j, r in enumerate(ref, 1):
      new.append(min(row[j] + 1, new[j - 1] + 1, row[j - 1] + (h != r)))
    row = new
  return row[-1]
