"""Next-character GRU (one layer of 128) on the pydoc topic texts.

  python train.py --config=experiments/charlm_gru.py --workdir=runs/charlm_gru

Result: PENDING
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  return charlm_config(name="char_rnn", cell="gru", hidden=128, embed_dim=32)
