"""Skip-gram with negative sampling on the pydoc topic texts' words (nets/drivers/wordvec.py).

  python train.py --config=experiments/word_vectors.py --workdir=runs/word_vectors

Result: validation negative-sampling loss 2.424; 1,221 words, 234,709 training pairs; 22.2 s
training (77 s wall).
Seeds 0-2 (`python scripts/seeds.py --config=experiments/word_vectors.py --seeds=3
--workdir=runs/seeds/word_vectors`,
seed 0 is the run above): validation loss 2.423 +- 0.004 (2.424 / 2.418 / 2.427), 11 s training each.
Neighbours (seed 0): class -> mro, bases, prepare, metaclass, derived;
true -> false, isupper, ...; exception -> handler, handlers, attached, valueerror, header.
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
