"""Full Stack Deep Learning lab 1's MLP on 50,000 MNIST training images.

experiments/fsdl_mlp.py (1024-128 ReLU, dropout 0.5, 936,330 parameters; Adam 1e-3, batch 128, 20 epochs) on
mnist_50k, Nielsen's split; one run per seed (`--config.seed=S --workdir=runs/fsdl_mlp_full_sS`).

  python train.py --config=experiments/fsdl_mlp_full.py --workdir=runs/fsdl_mlp_full

Result: 98.21 +- 0.08% test accuracy over seeds 0, 1, 2 (98.28, 98.25, 98.10%; validation 98.24 +- 0.10%),
test loss 0.067; FSDL's lab reports no test figure, and an MLP of this size reaches about 98% on full
MNIST. Training 122.8 / 133.3 / 121.0 s, 136-148 s wall per seed on the 2-core CPU shared with other jobs
(load average 7-9).
"""

from experiments import fsdl_mlp


def get_config():
  config = fsdl_mlp.get_config()
  config.data.name = "mnist_50k"
  config.data.source_dir = ""  # "" = $NETS_MNIST_DIR, else fetched once into the data dir
  return config
