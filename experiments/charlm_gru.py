"""Next-character GRU on the pydoc topic texts, the size of the other three character models.

One layer of 187 (145,167 parameters) on pydoc_chars; Adam 3e-3 with a cosine decay, batch 64, 22 epochs
(~170 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_gru.py --seeds=3 --workdir=runs/seeds/charlm_gru

Result: validation 2.025 +- 0.001 bits per character over seeds 0-2 (63.2% next-character accuracy), against
the bigram's 3.768. 169.6 +- 2.1 s of training a seed (compile included) on the quiet 2-core machine
(AVX-512 Xeon).
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  # 187 units: 145,167 parameters, the Transformer's 145,506 (the four families compared at equal size).
  config = charlm_config(name="char_rnn", cell="gru", hidden=187, embed_dim=32)
  config.num_epochs = 22  # ~160 s of training on 2 quiet cores, as each of the four
  return config
