"""k-nearest neighbours on raw pixels (Euclidean, majority vote), k = 1, 3, 5; no training, no seeds.

  python train.py --config=experiments/knn.py --workdir=runs/knn_mnist_5k
  python train.py --config=experiments/knn.py --config.data.name=mnist_50k --workdir=runs/knn_mnist_50k

Result (test accuracy, k = 1 / 3 / 5): mnist_5k 93.7 / 94.3 / 94.1%; digits 98.3 / 98.9 / 98.1%;
mnist1d 56.7 / 58.5 / 61.3%; mnist_50k against all 60,000 training digits 96.91 / 97.17 / 96.93% (error
3.09 / 2.83 / 3.07%; LeCun's table: 5.0% for k-NN Euclidean, no preprocessing); fashion_mnist_60k
84.97 / 85.56 / 85.67%. Search 1.5-26 s on the shared 2-core machine (mnist_50k 90 s wall in all).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "knn"
  config.data.name = "mnist_5k"
  config.k = (1, 3, 5)  # neighbours voting; all from one search at the largest
  config.chunk_size = 500  # test examples a distance matmul: memory is chunk_size x num_train floats
  return config
