"""A variational autoencoder (MLP 784-256-2x2 / 2-256-784, Bernoulli pixels) on MNIST digits.

  python train.py --config=experiments/vae.py --workdir=runs/vae

Result: PENDING
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.task = "vae"
  config.model.latent_dim = 2
  config.num_epochs = 40
  return config
