"""Next-character vanilla (Elman, tanh) RNN (one layer of 128) on the pydoc topic texts.

  python train.py --config=experiments/charlm_rnn.py --workdir=runs/charlm_rnn

Result: validation 2.843 bits per character (48.1% next-character accuracy), 36,386 parameters,
6 epochs, 89.7 s training (133 s wall) on the shared 2-core machine (load ~16). Bigram: 3.768.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  return charlm_config(name="char_rnn", cell="rnn", hidden=128, embed_dim=32)
