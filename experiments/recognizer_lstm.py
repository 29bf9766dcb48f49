"""Line recognizer: CNN + bidirectional LSTM + CTC on synthetic lines of 1-16 mnist_5k digits.

Adam 2e-3 with a cosine decay, batch 64, 10 epochs (1,250 steps).

  python train.py --config=experiments/recognizer_lstm.py --workdir=runs/recognizer_lstm

Result: test CER 3.62 +- 0.12% over seeds 0-2 (scripts/seeds.py; 1,000 held-out lines), paragraph CER 3.47 +-
0.09%, training lines 0.70 +- 0.10%, photographed pages 7.3 +- 1.3% (40 pages): level with the sliding-window
CNN on held-out lines (3.67 +- 0.09%), closer on training lines (CNN 1.67 +- 0.24%). 135 +- 8 s training a
seed on the quiet 2-core machine.
"""

import ml_collections

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "recognizer"
  config.task = "ctc"
  config.data.name = "mnist_lines"
  config.lines = ml_collections.ConfigDict(
    dict(
      num_train=8000,
      num_test=1000,
      min_len=1,
      max_len=16,
      overlap=(0.0, 0.33),
      downsample=2,  # Lines 14 x 224 pixels.
      num_paragraphs=200,
    )
  )
  config.model = ml_collections.ConfigDict(
    dict(name="line_lstm", channels=(8, 16, 32), width_pools=2, hidden=64, dropout_rate=0.1, bn_momentum=0.9)
  )
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 2e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 64
  config.num_epochs = 10
  config.eval_batch_size = 500
  config.steps_per_call = 0  # Auto: one step a call on CPU (XLA's convolutions run slower in a while loop).
  return config
