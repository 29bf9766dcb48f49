"""Next-character vanilla (Elman, tanh) RNN (one layer of 128) on the pydoc topic texts.

  python train.py --config=experiments/charlm_rnn.py --workdir=runs/charlm_rnn

Result: PENDING
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  return charlm_config(name="char_rnn", cell="rnn", hidden=128, embed_dim=32)
