"""SimCLR pre-training on unlabelled MNIST-1D signals, then fine-tuning with 1%, 10%, 100% of their labels.

experiments/pretrain_finetune_images.py's comparison (driver pretrain_finetune) on MNIST-1D's 4,000 training
signals. Per seed, SimCLR (zoom, shift and noise views; 300 epochs, 4,800 steps) on the signals without their
labels, then its 1-D conv encoder plus a fresh head fine-tuned on 1%, 10% or 100% of the labels (1,240
steps, Adam 1e-2 warm-up cosine), beside the same network from scratch with the same labels, seed, steps and
schedule.

  python train.py --config=experiments/pretrain_finetune_mnist1d.py --workdir=runs/pretrain_finetune_mnist1d

Result: test accuracy on 1,000 signals over seeds 0, 1, 2 with 1% / 10% / 100% of the labels: pre-trained
21.7 +- 1.4% / 53.4 +- 0.9% / 92.7 +- 0.3%, from scratch 16.1 +- 0.7% / 42.5 +- 1.0% / 93.5 +- 1.2%: paired
gaps +5.6 +- 0.8, +10.9 +- 1.5 and -0.8 +- 1.4 points (chance 10%). 7 min 40 s wall on the 2-core machine,
alone: SimCLR 92 / 77 / 84 s training per seed, fine-tuning 6.3 +- 0.8 s per run (114 s for 18).
"""

import ml_collections

from experiments import pretrain_finetune_images

# SimCLR's encoder as a 1-D CNN (kernels 3, stride 2: 40 -> 20 -> 10 samples) to a 64-D representation.
NETWORK = dict(name="simclr_conv", widths=(32, 64), representation_dim=64)


def get_config():
  config = pretrain_finetune_images.get_config()
  config.data.name = "mnist1d"
  config.fractions = (0.01, 0.1, 1.0)  # of MNIST-1D's 4,000 training labels: 40, 400, 4,000
  config.pretrain_title = "SimCLR pre-training on MNIST-1D (no labels)"
  config.finetune_title = "MNIST-1D classification"
  config.figure = "transfer_mnist1d.png"

  pre = config.pretrain
  pre.data.name = "mnist1d"
  pre.model = ml_collections.ConfigDict({**NETWORK, "projection_dim": 32})
  pre.augment = ml_collections.ConfigDict(dict(max_shift=4.0, zoom=(0.8, 1.2), noise=0.1))
  pre.num_epochs = 300

  fine = config.finetune
  fine.data.name = "mnist1d"
  fine.model = ml_collections.ConfigDict({**NETWORK, "projection_dim": 10})
  fine.augment.max_shift, fine.augment.max_degrees = 0.0, 0.0  # image augmentations; these are signals
  fine.optimizer.learning_rate = 1e-2
  fine.num_epochs = 20
  return config
