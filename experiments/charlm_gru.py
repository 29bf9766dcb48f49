"""Next-character GRU (one layer of 187: 145,167 parameters, the size of the other three character
models) on the pydoc topic texts, 22 epochs (~170 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_gru.py --seeds=3 --workdir=runs/seeds/charlm_gru

Result: validation 2.025 +- 0.001 bits per character over seeds 0-2 (2.026 / 2.024 / 2.023; 63.2%
next-character accuracy), last epoch's training batches 1.392; 169.6 +- 2.1 s of training (compile
included) on the quiet 2-core machine (AVX-512 Xeon). Bigram: 3.768.
Before (128 units, 77,730 parameters, 6 epochs, one seed, shared machine): 2.602.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  # 187 units: 145,167 parameters, the Transformer's 145,506 (the four families compared at equal size).
  config = charlm_config(name="char_rnn", cell="gru", hidden=187, embed_dim=32)
  config.num_epochs = 22  # ~160 s of training on 2 quiet cores, as each of the four
  return config
