"""The CPU convolution (custom VJP) and the im2col convolution against flax's nn.Conv: same parameters,
outputs and gradients."""

import flax.linen as nn
import jax
import jax.numpy as jnp
import ml_collections
import numpy as np
import pytest

from nets import models
from nets.errors import ConfigError, UnknownNameError
from nets.models import conv as conv_module
from nets.models.conv import Conv, Im2colConv, conv, max_pool
from nets.models.conv_plan import Plan, plan_for
from nets.training.loop import has_slow_convolution

CASES = [
  ((2, 9, 8, 3), (3, 3), 1, "SAME"),
  ((2, 9, 8, 3), (3, 3), 2, "SAME"),  # SAME with stride 2 pads unevenly (0 before, 1 after)
  ((2, 10, 10, 2), (5, 5), 1, "VALID"),
  ((2, 11, 10, 2), (3, 3), 3, "VALID"),  # stride 3: input rows that no window reads get no gradient
  ((2, 7, 7, 4), (1, 1), 2, "SAME"),  # ResNet's projection
  ((2, 8, 8, 1), (3, 2), (2, 1), ((2, 0), (1, 1))),
  ((2, 6, 9, 3), (6, 3), 1, ((0, 0), (1, 1))),  # the line CNN's head: as tall as the input
  ((2, 6, 6, 2), (3, 3), 1, ((3, 2), (0, 4))),  # padding wider than the kernel reaches
  ((3, 17, 2), (5,), 1, "SAME"),  # 1-D signals
  ((3, 17, 2), (3,), 3, 1),
  ((3, 16, 2), (4,), 2, "VALID"),
]


def loss(module, p, x):
  return jnp.sum(jnp.sin(module.apply(p, x)))


@pytest.mark.parametrize("layer", [Conv, Im2colConv])
@pytest.mark.parametrize("shape, kernel, strides, padding", CASES)
def test_conv_equals_flax_conv(layer, shape, kernel, strides, padding):
  x = jax.random.normal(jax.random.key(1), shape)
  reference = nn.Conv(5, kernel, strides, padding)
  params = reference.init(jax.random.key(0), x)
  ours = layer(5, kernel, strides, padding)
  # The same parameter tree and initialisation from the same key.
  ours_params = ours.init(jax.random.key(0), x)
  assert jax.tree.map(jnp.shape, ours_params) == jax.tree.map(jnp.shape, params)
  np.testing.assert_array_equal(ours_params["params"]["kernel"], params["params"]["kernel"])

  want = reference.apply(params, x)
  got = ours.apply(params, x)
  assert got.shape == want.shape
  np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)

  g_want = jax.grad(loss, argnums=(1, 2))(reference, params, x)
  g_got = jax.grad(loss, argnums=(1, 2))(ours, params, x)
  for a, b in zip(jax.tree.leaves(g_got), jax.tree.leaves(g_want), strict=True):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)


PLANS = [
  Plan(fwd_method="conv", fwd_chunk=2, dx_chunk=3, dw_method="taps", dw_chunk=2),  # a remainder (batch 7)
  Plan(fwd_method="conv", fwd_chunk=7, dx_chunk=1, dw_method="im2col", dw_chunk=4),
  Plan(fwd_method="conv", fwd_chunk=9, dx_chunk=9, dw_method="taps", dw_chunk=9),  # chunks > the batch
  Plan(fwd_method="taps", fwd_chunk=7, dx_chunk=7, dw_method="im2col", dw_chunk=7),
]


@pytest.mark.parametrize("plan", PLANS)
@pytest.mark.parametrize("strides, pads", [((1, 1), ((1, 1), (1, 1))), ((2, 1), ((0, 1), (2, 0)))])
@pytest.mark.parametrize("channels", [3, 1])
def test_every_plan_gives_autodiffs_convolution_and_gradients(plan, strides, pads, channels):
  k1, k2, k3 = jax.random.split(jax.random.key(3), 3)
  x, kernel = jax.random.normal(k1, (7, 8, 6, channels)), jax.random.normal(k2, (3, 3, channels, 4))
  reference = lambda x, k: jax.lax.conv_general_dilated(
    x, k, strides, pads, dimension_numbers=conv_module.DIMS_2D
  )
  ours = lambda x, k: conv_module._cpu_conv(x, k, strides, pads, plan)
  y_want, vjp_want = jax.vjp(reference, x, kernel)
  y_got, vjp_got = jax.vjp(ours, x, kernel)
  np.testing.assert_allclose(y_got, y_want, rtol=1e-5, atol=1e-5)
  dy = jax.random.normal(k3, y_want.shape)
  for got, want in zip(vjp_got(dy), vjp_want(dy), strict=True):
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)


def test_plans_chunk_large_batches_evenly_pick_per_tap_matmuls_for_deep_inputs_and_taps_for_one_channel():
  valid = ((0, 0), (0, 0))
  second = plan_for((128, 26, 26, 32), (3, 3, 32, 64), (1, 1), valid)
  assert second.dw_method == "im2col"
  assert plan_for((128, 8, 8, 128), (3, 3, 128, 128), (1, 1), valid).dw_method == "taps"
  for chunk in (second.fwd_chunk, second.dw_chunk):
    assert 1 <= chunk < 128 and 128 % chunk == 0  # one lax.map, no remainder
  assert second.dx_chunk == 128  # the input gradient whole: chunks cost more CPU time (conv_plan.py)
  assert plan_for((4, 26, 26, 32), (3, 3, 32, 64), (1, 1), valid).fwd_chunk == 4  # small batches whole
  # One input channel: the forward pass as tap products (10x faster than XLA's convolution), else XLA's.
  assert plan_for((128, 28, 28, 1), (3, 3, 1, 16), (1, 1), valid).fwd_method == "taps"
  assert second.fwd_method == "conv"
  assert plan_for((128, 32, 32, 3), (3, 3, 3, 32), (1, 1), valid).fwd_method == "conv"


def test_xla_convolution_off_cpu(monkeypatch):
  x, kernel = jnp.ones((2, 5, 5, 1)), jnp.ones((3, 3, 1, 2))
  monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
  jaxpr = jax.make_jaxpr(lambda x: conv_module.conv_nd(x, kernel, (1, 1), ((1, 1), (1, 1))))(x).jaxpr
  assert [e.primitive.name for e in jaxpr.eqns] == ["conv_general_dilated"]
  monkeypatch.undo()
  jaxpr = jax.make_jaxpr(lambda x: conv_module.conv_nd(x, kernel, (1, 1), ((1, 1), (1, 1))))(x).jaxpr
  assert [e.primitive.name for e in jaxpr.eqns] == ["custom_vjp_call"]


@pytest.mark.parametrize(
  "shape, window", [((2, 8, 6, 3), (2, 2)), ((2, 8, 6, 3), (2, 1)), ((2, 9, 3), (3,)), ((2, 7, 7, 2), (2, 2))]
)
def test_max_pool_equals_flax_max_pool(shape, window):
  x = jax.random.normal(jax.random.key(4), shape)  # no ties: the one place where the gradients may differ
  ours = lambda x: max_pool(x, window, padding="SAME")
  theirs = lambda x: nn.max_pool(x, window, window, padding="SAME")
  np.testing.assert_array_equal(ours(x), theirs(x))
  weights = jax.random.normal(jax.random.key(5), theirs(x).shape)
  grads = [jax.grad(lambda x, f=f: jnp.sum(weights * f(x)))(x) for f in (ours, theirs)]
  np.testing.assert_array_equal(*grads)
  if all(n % k == 0 for n, k in zip(shape[1:-1], window, strict=True)):  # exact tiling: no select-and-scatter
    jaxpr = str(jax.make_jaxpr(jax.grad(lambda x: jnp.sum(ours(x))))(x))
    assert "select_and_scatter" not in jaxpr and "reduce_window" not in jaxpr


MODELS = [
  ("cnn", dict(features=(4, 8), widths=(16,))),
  ("resnet", dict(widths=(4, 8))),
  ("line_cnn", dict(channels=(4, 8), hidden=8)),
]


@pytest.mark.parametrize("name, fields", MODELS)
def test_models_give_the_same_outputs_with_every_convolution(name, fields):
  x = jax.random.normal(jax.random.key(2), (4, 12, 12, 1))
  make = lambda impl: models.make(ml_collections.ConfigDict(dict(name=name, conv=impl, **fields)), 10)
  xla, fast, im2col = make("xla"), make("fast"), make("im2col")
  variables = xla.init(jax.random.key(0), x)
  assert jax.tree.map(jnp.shape, fast.init(jax.random.key(0), x)) == jax.tree.map(jnp.shape, variables)
  for other in (fast, im2col):
    np.testing.assert_allclose(other.apply(variables, x), xla.apply(variables, x), rtol=1e-5, atol=1e-5)
  # Only nn.Conv's gradients keep the loop at one step a call on CPU (auto_steps_per_call).
  slow = lambda model: has_slow_convolution(
    jax.make_jaxpr(jax.grad(lambda v: model.apply(v, x).sum()))(variables).jaxpr
  )
  assert slow(xla) and not slow(fast) and not slow(im2col)


def test_bad_names_are_one_line_errors():
  with pytest.raises(UnknownNameError, match="unknown model.conv 'cudnn'; valid names: fast, im2col, xla"):
    conv("cudnn", 4, (3, 3))
  for layer in (Conv, Im2colConv):
    with pytest.raises(ConfigError, match="pads 'SAME', 'VALID' or by numbers"):
      layer(4, (3, 3), padding="CIRCULAR").init(jax.random.key(0), jnp.zeros((1, 5, 5, 1)))


def test_vmapped_over_members_equals_flax_conv():
  # The ensemble driver vmaps the step over members' parameters: the custom VJP must batch correctly.
  x = jax.random.normal(jax.random.key(6), (8, 9, 9, 3))
  keys = jax.random.split(jax.random.key(0), 3)
  params = jax.vmap(lambda k: nn.Conv(4, (3, 3)).init(k, x))(keys)
  grads = [
    jax.vmap(jax.grad(lambda p, layer=layer: loss(layer, p, x)))(params)
    for layer in (Conv(4, (3, 3)), nn.Conv(4, (3, 3)))
  ]
  for a, b in zip(jax.tree.leaves(grads[0]), jax.tree.leaves(grads[1]), strict=True):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-4)
