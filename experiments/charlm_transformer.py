"""Next-character decoder-only Transformer (2 blocks, width 64, 4 heads, causal) on the pydoc texts.

  python train.py --config=experiments/charlm_transformer.py --workdir=runs/charlm_transformer

Result: validation 2.600 bits per character, 145,506 parameters, 5 epochs, 360.4 s training
(451 s wall) on the shared 2-core machine (load ~16-20). Bigram: 3.768.
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  config = charlm_config(name="char_transformer", d_model=64, num_heads=4, num_layers=2, causal=True)
  config.optimizer.schedule = "warmup_cosine"
  config.optimizer.warmup_steps = 50
  config.num_epochs = 5
  return config
