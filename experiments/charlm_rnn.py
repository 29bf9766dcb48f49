"""Next-character vanilla (Elman, tanh) RNN on the pydoc topic texts, the size of the other three models.

One layer of 317 (145,250 parameters) on pydoc_chars; Adam 3e-3 with a cosine decay, batch 64, 30 epochs
(~160 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_rnn.py --seeds=3 --workdir=runs/seeds/charlm_rnn

Result: validation 2.083 +- 0.006 bits per character over seeds 0-2 (62.7% next-character accuracy), against
the bigram's 3.768. 160.7 +- 4.1 s of training a seed (compile included) on the quiet 2-core machine
(AVX-512 Xeon).
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  # 317 units: 145,250 parameters, the Transformer's 145,506 (the four families compared at equal size).
  config = charlm_config(name="char_rnn", cell="rnn", hidden=317, embed_dim=32)
  config.num_epochs = 30  # ~160 s of training on 2 quiet cores, as each of the four
  return config
