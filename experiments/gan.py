"""A GAN of two MLPs on scikit-learn's 8x8 digits (1,437 train images): 32 noise values -> 128 -> 256 ->
64 pixels (sigmoid) against 64 -> 256 -> 128 -> 1 logit (dropout 0.3); leaky ReLU 0.2, Adam 2e-4 with
beta1 0.5 (DCGAN's), the non-saturating generator loss.

  python train.py --config=experiments/gan.py --workdir=runs/gan

The Frechet distance is measured in the last hidden layer (64 units) of an MLP classifier trained
first on the same digits (runs/gan/classifier), between the training digits and 360 generated ones,
360 held-out test digits, or 360 uniform-noise images.

Result (measured): Frechet distance to the training digits 8.92 for 360 generated digits, against
0.53 for 360 held-out real digits and 121.3 for uniform noise (classifier test accuracy 97.2%);
200 epochs (4,400 steps), training 24.3 s, 66 s wall in all on the 2-core machine. (8.30 before the
discriminator's dropout drew 16 random bits an element: another mask stream, one seed.) The
distance fell from ~150 in the first epochs: runs/gan/frechet.png.
Seeds 0-2 (`python scripts/seeds.py --config=experiments/gan.py --seeds=3
--workdir=runs/seeds/gan`, seed 0
is the run above): 10.7 +- 1.3 (8.92 / 12.15 / 10.93), held-out real 0.53 +- 0.02, noise 115 +- 12 (the
classifier that defines the distance is itself trained per seed); 43 s training each, beside a CNN run.
On the 28x28 mnist_5k digits the same recipe with 256/512 units had collapsed to one blotchy mode
after 13 epochs (distance ~400-480, rising), so the experiment uses the 8x8 digits.
Published: no comparable figure (FID is defined with Inception-v3 features of ImageNet-sized images).
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "gan"
  config.task = "gan"
  config.data.name = "digits"
  config.latent_dim = 32
  config.model = ml_collections.ConfigDict(dict(name="gan"))  # results.json's label; the players follow
  config.generator = ml_collections.ConfigDict(
    dict(name="mlp", widths=(128, 256), activation="leaky_relu_0.2", output_activation="sigmoid")
  )
  config.discriminator = ml_collections.ConfigDict(
    dict(name="mlp", widths=(256, 128), activation="leaky_relu_0.2", dropout_rate=0.3)
  )
  config.optimizer.learning_rate = 2e-4
  config.optimizer.b1 = 0.5
  config.batch_size = 64
  config.num_epochs = 200
  config.frechet_samples = 360  # the size of the test split
  config.classifier = ml_collections.ConfigDict(
    dict(
      model=dict(name="mlp", widths=(256, 64), activation="relu"),
      num_epochs=20,
      batch_size=50,
      learning_rate=1e-3,
    )
  )
  return config
