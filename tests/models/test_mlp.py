import jax
import jax.numpy as jnp
import ml_collections
import pytest

from nets import models
from nets.errors import ConfigError, UnknownNameError


def test_mlp_784_16_16_10_shapes_and_parameter_count():
  model = models.make(ml_collections.ConfigDict({"name": "mlp", "widths": (16, 16)}), 10)
  variables = model.init(jax.random.PRNGKey(0), jnp.zeros((2, 28, 28, 1)))
  assert model.apply(variables, jnp.zeros((5, 28, 28, 1))).shape == (5, 10)
  # 784*16+16 + 16*16+16 + 16*10+10: the 13,002 weights and biases of 3Blue1Brown's network.
  assert sum(x.size for x in jax.tree.leaves(variables)) == 13_002


def test_dropout_only_in_training():
  model = models.make(ml_collections.ConfigDict({"name": "mlp", "widths": (64,), "dropout_rate": 0.5}), 3)
  x = jnp.ones((4, 10))
  variables = model.init(jax.random.PRNGKey(0), x)
  assert jnp.array_equal(model.apply(variables, x), model.apply(variables, x))
  a = model.apply(variables, x, train=True, rngs={"dropout": jax.random.PRNGKey(1)})
  b = model.apply(variables, x, train=True, rngs={"dropout": jax.random.PRNGKey(2)})
  assert not jnp.allclose(a, b)


def test_unknown_model_and_field():
  with pytest.raises(UnknownNameError, match="unknown model 'mpl'; valid names: .*mlp"):
    models.make(ml_collections.ConfigDict({"name": "mpl"}), 10)
  with pytest.raises(ConfigError, match="model 'mlp' has no field 'depth'; its fields: activation"):
    models.make(ml_collections.ConfigDict({"name": "mlp", "depth": 3}), 10)
  with pytest.raises(UnknownNameError, match="unknown activation 'swishy'"):
    m = models.make(ml_collections.ConfigDict({"name": "mlp", "activation": "swishy"}), 10)
    m.init(jax.random.PRNGKey(0), jnp.zeros((1, 4)))
