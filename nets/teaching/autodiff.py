"""Reverse-mode automatic differentiation on a graph, small enough to read in one sitting.

Every operation makes a `Node` holding its value, its parents and, for each parent, a function from
the node's gradient to that parent's share of it (the local chain rule). `grad` visits the graph in
reverse topological order, so each node's gradient is complete - summed over every path to the
output - before it is passed on. This is what `jax.grad` does, without the tracing and compilation.

  x, w, y = Node(np.ones((2, 3))), Node(np.ones((3,))), np.zeros(2)
  loss = mean((tanh(x @ w) - y) ** 2)  # the squared-error cost; + - * / ** and unary minus all work
  grads = grad(loss, [x, w])

Subtraction, negation and division are written in terms of add, mul and power (a - b = a + (-1) b,
a / b = a b^-1), so each new operation brings no chain rule of its own except power's.
"""

from collections.abc import Callable, Sequence

import numpy as np


class Node:
  """A value in the graph; arithmetic on nodes builds more nodes."""

  __array_ufunc__ = None  # `array @ node`, `array - node`: NumPy defers to the node's reflected methods.

  def __init__(self, value, parents: Sequence[tuple["Node", Callable]] = ()):
    self.value = np.asarray(value, dtype=np.float64)
    self.parents = tuple(parents)  # (parent, d_parent(d_self)) pairs

  @property
  def shape(self) -> tuple[int, ...]:
    return self.value.shape

  def __add__(self, other):
    return add(self, other)

  __radd__ = __add__

  def __mul__(self, other):
    return mul(self, other)

  __rmul__ = __mul__

  def __sub__(self, other):
    return add(self, neg(other))

  def __rsub__(self, other):  # 2 - a
    return add(other, neg(self))

  def __neg__(self):
    return neg(self)

  def __truediv__(self, other):
    return mul(self, power(other, -1.0))

  def __rtruediv__(self, other):  # 2 / a
    return mul(other, power(self, -1.0))

  def __pow__(self, exponent):
    return power(self, exponent)

  def __matmul__(self, other):
    return matmul(self, other)

  def __rmatmul__(self, other):  # array @ node
    return matmul(other, self)

  def __repr__(self) -> str:
    return f"Node(shape={self.shape})"


def _node(x) -> Node:
  return x if isinstance(x, Node) else Node(x)


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
  """Sum a gradient over the axes broadcasting added, back to the operand's `shape`."""
  g = g.sum(axis=tuple(range(g.ndim - len(shape)))) if g.ndim > len(shape) else g
  return g.sum(axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)


def add(a, b) -> Node:
  a, b = _node(a), _node(b)
  return Node(
    a.value + b.value, [(a, lambda g: _unbroadcast(g, a.shape)), (b, lambda g: _unbroadcast(g, b.shape))]
  )


def mul(a, b) -> Node:
  a, b = _node(a), _node(b)
  return Node(
    a.value * b.value,
    [(a, lambda g: _unbroadcast(g * b.value, a.shape)), (b, lambda g: _unbroadcast(g * a.value, b.shape))],
  )


def neg(a) -> Node:
  return mul(a, -1.0)


def power(a, exponent: float) -> Node:
  """a ** exponent for a constant exponent: d/da = exponent * a ** (exponent - 1)."""
  if isinstance(exponent, Node):
    raise TypeError("power: the exponent must be a number, not a Node (write exp(log(a) * b) for a ** b)")
  a = _node(a)
  return Node(a.value**exponent, [(a, lambda g: g * exponent * a.value ** (exponent - 1))])


def matmul(a, b) -> Node:
  """Matrix [m, k] @ [k, n] or matrix @ vector [k]."""
  a, b = _node(a), _node(b)

  def d_a(g):
    return g @ b.value.T if b.value.ndim == 2 else np.outer(g, b.value)

  return Node(a.value @ b.value, [(a, d_a), (b, lambda g: a.value.T @ g)])


def exp(a) -> Node:
  a = _node(a)
  out = np.exp(a.value)
  return Node(out, [(a, lambda g: g * out)])


def log(a) -> Node:
  a = _node(a)
  return Node(np.log(a.value), [(a, lambda g: g / a.value)])


def tanh(a) -> Node:
  a = _node(a)
  out = np.tanh(a.value)
  return Node(out, [(a, lambda g: g * (1.0 - out**2))])


def relu(a) -> Node:
  a = _node(a)
  return Node(np.maximum(a.value, 0.0), [(a, lambda g: g * (a.value > 0))])


def sum(a, axis: int | None = None) -> Node:  # noqa: A001 - the name the lecture uses.
  a = _node(a)

  def d_a(g):
    return np.broadcast_to(g if axis is None else np.expand_dims(g, axis), a.shape)

  return Node(a.value.sum(axis=axis), [(a, d_a)])


def mean(a, axis: int | None = None) -> Node:
  a = _node(a)
  count = a.value.size if axis is None else a.shape[axis]
  return mul(sum(a, axis), 1.0 / count)


def _topological_order(output: Node) -> list[Node]:
  """Every node the output depends on, each after all of its parents."""
  order, seen, stack = [], set(), [(output, False)]
  while stack:  # Iterative depth-first search: deep graphs do not hit the recursion limit.
    node, expanded = stack.pop()
    if expanded:
      order.append(node)
    elif id(node) not in seen:
      seen.add(id(node))
      stack.append((node, True))
      stack.extend((parent, False) for parent, _ in node.parents if id(parent) not in seen)
  return order


def grad(output: Node, wrt: Sequence[Node]) -> list[np.ndarray]:
  """d output / d each of `wrt`, for a scalar `output`."""
  if output.value.shape != ():
    raise ValueError(f"grad needs a scalar output, got shape {output.shape}; reduce it with sum or mean")
  grads = {id(output): np.ones(())}
  for node in reversed(_topological_order(output)):
    g = grads.get(id(node))
    if g is None:
      continue
    for parent, local in node.parents:
      grads[id(parent)] = grads.get(id(parent), 0.0) + local(g)
  return [np.broadcast_to(grads.get(id(x), np.zeros(x.shape)), x.shape).copy() for x in wrt]
