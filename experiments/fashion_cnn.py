"""A 2-conv + pooling CNN on Fashion-MNIST: mnist_cnn's LeNet-style network twice as wide.

conv 32 - pool - conv 64 - pool, 3 x 3 ReLU, dropout 0.3, dense 128 (421,642 parameters); Adam 3e-3 with a
cosine decay, batch 128, 15 epochs on fashion_mnist_60k (60,000 train / 10,000 test); seeds 0, 1, 2 trained
together (driver "ensemble"; nets' CPU convolution layer, `model.conv="fast"`).

  python train.py --config=experiments/fashion_cnn.py --workdir=runs/fashion_cnn

Result: 92.70 +- 0.09% test accuracy over seeds 0, 1, 2 (92.58, 92.71, 92.81%), the 3-member ensemble 93.23%,
against 91.6% published for a 2-conv + pooling network (TensorFlow's tutorial, in Zalando's benchmark
table). 1,032 s of training for the three together (17.5 min wall; ~69 s an epoch) on the quiet 2-core CPU -
about 6 minutes a seed. With the convolutions as slices and a matmul (`model.conv="im2col"`, an earlier
session): 92.71 +- 0.17%, ensemble 93.23%, 1,371 s.
"""

from experiments import mnist_cnn


def get_config():
  config = mnist_cnn.get_config()
  config.data.name = "fashion_mnist_60k"
  config.model.features = (32, 64)
  config.model.widths = (128,)
  config.model.conv = "fast"
  config.model.dropout_rate = 0.3
  return config
