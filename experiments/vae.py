"""A variational autoencoder (MLP 784-256-2x2 / 2-256-784, Bernoulli pixels) on MNIST digits.

mnist_5k's grey-level digits; Adam 1e-3, batch 100, 40 epochs.

  python train.py --config=experiments/vae.py --workdir=runs/vae

Result: test -ELBO 167.6 +- 1.6 nats per digit over seeds 0-2 (scripts/seeds.py; 165.4 / 168.2 / 169.3; KL
5.58 +- 0.06), single-sample estimate; none published for grey-level digits this few (papers use binarised
MNIST, 60,000 digits). 18 s training a seed; seed 0 alone 96.6 s, 237 s wall, on the shared 2-core machine
(load average ~15-18).
"""

from experiments import autoencoder_mlp_2d
from nets.options import Train


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.task = "vae"
  # The ELBO is the loss (its reconstruction term the Bernoulli pixels' cross-entropy), not config.loss.
  config.loss = Train.loss
  config.model.latent_dim = 2
  config.num_epochs = 40
  return config
