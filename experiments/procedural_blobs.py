"""The stream at scale: an MLP on 1,000,000 generated 32 x 32 x 3 images, more than the device pipeline
may hold (12.3 GB decoded against a budget of a quarter of the 24 GiB host), read from 3 GB of
array_record as the steps need them.

  python train.py --config=experiments/procedural_blobs.py --workdir=runs/procedural_blobs
  python scripts/stream_scale.py --workdir=runs/stream_scale   # peak memory against dataset size

Result: see README.md's "Data beyond memory" (peak resident memory for 50,000 / 200,000 / 1,000,000
images, stream against device, and this run's accuracy and time). The dataset is nets/data/procedural.py:
the class is which cell of a 2 x 5 grid holds a bright blob; built once into the data directory (about 5
minutes for 1,000,000 on the 2-core machine).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "procedural_blobs"
  config.data.num_train = 1_000_000  # The builder's option: 50_000, 200_000, ... (multiples of 1,000)
  config.model.widths = (256,)
  config.model.activation = "relu"
  config.optimizer.learning_rate = 1e-3
  config.batch_size = 256
  config.num_epochs = 1
  config.checkpoint_every_epochs = 1
  return config
