"""An MLP autoencoder 784-256-2-256-784 on MNIST digits, no labels used.

mnist_5k, 4,000 train / 1,000 test; Adam 1e-3, batch 100, 30 epochs. The 2-D codes of the test digits:
runs/autoencoder_mlp_2d/latent.png.

  python train.py --config=experiments/autoencoder_mlp_2d.py --workdir=runs/autoencoder_mlp_2d

Result: test reconstruction MSE 0.0490 +- 0.0005 per pixel over seeds 0-2 (scripts/seeds.py; 0.0486 / 0.0486
/ 0.0498; seed 0's binary cross-entropy 0.2055). 15 s training a seed; seed 0 alone 26.8 s, 66 s wall, on the
shared 2-core machine (load average ~15).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "autoencoder"
  config.task = "autoencode"
  config.loss = "binary_cross_entropy"  # per pixel, on the decoder's logits
  config.noise_std = 0.0
  config.model.name = "autoencoder"
  config.model.kind = "mlp"
  config.model.latent_dim = 2
  config.model.widths = (256,)
  del config.model.activation
  config.optimizer.learning_rate = 1e-3
  config.batch_size = 100
  config.num_epochs = 30
  return config
