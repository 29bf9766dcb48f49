"""Every config field, declared once: its type, default and meaning, in frozen dataclasses.

An experiment file still builds an ml_collections ConfigDict (base_config() plus its changes) and the
command line still overrides it (--config.FIELD=VALUE); `resolve(config)` then checks that tree against
the options of the driver and task it names, and of its model and dataset, and returns it complete: every
declared field present, at its default where the file did not set it. So the code reads attributes, and
a default is written nowhere but here. An unknown field or a value of the wrong kind is one ConfigError
line before any data is read.

A section is a dataclass; `Train` holds the fields of every run, a task's class (TASK_OPTIONS) adds the
fields its task reads, a driver's class (DRIVER_OPTIONS, a subclass of Train) those its driver reads.
To add a field: declare it with `opt(default, "meaning")` in the class of the code that reads it.
"""

import dataclasses
import difflib
import functools
import math
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache

import ml_collections

from nets.errors import ConfigError, lookup

# Metadata keys of a field: "help" (its meaning), "check" (value -> bool) with "accepts" (what passes it,
# for the error), and "kind" for fields that are not plain values:
#   "model"   a model's fields, checked against nets.models.MODELS (or MODEL_OPTIONS) by its name
#   "run"     a whole run config (e.g. transfer's pretrain), resolved against its own driver and task
#   "named"   a section whose class is picked by its `name` field from metadata "classes"
#   "each"    {key: section} with every section of the class in metadata "section"
#   "mapping" a free {key: value} dict (a dataset's options, checked by the dataset)
# and "tasks": the only tasks that read the field (absent: every task does), with "drivers": the drivers
# that read it whatever their task (or though they run none).


def opt(default, help: str, *, check: Callable | None = None, accepts: str = "", **meta) -> dataclasses.Field:
  """A field with its default and one-line meaning; `check` (value -> bool) restricts its values."""
  metadata = {"help": help, "check": check, "accepts": accepts, **meta}
  if isinstance(default, dict):
    return dataclasses.field(default_factory=lambda: dict(default), metadata=metadata)
  return dataclasses.field(default=default, metadata=metadata)


def section(cls, help: str, **meta) -> dataclasses.Field:
  """A nested section of class `cls`, all at its defaults unless set."""
  return dataclasses.field(default_factory=cls, metadata={"help": help, "section": cls, **meta})


def at_least(low: float, accepts: str = "") -> dict:
  return dict(check=lambda v: v >= low, accepts=accepts or f">= {low}")


POSITIVE = dict(check=lambda v: v > 0, accepts="> 0")
FRACTION = dict(check=lambda v: 0 <= v <= 1, accepts="in [0, 1]")


def one_of(*names: str) -> dict:
  return dict(check=lambda v: v in names, accepts=f"one of {', '.join(names)}")


# Tasks that read a field of every run (metadata "tasks"): set away from its default in a run of any other
# task, it would change nothing, so it is refused (`_unread`) rather than ignored.
SUPERVISED = ("classify", "regress")
# Tasks whose model computes in config.compute_dtype (parameters, optimizer state and loss stay float32).
MIXED_PRECISION = (*SUPERVISED, "ctc", "language_model", "masked_lm", "seq2seq")
# Drivers that run a program of their own, not config.task through the training loop: they read no such
# field, whatever their config's task.
TASKLESS_DRIVERS = frozenset(
  {
    "rl",
    "char_ngram",
    "behaviour_cloning",
    "maml",
    "universality",
    "conditioning",
    "optimizers",
    "learning_rate",
    "knn",
  }
)
# Drivers that never run the training loop (nets/training/loop.py and its pipelines), and those that also
# train in a loop of their own (ensemble: its members' steps, with the loop's steps a call and evaluation
# batches but none of its early stopping, warm starts, checkpoints or profiles). A field of the loop's
# (metadata "unread_by") set in their runs would change nothing, so it is refused (`_unread`).
LOOPLESS_DRIVERS = TASKLESS_DRIVERS | {"depth"}
OWN_LOOP_DRIVERS = LOOPLESS_DRIVERS | {"ensemble"}


# --- Sections of every run ------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Augment:
  """Regularisers of image classification (nets/augment.py); 0 or False = off."""

  max_shift: float = opt(
    0.0, "largest random translation, in pixels", **at_least(0), tasks=(*SUPERVISED, "ctc", "contrastive")
  )
  max_degrees: float = opt(
    0.0, "largest random rotation, in degrees", **at_least(0), tasks=(*SUPERVISED, "ctc")
  )
  crop: int = opt(
    0, "whole pixels of random-crop shift (pad, then crop back)", **at_least(0), tasks=(*SUPERVISED, "ctc")
  )
  shrink: float = opt(
    0.0,
    "each training image shrunk to a factor in [1 - shrink, 1] of its size and enlarged back",
    check=lambda v: 0 <= v < 1,
    accepts="in [0, 1)",
    tasks=(*SUPERVISED, "ctc"),
  )
  # Not task ctc's: mirroring a line reverses its text, erasing deletes characters its label still has.
  flip: bool = opt(False, "mirror each training image left-right with probability 1/2", tasks=SUPERVISED)
  erase: float = opt(0.0, "probability of random erasing of a rectangle", **FRACTION, tasks=SUPERVISED)
  test_flip: bool = opt(
    False, "evaluation also reports tta_accuracy, of each image and its mirror", tasks=("classify",)
  )


@dataclasses.dataclass(frozen=True)
class ContrastiveAugment(Augment):
  """SimCLR's two views of each image (task contrastive): shift, zoom and pixel noise."""

  noise: float = opt(0.0, "std of Gaussian noise added to each view's pixels", **at_least(0))
  zoom: tuple[float, ...] = opt((1.0, 1.0), "(low, high) range of each view's random zoom")


@dataclasses.dataclass(frozen=True)
class Stream:
  """config.data.stream: how the stream pipeline reads (nets.data.stream reads with these)."""

  threads: int = opt(
    2, "grain's threads reading and decoding calls in parallel (2: 37% cost, 4: 45%)", **at_least(1)
  )
  prefetch: int = opt(4, "calls read ahead of the step (grain's prefetch_buffer_size)", **at_least(0))
  workers: int = opt(
    0, "> 0: grain worker processes (mp_prefetch), for decoding heavy enough to need them", **at_least(0)
  )
  device_prefetch: int = opt(2, "calls placed on the device ahead of the one that runs", **at_least(0))


@dataclasses.dataclass(frozen=True)
class Data:
  """config.data: which data and how it is read. Any other field is the dataset's own option (e.g.
  seq_len of pydoc_chars, source_dir of mnist_50k), checked against that dataset."""

  name: str = opt("mnist_5k", "the dataset, one of nets.data.DATASETS")
  data_dir: str = opt("", 'where datasets are built; "" = $NETS_DATA_DIR, else ~/tensorflow_datasets')
  standardize: bool = opt(False, "per-channel standardisation, with the training split's statistics")
  validation_size: int = opt(0, "training examples held out as the validation split", **at_least(0))
  train_examples: int = opt(
    0, "train on this many training examples (a random subset, fixed); 0 = all", **at_least(0)
  )
  test_examples: int = opt(
    0, "evaluate on this many test examples (a random subset, fixed); 0 = all", **at_least(0)
  )
  pipeline: str = opt(
    "auto", "device, stream or auto (nets/training/pipelines.py)", **one_of("auto", "device", "stream")
  )
  device_budget_mb: float = opt(
    0.0, "auto streams data larger than this; 0 = a quarter of the device's memory", **at_least(0)
  )
  stream: Stream = section(Stream, "how the stream pipeline reads")
  folds: int = opt(
    0, "set by driver kfold: hold fold `fold` of `folds` out as validation; 0 = none", **at_least(0)
  )
  fold: int = opt(0, "set by driver kfold: the fold held out", **at_least(0))


@dataclasses.dataclass(frozen=True)
class Optimizer:
  """config.optimizer: the optimizer and its learning-rate schedule (nets/optim.py)."""

  name: str = opt("adam", "sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw or radam (nets.optim)")
  learning_rate: float = opt(1e-3, "the peak learning rate", **POSITIVE)
  schedule: str = opt("constant", "constant, cosine, warmup_cosine or one_cycle (nets.optim.SCHEDULES)")
  warmup_steps: int = opt(0, "steps of linear warmup, for schedule warmup_cosine", **at_least(0))
  momentum: float = opt(0.9, "momentum of optimizers momentum and nesterov", **FRACTION)
  b1: float = opt(0.9, "Adam's first-moment decay (adam, adamw, radam)", **FRACTION)
  b2: float = opt(0.999, "Adam's second-moment decay (adam, adamw, radam)", **FRACTION)
  eps: float = opt(0.0, "the optimizer's epsilon; 0 = optax's own default for it", **at_least(0))
  decay: float = opt(0.9, "rmsprop's decay of the squared-gradient average", **FRACTION)
  weight_decay: float = opt(0.0, "decoupled (adamw) or L2 (the others) weight decay", **at_least(0))
  grad_clip_norm: float = opt(0.0, "clip gradients to this global norm; 0 = no clipping", **at_least(0))


@dataclasses.dataclass(frozen=True)
class EarlyStopping:
  """config.early_stopping: stop after `patience` epochs without improving `metric`."""

  patience: int = opt(
    0, "epochs without improvement before stopping; 0 = off", **at_least(0), unread_by=OWN_LOOP_DRIVERS
  )
  metric: str = opt(
    "val_loss", "the epoch figure watched (loss and error: lower is better)", unread_by=OWN_LOOP_DRIVERS
  )


DEFAULT_MODEL = {"name": "mlp", "widths": (16, 16), "activation": "relu"}


@dataclasses.dataclass(frozen=True)
class Train:
  """The fields of every run: nets.config.base_config() is these at their defaults."""

  driver: str = opt("train", "the program that runs the config, one of nets.drivers.DRIVERS")
  seed: int = opt(0, "the run's random seed (initialisation, data order, augmentation)")
  task: str = opt("classify", "the learning problem, one of nets.tasks.TASKS")
  loss: str = opt(
    "cross_entropy",
    "the loss, one of nets.losses.LOSSES",
    tasks=(*SUPERVISED, "autoencode"),
    drivers=("optimizers", "learning_rate"),  # Studies that train with a loop of their own.
  )
  label_smoothing: float = opt(0.0, "targets (1 - s) one-hot + s / classes", **FRACTION, tasks=("classify",))
  # Not task ctc's: CTC cannot score a mix of two lines' texts.
  mixup_alpha: float = opt(0.0, "MixUp's Beta(alpha, alpha); 0 = off", **at_least(0), tasks=SUPERVISED)
  augment: Augment = section(Augment, "image augmentation (nets/augment.py)")
  data: Data = section(Data, "the dataset and how it is read")
  model: dict = opt(DEFAULT_MODEL, "the model: `name` in nets.models.MODELS and its fields", kind="model")
  optimizer: Optimizer = section(Optimizer, "the optimizer and its schedule")
  compute_dtype: str = opt(
    "float32",
    "float32, or bfloat16: the model computes in it, parameters float32",
    check=lambda v: v in ("float32", "bfloat16"),  # Names of jax.numpy's dtypes.
    accepts="one of float32, bfloat16 (float16's range needs loss scaling, which nets does not do)",
    tasks=MIXED_PRECISION,
  )
  batch_size: int = opt(32, "training examples a step", **at_least(1))
  num_epochs: int = opt(10, "passes over the training split", **at_least(0))
  eval_batch_size: int = opt(1000, "examples an evaluation step", **at_least(1), unread_by=LOOPLESS_DRIVERS)
  steps_per_call: int = opt(
    0,
    "train steps per compiled call; 0 = auto: one epoch (one step for heavy CPU steps)",
    **at_least(0),
    unread_by=LOOPLESS_DRIVERS,
  )
  checkpoint_every_epochs: int = opt(
    1,
    "epochs between checkpoints (the last epoch is always saved)",
    **at_least(1),
    unread_by=OWN_LOOP_DRIVERS,
  )
  profile_steps: str = opt(
    "",
    '"START,STOP": a jax.profiler trace of those global steps in WORKDIR/profile',
    unread_by=OWN_LOOP_DRIVERS,
  )
  # Not refused in other drivers' runs: the drivers are also called as functions (crossval.kfold(config,
  # workdir)) on a config whose `driver` names another, and experiments set ensemble_size beside driver
  # ensemble, which --config.driver=train on them overrides (docs/guide/profiling.md).
  kfold: int = opt(0, "folds of the training split, for driver kfold", **at_least(0))
  ensemble_size: int = opt(0, "members trained together, for driver ensemble", **at_least(0))
  early_stopping: EarlyStopping = section(EarlyStopping, "early stopping on a validation figure")
  init_from: str = opt(
    "",
    "warm start: a workdir whose parameters (same names and shapes) start this run",
    unread_by=OWN_LOOP_DRIVERS,
  )
  init_exclude: tuple[str, ...] = opt(
    (), "parameter paths containing one of these are not warm-started", unread_by=OWN_LOOP_DRIVERS
  )


# --- Tasks: the fields a task reads beyond Train's ------------------------------------------------


@dataclasses.dataclass(frozen=True)
class MaskedLMOptions:
  """Task masked_lm (nets/tasks/language_model.py): BERT-style masked-token pre-training."""

  mask_rate: float = opt(0.15, "share of positions corrupted (BERT's 80/10/10) and predicted", **FRACTION)


@dataclasses.dataclass(frozen=True)
class SkipgramOptions:
  """Task skipgram (nets/tasks/skipgram.py): word2vec's skip-gram with negative sampling."""

  negatives: int = opt(5, "negative samples per positive pair", **at_least(1))


@dataclasses.dataclass(frozen=True)
class AutoencodeOptions:
  """Tasks autoencode and vae (nets/tasks/autoencode.py)."""

  noise_std: float = opt(
    0.0, "std of Gaussian noise on the encoder's input (denoising); 0 = off", **at_least(0)
  )


@dataclasses.dataclass(frozen=True)
class GANOptions:
  """Task gan (nets/tasks/gan.py): two models, a generator and a discriminator."""

  latent_dim: int = opt(64, "noise values the generator maps to an image", **at_least(1))
  generator: dict = opt({"name": "mlp"}, "the generator model (nets.models)", kind="model")
  discriminator: dict = opt({"name": "mlp"}, "the discriminator model (nets.models)", kind="model")


@dataclasses.dataclass(frozen=True)
class SupervisedTwin:
  """The same encoder trained with labels, beside SimCLR's linear probe (driver contrastive)."""

  num_epochs: int = opt(10, "epochs of the supervised encoder", **at_least(1))
  batch_size: int = opt(50, "its batch size", **at_least(1))


@dataclasses.dataclass(frozen=True)
class ContrastiveOptions:
  """Task contrastive (nets/tasks/contrastive.py): SimCLR on two augmented views of each image."""

  temperature: float = opt(0.5, "NT-Xent's softmax temperature", **POSITIVE)
  augment: ContrastiveAugment = section(ContrastiveAugment, "the two views of each image")
  supervised: SupervisedTwin = section(SupervisedTwin, "the supervised twin (driver contrastive)")


@dataclasses.dataclass(frozen=True)
class NoOptions:
  pass


TASK_OPTIONS: dict[str, type] = {
  "masked_lm": MaskedLMOptions,
  "skipgram": SkipgramOptions,
  "autoencode": AutoencodeOptions,
  "vae": AutoencodeOptions,
  "gan": GANOptions,
  "contrastive": ContrastiveOptions,
}

# Model names that are not nets.models.MODELS: labels of drivers that build their own, with their fields.
MODEL_OPTIONS: dict[str, dict[str, tuple[type, object, str]]] = {
  "gan": {},  # results.json's label of driver gan; config.generator and config.discriminator are the players
  "skipgram": {"dim": (int, 64, "embedding dimensions")},
}


# --- Drivers: each a subclass of Train with the fields its program reads ---------------------------


@dataclasses.dataclass(frozen=True)
class Reinforce:
  """REINFORCE with a learned baseline (nets/rl/reinforce.py)."""

  name: str = opt("reinforce", "the agent, one of nets.drivers.rl.AGENTS")
  num_envs: int = opt(16, "episodes per update", **at_least(1))
  gamma: float = opt(0.99, "discount", **FRACTION)
  normalize_advantages: bool = opt(True, "standardise the advantages of each update")
  entropy_coef: float = opt(0.0, "weight of the policy's entropy bonus", **at_least(0))
  value_coef: float = opt(0.5, "weight of the baseline's squared error", **at_least(0))


@dataclasses.dataclass(frozen=True)
class DQN:
  """Deep Q-learning with a replay buffer and a target network (nets/rl/dqn.py)."""

  name: str = opt("dqn", "the agent, one of nets.drivers.rl.AGENTS")
  num_envs: int = opt(10, "environments stepped per update", **at_least(1))
  gamma: float = opt(0.99, "discount", **FRACTION)
  batch_size: int = opt(128, "replayed transitions a gradient step", **at_least(1))
  buffer_size: int = opt(10_000, "transitions the replay buffer keeps", **at_least(1))
  epsilon_start: float = opt(1.0, "exploration rate at the start", **FRACTION)
  epsilon_end: float = opt(0.05, "exploration rate after epsilon_steps", **FRACTION)
  epsilon_steps: int = opt(250_000, "environment steps of the linear epsilon decay", **at_least(0))
  learning_starts: int = opt(10_000, "environment steps before the first gradient step", **at_least(0))
  train_every: int = opt(1, "updates per gradient step", **at_least(1))
  target_every: int = opt(50, "gradient steps per target-network copy", **at_least(1))
  loss: str = opt("mse", "the TD loss, one of nets.losses.LOSSES")


AGENT_OPTIONS = {"reinforce": Reinforce, "dqn": DQN}


@dataclasses.dataclass(frozen=True)
class RLOptions(Train):
  """Driver rl (nets/drivers/rl.py): an agent per seed, trained until its greedy policy solves env."""

  env: str = opt("cartpole", "the environment, one of nets.envs.ENVS")
  seeds: tuple[int, ...] = opt((0,), "one agent per seed, vmapped")
  solve_return: float = opt(475.0, "the mean return that counts as solved (CartPole-v1's threshold)")
  eval_episodes: int = opt(
    100, "fresh greedy episodes per evaluation; a pass counts when as many more confirm it", **at_least(1)
  )
  report_episodes: int = opt(1000, "fresh episodes the solved policy is reported on", **at_least(1))
  updates_per_eval: int = opt(5, "updates between evaluations", **at_least(1))
  max_env_steps: int = opt(2_000_000, "environment steps before giving up", **at_least(1))
  measure_python_loop: bool = opt(True, "time gymnasium and a per-step jitted call beside the compiled run")
  agent: Reinforce = opt(
    {"name": "reinforce"}, "the agent: `name` picks its fields", kind="named", classes=AGENT_OPTIONS
  )


@dataclasses.dataclass(frozen=True)
class ImitationOptions(Train):
  """Driver behaviour_cloning (nets/drivers/imitation.py): clones of an expert from N of its transitions."""

  env: str = opt("cartpole", "the environment, one of nets.envs.ENVS")
  seeds: tuple[int, ...] = opt((0,), "each seed: its own expert, demonstrations and clones")
  expert_policy: str = opt(
    "agent", '"agent": config.expert trained by the RL driver; "lean": hand-made', **one_of("agent", "lean")
  )
  expert: dict = opt({"driver": "rl"}, "the expert's run config, for driver rl", kind="run")
  num_transitions: tuple[int, ...] = opt((1, 10, 100), "N: expert transitions cloned, one clone each")
  held_out_episodes: int = opt(
    10, "expert episodes whose states measure the clone's agreement", **at_least(1)
  )
  eval_episodes: int = opt(100, "fresh episodes per clone", **at_least(1))
  num_steps: int = opt(2000, "gradient steps per clone, whatever N", **at_least(1))


@dataclasses.dataclass(frozen=True)
class NgramOptions(Train):
  """Driver char_ngram (nets/drivers/ngram.py): add-k smoothed character n-grams."""

  smoothing: float = opt(0.1, "add-k smoothing, fixed before looking at validation", **POSITIVE)


@dataclasses.dataclass(frozen=True)
class ReverseDigitsData(Data):
  """Driver reverse_digits makes its own data: digit strings and their reversals."""

  name: str = opt("reverse_digits", "the data's name in results.json")
  num_train: int = opt(20_000, "training strings", **at_least(1))
  num_eval: int = opt(1000, "strings of each evaluation length", **at_least(1))
  train_max_len: int = opt(16, "longest training string", **at_least(1))
  held_out_min_len: int = opt(
    13, "validation strings have lengths from here to train_max_len (the longest trained)", **at_least(1)
  )
  test_max_len: int = opt(
    20, "longest evaluated string (longer than any trained: extrapolation)", **at_least(1)
  )


@dataclasses.dataclass(frozen=True)
class ReverseDigitsOptions(Train):
  """Driver reverse_digits (nets/drivers/transduction.py): seq2seq reversal of digit strings."""

  data: ReverseDigitsData = section(ReverseDigitsData, "the generated digit strings")


@dataclasses.dataclass(frozen=True)
class WordVecData(Data):
  """Driver word_vectors' skip-gram pairs from a text."""

  min_count: int = opt(5, "words seen fewer times are dropped", **at_least(1))
  subsample: float = opt(1e-3, "Mikolov's frequent-word subsampling threshold", **at_least(0))
  window: int = opt(5, "largest distance of a context word", **at_least(1))


@dataclasses.dataclass(frozen=True)
class WordVecOptions(Train):
  """Driver word_vectors (nets/drivers/wordvec.py): skip-gram word vectors and their neighbours."""

  data: WordVecData = section(WordVecData, "the text and its skip-gram pairs")
  num_neighbours: int = opt(5, "nearest neighbours listed per query word", **at_least(1))
  queries: tuple[str, ...] = opt(("class",), "words whose neighbours are listed")


@dataclasses.dataclass(frozen=True)
class TransferData(Data):
  """config.data of driver pretrain_finetune: the labelled data, its options in one section."""

  options: dict = opt({}, "the labelled dataset's own options (e.g. seq_len)", kind="mapping")


@dataclasses.dataclass(frozen=True)
class TransferOptions(Train):
  """Driver pretrain_finetune (nets/drivers/transfer.py): fine-tune from pre-trained and from scratch."""

  data: TransferData = section(TransferData, "the labelled data fine-tuned on")
  pretrain: dict = opt({}, "the pre-training run config (its own driver train and task)", kind="run")
  finetune: dict = opt({}, "the fine-tuning run config; its data is config.data's label subsets", kind="run")
  seeds: tuple[int, ...] = opt((), "label subsets and fine-tuning initialisations; () = (seed,)")
  fractions: tuple[float, ...] = opt((0.01, 0.1, 1.0), "shares of the training labels fine-tuned on")
  metric: str = opt("val_accuracy", "the fine-tuned runs' figure in the curve")
  pretrain_each_seed: bool = opt(False, "one pre-training per seed, else one for all")
  pretrain_metric: str = opt("val_accuracy", "the pre-training curve in the figure")
  pretrain_title: str = opt("pre-training", "the pre-training panel's title")
  finetune_title: str = opt("fine-tuning", "the fine-tuning panel's title")
  figure: str = opt("transfer.png", "the figure's file name in the workdir")


@dataclasses.dataclass(frozen=True)
class MAMLOptions(Train):
  """Driver maml (nets/drivers/meta.py): MAML on sine regression, against a pretrained net."""

  seeds: tuple[int, ...] = opt((0,), "vmapped: each seed its own initialisation and training tasks")
  amplitude: tuple[float, ...] = opt((0.1, 5.0), "A ~ U[low, high]")
  phase: tuple[float, ...] = opt((0.0, math.pi), "phase ~ U[low, high]")
  x: tuple[float, ...] = opt((-5.0, 5.0), "x ~ U[low, high]")
  shots: tuple[int, ...] = opt((5, 10), "K: support points per task, in meta-training and evaluation alike")
  alpha: float = opt(0.01, "inner (adaptation) step size, at meta-training and evaluation", **POSITIVE)
  inner_steps: int = opt(1, "inner gradient steps at meta-training time", **at_least(1))
  meta_batch: int = opt(25, "tasks per meta-iteration", **at_least(1))
  meta_iterations: int = opt(70_000, "meta-iterations (Finn et al.'s 70,000)", **at_least(1))
  eval_every: int = opt(1000, "meta-iterations between validation scores", **at_least(1))
  val_tasks: int = opt(100, "tasks scored during training (1 step's query MSE)", **at_least(1))
  eval_tasks: int = opt(1000, "held-out tasks", **at_least(1))
  query_points: int = opt(100, "points per task the adapted net is scored on", **at_least(1))
  eval_steps: int = opt(10, "adaptation steps at evaluation", **at_least(1))
  sweep_step_sizes: tuple[float, ...] = opt(
    (), "step sizes also evaluated, to see if alpha holds a method back"
  )
  sharpness_tasks: int = opt(100, "held-out tasks whose support-loss curvature is measured", **at_least(1))


@dataclasses.dataclass(frozen=True)
class UniversalityOptions(Train):
  """Driver universality: one-hidden-layer nets of growing width fit 1-D functions."""

  activations: tuple[str, ...] = opt(("sigmoid", "relu"), "hidden activations compared")
  widths: tuple[int, ...] = opt((1, 4, 16, 64), "hidden widths compared")
  targets: tuple[str, ...] = opt(("sin", "abs", "wiggly", "step"), "the functions fitted")
  num_points: int = opt(1024, "training points on [-1, 1]", **at_least(1))
  num_seeds: int = opt(2, "initialisations per (activation, width, target)", **at_least(1))
  num_steps: int = opt(1000, "full-batch steps per fit", **at_least(1))


@dataclasses.dataclass(frozen=True)
class Method:
  """One optimizer of a comparison, over a grid of learning rates."""

  optimizer: str = opt("sgd", "the optimizer, one of nets.optim.OPTIMIZERS")
  learning_rates: tuple[float, ...] = opt((0.1,), "the grid searched")
  batch_size: int = opt(0, "examples a step; 0 = the full batch", **at_least(0))


@dataclasses.dataclass(frozen=True)
class ConditioningOptions(Train):
  """Driver conditioning: optimizers on a badly scaled least-squares problem."""

  methods: dict = opt({}, "{label: method} compared", kind="each", section=Method)
  num_examples: int = opt(1000, "rows of the design matrix", **at_least(1))
  num_features: int = opt(10, "its columns", **at_least(1))
  decades: float = opt(2.0, "feature scales span this many decades (2: 0.1 to 10)", **at_least(0))
  noise: float = opt(0.1, "std of the targets' noise", **at_least(0))
  num_steps: int = opt(2000, "steps per run", **at_least(1))
  eval_every: int = opt(10, "steps between loss records", **at_least(1))
  newton_steps: int = opt(8, "Newton's method steps, the reference", **at_least(1))
  target_excess: float = opt(
    0.01, "reached when the loss is within this share of the least-squares optimum", **POSITIVE
  )


@dataclasses.dataclass(frozen=True)
class OptimizersOptions(Train):
  """Driver optimizers: optimizers compared on the MLP of config.model."""

  methods: dict = opt({}, "{label: method} compared", kind="each", section=Method)
  num_steps: int = opt(600, "steps per run", **at_least(1))
  eval_every: int = opt(20, "steps between loss records", **at_least(1))
  target_loss: float = opt(0.1, "the training loss a method must reach", **POSITIVE)


@dataclasses.dataclass(frozen=True)
class DepthOptions(Train):
  """Driver depth: deep MLPs with each activation and normalisation, trained and probed."""

  depth: int = opt(10, "hidden layers", **at_least(1))
  width: int = opt(32, "units per hidden layer", **at_least(1))
  activations: tuple[str, ...] = opt(("sigmoid", "tanh", "relu"), "activations compared")
  normalizations: tuple[str, ...] = opt(("none", "batch", "layer", "weight"), "normalisations compared")
  num_steps: int = opt(800, "steps per run", **at_least(1))
  eval_every: int = opt(20, "steps between records", **at_least(1))
  probe_size: int = opt(1000, "examples for the gradient norms at initialisation", **at_least(1))


@dataclasses.dataclass(frozen=True)
class OutliersOptions(Train):
  """Driver losses_outliers: a line fitted under several losses, with outliers."""

  losses: tuple[str, ...] = opt(("mse", "mae", "huber"), "the losses compared")
  num_examples: int = opt(200, "points", **at_least(1))
  slope: float = opt(2.0, "the true line's slope")
  intercept: float = opt(1.0, "the true line's intercept")
  noise: float = opt(0.3, "std of the points' noise", **at_least(0))
  outlier_fraction: float = opt(0.15, "share of points made outliers", **FRACTION)
  outlier_size: float = opt(15.0, "outliers sit between half this and this above the line", **at_least(0))
  num_steps: int = opt(3000, "steps per fit", **at_least(1))


@dataclasses.dataclass(frozen=True)
class Cost:
  """One cost of driver losses_classification: a loss, the output activation it sees, its step size."""

  loss: str = opt("cross_entropy", "the loss, one of nets.losses.LOSSES")
  output_activation: str = opt("identity", "the network's output activation")
  learning_rate: float = opt(0.5, "its learning rate", **POSITIVE)


@dataclasses.dataclass(frozen=True)
class LossChoiceOptions(Train):
  """Driver losses_classification: one classifier trained under each cost."""

  costs: dict = opt({}, "{label: cost} compared", kind="each", section=Cost)


@dataclasses.dataclass(frozen=True)
class LearningRateOptions(Train):
  """Driver learning_rate: the same run at each learning rate of a grid."""

  learning_rates: tuple[float, ...] = opt((0.01, 0.1, 1.0), "the grid")
  num_steps: int = opt(2000, "steps per run", **at_least(1))
  eval_every: int = opt(100, "steps between records", **at_least(1))


@dataclasses.dataclass(frozen=True)
class Classifier:
  """The classifier whose features score a GAN's samples (Frechet distance)."""

  model: dict = opt({"name": "mlp", "widths": (256, 64)}, "its model (nets.models)", kind="model")
  num_epochs: int = opt(20, "its epochs", **at_least(1))
  batch_size: int = opt(50, "its batch size", **at_least(1))
  learning_rate: float = opt(1e-3, "its Adam learning rate", **POSITIVE)


@dataclasses.dataclass(frozen=True)
class GANDriverOptions(Train):
  """Driver gan (nets/drivers/unsupervised.py): a GAN, its samples and their Frechet distance."""

  classifier: Classifier = section(Classifier, "the feature classifier of the Frechet distance")
  frechet_samples: int = opt(1000, "generated and test images compared", **at_least(2))


@dataclasses.dataclass(frozen=True)
class NextPixelOptions(Train):
  """Driver nextpixel: MADE on binarised images, and samples drawn from it."""

  num_samples: int = opt(64, "images sampled after training", **at_least(1))


@dataclasses.dataclass(frozen=True)
class Lines:
  """config.lines: the synthetic lines of handwritten digits (nets/data/lines.py)."""

  num_train: int = opt(8000, "training lines", **at_least(1))
  num_test: int = opt(1000, "test lines", **at_least(1))
  min_len: int = opt(1, "fewest digits a line", **at_least(1))
  max_len: int = opt(16, "most digits a line", **at_least(1))
  overlap: tuple[float, ...] = opt((0.0, 0.33), "(low, high) share of a digit's width its neighbour overlaps")
  squeeze: tuple[float, ...] = opt((1.0, 1.0), "(low, high) factor each digit's width is narrowed by")
  thicken: tuple[int, ...] = opt((0, 0), "(low, high) pixels each digit's strokes are thickened by")
  downsample: int = opt(2, "lines are shrunk by this factor (2: 14 x 224 pixels)", **at_least(1))
  num_paragraphs: int = opt(200, "test paragraphs segmented and read after training", **at_least(0))
  num_photos: int = opt(40, "photographed pages of test digits scored after training", **at_least(0))
  photo_fraction: float = opt(0.0, "share of training lines replaced by photographed ones", **FRACTION)
  alphabet: str = opt("digits", "the characters read, a name in nets.data.lines.ALPHABETS")


@dataclasses.dataclass(frozen=True)
class RecognizerOptions(Train):
  """Driver recognizer (nets/drivers/recognizer.py): a CTC line recognizer, then pages read with it."""

  lines: Lines = section(Lines, "the synthetic lines")


@dataclasses.dataclass(frozen=True)
class TextLines:
  """config.lines of driver recognizer_text: handwriting_lines' line shape, which the driver fills in."""

  alphabet: str = opt("text", "the characters read, a name in nets.data.lines.ALPHABETS")
  height: int = opt(
    0, "line height in pixels; 0 = handwriting_lines' own (the driver sets it)", **at_least(0)
  )
  width: int = opt(0, "line width in pixels; 0 = handwriting_lines' own (the driver sets it)", **at_least(0))
  max_len: int = opt(
    0, "most characters a line; 0 = handwriting_lines' own (the driver sets it)", **at_least(0)
  )


@dataclasses.dataclass(frozen=True)
class TextDecoding:
  """config.decoding of driver recognizer_text: the test splits are also read by CTC prefix beam search
  with a character n-gram LM (nets/recognizer/beam.py, charlm.py) counted on training-text lines."""

  beam: int = opt(16, "prefixes kept a frame; 0 = greedy decoding only", **at_least(0))
  alpha: float = opt(0.5, "the LM's weight in shallow fusion (0: beam search without the LM)", **at_least(0))
  beta: float = opt(1.0, "score added per character read (offsets the LM's cost of each one)")
  lm_order: int = opt(6, "the LM's n: characters of context plus one", **at_least(1))
  lm_lines: int = opt(
    50_000, "lines of training text it counts (drawn as the train split draws them)", **at_least(1)
  )


@dataclasses.dataclass(frozen=True)
class RecognizerTextOptions(Train):
  """Driver recognizer_text (nets/drivers/recognizer_text.py): a CTC recognizer of handwritten text lines."""

  lines: TextLines = section(TextLines, "handwriting_lines' line shape and alphabet")
  decoding: TextDecoding = section(TextDecoding, "beam search with the character LM, beside greedy decoding")


@dataclasses.dataclass(frozen=True)
class Tune:
  """config.tune: an Optuna search (nets/drivers/tune.py); ranges are log-uniform but dropout's."""

  trials: int = opt(20, "trials, a resumed study counting those done", **at_least(1))
  metric: str = opt("val_accuracy", "the validation figure optimised")
  learning_rate: tuple[float, ...] = opt((1e-4, 1e-1), "(low, high) of optimizer.learning_rate")
  weight_decay: tuple[float, ...] = opt((1e-6, 1e-1), "(low, high) of optimizer.weight_decay")
  dropout_rate: tuple[float, ...] = opt((0.0, 0.5), "(low, high) of model.dropout_rate")


@dataclasses.dataclass(frozen=True)
class TuneOptions(Train):
  """Driver tune (nets/drivers/tune.py): an Optuna search over the run's optimizer and dropout."""

  tune: Tune = section(Tune, "the search")


@dataclasses.dataclass(frozen=True)
class KNNOptions(Train):
  """Driver knn (nets/drivers/knn.py): k-nearest neighbours on raw pixels, no training."""

  k: tuple[int, ...] = opt((1, 3, 5), "neighbours voting; all from one search at the largest")
  chunk_size: int = opt(
    500, "test examples a distance matmul: memory is chunk_size x num_train floats", **at_least(1)
  )


# Drivers not named here read only Train's fields.
DRIVER_OPTIONS: dict[str, type] = {
  "rl": RLOptions,
  "behaviour_cloning": ImitationOptions,
  "char_ngram": NgramOptions,
  "reverse_digits": ReverseDigitsOptions,
  "word_vectors": WordVecOptions,
  "pretrain_finetune": TransferOptions,
  "maml": MAMLOptions,
  "universality": UniversalityOptions,
  "conditioning": ConditioningOptions,
  "optimizers": OptimizersOptions,
  "depth": DepthOptions,
  "losses_outliers": OutliersOptions,
  "losses_classification": LossChoiceOptions,
  "learning_rate": LearningRateOptions,
  "gan": GANDriverOptions,
  "nextpixel": NextPixelOptions,
  "recognizer": RecognizerOptions,
  "recognizer_text": RecognizerTextOptions,
  "tune": TuneOptions,
  "knn": KNNOptions,
}


# --- Resolving a config against its options -------------------------------------------------------


def options_class(driver: str, task: str) -> type:
  """The options of a run of `driver` and `task`: the driver's class with the task's fields added."""
  return _options_class(driver, task)


@cache
def _options_class(driver: str, task: str) -> type:
  base, extra = DRIVER_OPTIONS.get(driver, Train), TASK_OPTIONS.get(task, NoOptions)
  if extra is NoOptions:
    return base
  # The task's class first: its sections (e.g. contrastive's augment) replace Train's of the same name.
  name = f"{base.__name__}With{extra.__name__}"
  return dataclasses.make_dataclass(name, [], bases=(extra, base), frozen=True)


class _Where:
  """The run being resolved and the path of the section being checked, for one-line errors."""

  def __init__(self, driver: str, prefix: str = "", past_run: bool = False):
    self.driver, self.prefix, self.past_run = driver, prefix, past_run

  def at(self, key: str) -> "_Where":
    return _Where(self.driver, f"{self.prefix}{key}.", self.past_run)

  def unknown(self, key: str, known) -> ConfigError:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f" (did you mean '{self.prefix}{close[0]}'?)" if close else "; --describe lists the fields"
    owner = f" for driver {self.driver}" if self.driver else ""
    return ConfigError(f"no config field '{self.prefix}{key}'{owner}{hint}")

  def wrong(self, key: str, value, accepts: str) -> ConfigError:
    return ConfigError(f"config field {self.prefix}{key}={value!r}: accepts {accepts}")


def _type_name(tp) -> str:
  if typing.get_origin(tp) is tuple:
    return f"tuple of {_type_name(typing.get_args(tp)[0])}"
  return {bool: "true or false", int: "an integer", float: "a number", str: "a string"}.get(tp, str(tp))


def _is(tp, value) -> bool:
  """Whether `value` is of scalar type `tp` (an int is a float; a bool is neither)."""
  if isinstance(value, bool) or tp is bool:
    return tp is bool and isinstance(value, bool)
  if tp is float:
    return isinstance(value, int | float)
  return isinstance(value, tp)


def _value(f: dataclasses.Field, value, where: _Where):
  """`value` of field `f`, checked; a nested section resolved."""
  meta, kind = f.metadata, f.metadata.get("kind")
  if "section" in meta and kind is None:
    return _section(meta["section"], value, where.at(f.name))
  if kind == "model":
    return _model(value, where.at(f.name))
  if kind == "run":
    return _run(value, where.at(f.name))
  if kind == "named":
    return _named(meta["classes"], value, where.at(f.name))
  if kind in ("each", "mapping"):
    if not isinstance(value, Mapping):
      raise where.wrong(f.name, value, "a section of fields")
    if kind == "mapping":
      return dict(value)
    return {k: _section(meta["section"], v, where.at(f"{f.name}.{k}")) for k, v in value.items()}
  tp = f.type
  if typing.get_origin(tp) is tuple:
    item = typing.get_args(tp)[0]
    if not isinstance(value, tuple | list) or not all(_is(item, v) for v in value):
      raise where.wrong(f.name, value, _type_name(tp))
    value = tuple(value)
  elif not _is(tp, value):
    raise where.wrong(f.name, value, _type_name(tp) + (f" {meta['accepts']}" if meta.get("check") else ""))
  if meta.get("check") and not meta["check"](value):
    raise where.wrong(f.name, value, f"{_type_name(tp)} {meta['accepts']}")
  return value


def _section(cls, given, where: _Where, open_fields: Callable[[dict], set] | None = None) -> dict:
  """{field: value} of section `cls` from `given`: each declared field checked, or at its default."""
  if isinstance(given, cls):
    given = dataclasses.asdict(given)
  if not isinstance(given, Mapping):
    raise ConfigError(f"config field {where.prefix.rstrip('.')}={given!r}: accepts a section of fields")
  given = dict(given)
  declared = {f.name: f for f in dataclasses.fields(cls)}
  allowed = open_fields(given) if open_fields else set()
  for key in given:
    if key not in declared and key not in allowed:
      raise where.unknown(key, [*declared, *allowed])
  out = {}
  for name, f in declared.items():
    if name in given:
      out[name] = _value(f, given[name], where)
    else:
      out[name] = _value(f, _default(f), where)
  out.update({k: given[k] for k in given if k not in declared})  # The dataset's own options, as given.
  return out


def _default(f: dataclasses.Field):
  return f.default_factory() if f.default is dataclasses.MISSING else f.default


def _model_fields(name: str) -> dict[str, tuple[object, object]]:
  """{field: (type, default)} a model `name` can be given (nets.models.MODELS, or MODEL_OPTIONS)."""
  if name in MODEL_OPTIONS:
    return {k: (tp, default) for k, (tp, default, _) in MODEL_OPTIONS[name].items()}
  from nets import models  # noqa: PLC0415 - flax, only when a config names a model.

  cls = models.MODELS.get(name)
  if cls is None:
    return {}
  return {
    f.name: (f.type, f.default if f.default is not dataclasses.MISSING else None)
    for f in dataclasses.fields(cls)
    if f.init and f.name not in ("parent", "name")
  }


def model_field(model, name: str):
  """Field `name` of a model section: as set, else the model's own default (its class declares it)."""
  return model[name] if name in model else _model_fields(model["name"])[name][1]


def _model(given, where: _Where) -> dict:
  """A model section: a known `name` and only the fields that model has (its defaults are the model's)."""
  if not isinstance(given, Mapping) or not isinstance(given.get("name"), str):
    raise ConfigError(f"config field {where.prefix}name: a model section needs the model's name")
  from nets import models  # noqa: PLC0415

  lookup({**models.MODELS, **MODEL_OPTIONS}, "model", given["name"])  # The registries' one message.
  fields = _model_fields(given["name"])
  if given["name"] in models.MODELS:
    try:  # The models' own check and message, one place; the section's path where it is not `model`.
      models.check_fields(given["name"], given)
    except ConfigError as e:
      raise ConfigError(str(e) if where.prefix == "model." else f"{where.prefix.rstrip('.')}: {e}") from None
  for key in given:
    if key != "name" and key not in fields:
      raise where.unknown(key, fields)
    if key in MODEL_OPTIONS.get(given["name"], {}) and not _is(fields[key][0], given[key]):
      raise where.wrong(key, given[key], _type_name(fields[key][0]))
  declared = {k: default for k, (_, default, _) in MODEL_OPTIONS.get(given["name"], {}).items()}
  return {**declared, **given}  # A MODELS model's defaults stay its class's own.


def _named(classes: dict[str, type], given, where: _Where) -> dict:
  name = given.get("name") if isinstance(given, Mapping) else None
  if name not in classes:
    raise ConfigError(f"config field {where.prefix}name={name!r}: accepts one of {', '.join(classes)}")
  return _section(classes[name], given, where)


def _data_options(where: _Where) -> Callable[[dict], set]:
  """given -> the options dataset `given["name"]` takes beside Data's fields (nets.data checks them)."""

  def names(given: dict) -> set:
    from nets import data  # noqa: PLC0415

    name = given.get("name", Data.name)
    if not isinstance(name, str):
      raise where.wrong("name", name, "a string")
    return set(data.option_names(name))

  return names


def _run(given, where: _Where) -> dict:
  """A whole run config, resolved against the options of the driver and task it names."""
  if isinstance(given, ml_collections.ConfigDict):
    given = given.to_dict()
  if not isinstance(given, Mapping):
    raise ConfigError(f"config field {where.prefix.rstrip('.')}={given!r}: accepts a run config")
  driver, task = given.get("driver", Train.driver), given.get("task", Train.task)
  for key, value in (("driver", driver), ("task", task)):
    if not isinstance(value, str):
      raise where.wrong(key, value, "a string")
  cls = options_class(driver, task)
  data_cls = {f.name: f for f in dataclasses.fields(cls)}["data"].metadata["section"]
  out = _section(cls, {k: v for k, v in given.items() if k != "data"}, where)
  out["data"] = _section(data_cls, given.get("data", {}), where.at("data"), _data_options(where.at("data")))
  _unread(cls, out, None if driver in TASKLESS_DRIVERS else task, driver, where)
  return out


def _unread(cls, values: dict, task: str | None, driver: str, where: _Where) -> None:
  """ConfigError for a field of `cls` that `values` sets away from its default and `task` does not read
  (metadata "tasks"; task None: the driver runs none): a field that changes nothing is refused, not
  ignored. In a past run's config it is set back to its default instead."""
  for f in dataclasses.fields(cls):
    readers, drivers = f.metadata.get("tasks"), f.metadata.get("drivers", ())
    loopless = driver in f.metadata.get("unread_by", ())
    read = (readers is None or task in readers or driver in drivers) and not loopless
    if not read and values[f.name] != _default(f):
      if where.past_run:
        values[f.name] = _default(f)  # What that run did: nothing read the value.
        continue
      who = f"task {task}" if task and not loopless else f"driver {driver}"
      field = f"{where.prefix}{f.name}={values[f.name]!r}"
      raise ConfigError(f"config field {field}: {who} does not read it {_read_by(f, driver)}")
    if "section" in f.metadata and f.metadata.get("kind") is None:
      _unread(f.metadata["section"], values[f.name], task, driver, where.at(f.name))


def _read_by(f: dataclasses.Field, driver: str = "") -> str:
  """ "(read by tasks classify, regress and driver knn only)": a field's metadata "tasks" and "drivers"; or
  "(read by the training loop; driver knn runs without it)": its "unread_by" (all of them if not `driver`)."""
  if "unread_by" in f.metadata:
    if driver in f.metadata["unread_by"]:
      return f"(read by the training loop; driver {driver} runs without it)"
    return f"(read by the training loop; drivers {', '.join(sorted(f.metadata['unread_by']))} run without it)"
  named = [
    f"{kind}{'s' if len(names) > 1 else ''} {', '.join(names)}"
    for kind, names in (("task", f.metadata["tasks"]), ("driver", f.metadata.get("drivers", ())))
    if names
  ]
  return f"(read by {' and '.join(named)} only)"


def resolve(config, past_run: bool = False) -> ml_collections.ConfigDict:
  """`config` (a ConfigDict or dict) checked against its driver's and task's options and completed:
  every declared field present, at its default where unset. ConfigError names a wrong field. `past_run`:
  the config of a finished run (its config.json), whose fields its task did not read are set back to their
  defaults rather than refused, so that runs from before such a field was refused still load."""
  tree = config.to_dict() if isinstance(config, ml_collections.ConfigDict) else dict(config)
  resolved = _run(tree, _Where(str(tree.get("driver", Train.driver)), past_run=past_run))
  return ml_collections.ConfigDict(resolved)


def for_driver(config, driver: str) -> ml_collections.ConfigDict:
  """`config` run by another driver (e.g. one trial of a tune, one fold): its fields that driver's
  options declare, the rest (the first driver's own, such as `tune`) left out."""
  tree = config.to_dict() if isinstance(config, ml_collections.ConfigDict) else dict(config)
  declared = {f.name for f in dataclasses.fields(options_class(driver, tree.get("task", Train.task)))}
  return ml_collections.ConfigDict({**{k: v for k, v in tree.items() if k in declared}, "driver": driver})


def resolved(driver):
  """A driver (config, workdir, ...) that resolves its config first, however it is called (train.py,
  a test, another driver): it then reads every field as an attribute."""

  @functools.wraps(driver)
  def run(config, workdir, *args, **kwargs):
    return driver(resolve(config), workdir, *args, **kwargs)

  return run


def section_config(cls, **values) -> ml_collections.ConfigDict:
  """A section's config at its defaults and `values` (e.g. an optimizer a driver builds), checked."""
  return ml_collections.ConfigDict(_section(cls, values, _Where("", f"{cls.__name__.lower()}.")))


def typed(config):
  """The resolved config as its options dataclass: frozen, typed, every field present."""
  tree = resolve(config).to_dict()
  return _instance(options_class(tree["driver"], tree["task"]), tree)


def _instance(cls, values: dict):
  kwargs = {}
  for f in dataclasses.fields(cls):
    value, meta = values[f.name], f.metadata
    if meta.get("kind") == "run":
      value = types.MappingProxyType(value)
    elif meta.get("kind") == "named":
      value = _instance(meta["classes"][value["name"]], value)
    elif meta.get("kind") == "each":
      value = types.MappingProxyType({k: _instance(meta["section"], v) for k, v in value.items()})
    elif "section" in meta:
      value = _instance(meta["section"], value)
    elif isinstance(value, dict):
      value = types.MappingProxyType(value)
    kwargs[f.name] = value
  return cls(**kwargs)


def defaults(cls) -> dict:
  """{field: default} of section `cls`, its sections' too (unchecked: cheap, for base_config)."""
  out = {}
  for f in dataclasses.fields(cls):
    if "section" in f.metadata and f.metadata.get("kind") is None:
      out[f.name] = defaults(f.metadata["section"])
    else:
      out[f.name] = _default(f)
  return out


# --- Describing a config --------------------------------------------------------------------------


def type_name(tp) -> str:
  """int, tuple[float, ...], ...: a field's annotation as one reads it."""
  name = tp if isinstance(tp, str) else getattr(tp, "__name__", None)
  if typing.get_origin(tp) is not None or name is None:
    name = str(tp)
  return name.replace("typing.", "").replace("collections.abc.", "")


def describe_rows(config) -> list[tuple[str, object, str, object, str]]:
  """(path, value, type, default, meaning) of every field of the resolved `config`, in declared order;
  a model's fields are its class's (every one, set or at its default)."""
  tree = resolve(config).to_dict()
  return _rows(options_class(tree["driver"], tree["task"]), tree, "")


def _rows(cls, values: dict, prefix: str) -> list:
  rows, declared = [], set()
  for f in dataclasses.fields(cls):
    declared.add(f.name)
    path, value, meta = prefix + f.name, values[f.name], f.metadata
    kind = meta.get("kind")
    if kind == "run":
      rows += _rows(options_class(value["driver"], value["task"]), value, f"{path}.")
    elif kind == "named":
      rows += _rows(meta["classes"][value["name"]], value, f"{path}.")
    elif kind == "each":
      for key, item in value.items():
        rows += _rows(meta["section"], item, f"{path}.{key}.")
    elif kind == "model":
      rows += _model_rows(value, f"{path}.")
    elif kind == "mapping":
      rows += [(f"{path}.{k}", v, "", None, "the dataset's own option") for k, v in value.items()]
    elif "section" in meta:
      rows += _rows(meta["section"], value, f"{path}.")
    else:
      rows.append((path, value, type_name(f.type), _default(f), _meaning(f)))
  extra = [k for k in values if k not in declared]  # A dataset's own options (config.data).
  return rows + [(prefix + k, values[k], "", None, "the dataset's own option") for k in extra]


def _meaning(f: dataclasses.Field) -> str:
  """A field's meaning, and who reads it where only some tasks or drivers do (--describe, the reference)."""
  noted = "tasks" in f.metadata or "unread_by" in f.metadata
  return f"{f.metadata['help']} {_read_by(f)}" if noted else f.metadata["help"]


def _model_rows(model: dict, prefix: str) -> list:
  name = model["name"]
  rows = [(f"{prefix}name", name, "", None, "the model, one of nets.models.MODELS (its fields follow)")]
  if name in MODEL_OPTIONS:
    fields = {k: (tp, default, meaning) for k, (tp, default, meaning) in MODEL_OPTIONS[name].items()}
  else:
    from nets import models  # noqa: PLC0415

    owner = models.MODELS[name].__name__
    fields = {k: (tp, default, f"a field of {owner}") for k, (tp, default) in _model_fields(name).items()}
  for key, (tp, default, meaning) in fields.items():
    if key == "num_outputs" and key not in model:
      meaning = "from the data (classes, vocabulary) unless set"
    rows.append((prefix + key, model.get(key, default), type_name(tp), default, meaning))
  return rows


# --- The reference ---------------------------------------------------------------------------------


def _sections_of(cls) -> list[type]:
  """The section classes `cls` nests (in declared order), theirs too."""
  found = []
  for f in dataclasses.fields(cls):
    nested = [f.metadata["section"]] if "section" in f.metadata else []
    nested += list(f.metadata.get("classes", {}).values())
    for sub in nested:
      for c in (sub, *_sections_of(sub)):
        if c not in found:
          found.append(c)
  return found


def _table(cls, skip: frozenset = frozenset()) -> list[str]:
  rows = ["| field | type | default | meaning |", "|---|---|---|---|"]
  for f in dataclasses.fields(cls):
    if f.name in skip:
      continue
    kind = f.metadata.get("kind")
    if "section" in f.metadata and kind is None:
      what, default = f"section `{f.metadata['section'].__name__}`", None
    elif kind == "run":
      what, default = "a run config", repr(_default(f))
    elif kind == "named":
      what, default = (
        " or ".join(f"`{c.__name__}`" for c in f.metadata["classes"].values()),
        repr(_default(f)),
      )
    elif kind == "each":
      what, default = f"{{name: `{f.metadata['section'].__name__}`}}", repr(_default(f))
    else:
      what, default = type_name(f.type) if kind is None else kind, repr(_default(f))
    meaning = _meaning(f).replace("|", "\\|")
    shown = "its fields' defaults" if default is None else f"`{default}`"
    rows.append(f"| `{f.name}` | {what} | {shown} | {meaning} |")
  return rows


def reference_markdown() -> str:
  """Every section's fields (name, type, default, meaning) as Markdown, generated from the dataclasses."""
  out = []

  def add(title: str, cls, skip=frozenset()) -> None:
    doc = " ".join((cls.__doc__ or "").split())
    generated = doc.startswith(cls.__name__ + "(")  # dataclass's own __doc__: the signature
    out.extend([f"### {title}", "", *([doc, ""] if doc and not generated else [])])
    out.extend([*_table(cls, skip), ""])

  out += ["## Every run", ""]
  add("`Train`: the top level of every config", Train)
  for cls in _sections_of(Train):
    add(f"`{cls.__name__}`", cls)
  out += ["## Tasks: fields a task adds", ""]
  for cls in dict.fromkeys(TASK_OPTIONS.values()):
    names = ", ".join(f"`{t}`" for t, c in TASK_OPTIONS.items() if c is cls)
    add(f"task {names}: `{cls.__name__}`", cls)
    for sub in _sections_of(cls):
      add(f"`{sub.__name__}` (task {names})", sub)
  out += ["## Drivers: fields a driver adds to `Train`'s", ""]
  plain = [f"`{d}`" for d in _driver_names() if d not in DRIVER_OPTIONS]
  out += [f"Drivers {', '.join(plain)} add no fields to `Train`'s (their task's, above, they read).", ""]
  train_fields = {f.name: f for f in dataclasses.fields(Train)}
  seen = {*_sections_of(Train), *(c for t in TASK_OPTIONS.values() for c in _sections_of(t))}
  for driver, cls in DRIVER_OPTIONS.items():
    same = frozenset(f.name for f in dataclasses.fields(cls) if train_fields.get(f.name) == f)
    add(f"driver `{driver}`: `{cls.__name__}`", cls, same)
    for sub in _sections_of(cls):
      if sub not in seen:
        seen.add(sub)
        add(f"`{sub.__name__}` (driver `{driver}`)", sub)
  return "\n".join(out)


def _driver_names() -> list[str]:
  from nets.drivers import DRIVERS  # noqa: PLC0415 - a table of import paths: nothing heavy.

  return list(DRIVERS)
