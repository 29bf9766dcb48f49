"""Next-character decoder-only Transformer (2 blocks, width 64, 4 heads, causal) on the pydoc texts.

  python train.py --config=experiments/charlm_transformer.py --workdir=runs/charlm_transformer

Result: PENDING
"""

from experiments.charlm_lstm import charlm_config


def get_config():
  config = charlm_config(name="char_transformer", d_model=64, num_heads=4, num_layers=2, causal=True)
  config.optimizer.schedule = "warmup_cosine"
  config.optimizer.warmup_steps = 50
  config.num_epochs = 5
  return config
