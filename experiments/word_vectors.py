"""Skip-gram with negative sampling on the pydoc topic texts' words (nets/drivers/wordvec.py).

1,221 words, 234,709 training pairs; Adam 5e-3 with a cosine decay, batch 512, 4 epochs.

  python train.py --config=experiments/word_vectors.py --workdir=runs/word_vectors

Result: validation negative-sampling loss 2.423 +- 0.004 over seeds 0-2 (scripts/seeds.py; 2.424 / 2.418 /
2.427). 11 s training a seed; seed 0 alone 22.2 s (77 s wall).
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "word_vectors"
  config.task = "skipgram"
  config.data = ml_collections.ConfigDict(dict(name="pydoc_words", min_count=5, window=5, subsample=1e-3))
  config.model = ml_collections.ConfigDict(dict(name="skipgram", dim=64))
  config.negatives = 5
  config.queries = ("class", "list", "integer", "string", "exception", "true", "function", "loop")
  config.num_neighbours = 5
  config.optimizer.learning_rate = 5e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 512
  config.num_epochs = 4
  config.eval_batch_size = 2000
  return config
