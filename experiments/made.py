"""Next-pixel prediction: MADE (784 -> 500 -> 784, masked, plus a masked direct layer) on MNIST digits.

Digits binarised at 0.5 (3,500 train, 500 held out for early stopping, 1,000 test); Adam 1e-3, batch 100,
40 epochs.

  python train.py --config=experiments/made.py --workdir=runs/made

Result: test NLL 0.1919 +- 0.0004 bits per pixel over seeds 0-2 (scripts/seeds.py; 104.3 +- 0.2 nats per
digit), against 0.3812 for independent pixels; MADE's paper reaches 88.40 nats (one hidden layer) on
binarised MNIST trained on 50,000 images (Germain et al. 2015, stochastically binarised). 45 s training a
seed beside a CNN run on the 2-core machine.
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
