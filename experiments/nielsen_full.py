"""Nielsen's network.py on his own 50,000 training images, the setting of his chapter 1.

experiments/nielsen.py (784-30-10 sigmoid, quadratic cost, SGD 3.0, mini-batch 10, 30 epochs, N(0, 1) start)
with data mnist_50k; one run per seed (`--config.seed=S --workdir=runs/nielsen_full_sS`).

  python train.py --config=experiments/nielsen_full.py --workdir=runs/nielsen_full

Result: 94.89 +- 0.34% test accuracy after 30 epochs over seeds 0, 1, 2 (95.23, 95.01, 94.43%; validation
95.24 +- 0.15%); counted as Nielsen counts (test accuracy at the best of the 30 epochs) 95.17 +- 0.40%,
against his 95.42% (chapter 1). Training 27.3 / 30.2 / 19.4 s, 51-69 s wall per seed on the 2-core CPU
shared with other jobs (load average 5-9).
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.data.name = "mnist_50k"
  config.data.source_dir = ""  # "" = $NETS_MNIST_DIR, else fetched once into the data dir
  return config
