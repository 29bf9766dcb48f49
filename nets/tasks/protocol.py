"""The contract between the loop and a learning problem: typed protocols of pure functions."""

from collections.abc import Callable
from typing import Any, Protocol

import jax
import ml_collections
import optax

from nets.data import Dataset

Batch = dict[str, jax.Array]
Metrics = dict[str, jax.Array]
State = Any  # a flax.struct dataclass of arrays: TrainState, GANState, ...


class Task(Protocol):
  """What the loop, the ensemble and the drivers need of a learning problem: pure functions of its state."""

  def init(self, key: jax.Array, batch: Batch) -> State: ...

  def train_step(self, state: State, batch: Batch) -> tuple[State, Metrics]:
    """One update; metrics are scalars (batch means), `loss` among them."""
    ...

  def eval_step(self, state: State, batch: Batch) -> Metrics:
    """Per-example metrics, each of shape [B]."""
    ...


class Predictor(Task, Protocol):
  """A task whose model maps inputs to outputs (logits, values): classification, regression, ctc, ..."""

  def predict(self, state: State, x: jax.Array) -> jax.Array: ...


class Generator(Task, Protocol):
  """A task that draws new examples: the VAE, the GAN, the next-pixel model."""

  def sample(self, state: State, key: jax.Array, num: int) -> jax.Array: ...


class Reconstructor(Task, Protocol):
  """An autoencoder: codes of inputs, and inputs rebuilt from their codes."""

  def corrupt(self, key: jax.Array, x: jax.Array) -> jax.Array: ...

  def encode(self, state: State, x: jax.Array) -> jax.Array: ...

  def reconstruct(self, state: State, x: jax.Array) -> jax.Array: ...


# Each registered task is built by (config, dataset, optimizer) -> Task.
TaskFactory = Callable[[ml_collections.ConfigDict, Dataset, optax.GradientTransformation], Task]
