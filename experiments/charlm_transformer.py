"""Next-character decoder-only Transformer on the pydoc texts, the size of the three recurrent models.

2 blocks, width 64, 4 heads, causal (145,506 parameters) on pydoc_chars; Adam 3e-3 with warmup and a cosine
decay, batch 64, 20 epochs (~160 s of training, as the others).

  python scripts/seeds.py --config=experiments/charlm_transformer.py --seeds=3 \\
    --workdir=runs/seeds/charlm_transformer

Result: validation 2.086 +- 0.002 bits per character over seeds 0-2 (61.3% next-character accuracy), against
the LSTM's 2.020 +- 0.010 at the same size and time and the bigram's 3.768. 161.0 +- 7.4 s of training a
seed (compile included) on the quiet 2-core machine (AVX-512 Xeon).
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  config = charlm_config(name="char_transformer", d_model=64, num_heads=4, num_layers=2, causal=True)
  config.optimizer.schedule = "warmup_cosine"
  config.optimizer.warmup_steps = 50
  config.num_epochs = 20  # ~160 s of training on 2 quiet cores, as each of the four
  return config
