"""FSDL's MLP (experiments/fsdl_mlp.py: 1024-128 ReLU, dropout 0.5, Adam 1e-3, batch 128) on Fashion-MNIST,
60,000 train / 10,000 test (fashion_mnist_60k, from Debian's dataset-fashion-mnist), with a cosine decay
over 30 epochs (FSDL's setting has a constant rate for 20), seeds 0, 1, 2 trained together (driver
"ensemble").

  python train.py --config=experiments/fashion_mlp.py --workdir=runs/fashion_mlp

Result: 89.85 +- 0.08% test accuracy over seeds 0, 1, 2 (89.90, 89.90, 89.74%), test loss 0.305; the
3-member ensemble 90.04%. 936,330 parameters per member; 338 s of training for the three together (the
2-core CPU shared with a seed sweep of small models). Goal >= 89%: met.
The schedule and length were chosen on a validation split (`--config.data.validation_size=10000`, so
training on 50,000): validation 90.44 +- 0.09%, test 89.49 +- 0.06% (ensemble 89.68%), 368 s of training
for the three on the shared 2-core CPU. FSDL's setting as it is (constant rate, 20 epochs, one run per
seed): 88.36 +- 0.23% test (88.58, 88.05, 88.45%).
Regularisation deltas against this run (same seeds; the table in README's "Architectures and
regularisation"): no dropout +0.51 +- 0.15 (90.36%), shifts of 2 pixels -1.82 +- 0.08, MixUp 0.2
-0.09 +- 0.15, AdamW weight decay 0.05 +0.03 +- 0.11; the ensemble of 3 +0.19.
Published: scikit-learn's MLPClassifier reaches 87-88% in Zalando's benchmark (Xiao et al. 2017).
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
