"""A small ResNet on mnist_5k: stem conv 8, one basic block per stage at widths 8-16-32 (batch norm,
skip connections), global average pool; Adam 3e-3, batch 128, 8 epochs. Three seeds together.

  python train.py --config=experiments/mnist_resnet.py --workdir=runs/mnist_resnet

Result: not measured yet - the run was stopped at epoch 6 of 8 (about 2 minutes an epoch for three
members on the shared 2-core CPU) to end the session; run the command above to fill this in.
Published: none for this split; ResNets reach above 99.5% on full MNIST.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "ensemble"
  config.ensemble_size = 3
  config.data.name = "mnist_5k"
  config.data.standardize = True
  config.model = dict(name="resnet", widths=(8, 16, 32), blocks_per_stage=1, norm="batch")
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 3e-3
  config.batch_size = 128
  config.num_epochs = 8
  return config
