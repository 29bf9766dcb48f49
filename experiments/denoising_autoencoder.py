"""A denoising MLP autoencoder (32-D code): Gaussian noise of std 0.5 in, the clean digit out.

  python train.py --config=experiments/denoising_autoencoder.py --workdir=runs/denoising_autoencoder

Result: PENDING
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.noise_std = 0.5
  config.model.latent_dim = 32
  return config
