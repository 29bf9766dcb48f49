"""Nielsen's network2.py, chapter 3: 784-100-10 sigmoid, cross-entropy, L2, on his 50,000 images.

lambda = 5.0, SGD eta = 0.5, mini-batch 10, 30 epochs on mnist_50k, scored on his 10,000 validation images;
N(0, 1) start as his `large_weight_initializer()`. Our cross-entropy is averaged over the 10 outputs where
his is summed, so his eta 0.5 and lambda 5.0 are our learning rate 5.0 and weight decay 1e-5 (which also
decays the biases). One run per seed (`--config.seed=S --workdir=runs/nielsen_network2_sS`).

  python train.py --config=experiments/nielsen_network2.py --workdir=runs/nielsen_network2

Result: 97.53 +- 0.13% on the validation images after 30 epochs over seeds 0, 1, 2 (97.35, 97.60, 97.65%;
test 97.60 +- 0.13%), 0.39 below Nielsen's 97.92% with this setting (chapter 3, "Overfitting and
regularization"). Training 32.5 / 29.3 / 26.5 s, 39-45 s wall per seed on the 2-core CPU shared with other
jobs.
"""

from experiments import nielsen_full


def get_config():
  config = nielsen_full.get_config()
  config.loss = "binary_cross_entropy"
  config.model.widths = (100,)
  config.model.output_activation = "identity"  # the loss applies the sigmoid
  config.optimizer.learning_rate = 5.0
  config.optimizer.weight_decay = 1e-5
  return config
