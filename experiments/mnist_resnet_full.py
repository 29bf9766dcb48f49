"""The small ResNet of experiments/mnist_resnet.py (stem conv 8, one basic block per stage at widths
8-16-32, batch norm, skip connections, global average pool; Adam 3e-3 with a cosine decay, batch 128) on
50,000 MNIST training images (mnist_50k, Nielsen's split), 10 epochs with random shifts (up to 2 pixels)
and rotations (up to 10 degrees), seeds 0, 1, 2 trained together (driver "ensemble"; convolutions as
slices and a matmul, `model.conv="im2col"`).

  python train.py --config=experiments/mnist_resnet_full.py --workdir=runs/mnist_resnet_full

Result: (being measured)
Published: none for this network; ResNets reach above 99.5% on full MNIST.
"""

from experiments import mnist_resnet


def get_config():
  config = mnist_resnet.get_config()
  config.data.name = "mnist_50k"
  config.model.conv = "im2col"
  config.augment.max_shift = 2
  config.augment.max_degrees = 10
  config.num_epochs = 10
  return config
