"""recognizer_cnn trained for photographed pages: half of its training lines photographed.

Half the 8,000 training lines are printed on paper, photographed (nets/recognizer/photos.py: scale 0.5-2x,
rotation +-6 degrees, light gradient, sensor noise, JPEG 30-90) and read back through the served pipeline's
own background removal, deskew, line finder and normalize_line, so the recognizer learns from what it is
given at serving time; the other half stay clean.

  python train.py --config=experiments/recognizer_photo.py --workdir=runs/recognizer_photo

Result: paragraph CER on 200 photographed pages of test digits 4.21 +- 0.39% over seeds 0-2
(scripts/seeds.py; 3.77 / 4.15 / 4.72%; recognizer_cnn through the same pipeline 8.27 +- 0.37%), clean
paragraphs 3.31 +- 0.31%, clean test lines 3.66 +- 0.34% (recognizer_cnn 3.70 +- 0.12%). 67 +- 5 s training
a seed on the quiet 2-core machine with XLA's convolutions on Eigen (nets/runtime.py); on YNNPACK, in an
earlier session, 99 +- 3 s and 4.33 +- 0.36% (3.89 / 4.33 / 4.77%).
"""

from experiments.recognizer_cnn import get_config as cnn_config


def get_config():
  config = cnn_config()
  config.lines.photo_fraction = 0.5
  config.lines.num_photos = 200
  return config
