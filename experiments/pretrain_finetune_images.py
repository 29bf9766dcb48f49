"""SimCLR pre-training on unlabelled digits, then fine-tuning with 1%, 10%, 100% of their labels.

BERT's idea with images: pre-train on unlabelled data, fine-tune on few labels. Per seed: SimCLR
(experiments/simclr.py's setting, 20 epochs, 320 steps) on mnist_5k's 4,000 training images without
their labels, then its encoder plus a fresh head fine-tuned on 1%, 10% or 100% of those images' labels
(the subset drawn by the seed), beside the same network from scratch with the same labels, seed, steps
(310: the subset tiled to 4,000, 5 epochs of batch 64), augmentation and schedule. The driver is
nets/drivers/transfer.py.

  python train.py --config=experiments/pretrain_finetune_images.py --workdir=runs/pretrain_finetune_images

Why this setup: the suggested transfer between datasets showed nothing here. A LeNet CNN pre-trained on
Fashion-MNIST (2 epochs) and fine-tuned on mnist_5k was behind at 1% (56.1 vs 60.5%, seeds 0-1) and
level at 10% (90.6 vs 89.7%); an MLP pre-trained on mnist_50k's digits 0-4 and fine-tuned on mnist_5k's
5-9 was level (65.6 vs 67.1% at 1%, 90.2 vs 90.0% at 10%); a CNN pre-trained on mnist_50k and fine-tuned
on scikit-learn's digits resized to MNIST's 20 x 20 box was +3.5 at 1% and +2.9 at 10% (seeds 0-1),
after 199 s of pre-training. Self-supervision on the task's own images was kept: +4.4 to +5.6 at 1% in
the two-seed trials, at a third of that cost. It sees no image outside mnist_5k's training split (its
5,000 digits all lie in mnist_50k's training split, so pre-training there would see the test digits).

Result (test accuracy on 1,000 digits, mean +- std over seeds 0, 1, 2; chance and majority class 10%):
  labels          1% (40)          10% (400)        100% (4,000)
  pre-trained     73.3 +- 3.6%     94.7 +- 0.8%     96.3 +- 0.0%
  from scratch    67.6 +- 2.7%     91.9 +- 1.3%     94.3 +- 0.5%
  gap (paired)    +5.7 +- 2.0      +2.7 +- 1.3      +2.0 +- 0.5
Per seed, pre-trained 71.0 / 70.4 / 78.4, 95.2 / 93.5 / 95.3, 96.3 / 96.3 / 96.3 (963 of 1,000 three times
by chance: the training losses differ, 0.219 / 0.220 / 0.206); scratch 64.4 / 67.5 / 70.9, 93.7 / 91.4 /
90.7, 94.6 / 94.7 / 93.6. Pre-training is ahead at every fraction and for every seed, most with the fewest
labels, the gap closing as labels grow - but issue 17's goal (>= 5 points at 1% AND 10%) is met only at 1%
(and there seed 1 gains 2.9), not at 10%; it is met on MNIST-1D, where scratch is weaker
(experiments/pretrain_finetune_mnist1d.py: +5.6 +- 0.8 at 1%, +10.9 +- 1.5 at 10%). Why not here: a linear
probe (logistic regression) on the frozen SimCLR representation of seed 0 reaches 72.4 / 92.0 / 95.0% with
40 / 400 / 4,000 labels (label subsets of seeds 0-2), so at 400 labels a well-trained scratch network
(91.9%) is already near what the representation holds. The gap at 10% depends on the scratch recipe: the
same comparison on seed 0's SimCLR run, seeds 0-1, gave +5.3 at 10% (91.1 vs 85.8%) with Adam 3e-4 cosine,
no warm-up - a recipe under which scratch is 7 points worse than here - and +1.6 (94.2 vs 92.6%) with this
one; the recipe kept is the best for scratch of the five tried (without augmentation Adam 1e-3 / 3e-4 / 1e-4
gave scratch 86.8 / 85.4 / 76.1% at 10%). Fine-tuning keeps less than the probe at 40 labels (seed 0's 40:
probe 74.9%, fine-tuned 71.0% here, 65.7% without augmentation). SimCLR 40 epochs instead of 20 (seed 0)
moved the 1% gap to +5.6 and the 10% gap to +1.4 (seeds 0-1). At 100% both starts are short of training (5
epochs; mnist_cnn reaches 97.6% in 15).
More unlabelled digits, tried in a later stop (seed 0, one run of each; an uncommitted script calling
train_and_evaluate with this config's parts): SimCLR on the 45,000 mnist_50k training digits that are
not among mnist_5k's 5,000 (matched by pixels; Nielsen's validation digits held out for its own test),
10 epochs (1,800 steps, 149 s): fine-tuned 76.0% at 1% (71.0% from the 4,000-image SimCLR) and 95.2% at
10% (the same). With a wider encoder too (32-64 channels, 128-D representation; 20 epochs, 449 s) and
the same wider net as scratch: 78.6 vs 67.2% at 1% (+11.4), 95.9 vs 94.9% at 10% (+1.0) - at 400
labels the wider net lifts scratch (93.7 -> 94.9%) more than the pre-trained start (95.2 -> 95.9%).
Neither more unlabelled data nor a wider net opened the 10% gap; not adopted.
Time: 11 min 28 s wall, 407 s CPU, on the 2-core machine shared with other engineers' runs (load average
~9): SimCLR 139 / 56 / 60 s training per seed, fine-tuning 12.3 +- 1.5 s training per run (222 s for 18).
"""

import ml_collections

from experiments import simclr
from nets.config import base_config

# SimCLR's network; as the classifier its projection is the 10 class logits (projection_dim 10).
NETWORK = dict(name="simclr_conv", widths=(16, 32), representation_dim=64)


def get_config():
  config = base_config()
  config.driver = "pretrain_finetune"
  config.data = ml_collections.ConfigDict(dict(name="mnist_5k", data_dir="", options=dict()))  # labelled
  config.fractions = (0.01, 0.1, 1.0)  # of mnist_5k's 4,000 training labels: 40, 400, 4,000
  config.seeds = (0, 1, 2)  # each: its own pre-training, label subsets, and fine-tuning initialisation
  config.pretrain_each_seed = True
  config.metric = "test_accuracy"  # on mnist_5k's 1,000 test digits
  config.pretrain_metric = "test_partner_top1"  # SimCLR: held-out views whose nearest view is their partner
  config.pretrain_title = "SimCLR pre-training (no labels)"
  config.finetune_title = "mnist_5k classification"
  config.figure = "transfer_images.png"

  pre = simclr.get_config()  # contrastive task on mnist_5k's training images; labels never read
  pre.driver = "train"
  pre.model = ml_collections.ConfigDict({**NETWORK, "projection_dim": 32})
  config.pretrain = pre

  fine = base_config()
  fine.data.name = "mnist_5k"
  fine.model = ml_collections.ConfigDict({**NETWORK, "projection_dim": 10})
  fine.augment.max_shift, fine.augment.max_degrees = 2.0, 10.0  # both starts: +6 points for scratch at 1%
  fine.optimizer.learning_rate = 1e-3
  fine.optimizer.schedule = "warmup_cosine"
  fine.optimizer.warmup_steps = 60  # the fresh head settles before the body moves much
  fine.batch_size = 64
  fine.num_epochs = 5  # of the subset tiled to 4,000 examples: 310 steps whatever the fraction
  fine.init_from = ""  # the driver sets it for the pre-trained start
  fine.init_exclude = ("['head']",)  # a fresh head: fine-tune from SimCLR's representation h
  config.finetune = fine
  return config
