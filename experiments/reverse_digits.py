"""Encoder-decoder GRU with attention reversing digit strings (nets/drivers/transduction.py).

  python train.py --config=experiments/reverse_digits.py --workdir=runs/reverse_digits

Trained on 20,000 strings of lengths 1..16; validation: 1,000 unseen strings of lengths 13..16
(longer than 75% of training inputs); test: 1,000 of lengths 17..20 (longer than any).
Result: exact match 99.9% on unseen lengths 13..16, 92.8% on lengths 17..20 (by length: 17 99.2%,
18 97.2%, 19 92.5%, 20 82.9%); 4 epochs, 145.7 s training (349 s wall, shared 2-core machine).
Seeds 0-2 with the current code (`python scripts/seeds.py --config=experiments/reverse_digits.py --seeds=3
--workdir=runs/seeds/reverse_digits`): exact match 99.6 +- 0.1% on lengths 13..16 (99.7 / 99.7 / 99.4),
93.7 +- 1.1% on 17..20 (95.1 / 93.6 / 92.4), token accuracy 99.50 +- 0.04%; 47 s training each beside
other runs. Seed 0 no longer gives the single run above (99.9 / 92.8%): the code has changed since.
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "reverse_digits"
  config.task = "seq2seq"
  config.data = ml_collections.ConfigDict(
    dict(
      name="reversal", train_max_len=16, held_out_min_len=13, test_max_len=20, num_train=20000, num_eval=1000
    )
  )
  config.model = ml_collections.ConfigDict(dict(name="encoder_decoder", hidden=64, embed_dim=32))
  config.optimizer.learning_rate = 3e-3
  config.optimizer.schedule = "cosine"
  config.optimizer.grad_clip_norm = 1.0
  config.batch_size = 64
  config.num_epochs = 4
  config.eval_batch_size = 500
  return config
