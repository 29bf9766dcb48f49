"""The fields every experiment has; an experiment's get_config() starts here and changes some."""

import ml_collections


def base_config() -> ml_collections.ConfigDict:
  c = ml_collections.ConfigDict()
  c.driver = "train"  # nets.drivers.DRIVERS
  c.seed = 0
  c.task = "classify"  # nets.tasks.TASKS
  c.loss = "cross_entropy"  # nets.losses.LOSSES
  c.label_smoothing = 0.0
  c.mixup_alpha = 0.0  # MixUp's Beta(alpha, alpha); 0 = off
  # Images; 0 = off. crop: whole pixels of random-crop shift; erase: the probability of random erasing
  # (nets/augment.py); test_flip: evaluation also reports tta_accuracy, of each image and its mirror.
  c.augment = ml_collections.ConfigDict(
    dict(max_shift=0.0, max_degrees=0.0, crop=0, flip=False, erase=0.0, test_flip=False)
  )
  c.data = ml_collections.ConfigDict(
    dict(
      name="mnist_5k",  # nets.data.DATASETS
      data_dir="",  # "" = $NETS_DATA_DIR, else ~/tensorflow_datasets
      standardize=False,  # per-channel, with training statistics
      validation_size=0,  # training examples held out for early stopping
      pipeline="auto",  # "device", "stream" or "auto" (nets/training/pipelines.py)
      device_budget_mb=0,  # auto streams data larger than this; 0 = a quarter of the device's memory
      stream=ml_collections.ConfigDict(dict(threads=2, prefetch=4, workers=0, device_prefetch=2)),
    )
  )
  c.model = ml_collections.ConfigDict(dict(name="mlp", widths=(16, 16), activation="relu"))
  c.optimizer = ml_collections.ConfigDict(
    dict(
      name="adam",  # nets.optim.OPTIMIZERS
      learning_rate=1e-3,
      schedule="constant",  # nets.optim.SCHEDULES
      warmup_steps=0,
      momentum=0.9,
      weight_decay=0.0,
      grad_clip_norm=0.0,  # 0 = no clipping
    )
  )
  c.compute_dtype = "float32"  # or "bfloat16" (tasks.MIXED_PRECISION): the model computes in it, params f32
  c.batch_size = 32
  c.num_epochs = 10
  c.eval_batch_size = 1000
  c.steps_per_call = 0  # train steps per compiled call; 0 = auto: one epoch (one step for heavy CPU steps)
  c.checkpoint_every_epochs = 1
  c.profile_steps = ""  # "START,STOP": a jax.profiler trace of those global steps in WORKDIR/profile
  c.kfold = 0  # folds of the training split for driver "kfold"
  c.ensemble_size = 0  # members trained together by driver "ensemble"
  c.early_stopping = ml_collections.ConfigDict(dict(patience=0, metric="val_loss"))  # 0 = off
  return c
