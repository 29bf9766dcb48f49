"""The small ResNet of experiments/mnist_resnet.py (stem conv 8, one basic block per stage at widths
8-16-32, batch norm, skip connections, global average pool; Adam 3e-3 with a cosine decay, batch 128) on
50,000 MNIST training images (mnist_50k, Nielsen's split), 10 epochs with random shifts (up to 2 pixels)
and rotations (up to 10 degrees), seeds 0, 1, 2 trained together (driver "ensemble"; convolutions as
slices and a matmul, `model.conv="im2col"`).

  python train.py --config=experiments/mnist_resnet_full.py --workdir=runs/mnist_resnet_full

Result: 99.08 +- 0.07% test accuracy over seeds 0, 1, 2 (99.12, 99.14, 98.98%; validation 99.10 +- 0.06%),
test loss 0.028; the 3-member ensemble 99.27%. 1,714 s of training for the three together (28.6 min wall;
the last minutes beside a test run), 99.1% on the last epoch's (augmented) training batches.
Goal >= 99.4%: missed by 0.3 point, and below the plain CNN of experiments/mnist_cnn_full.py on the same
data and schedule (99.24 +- 0.06%), as on mnist_5k.
Wider stages, 16-32-64 (same seeds, schedule and augmentation):

  python train.py --config=experiments/mnist_resnet_full.py --config.model.widths="(16,32,64)" \
    --workdir=runs/mnist_resnet_full_wide

99.39 +- 0.02% test accuracy (99.39, 99.37, 99.41%; validation 99.44 +- 0.03%), test loss 0.018; the
3-member ensemble 99.45%. 2,897 s of training for the three together (~290 s an epoch, about 16 minutes
a seed) on the 2-core CPU; 99.6% on the last epoch's training batches. Width took it past the
plain CNN (99.24%) and to 0.01 point under the goal.
Published: none for this network; ResNets reach above 99.5% on full MNIST.
"""

from experiments import mnist_resnet
from experiments.mnist_cnn_full import on_full_mnist


def get_config():
  return on_full_mnist(mnist_resnet.get_config())
