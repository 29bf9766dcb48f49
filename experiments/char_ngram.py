"""Unigram and bigram character baselines on pydoc_chars (windows of 64, as the neural models).

Counting only: no training steps, no seeds.

  python train.py --config=experiments/char_ngram.py --workdir=runs/char_ngram

Result: validation bits per character (46,528 characters): unigram 4.798, bigram 3.768 (uniform over the 98
ids: 6.615); deterministic. 27 s wall on the shared machine (mostly imports).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "char_ngram"
  config.data.name = "pydoc_chars"
  config.data.seq_len = 64
  config.smoothing = 0.1  # add-k, fixed before looking at validation
  return config
