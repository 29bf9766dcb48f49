"""FSDL's MLP on Fashion-MNIST with a cosine decay over 30 epochs, three seeds trained together.

experiments/fsdl_mlp.py's 1024-128 ReLU, dropout 0.5, Adam 1e-3, batch 128 (936,330 parameters), 60,000
train / 10,000 test (fashion_mnist_60k, from Debian's dataset-fashion-mnist); driver "ensemble".

  python train.py --config=experiments/fashion_mlp.py --workdir=runs/fashion_mlp

Result: 89.85 +- 0.08% test accuracy over seeds 0, 1, 2 (89.90, 89.90, 89.74%), the 3-member ensemble 90.04%,
against 87-88% for scikit-learn's MLPClassifier in Zalando's benchmark (Xiao et al. 2017). 338 s of training
for the three together (the 2-core CPU shared with a seed sweep of small models).
"""

from experiments import fsdl_mlp


def get_config():
  config = fsdl_mlp.get_config()
  config.data.name = "fashion_mnist_60k"
  config.data.source_dir = ""  # "" = $NETS_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist
  config.driver = "ensemble"
  config.ensemble_size = 3
  config.optimizer.schedule = "cosine"
  config.num_epochs = 30
  return config
