"""The im2col convolution against flax's nn.Conv: same parameters, outputs and gradients."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from nets import models
from nets.errors import ConfigError, UnknownNameError
from nets.models.conv import Conv, conv
from nets.training.loop import has_overlapping_convolution


@pytest.mark.parametrize(
  "shape, kernel, strides, padding",
  [
    ((2, 9, 8, 3), (3, 3), 1, "SAME"),
    ((2, 9, 8, 3), (3, 3), 2, "SAME"),  # SAME with stride 2 pads unevenly (0 before, 1 after)
    ((2, 10, 10, 2), (5, 5), 1, "VALID"),
    ((2, 7, 7, 4), (1, 1), 2, "SAME"),  # ResNet's projection
    ((2, 8, 8, 1), (3, 2), (2, 1), ((2, 0), (1, 1))),
    ((3, 17, 2), (5,), 1, "SAME"),  # 1-D signals
    ((3, 17, 2), (3,), 3, 1),
  ],
)
def test_conv_equals_flax_conv(shape, kernel, strides, padding):
  x = jax.random.normal(jax.random.key(1), shape)
  reference = nn.Conv(5, kernel, strides, padding)
  params = reference.init(jax.random.key(0), x)
  # The same parameter tree and initialisation from the same key.
  ours_params = Conv(5, kernel, strides, padding).init(jax.random.key(0), x)
  assert jax.tree.map(jnp.shape, ours_params) == jax.tree.map(jnp.shape, params)
  np.testing.assert_array_equal(ours_params["params"]["kernel"], params["params"]["kernel"])

  want = reference.apply(params, x)
  got = Conv(5, kernel, strides, padding).apply(params, x)
  assert got.shape == want.shape
  np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

  def loss(module, p, x):
    return jnp.sum(jnp.sin(module.apply(p, x)))

  g_want = jax.grad(loss, argnums=(1, 2))(reference, params, x)
  g_got = jax.grad(loss, argnums=(1, 2))(Conv(5, kernel, strides, padding), params, x)
  for a, b in zip(jax.tree.leaves(g_got), jax.tree.leaves(g_want), strict=True):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


MODELS = [("cnn", dict(features=(4, 8), widths=(16,))), ("resnet", dict(widths=(4, 8)))]


@pytest.mark.parametrize("name, fields", MODELS)
def test_models_give_the_same_outputs_with_either_convolution(name, fields):
  x = jax.random.normal(jax.random.key(2), (4, 12, 12, 1))
  xla = models.make(ml_collections.ConfigDict(dict(name=name, **fields)), 10)
  im2col = models.make(ml_collections.ConfigDict(dict(name=name, conv="im2col", **fields)), 10)
  variables = xla.init(jax.random.key(0), x)
  np.testing.assert_allclose(im2col.apply(variables, x), xla.apply(variables, x), rtol=1e-5, atol=1e-5)
  # No convolution op is left, so the loop runs whole epochs in one lax.scan (auto_steps_per_call).
  assert has_overlapping_convolution(jax.make_jaxpr(lambda v: xla.apply(v, x))(variables).jaxpr)
  assert not has_overlapping_convolution(jax.make_jaxpr(lambda v: im2col.apply(v, x))(variables).jaxpr)


def test_bad_names_are_one_line_errors():
  with pytest.raises(UnknownNameError, match="unknown model.conv 'cudnn'; valid names: im2col, xla"):
    conv("cudnn", 4, (3, 3))
  with pytest.raises(ConfigError, match="pads 'SAME', 'VALID' or by numbers"):
    Conv(4, (3, 3), padding="CIRCULAR").init(jax.random.key(0), jnp.zeros((1, 5, 5, 1)))
