"""Backpropagation by hand: an MLP in NumPy alone, with the chain rule written out layer by layer.

As in Nielsen's chapter 2 and 3Blue1Brown's chapter 4. Layer l computes
  z_l = a_{l-1} @ W_l + b_l,   a_l = f(z_l)
(weights stored [in, out], as Flax's Dense stores them, so parameters move between the two unchanged).
The forward pass caches every a_l and z_l; the backward pass starts from the cost's error at the output,
  delta_L = dC/dz_L,
and carries it back one layer at a time,
  dC/dW_l = a_{l-1}^T delta_l,   dC/db_l = sum_batch delta_l,   delta_{l-1} = (delta_l @ W_l^T) * f'(z_{l-1}).
"""

from collections.abc import Callable, Iterable, Sequence

import numpy as np

from nets.errors import ConfigError, lookup

Params = list[tuple[np.ndarray, np.ndarray]]  # [(W_l [in, out], b_l [out]), ...]


def _sigmoid(z):
  return 0.5 * (1.0 + np.tanh(0.5 * z))  # Never overflows, unlike 1 / (1 + exp(-z)).


# name -> (f, f') with f' written in terms of z.
ACTIVATIONS: dict[str, tuple[Callable, Callable]] = {
  "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
  "tanh": (np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
  "relu": (lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(z.dtype)),
  "identity": (lambda z: z, np.ones_like),
}
COSTS = ("quadratic", "cross_entropy")


def init(rng: np.random.Generator, sizes: Sequence[int], dtype=np.float32) -> Params:
  """Nielsen's initialisation: every weight and bias drawn from N(0, 1)."""
  return [
    (rng.standard_normal((n_in, n_out)).astype(dtype), rng.standard_normal(n_out).astype(dtype))
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False)
  ]


def forward(params: Params, x_BxD: np.ndarray, activation: str, output_activation: str):
  """The network's output and the cache the backward pass needs: ([a_0..a_L], [z_1..z_L])."""
  hidden, out = (
    lookup(ACTIVATIONS, "activation", activation),
    lookup(ACTIVATIONS, "activation", output_activation),
  )
  a, activations, zs = x_BxD.reshape(len(x_BxD), -1), [], []
  activations.append(a)
  for i, (w, b) in enumerate(params):
    z = a @ w + b
    a = (out if i == len(params) - 1 else hidden)[0](z)
    zs.append(z)
    activations.append(a)
  return a, (activations, zs)


def _softmax(z_BxC):
  e = np.exp(z_BxC - z_BxC.max(axis=-1, keepdims=True))
  return e / e.sum(axis=-1, keepdims=True)


def cost(outputs_BxC: np.ndarray, targets_BxC: np.ndarray, name: str) -> float:
  """Mean over the batch of 1/2 ||a - y||^2 (quadratic) or -sum y log softmax(z) (cross_entropy)."""
  if name == "quadratic":
    return float(np.mean(0.5 * np.sum((outputs_BxC - targets_BxC) ** 2, axis=-1)))
  if name == "cross_entropy":
    z = outputs_BxC - outputs_BxC.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return float(np.mean(-np.sum(targets_BxC * log_p, axis=-1)))
  raise ConfigError(f"unknown cost {name!r}; valid names: {', '.join(COSTS)}")


def backward(
  params: Params, cache, targets_BxC: np.ndarray, activation: str, output_activation: str, cost_name: str
):
  """Gradients of the batch-mean cost with respect to every (W_l, b_l), by the chain rule."""
  activations, zs = cache
  a_L, z_L = activations[-1], zs[-1]
  if cost_name == "quadratic":  # dC/da_L = a_L - y, times f'(z_L).
    delta = (a_L - targets_BxC) * ACTIVATIONS[output_activation][1](z_L)
  elif cost_name == "cross_entropy":  # Softmax and log-loss together: dC/dz_L = softmax(z_L) - y.
    if output_activation != "identity":
      raise ConfigError("cross_entropy takes logits: use output_activation='identity'")
    delta = _softmax(z_L) - targets_BxC
  else:
    raise ConfigError(f"unknown cost {cost_name!r}; valid names: {', '.join(COSTS)}")
  delta = delta / len(targets_BxC)  # The cost is a batch mean.
  df = ACTIVATIONS[activation][1]
  grads = [None] * len(params)
  for layer in range(len(params) - 1, -1, -1):
    grads[layer] = (activations[layer].T @ delta, delta.sum(axis=0))
    if layer:
      delta = (delta @ params[layer][0].T) * df(zs[layer - 1])
  return grads


def loss_and_grads(
  params: Params, x, targets, *, activation="sigmoid", output_activation="sigmoid", cost_name="quadratic"
):
  outputs, cache = forward(params, x, activation, output_activation)
  grads = backward(params, cache, targets, activation, output_activation, cost_name)
  return cost(outputs, targets, cost_name), grads


def one_hot(labels_B: np.ndarray, num_classes: int, dtype=np.float32) -> np.ndarray:
  return np.eye(num_classes, dtype=dtype)[labels_B]


def train(
  params: Params,
  x: np.ndarray,
  targets: np.ndarray,
  batches: Iterable[np.ndarray],
  learning_rate: float,
  **kw,
) -> Params:
  """Mini-batch SGD: W <- W - lr * dC/dW for each batch of example indices in `batches`."""
  params = [(w.copy(), b.copy()) for w, b in params]
  for idx_B in batches:
    _, grads = loss_and_grads(params, x[idx_B], targets[idx_B], **kw)
    for (w, b), (dw, db) in zip(params, grads, strict=True):
      w -= learning_rate * dw  # In place: the copies above are ours.
      b -= learning_rate * db
  return params


def accuracy(
  params: Params, x: np.ndarray, labels: np.ndarray, activation="sigmoid", output_activation="sigmoid"
) -> float:
  outputs, _ = forward(params, x, activation, output_activation)
  return float(np.mean(np.argmax(outputs, axis=-1) == labels))


def from_flax(params: dict) -> Params:
  """Flax MLP parameters {"Dense_i": {"kernel", "bias"}} as [(W, b), ...] NumPy arrays."""
  return [
    (np.array(params[f"Dense_{i}"]["kernel"]), np.array(params[f"Dense_{i}"]["bias"]))
    for i in range(len(params))
  ]
