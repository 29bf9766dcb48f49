"""Next-character vanilla (Elman, tanh) RNN (one layer of 317: 145,250 parameters, the size of the
other three character models) on the pydoc topic texts, 30 epochs (~160 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_rnn.py --seeds=3 --workdir=runs/seeds/charlm_rnn

Result: validation 2.083 +- 0.006 bits per character over seeds 0-2 (2.090 / 2.084 / 2.075; 62.7%
next-character accuracy), last epoch's training batches 1.320; 160.7 +- 4.1 s of training (compile
included) on the quiet 2-core machine (AVX-512 Xeon). Flat over its last 10 epochs. Bigram: 3.768.
Before (128 units, 36,386 parameters, 6 epochs, one seed, shared machine): 2.843.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  # 317 units: 145,250 parameters, the Transformer's 145,506 (the four families compared at equal size).
  config = charlm_config(name="char_rnn", cell="rnn", hidden=317, embed_dim=32)
  config.num_epochs = 30  # ~160 s of training on 2 quiet cores, as each of the four
  return config
