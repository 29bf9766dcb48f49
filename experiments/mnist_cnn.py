"""A small LeNet-style CNN on mnist_5k, three seeds trained together.

conv 16 - pool - conv 32 - pool (3 x 3, ReLU), dense 64, output; Adam 3e-3 with a cosine decay, batch 128,
15 epochs; driver "ensemble".

  python train.py --config=experiments/mnist_cnn.py --workdir=runs/mnist_cnn

Result: 97.7 +- 0.4% test accuracy over seeds 0, 1, 2 (98.0, 97.1, 97.9), the 3-member ensemble 97.9%, on
4,000 training images; LeNet-5 reaches 99.05% on full MNIST (60,000; LeCun et al. 1998), this network
with augmentation 99.26 +- 0.04% on 50,000 (experiments/mnist_cnn_full.py). 38 s training (48 s wall) on
the quiet 2-core CPU with XLA's convolutions on Eigen (nets/runtime.py); 70 s with XLA's YNNPACK ones
(`NETS_CPU_CONV=ynnpack`, run right after: 97.6 +- 0.4%, ensemble 97.9%).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "ensemble"  # 3 members = seeds 0, 1, 2 in one compiled step
  config.ensemble_size = 3
  config.data.name = "mnist_5k"
  config.data.standardize = True
  config.model = dict(
    name="cnn", features=(16, 32), kernel_size=3, pool="max", widths=(64,), dropout_rate=0.0, conv="xla"
  )
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 3e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 128
  config.num_epochs = 15
  return config
