"""A GAN of two MLPs on MNIST digits (4,000 train images): 64 noise values -> 256 -> 512 -> 784 pixels
(sigmoid) against 784 -> 512 -> 256 -> 1 logit; Adam 2e-4, beta1 0.5 (DCGAN's), non-saturating loss.

  python train.py --config=experiments/gan.py --workdir=runs/gan

The Frechet distance is measured in the last hidden layer (64 units) of an MLP classifier trained
first on the same digits (runs/gan/classifier).

Result: PENDING
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "gan"
  config.task = "gan"
  config.latent_dim = 64
  config.model = ml_collections.ConfigDict(dict(name="gan"))  # results.json's label; the players follow
  config.generator = ml_collections.ConfigDict(
    dict(name="mlp", widths=(256, 512), activation="leaky_relu", output_activation="sigmoid")
  )
  config.discriminator = ml_collections.ConfigDict(
    dict(name="mlp", widths=(512, 256), activation="leaky_relu")
  )
  config.optimizer.learning_rate = 2e-4
  config.optimizer.b1 = 0.5
  config.batch_size = 64
  config.num_epochs = 40
  config.frechet_samples = 1000
  config.classifier = ml_collections.ConfigDict(
    dict(
      model=dict(name="mlp", widths=(256, 64), activation="relu"),
      num_epochs=20,
      batch_size=50,
      learning_rate=1e-3,
    )
  )
  return config
