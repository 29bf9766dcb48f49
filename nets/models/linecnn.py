"""Line recognizers for CTC: an image of a text line in, per-frame class scores out.

Both read a line [B, H, W, 1] with a small convolutional trunk (3x3 convs, each followed by max
pooling that halves the height, and the width in the first `width_pools` of them, so a frame is
2**width_pools pixels wide) and emit logits [B, W / 2**width_pools, C]. With `patch` p > 1 the
trunk first turns each p x p block of pixels into one position's p*p channels (space to depth, as
ViT and ConvNeXt stems do), so its convolutions run at 1/p**2 of the positions and can be p times
wider for the same time (XLA's CPU convolutions with few channels run far below the matmul peak);
log2(p) of the width's halvings are then the patches'. CTC needs at least as many frames as the
label has characters plus repeated neighbours (2 L - 1 at worst):
- LineCNN: a sliding-window classifier. A convolution as tall as the feature map and `window` frames
  wide looks at each window of the line and scores the classes there (FSDL's LineCNN, written as one
  fully-convolutional pass instead of cutting the image into windows).
- LineLSTM: the same trunk, then a bidirectional LSTM over the frames, so each frame's scores see the
  whole line.
"""

from collections.abc import Sequence

import flax.linen as nn
import jax

from nets.errors import ConfigError
from nets.models.conv import conv, max_pool
from nets.models.dropout import Dropout


class ConvTrunk(nn.Module):
  """3x3 conv + batch norm + ReLU + max pool per width: [B, H, W, 1] -> [B, H', W', channels[-1]]."""

  channels: Sequence[int] = (16, 32, 64)
  width_pools: int = 2
  bn_momentum: float = 0.99  # Of the running statistics used in evaluation; lower for short runs.
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py
  patch: int = 1  # Space to depth first: each patch x patch block of pixels one position's channels.

  @nn.compact
  def __call__(self, x_BxHxWx1: jax.Array, train: bool = False) -> jax.Array:
    pools = self.width_pools - frame_shift(self.patch, self.width_pools)
    h = space_to_depth(x_BxHxWx1, self.patch)
    for i, c in enumerate(self.channels):
      # Batch norm gets CTC off its all-blank plateau in far fewer steps.
      h = nn.BatchNorm(use_running_average=not train, momentum=self.bn_momentum)(
        conv(self.conv, c, (3, 3), use_bias=False)(h)
      )
      h = nn.relu(h)
      pool = (2, 2) if i < pools else (2, 1)
      h = max_pool(h, pool, padding="SAME")
    return h


def frame_shift(patch: int, width_pools: int) -> int:
  """log2 of `patch`: the width's halvings the patches make, checked against the frame width."""
  shift = patch.bit_length() - 1
  if patch < 1 or patch != 1 << shift or shift > width_pools:
    raise ConfigError(
      f"model.patch must be a power of 2 up to 2**width_pools = {2**width_pools}, not {patch}"
    )
  return shift


def space_to_depth(x_BxHxWxC: jax.Array, p: int) -> jax.Array:
  """[B, H, W, C] -> [B, H/p, W/p, p*p*C]: each p x p block of pixels one position's channels."""
  b, h, w, c = x_BxHxWxC.shape
  if h % p or w % p:
    raise ConfigError(f"model.patch {p} must divide the lines' height and width, not {h} x {w}")
  x = x_BxHxWxC.reshape(b, h // p, p, w // p, p, c)
  return x.transpose(0, 1, 3, 2, 4, 5).reshape(b, h // p, w // p, p * p * c)


def trunk_of(model: nn.Module) -> ConvTrunk:
  """The ConvTrunk a line model's own fields describe (LineCNN and LineLSTM both have these five), built
  in the model's compact call, so its parameters are the model's ConvTrunk_0."""
  return ConvTrunk(
    channels=model.channels,
    width_pools=model.width_pools,
    bn_momentum=model.bn_momentum,
    conv=model.conv,
    patch=model.patch,
  )


class LineCNN(nn.Module):
  num_outputs: int
  channels: Sequence[int] = (16, 32, 64)
  width_pools: int = 2
  bn_momentum: float = 0.99
  window: int = 3  # Frames each window spans.
  hidden: int = 128
  dropout_rate: float = 0.2
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py
  patch: int = 1  # Space to depth before the trunk's convs (ConvTrunk).

  @nn.compact
  def __call__(self, x_BxHxWx1: jax.Array, train: bool = False) -> jax.Array:
    h = trunk_of(self)(x_BxHxWx1, train)
    pad = (self.window - 1) // 2
    h = conv(
      self.conv, self.hidden, (h.shape[1], self.window), padding=((0, 0), (pad, self.window - 1 - pad))
    )(h)
    h = Dropout(self.dropout_rate, deterministic=not train)(nn.relu(h[:, 0]))  # [B, T, hidden]
    return nn.Dense(self.num_outputs)(h)


class LineLSTM(nn.Module):
  num_outputs: int
  channels: Sequence[int] = (16, 32, 64)
  width_pools: int = 2
  bn_momentum: float = 0.99
  hidden: int = 64  # LSTM units each way.
  dropout_rate: float = 0.2
  conv: str = "xla"  # nn.Conv; or "fast" (CPU custom VJP), "im2col": nets/models/conv.py
  patch: int = 1  # Space to depth before the trunk's convs (ConvTrunk).

  @nn.compact
  def __call__(self, x_BxHxWx1: jax.Array, train: bool = False) -> jax.Array:
    h = trunk_of(self)(x_BxHxWx1, train)
    b, hh, t, c = h.shape
    h = nn.relu(nn.Dense(2 * self.hidden)(h.transpose(0, 2, 1, 3).reshape(b, t, hh * c)))  # [B, T, F]
    lstm = lambda: nn.RNN(nn.OptimizedLSTMCell(self.hidden))
    h = nn.Bidirectional(lstm(), lstm())(h)
    h = Dropout(self.dropout_rate, deterministic=not train)(h)
    return nn.Dense(self.num_outputs)(h)
