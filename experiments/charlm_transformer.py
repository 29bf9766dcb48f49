"""Next-character decoder-only Transformer (2 blocks, width 64, 4 heads, causal: 145,506 parameters) on
the pydoc texts, 20 epochs (~160 s of training, as the three recurrent models of its size).

  python scripts/seeds.py --config=experiments/charlm_transformer.py --seeds=3 \
    --workdir=runs/seeds/charlm_transformer

Result: validation 2.086 +- 0.002 bits per character over seeds 0-2 (2.083 / 2.088 / 2.087; 61.3%
next-character accuracy), last epoch's training batches 1.544; 161.0 +- 7.4 s of training (compile
included) on the quiet 2-core machine (AVX-512 Xeon). Still falling slowly when the cosine schedule
ends (2.093 -> 2.083 over its last 4 epochs, seed 0). Bigram: 3.768.
Before (5 epochs, one seed, shared machine): 2.600.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  config = charlm_config(name="char_transformer", d_model=64, num_heads=4, num_layers=2, causal=True)
  config.optimizer.schedule = "warmup_cosine"
  config.optimizer.warmup_steps = 50
  config.num_epochs = 20  # ~160 s of training on 2 quiet cores, as each of the four
  return config
