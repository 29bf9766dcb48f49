"""A variational autoencoder (MLP 784-256-2x2 / 2-256-784, Bernoulli pixels) on MNIST digits.

  python train.py --config=experiments/vae.py --workdir=runs/vae

Result (measured): test -ELBO 165.4 nats per digit (reconstruction 159.8 + KL 5.6), single-sample
estimate; reconstruction MSE 0.0481; 40 epochs, training 96.6 s, 237 s wall in all on the shared
2-core machine (load average ~15-18).
Seeds 0-2 (`python scripts/seeds.py --config=experiments/vae.py --seeds=3
--workdir=runs/seeds/vae`,
seed 0 is the run above): test -ELBO 167.6 +- 1.6 nats (165.4 / 168.2 / 169.3; KL 5.58 +-
0.06), 18 s training each.
Published: none directly comparable - papers report binarised MNIST trained on 60,000 digits, while
these digits are grey-level (a Bernoulli likelihood on intensities) and 15x fewer.
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.task = "vae"
  config.model.latent_dim = 2
  config.num_epochs = 40
  return config
