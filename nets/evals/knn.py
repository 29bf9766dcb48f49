"""k-nearest neighbours in JAX: the first classifier the lecture names, and the baseline every network beats.

Squared Euclidean distances come from one matmul per chunk of queries, ||q||^2 - 2 q.x + ||x||^2, so a
chunk costs a [Q, N] matrix and never a [Q, N, D] one; lax.top_k picks the nearest neighbours and a
vote decides. Queries go through in fixed-size chunks under lax.map, which bounds memory at
chunk_size x N floats whatever the test set's size.
"""

import functools

import jax
import jax.numpy as jnp
import numpy as np

from nets.errors import ConfigError


def squared_distances(q_QxD: jax.Array, x_NxD: jax.Array) -> jax.Array:
  """[Q, N] squared Euclidean distances, by ||q||^2 - 2 q.x + ||x||^2 (clipped at 0: round-off)."""
  cross_QxN = jnp.dot(q_QxD, x_NxD.T, precision=jax.lax.Precision.HIGHEST)
  d_QxN = jnp.sum(q_QxD**2, axis=1, keepdims=True) - 2.0 * cross_QxN + jnp.sum(x_NxD**2, axis=1)[None, :]
  return jnp.maximum(d_QxN, 0.0)


@functools.partial(jax.jit, static_argnames=("k", "chunk_size"))
def neighbours(x_NxD: jax.Array, q_QxD: jax.Array, k: int, chunk_size: int = 500):
  """(indices [Q, k] of the k training points nearest each query, nearest first; their squared distances)."""
  Q = q_QxD.shape[0]
  chunks = -(-Q // chunk_size)
  padded = jnp.pad(q_QxD, ((0, chunks * chunk_size - Q), (0, 0)))  # The padding rows are dropped below.

  def one_chunk(q_CxD):
    neg_d_Cxk, idx_Cxk = jax.lax.top_k(-squared_distances(q_CxD, x_NxD), k)
    return idx_Cxk, -neg_d_Cxk

  idx, d = jax.lax.map(one_chunk, padded.reshape(chunks, chunk_size, -1))
  return idx.reshape(-1, k)[:Q], d.reshape(-1, k)[:Q]


def vote(labels_Qxk: jax.Array, num_classes: int) -> jax.Array:
  """[Q] majority class among each row's labels (nearest first); a tie goes to the tied class whose
  nearest member ranks first, so k = 2 never falls back on the lower class id (argmax's rule)."""
  k = labels_Qxk.shape[1]
  one_hot_QxkxC = jax.nn.one_hot(labels_Qxk, num_classes, dtype=jnp.int32)
  votes_QxC = one_hot_QxkxC.sum(axis=1)
  ranks_k = jnp.arange(k)[None, :, None]
  first_rank_QxC = jnp.min(jnp.where(one_hot_QxkxC > 0, ranks_k, k), axis=1)
  return jnp.argmax(votes_QxC * (k + 1) - first_rank_QxC, axis=1)


def flat(x: np.ndarray) -> jax.Array:
  return jnp.asarray(x, jnp.float32).reshape(len(x), -1)


def accuracies(
  train: dict, test: dict, ks: tuple[int, ...], num_classes: int, chunk_size: int = 500
) -> dict[int, float]:
  """{k: test accuracy of the k-NN vote} for each k, from one neighbour search at the largest k."""
  if not ks or min(ks) < 1 or max(ks) > len(train["y"]):
    raise ConfigError(f"k must be between 1 and the {len(train['y'])} training examples, got {tuple(ks)}")
  idx_QxK, _ = neighbours(flat(train["x"]), flat(test["x"]), max(ks), chunk_size)
  labels_QxK = jnp.asarray(train["y"])[idx_QxK]
  y_Q = jnp.asarray(test["y"])
  return {k: float(jnp.mean(vote(labels_QxK[:, :k], num_classes) == y_Q)) for k in ks}
