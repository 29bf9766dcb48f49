"""Next-character LSTM on the pydoc topic texts, the size of the other three character models.

One layer of 162 (145,470 parameters) on pydoc_chars (nets/data/text.py); Adam 1e-2 with a cosine decay,
batch 64, 24 epochs (~155 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_lstm.py --seeds=3 --workdir=runs/seeds/charlm_lstm

Result: validation 2.020 +- 0.010 bits per character over seeds 0-2 (63.4% next-character accuracy), the best
of the four at equal size and time, against the bigram's 3.768. 155.6 +- 7.5 s of training a seed (compile
included) on the quiet 2-core machine (AVX-512 Xeon).
"""

import ml_collections

from nets.config import base_config


def charlm_config(**model) -> ml_collections.ConfigDict:
  """The next-character setting the four models share: windows of 64, batches of 64, Adam + cosine."""
  config = base_config()
  config.task = "language_model"
  config.data.name = "pydoc_chars"
  config.data.seq_len = 64
  config.model = ml_collections.ConfigDict(model)
  config.optimizer.learning_rate = 3e-3
  config.optimizer.schedule = "cosine"
  config.optimizer.grad_clip_norm = 1.0
  config.batch_size = 64
  config.num_epochs = 6
  config.eval_batch_size = 256
  return config


def get_config():
  # 162 units: 145,470 parameters, the Transformer's 145,506 (the four families compared at equal size).
  config = charlm_config(name="char_rnn", cell="lstm", hidden=162, embed_dim=32)
  config.optimizer.learning_rate = 1e-2  # The LSTM learns slowest of the cells at 3e-3.
  config.num_epochs = 24  # ~160 s of training on 2 quiet cores, as each of the four
  return config
