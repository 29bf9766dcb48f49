"""A trained run's predict function as a serialized `jax.export` artifact that needs no model code.

  python scripts/export.py --workdir=runs/mnist_mlp      # writes runs/mnist_mlp/export/

The directory holds `predict.jax_export`, the StableHLO of x -> task.predict(state, x) with the trained
parameters inside as constants and a symbolic batch dimension "b" (any batch size, one compile per
size), lowered for CPU, CUDA and TPU; and `spec.json`: the input's shape (with "b"), dtype and
meaning, and the output's. Loading it takes jax and numpy alone:

  exported = jax.export.deserialize(bytearray(open("runs/mnist_mlp/export/predict.jax_export", "rb").read()))
  logits_BxC = exported.call(x_BxHxWxC)          # float32 inputs as spec.json says

spec.json also records the artifact's SHA-256. `load(directory)` checks it, does the above and returns
(predict, spec). A text recognizer whose run decodes by beam search with a character LM
(config.decoding.beam > 0) also gets `charlm.json.gz`, the LM (nets.recognizer.charlm), and spec.json's
"decoding" says how to use it (beam, alpha, beta) and records its SHA-256, which
nets.recognizer.pipeline.Recognizer.from_export checks (read_checked) as load() checks the artifact's.
An artifact is code (StableHLO that may call any custom call jaxlib registers): load only exports of runs
you trust. Only the imports inside `export` reach the training code, so a service that loads an artifact
imports no model.
"""

import hashlib
import json
import os
from collections.abc import Callable

import jax
import numpy as np

ARTIFACT, SPEC, LM = "predict.jax_export", "spec.json", "charlm.json.gz"
PLATFORMS = ("cpu", "cuda", "tpu")  # Lowered for each; the caller's backend picks its own at call time.
BATCH = "b"  # The batch dimension's symbol in the artifact and in spec.json.

# What the exported function returns, by task: the tasks whose predict is one forward pass.
OUTPUTS = {
  "classify": "logits over the {num_classes} classes (softmax of them: the class probabilities)",
  "regress": "the predicted targets",
  "ctc": "per-frame logits [b, frames, classes]; class 0 is the CTC blank, class i + 1 the character i of "
  "the alphabet (spec's alphabet: nets.data.lines.ALPHABETS; digits: class d + 1 is the digit d)",
}
EXPORT_DRIVERS = (
  "train",
  "recognizer",
  "recognizer_text",
)  # Drivers whose workdir holds one ordinary train state.


def _input_example(config):
  """A Dataset of one training example (shape, dtype, classes), and what the input is, in words."""
  from nets import data  # noqa: PLC0415 - the training stack, only to export.

  if config.driver in ("recognizer", "recognizer_text"):  # Only the lines' shape and alphabet matter.
    from nets.data.lines import alphabet_of, line_shape, num_classes  # noqa: PLC0415

    height, width = line_shape(config)
    x = np.zeros((1, height, width, 1), np.float32)
    splits = {"train": {"x": x, "y": np.zeros((1, config.lines.max_len), np.int32)}}
    what = (
      "line images, bright ink on black in [0, 1], laid out as nets.recognizer.pipeline.normalize_line does"
    )
    return data.Dataset(config.data.name, splits, num_classes(alphabet_of(config))), what
  from nets.training.loop import open_data  # noqa: PLC0415

  d = config.data
  dataset = open_data(d).described()  # A few rows: a dataset on disk is not read whole.
  one = {k: v[:1] for k, v in dataset.splits["train"].items()}
  what = f"examples as nets.data.load({d.name!r}) gives them: pixels in [0, 1]"
  if d.standardize:
    what += ", then standardized per channel with the training split's mean and std"
  return data.Dataset(dataset.name, {"train": one}, dataset.num_classes), what


def export(workdir: str, out_dir: str | None = None, platforms: tuple[str, ...] = PLATFORMS) -> dict:
  """Write `workdir`'s predict function and its spec into `out_dir` (default WORKDIR/export); the spec."""

  from nets.errors import ConfigError  # noqa: PLC0415
  from nets.training.workdir import read_config, restore  # noqa: PLC0415

  config = read_config(workdir)
  driver = config.driver
  if driver not in EXPORT_DRIVERS:
    raise ConfigError(
      f"{workdir} was trained by driver {driver!r}; export takes a run of driver "
      f"{' or '.join(map(repr, EXPORT_DRIVERS))} (a kfold fold's workdir is one)"
    )
  if config.task not in OUTPUTS:
    raise ConfigError(
      f"task {config.task!r} has no one-pass predict to export; exportable: {', '.join(OUTPUTS)}"
    )
  dataset, input_what = _input_example(config)
  if "conv" in config.model and config.model.conv != "xla":  # Unset: the model's own default, "xla".
    # The CPU formulations split the batch into chunks of a planned size, which a batch of symbolic size
    # cannot be; XLA's own convolution computes the same layer from the same parameters.
    config.model.conv = "xla"
  task, state = restore(config, dataset, workdir)
  x = dataset.splits["train"]["x"]
  (batch,) = jax.export.symbolic_shape(BATCH)
  # The state is closed over, so the parameters become constants of the one exported function.
  predict = jax.jit(lambda x_B: task.predict(state, x_B))
  exported = jax.export.export(predict, platforms=platforms)(
    jax.ShapeDtypeStruct((batch, *x.shape[1:]), x.dtype)
  )
  out_dir = out_dir or os.path.join(workdir, "export")
  os.makedirs(out_dir, exist_ok=True)
  serialized = exported.serialize()  # Before opening the file: a failure leaves no empty artifact.
  with open(os.path.join(out_dir, ARTIFACT), "wb") as f:
    f.write(serialized)
  (out,) = exported.out_avals
  shape = lambda s: [d if isinstance(d, int) else str(d) for d in s]
  spec = {
    "artifact": ARTIFACT,
    "sha256": hashlib.sha256(serialized).hexdigest(),  # load() refuses an artifact that differs.
    "format": "jax.export.Exported.serialize() (StableHLO); load with jax.export.deserialize",
    "jax_version": jax.__version__,
    "platforms": list(exported.platforms),
    "input": {"shape": shape(exported.in_avals[0].shape), "dtype": str(x.dtype), "what": input_what},
    "output": {
      "shape": shape(out.shape),
      "dtype": str(out.dtype),
      "what": OUTPUTS[config.task].format(num_classes=dataset.num_classes),
    },
    "task": config.task,
    **({"alphabet": config.lines.alphabet} if config.task == "ctc" else {}),
    "model": config.model.name,
    "dataset": config.data.name,
    "workdir": os.path.abspath(workdir),
    "step": int(state.step),
  }
  if config.task == "ctc":
    from nets.recognizer.pipeline import fused_decoder  # noqa: PLC0415

    if decoder := fused_decoder(config):  # The LM travels with the model, checksummed as the artifact is.
      lm_bytes = decoder.lm.to_bytes()
      with open(os.path.join(out_dir, LM), "wb") as f:
        f.write(lm_bytes)
      lm_sha256 = hashlib.sha256(lm_bytes).hexdigest()
      spec["decoding"] = dict(
        beam=decoder.beam, alpha=decoder.alpha, beta=decoder.beta, lm=LM, lm_sha256=lm_sha256
      )
    elif os.path.exists(os.path.join(out_dir, LM)):
      os.remove(os.path.join(out_dir, LM))  # An earlier export's LM: not this model's.
  with open(os.path.join(out_dir, SPEC), "w") as f:
    json.dump(spec, f, indent=2)
  return spec


def load(directory: str) -> tuple[Callable[[jax.Array], jax.Array], dict]:
  """(predict, spec) of an exported directory: predict(x) -> output as spec.json says; jittable.

  An artifact is code (it may call any custom call jaxlib registers): load only exports of trusted runs.
  Refused (ConfigError): an artifact path that leaves `directory`, or bytes whose SHA-256 is not the one
  spec.json records (export() records it).
  """
  from nets.errors import ConfigError  # noqa: PLC0415

  with open(os.path.join(directory, SPEC)) as f:
    spec = json.load(f)
  if not isinstance(spec.get("sha256"), str):
    raise ConfigError(f"{SPEC} records no sha256 of the artifact; export the run again (scripts/export.py)")
  serialized = read_checked(directory, spec.get("artifact", ARTIFACT), spec["sha256"])
  exported = jax.export.deserialize(bytearray(serialized))
  return exported.call, spec


def read_checked(directory: str, name: str, sha256: str) -> bytes:
  """The bytes of file `name` of an export directory; ConfigError if the name leads outside `directory`
  or the bytes' SHA-256 is not `sha256` (what spec.json records)."""
  from nets.errors import ConfigError  # noqa: PLC0415

  root = os.path.realpath(directory)
  path = os.path.realpath(os.path.join(root, str(name)))
  if os.path.dirname(path) != root:
    raise ConfigError(f"{SPEC} names file {name!r}, outside the export directory")
  if not os.path.isfile(path):
    raise ConfigError(f"{SPEC} names file {name!r}, which the export directory lacks; export the run again")
  with open(path, "rb") as f:
    raw = f.read()
  if (digest := hashlib.sha256(raw).hexdigest()) != sha256:
    raise ConfigError(f"{name}'s SHA-256 is {digest}, not the {sha256} that {SPEC} records")
  return raw
