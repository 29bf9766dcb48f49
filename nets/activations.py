"""Activation functions by name: the perceptron's step up to GELU."""

from collections.abc import Callable

import jax
import jax.numpy as jnp

from nets.errors import lookup


def step(x: jax.Array) -> jax.Array:
  """Heaviside step of the perceptron: 1 where x > 0, else 0 (its gradient is 0 everywhere)."""
  return jnp.heaviside(x, 0.0).astype(jnp.result_type(x, jnp.float32))


def identity(x: jax.Array) -> jax.Array:
  return x


ACTIVATIONS: dict[str, Callable[[jax.Array], jax.Array]] = {
  "step": step,
  "sigmoid": jax.nn.sigmoid,
  "tanh": jnp.tanh,
  "relu": jax.nn.relu,
  "leaky_relu": jax.nn.leaky_relu,  # slope 0.01 for x < 0
  "leaky_relu_0.2": lambda x: jax.nn.leaky_relu(x, 0.2),  # DCGAN's slope, for discriminators
  "gelu": jax.nn.gelu,  # the tanh approximation, as in BERT and GPT-2
  "softplus": jax.nn.softplus,
  "identity": identity,
}


def get(name: str) -> Callable[[jax.Array], jax.Array]:
  return lookup(ACTIVATIONS, "activation", name)
