"""A convolutional autoencoder (stride-2 convolutions of 16, 32 channels, mirrored) with a 32-D code.

  python train.py --config=experiments/autoencoder_conv_32d.py --workdir=runs/autoencoder_conv_32d

Result: PENDING
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.model.kind = "conv"
  config.model.latent_dim = 32
  config.model.widths = (16, 32)
  config.num_epochs = 12
  return config
