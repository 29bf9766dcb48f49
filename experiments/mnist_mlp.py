"""3Blue1Brown's 784-16-16-10 digit network on mnist_5k (the default of `python train.py`).

  python train.py --config=experiments/mnist_mlp.py --workdir=runs/mnist_mlp

Result: PENDING
Published: 3Blue1Brown reports about 96% on full MNIST (60,000 training images); scikit-learn's
MLPClassifier(16, 16) reaches 91% on this 4,000/1,000 split.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "mnist_5k"
  config.data.standardize = True
  config.model.widths = (16, 16)
  config.model.activation = "relu"
  config.optimizer.name = "adamw"
  config.optimizer.learning_rate = 3e-3
  config.optimizer.schedule = "cosine"
  config.optimizer.weight_decay = 0.1
  config.batch_size = 32
  config.num_epochs = 20
  return config
