"""A denoising MLP autoencoder (32-D code): Gaussian noise of std 0.5 in, the clean digit out.

  python train.py --config=experiments/denoising_autoencoder.py --workdir=runs/denoising_autoencoder

Result (measured): test MSE against the clean digits 0.0206 per pixel from noisy inputs whose own MSE
is 0.1162 (5.6x less); 30 epochs, training 71.7 s, 190 s wall in all on the shared 2-core machine
(load average ~15-18).
Seeds 0-2 (`python scripts/seeds.py --config=experiments/denoising_autoencoder.py --seeds=3
--workdir=runs/seeds/denoising_autoencoder`,
seed 0 is the run above): test MSE 0.0207 +- 0.0003 (0.0206 / 0.0211 / 0.0205) against
0.1156 for the noisy inputs; 18 s training each.
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.noise_std = 0.5
  config.model.latent_dim = 32
  return config
