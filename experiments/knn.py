"""k-nearest neighbours on raw pixels (Euclidean, majority vote), k = 1, 3, 5; no training, no seeds.

Deterministic. mnist_5k by default; --config.data.name=mnist_50k searches all 60,000 MNIST training digits.

  python train.py --config=experiments/knn.py --config.data.name=mnist_50k --workdir=runs/knn_mnist_50k

Result: on MNIST (60,000 training digits, 10,000 test) k = 3 reads 97.17% (k = 1 / 3 / 5: 96.91 / 97.17 /
96.93%), error 2.83% against 5.0% in LeCun et al. 1998's table for k-NN, Euclidean, no preprocessing. 90 s
wall on the shared 2-core machine.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "knn"
  config.data.name = "mnist_5k"
  config.k = (1, 3, 5)  # neighbours voting; all from one search at the largest
  config.chunk_size = 500  # test examples a distance matmul: memory is chunk_size x num_train floats
  return config
