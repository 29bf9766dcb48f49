"""The MNIST-1D paper's CNN, three seeds trained together.

Three 1-D convolutions (25 channels, kernels 5-3-3, stride 2, padding 1), ReLU, flatten, linear; Adam 1e-2,
batch 100, 6,000 steps (150 epochs); driver "ensemble".

  python train.py --config=experiments/mnist1d_cnn.py --workdir=runs/mnist1d_cnn

Result: 94.1 +- 1.3% test accuracy over seeds 0, 1, 2 (94.2, 95.6, 92.4), the 3-member ensemble 96.5%,
against the paper's 94% (Greydanus, "Scaling down deep learning", 2020, table 1). 21 s training (32 s wall)
for all three on the quiet 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "ensemble"  # 3 members = seeds 0, 1, 2 in one compiled step
  config.ensemble_size = 3
  config.data.name = "mnist1d"
  config.model = dict(
    name="cnn",
    features=(25, 25, 25),
    kernel_size=(5, 3, 3),
    strides=2,
    padding=1,
    pool="none",
    widths=(),
  )
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 1e-2
  config.batch_size = 100
  config.num_epochs = 150
  return config
