"""Line recognizer: sliding-window CNN + CTC on synthetic lines of 1-16 mnist_5k digits (overlap 0-0.33).

Adam 2e-3 with a cosine decay, batch 64, 10 epochs (1,250 steps). Also scored through the whole pipeline:
the line finder on 200 synthetic paragraphs of test digits, and photographed pages.

  python train.py --config=experiments/recognizer_cnn.py --workdir=runs/recognizer_cnn

Result: test CER 3.70 +- 0.12% over seeds 0-2 (scripts/seeds.py; 1,000 held-out lines of unseen digits),
paragraph CER 3.40 +- 0.27% with line finder precision and recall 1.00 for every seed, photographed-page
paragraph CER 8.27 +- 0.37% (40 pages). 71 +- 7 s training a seed on the quiet 2-core machine with XLA's
convolutions on Eigen (nets/runtime.py); 88.5 +- 2.3 s on YNNPACK in an earlier session (3.67 +- 0.09%).
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
      num_photos=40,  # photographed pages of test digits scored after training (photo_paragraph_cer)
    )
  )
  config.model = ml_collections.ConfigDict(
    dict(
      name="line_cnn",
      channels=(8, 16, 32),
      width_pools=2,
      window=3,
      hidden=128,
      dropout_rate=0.1,
      bn_momentum=0.9,
    )
  )
  config.optimizer.name = "adam"
  config.optimizer.learning_rate = 2e-3
  config.optimizer.schedule = "cosine"
  config.batch_size = 64
  config.num_epochs = 10
  config.eval_batch_size = 500
  config.steps_per_call = 0  # Auto: one step a call on CPU (heavy conv steps run slower in lax.scan).
  return config
