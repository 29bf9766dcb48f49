"""Line recognizer: CNN + bidirectional LSTM + CTC on synthetic lines of 1-16 mnist_5k digits.

  python train.py --config=experiments/recognizer_lstm.py --workdir=runs/recognizer_lstm

Result: not run yet (no machine time left); the model is only unit-tested (shapes, finite CTC gradients).
Published: FSDL's LineCNN + CTC reached about 15% CER on EMNIST lines (letters and digits).
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
      num_train=4000,
      num_test=1000,
      min_len=1,
      max_len=16,
      overlap=(0.0, 0.33),
      downsample=2,  # Lines 14 x 224 pixels.
      num_paragraphs=200,
    )
  )
  config.model = ml_collections.ConfigDict(
    dict(name="line_lstm", channels=(8, 16, 32), width_pools=2, hidden=64, dropout_rate=0.2)
  )
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 2e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 64
  config.num_epochs = 6
  config.eval_batch_size = 500
  config.steps_per_call = 31  # Half an epoch a call, so progress shows.
  return config
