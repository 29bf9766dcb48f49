"""The LeNet-style CNN of experiments/mnist_cnn.py (conv 16 - pool - conv 32 - pool, 3 x 3 ReLU, dense 64;
Adam 3e-3 with a cosine decay, batch 128) with dropout 0.3 before the dense layers, on Fashion-MNIST,
60,000 train / 10,000 test (fashion_mnist_60k), 15 epochs, seeds 0, 1, 2 trained together (driver
"ensemble"; convolutions as slices and a matmul, `model.conv="im2col"`).

  python train.py --config=experiments/fashion_cnn.py --workdir=runs/fashion_cnn

Result: 91.88 +- 0.14% test accuracy over seeds 0, 1, 2 (91.70, 91.90, 92.05%), test loss 0.227; the
3-member ensemble 92.42%. 105,866 parameters per member. 1,510 s of training for the three together
(25 min wall, the 2-core CPU shared with seed sweeps of small models). Goal >= 92%: missed by 0.1 point
for the mean (one seed of three above it). The last epoch's training batches (dropout on) read 92.4%,
0.5 points above test; whether a wider net, batch norm or less dropout would reach 92% was not
measured.
Before (5 epochs, no dropout, one run per seed): 91.17 +- 0.27%.
Published: 91.6% for a 2-conv + pooling network (TensorFlow's tutorial, in Zalando's benchmark table).
"""

from experiments import mnist_cnn


def get_config():
  config = mnist_cnn.get_config()
  config.data.name = "fashion_mnist_60k"
  config.model.conv = "im2col"
  config.model.dropout_rate = 0.3
  return config
