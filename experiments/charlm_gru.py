"""Next-character GRU (one layer of 128) on the pydoc topic texts.

  python train.py --config=experiments/charlm_gru.py --workdir=runs/charlm_gru

Result: validation 2.602 bits per character, 77,730 parameters, 6 epochs, 107.1 s training
(169 s wall) on the shared 2-core machine (load ~16). Bigram: 3.768.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  return charlm_config(name="char_rnn", cell="gru", hidden=128, embed_dim=32)
