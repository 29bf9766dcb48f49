"""Masked-character pre-training, then topic classification with 1%, 10%, 100% of labels.

A bidirectional Transformer pre-trained on the pydoc texts (3 epochs), then fine-tuned (one epoch) to
classify snippets of 8 topics, beside the same network from scratch. The driver is nets/drivers/transfer.py.

  python train.py --config=experiments/pretrain_finetune.py --workdir=runs/pretrain_finetune

Result: no effect. Validation accuracy (401 snippets, majority class 24.2%) over seeds 0, 1, 2 (label
subsets and fine-tuning initialisations, from one pre-training) with 1% / 10% / 100% of the labels:
pre-trained 19.6 +- 0.7% / 28.0 +- 1.2% / 30.5 +- 0.7%, from scratch 18.1 +- 3.4% / 28.2 +- 2.7% / 33.1 +-
0.6%; paired gaps +1.5 +- 3.5, -0.2 +- 1.6, -2.6 +- 1.3 points. Pre-training 26 s of training, fine-tuning
16.7 +- 2.3 s a run, 300 s for the 18 (2-core CPU, beside one other training run).
"""

import ml_collections

from nets.config import base_config

ENCODER = dict(name="char_transformer", d_model=64, num_heads=4, num_layers=2, max_len=64, causal=False)


def get_config():
  config = base_config()
  config.driver = "pretrain_finetune"
  config.data = ml_collections.ConfigDict(
    dict(name="pydoc_topic_snippets", data_dir="", options=dict(seq_len=64, num_topics=8))
  )
  config.fractions = (0.01, 0.1, 1.0)
  config.seeds = (0, 1, 2)  # label subsets and fine-tuning initialisations; one pre-training for all
  config.metric = "val_accuracy"  # the fine-tuned runs' figure in the curve
  config.pretrain_metric = "val_accuracy"  # the pre-training curve in the figure: masked characters
  config.pretrain_title = "masked-character pre-training"
  config.finetune_title = "topic classification"

  pre = base_config()
  pre.task = "masked_lm"
  pre.mask_rate = 0.15
  pre.data.name = "pydoc_chars"
  pre.data.seq_len = 64
  pre.model = ml_collections.ConfigDict(ENCODER)
  pre.optimizer.learning_rate = 3e-3
  pre.optimizer.schedule = "warmup_cosine"
  pre.optimizer.warmup_steps = 50
  pre.optimizer.grad_clip_norm = 1.0
  pre.batch_size = 64
  pre.num_epochs = 3
  pre.eval_batch_size = 256
  config.pretrain = pre

  fine = base_config()
  fine.data.name = "pydoc_topic_snippets"
  fine.model = ml_collections.ConfigDict({**ENCODER, "pool": True})
  fine.optimizer.learning_rate = 1e-3
  fine.optimizer.schedule = "warmup_cosine"
  fine.optimizer.warmup_steps = 20
  fine.batch_size = 32
  fine.num_epochs = 1
  fine.eval_batch_size = 256
  fine.init_from = ""
  config.finetune = fine
  return config
