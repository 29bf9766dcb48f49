"""A small ResNet on mnist_5k, three seeds trained together.

Stem conv 8, one basic block per stage at widths 8-16-32 (batch norm, skip connections), global average
pool; Adam 3e-3 with a cosine decay, batch 128, 15 epochs; driver "ensemble".

  python train.py --config=experiments/mnist_resnet.py --workdir=runs/mnist_resnet

Result: 96.1 +- 0.5% test accuracy over seeds 0, 1, 2 (96.0, 96.7, 95.5), the 3-member ensemble 96.4%: below
the 16-32-channel plain CNN of experiments/mnist_cnn.py (97.6 +- 0.4%). None published for this split
(ResNets reach above 99.5% on full MNIST). 454 s training (7 min 55 s wall) on the 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "ensemble"
  config.ensemble_size = 3
  config.data.name = "mnist_5k"
  config.data.standardize = True
  config.model = dict(name="resnet", widths=(8, 16, 32), blocks_per_stage=1, norm="batch", conv="xla")
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 3e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 128
  config.num_epochs = 15
  return config
