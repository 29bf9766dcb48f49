"""The LeNet-style CNN of experiments/mnist_cnn.py (conv 16 - pool - conv 32 - pool, 3 x 3 ReLU, dense 64;
Adam 3e-3 with a cosine decay, batch 128) with dropout 0.3 before the dense layers, on Fashion-MNIST,
60,000 train / 10,000 test (fashion_mnist_60k), 15 epochs, seeds 0, 1, 2 trained together (driver
"ensemble"; convolutions as slices and a matmul, `model.conv="im2col"`).

  python train.py --config=experiments/fashion_cnn.py --workdir=runs/fashion_cnn

Result: (being measured)
Published: 91.6% for a 2-conv + pooling network (TensorFlow's tutorial, in Zalando's benchmark table).
"""

from experiments import mnist_cnn


def get_config():
  config = mnist_cnn.get_config()
  config.data.name = "fashion_mnist_60k"
  config.model.conv = "im2col"
  config.model.dropout_rate = 0.3
  return config
