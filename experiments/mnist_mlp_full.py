"""3Blue1Brown's 784-16-16-10 network on 50,000 MNIST training images.

experiments/mnist_mlp.py (ReLU, AdamW 3e-3, cosine, batch 32, 20 epochs; 13,002 parameters) on mnist_50k,
Nielsen's split; one run per seed (`--config.seed=S --workdir=runs/mnist_mlp_full_sS`).

  python train.py --config=experiments/mnist_mlp_full.py --workdir=runs/mnist_mlp_full

Result: 95.70 +- 0.31% test accuracy over seeds 0, 1, 2 (96.04, 95.30, 95.76%; validation 96.21 +- 0.15%),
test loss 0.143, against about 96% that 3Blue1Brown reports on full MNIST (60,000 training images).
Training 15.7 / 23.3 / 18.7 s, 47-55 s wall per seed (reading the built dataset and compiling included) on
the 2-core CPU shared with other jobs (load average 5-9).
"""

from experiments import mnist_mlp


def get_config():
  config = mnist_mlp.get_config()
  config.data.name = "mnist_50k"
  config.data.source_dir = ""  # "" = $NETS_MNIST_DIR, else fetched once into the data dir
  return config
