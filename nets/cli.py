"""The command line of `python train.py` and `nets-train`: flags, --list, --describe, one-line errors.

  python train.py --config=experiments/NAME.py --workdir=runs/NAME   # train (any field: --config.F=V)
  python train.py --list                                             # every experiment and its result
  python train.py --config=experiments/NAME.py --describe            # the resolved config, explained

Without --config it trains the default experiment (experiments/mnist_mlp.py); without --workdir it
writes to runs/NAME. What --list prints is read from the experiment files' docstrings (parsed, not
imported); what --describe prints, from the options dataclasses that declare every field (nets/options.py).
"""

import ast
import os
import re
import sys
import textwrap
from pathlib import Path

from absl import app, flags, logging
from ml_collections import config_flags

from nets import runtime

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"

_WORKDIR = flags.DEFINE_string("workdir", None, "Where the run lives; default runs/<experiment>.")
_LIST = flags.DEFINE_bool("list", False, "Print every experiment, its summary and measured result; exit.")
_DESCRIBE = flags.DEFINE_bool("describe", False, "Print the resolved config, each field's meaning; exit.")


def no_such_field(e: BaseException, argv: list[str]) -> str:
  """ml_collections' unknown-field error as one line, the field named by its path (from `argv`).

  It raises a KeyError (wrapped in an AttributeError for a nested field) whose message is the quoted
  name and, when a close name exists, a second line 'Did you mean "X" instead of "Y"?'.
  """
  while e.args and isinstance(e.args[0], BaseException):
    e = e.args[0]
  message = str(e.args[0]) if e.args else str(e)
  m = re.match(r"""\s*['"]([^'"]+)['"](?:\s*Did you mean "([^"]+)")?""", message)
  if m is None:
    return "error: " + " ".join(message.split())
  name, close = m[1], m[2]
  for arg in argv:  # The override that named it: its path down to the unknown field.
    path = arg.removeprefix("--config.").partition("=")[0].split(".") if arg.startswith("--config.") else []
    if name in path:
      section = path[: path.index(name)]
      name, close = ".".join([*section, name]), close and ".".join([*section, close])
      break
  hint = f" (did you mean {close!r}?)" if close else "; --describe lists the fields"
  return f"error: no config field {name!r}{hint}"


# What ml_collections' parse of a --config.FIELD=VALUE says, and what the field accepts.
_PARSE_ERRORS = {
  "invalid literal for int()": "an integer",
  "could not convert string to float": "a number",
  "Non-boolean argument": "true or false",
}


def bad_value(message: str) -> str:
  """A --config.FIELD=VALUE that does not parse as the field's type, as what the field accepts."""
  m = re.match(r"flag --config\.(\S+?)=(.*?): (.*)", message, re.S)
  accepts = next((what for key, what in _PARSE_ERRORS.items() if m and key in m[3]), None)
  return f"config field {m[1]}={m[2]!r}: accepts {accepts}" if accepts else " ".join(message.split())


try:  # ml_collections applies --config.FIELD overrides to the default file here, so a bad field fails here.
  _CONFIG = config_flags.DEFINE_config_file("config", str(EXPERIMENTS / "mnist_mlp.py"), "Experiment config.")
except (KeyError, AttributeError) as e:
  sys.exit(no_such_field(e, sys.argv))


def parse_flags(argv: list[str]) -> list[str]:
  """absl's flag parsing, with a bad config file, field or flag value reported in one line."""
  try:
    argv = flags.FLAGS(argv)
    if _LIST.value:
      return argv
    path = config_flags.get_config_filename(flags.FLAGS["config"])
    if not os.path.isfile(path):
      sys.exit(f"error: config file {path!r} does not exist; the experiments are in experiments/")
    _CONFIG.value.keys()  # Loads the config file, which ml_collections defers to the first use.
  except flags.Error as e:
    sys.exit(f"error: {bad_value(str(e))}")
  except (KeyError, AttributeError) as e:
    sys.exit(no_such_field(e, argv))
  except OSError as e:
    sys.exit("error: " + " ".join(str(e).split()))
  return argv


def experiment_config():
  """The config that --config (and its --config.FIELD overrides) names, for scripts built on these flags."""
  return _CONFIG.value


# --list -------------------------------------------------------------------------------------------


def _docstring(path: Path) -> str:
  return ast.get_docstring(ast.parse(path.read_text(), str(path))) or ""


def result_paragraph(doc: str) -> str:
  """The docstring's paragraph that starts with "Result", joined into one line, or ""."""
  lines = doc.splitlines()
  start = next((i for i, line in enumerate(lines) if line.lstrip().startswith("Result")), None)
  if start is None:
    return ""
  paragraph = []
  for line in lines[start:]:
    if not line.strip():
      break
    paragraph.append(line.strip())
  return " ".join(paragraph)


def measured_result(doc: str) -> str:
  """The first sentence(s) of the docstring's paragraph that starts with "Result", or ""."""
  text = result_paragraph(doc)
  # Sentences up to the first one that brings it to 60 characters ("Result: 30 outliers in 200
  # points." alone says nothing); a full stop ends a sentence before a capital, not in 2.5 or "e.g. a".
  ends = [m.start() + 1 for m in re.finditer(r"\.(?=\s+[A-Z]|$)", text)]
  return text[: next((e for e in ends if e >= 60), len(text))]


def list_experiments(directory: Path = EXPERIMENTS) -> list[tuple[str, str, str]]:
  """(name, first docstring line, measured result) of every experiment file in `directory`."""
  rows = []
  for path in sorted(directory.glob("*.py")):
    if not path.name.startswith("_"):
      doc = _docstring(path)
      rows.append((path.stem, (doc.splitlines() or [""])[0], measured_result(doc)))
  return rows


def print_list() -> None:
  if not EXPERIMENTS.is_dir():
    sys.exit(f"error: no experiments directory at {EXPERIMENTS}; --list needs a source checkout")
  rows = list_experiments()
  width = max(len(name) for name, _, _ in rows) + 2
  try:
    for name, summary, result in rows:
      print(f"{name:<{width}}{summary}")
      result = result or "Result: none stated in its docstring."
      for line in textwrap.wrap(result, 108 - width):
        print(" " * width + line)
    sys.stdout.flush()
  except BrokenPipeError:  # `train.py --list | head`: the reader has what it wanted.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # No second error at exit.


# --describe ---------------------------------------------------------------------------------------


def describe(config, config_path: str) -> str:
  """The resolved config, one `field = value  # type, default: meaning` a line, read from the options
  dataclasses of nets/options.py (every field of the run's driver, task and model, set or not)."""
  from nets import options  # noqa: PLC0415 - flax (the models' fields), only for --describe.

  rows = options.describe_rows(config)
  width = max(len(f"{path} = {value!r}") for path, value, *_ in rows) + 2
  out = [f"{config_path}, with the command line's overrides:"]
  for path, value, type_, default, meaning in rows:
    about = f"{type_}, default {default!r}: {meaning}" if type_ else meaning
    out.append(f"  {f'{path} = {value!r}':<{width}}# {about}")
  return "\n".join(out)


# --------------------------------------------------------------------------------------------------


def _main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {' '.join(argv[1:])}")
  if _LIST.value:
    return print_list()
  config_path = config_flags.get_config_filename(flags.FLAGS["config"])
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.

  if _DESCRIBE.value:
    try:
      return print(describe(_CONFIG.value, config_path))
    except ConfigError as e:
      sys.exit(f"error: {e}")
  logging.set_verbosity(logging.ERROR)  # Library chatter; the loop reports what matters.
  from nets import distributed, drivers  # noqa: PLC0415

  name = os.path.splitext(os.path.basename(config_path))[0]
  workdir = _WORKDIR.value or os.path.join("runs", name)
  try:
    distributed.initialize_from_env()  # Before any computation: several processes act as one.
    drivers.run(_CONFIG.value, workdir)
  except (ConfigError, FloatingPointError) as e:
    sys.exit(f"error: {e}")


def main() -> None:
  """`nets-train`, `python train.py`."""
  # Experiment files import `experiments.*`; a console script does not start in the checkout.
  if EXPERIMENTS.is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
  # --help lists the main module's flags: make these the flags of whichever script runs this.
  for flag in (_CONFIG, _WORKDIR, _LIST, _DESCRIBE):
    flags.FLAGS.register_key_flag_for_module(sys.argv[0], flags.FLAGS[flag.name])
  runtime.configure()  # Before the first computation starts XLA's threads.
  app.run(_main, flags_parser=parse_flags)
