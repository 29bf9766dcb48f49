"""A denoising MLP autoencoder (32-D code): Gaussian noise of std 0.5 in, the clean digit out.

MNIST digits (mnist_5k); Adam 1e-3, batch 100, 30 epochs.

  python train.py --config=experiments/denoising_autoencoder.py --workdir=runs/denoising_autoencoder

Result: test MSE against the clean digits 0.0207 +- 0.0003 per pixel over seeds 0-2 (scripts/seeds.py; 0.0206
/ 0.0211 / 0.0205), from noisy inputs whose own MSE is 0.1156. 18 s training a seed; seed 0 alone 71.7 s, 190
s wall, on the shared 2-core machine (load average ~15-18).
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.noise_std = 0.5
  config.model.latent_dim = 32
  return config
