"""The MLP autoencoder of autoencoder_mlp_2d.py with a 32-D code, on MNIST digits.

  python train.py --config=experiments/autoencoder_mlp_32d.py --workdir=runs/autoencoder_mlp_32d

Result (measured): test reconstruction MSE 0.0101 per pixel (binary cross-entropy 0.0941), 30 epochs;
training 50.6 s, 130 s wall in all, on the shared 2-core machine (load average ~15).
Seeds 0-2 (`python scripts/seeds.py --config=experiments/autoencoder_mlp_32d.py --seeds=3
--workdir=runs/seeds/autoencoder_mlp_32d`,
seed 0 is the run above): test MSE 0.0101 +- 0.0001 (0.0101 / 0.0102 / 0.0100), 15 s training
each.
"""

from experiments import autoencoder_mlp_2d


def get_config():
  config = autoencoder_mlp_2d.get_config()
  config.model.kind = "mlp"
  config.model.latent_dim = 32
  config.model.widths = (256,)
  config.num_epochs = 30
  return config
