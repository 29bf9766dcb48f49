"""Next-pixel prediction: MADE (784 -> 500 -> 784, masked, plus a masked direct layer) on MNIST digits
binarised at 0.5 (3,500 train, 500 held out for early stopping, 1,000 test).

  python train.py --config=experiments/made.py --workdir=runs/made

Result (measured): test NLL 0.1917 bits per pixel (104.2 nats per digit) against 0.3812 for
independent pixels (add-one smoothed training frequencies); 40 epochs, never stopped early (the
validation loss still fell, 0.1916 bits at the end); training 138.7 s, 227 s wall in all (44 s of
CPU) on the shared 2-core machine (load average ~20), 64 samples included.
Seeds 0-2 (`python scripts/seeds.py --config=experiments/made.py --seeds=3
--workdir=runs/seeds/made`, seed 0
is the run above): 0.1919 +- 0.0004 bits per pixel (104.3 +- 0.2 nats), 45 s training each beside a CNN run.
Published: MADE reaches 88.40 nats (one hidden layer) on binarised MNIST trained on 50,000 images
(Germain et al. 2015, stochastically binarised).
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.driver = "nextpixel"
  config.task = "nextpixel"
  config.model.name = "made"
  config.model.widths = (500,)
  del config.model.activation
  config.data.validation_size = 500
  config.early_stopping.patience = 3
  config.early_stopping.metric = "val_loss"
  config.optimizer.learning_rate = 1e-3
  config.batch_size = 100
  config.num_epochs = 40
  config.num_samples = 64
  return config
