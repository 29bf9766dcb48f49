"""The command line of `python train.py` and `nets-train`: flags, --list, --describe, one-line errors.

  python train.py --config=experiments/NAME.py --workdir=runs/NAME   # train (any field: --config.F=V)
  python train.py --list                                             # every experiment and its result
  python train.py --config=experiments/NAME.py --describe            # the resolved config, explained

Without --config it trains the default experiment (experiments/mnist_mlp.py); without --workdir it
writes to runs/NAME. What --list and --describe print is read from the files themselves (docstrings and
comments, parsed, not imported), so it cannot drift from them.
"""

import ast
import dataclasses
import io
import os
import re
import sys
import textwrap
import tokenize
from pathlib import Path

from absl import app, flags, logging
from ml_collections import config_flags

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = ROOT / "experiments"
BASE_CONFIG = Path(__file__).resolve().parent / "config.py"

_WORKDIR = flags.DEFINE_string("workdir", None, "Where the run lives; default runs/<experiment>.")
_LIST = flags.DEFINE_bool("list", False, "Print every experiment, its summary and measured result; exit.")
_DESCRIBE = flags.DEFINE_bool("describe", False, "Print the resolved config, each field's meaning; exit.")


def no_such_field(e: BaseException) -> str:
  """ml_collections' unknown-field error as one line.

  It raises a KeyError (wrapped in an AttributeError for a nested field) whose message is the quoted
  name and, when a close name exists, a second line 'Did you mean "X" instead of "Y"?'.
  """
  while e.args and isinstance(e.args[0], BaseException):
    e = e.args[0]
  message = str(e.args[0]) if e.args else str(e)
  m = re.match(r"""\s*['"]([^'"]+)['"](?:\s*Did you mean "([^"]+)")?""", message)
  if m is None:
    return "error: " + " ".join(message.split())
  hint = f" (did you mean {m[2]!r}?)" if m[2] else "; --describe lists the fields"
  return f"error: no config field {m[1]!r}{hint}"


try:  # ml_collections applies --config.FIELD overrides to the default file here, so a bad field fails here.
  _CONFIG = config_flags.DEFINE_config_file("config", str(EXPERIMENTS / "mnist_mlp.py"), "Experiment config.")
except (KeyError, AttributeError) as e:
  sys.exit(no_such_field(e))


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
    sys.exit(f"error: {e}")
  except (KeyError, AttributeError) as e:
    sys.exit(no_such_field(e))
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


def _attribute_path(node: ast.expr) -> list[str] | None:
  """["data", "name"] for `c.data.name` (whatever the root variable is called), else None."""
  parts = []
  while isinstance(node, ast.Attribute):
    parts.append(node.attr)
    node = node.value
  return parts[::-1] if isinstance(node, ast.Name) and parts else None


def _is_dict_call(node: ast.expr) -> bool:
  func = node.func if isinstance(node, ast.Call) else None
  name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
  return name in ("dict", "ConfigDict")


def _spans(value: ast.expr, path: str, depth: int, out: list) -> None:
  """Every field set inside `value` (nested dict(...), ConfigDict(...), {...}) as (path, first line,
  last line, depth)."""
  if isinstance(value, ast.Call) and _is_dict_call(value):
    for arg in value.args:
      _spans(arg, path, depth, out)
    for kw in value.keywords:
      if kw.arg is not None:
        out.append((f"{path}.{kw.arg}", kw.lineno, kw.value.end_lineno, depth + 1))
        _spans(kw.value, f"{path}.{kw.arg}", depth + 1, out)
  elif isinstance(value, ast.Dict):
    for key, item in zip(value.keys, value.values, strict=True):
      if isinstance(key, ast.Constant) and isinstance(key.value, str):
        out.append((f"{path}.{key.value}", key.lineno, item.end_lineno, depth + 1))
        _spans(item, f"{path}.{key.value}", depth + 1, out)


def field_comments(source: str) -> dict[str, str]:
  """Each config field's comment in a config file: the comment ending the line that sets it (the
  outermost field ending on that line), else the comment lines just above it."""
  spans = []  # (path, first line, last line, depth)
  for node in ast.walk(ast.parse(source)):
    if isinstance(node, ast.Assign):
      for target in node.targets:
        parts = _attribute_path(target)
        if parts:
          path = ".".join(parts)
          spans.append((path, node.lineno, node.end_lineno, len(parts)))
          _spans(node.value, path, len(parts), spans)
  lines = source.splitlines()
  trailing, alone = {}, {}
  for tok in tokenize.generate_tokens(io.StringIO(source).readline):
    if tok.type == tokenize.COMMENT:
      row, text = tok.start[0], tok.string.lstrip("#").strip()
      (alone if lines[row - 1].lstrip().startswith("#") else trailing)[row] = text
  comments = {}
  for row, text in trailing.items():
    ending = [s for s in spans if s[2] == row]
    if ending:
      comments.setdefault(min(ending, key=lambda s: s[3])[0], text)
  for path, first, _, _ in spans:
    above = []
    while first - 1 - len(above) in alone:
      above.insert(0, alone[first - 1 - len(above)])
    if path not in comments and above:
      comments[path] = " ".join(above)
  return comments


def _config_sources(path: Path) -> list[Path]:
  """nets/config.py, then the experiment files `path` builds on (its `experiments` imports), then it."""
  chain, todo = [], [path]
  while todo:
    current = todo.pop()
    if current in chain or not current.is_file():
      continue
    chain.insert(0, current)
    for node in ast.walk(ast.parse(current.read_text())):
      if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "experiments":
        names = [node.module.split(".", 1)[1]] if "." in node.module else [a.name for a in node.names]
        todo += [EXPERIMENTS / f"{name}.py" for name in names]
  return [BASE_CONFIG, *chain]


def _flat(config, prefix: str = "") -> list[tuple[str, object]]:
  rows = []
  for key in config:
    value = config[key]
    if hasattr(value, "keys") and not isinstance(value, str):
      rows += _flat(value, f"{prefix}{key}.")
    else:
      rows.append((f"{prefix}{key}", value))
  return rows


def _type_name(annotation) -> str:
  name = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", str(annotation))
  return re.sub(r"\b(collections\.abc|typing)\.", "", str(name))


def model_fields(name: str) -> dict[str, tuple[object, str]]:
  """{field: (default, meaning)} of the model `name` in nets.models.MODELS: its dataclass fields,
  each explained by the comment on its line in the class, else by its type; {} for another name."""
  import inspect  # noqa: PLC0415

  from nets.models import MODELS  # noqa: PLC0415 - flax and jax, only for --describe.

  cls = MODELS.get(name)
  if cls is None:
    return {}
  try:
    comments = field_comments_of_class(inspect.getsource(cls))
  except (OSError, TypeError):
    comments = {}
  out = {}
  for f in dataclasses.fields(cls):
    if f.init and f.name not in ("parent", "name"):
      default = f.default if f.default is not dataclasses.MISSING else "(required)"
      meaning = comments.get(f.name) or f"{cls.__name__} field, {_type_name(f.type)}"
      out[f.name] = (default, meaning)
  return out


def field_comments_of_class(source: str) -> dict[str, str]:
  """{attribute: comment ending its line} of a dataclass-style class body."""
  source = textwrap.dedent(source)
  lines = source.splitlines()
  classdef = ast.parse(source).body[0]
  comments = {}
  for node in getattr(classdef, "body", []):
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
      line = lines[node.end_lineno - 1]
      for tok in tokenize.generate_tokens(io.StringIO(line).readline):
        if tok.type == tokenize.COMMENT:
          comments[node.target.id] = tok.string.lstrip("#").strip()
  return comments


def describe(config, config_path: str) -> str:
  """The resolved config, one `field = value  # meaning` a line; then the model's fields left at
  their defaults."""
  comments = {}
  for source in _config_sources(Path(config_path).resolve()):
    comments.update(field_comments(source.read_text()))
  rows = _flat(config)
  model = config.get("model")
  fields = model_fields(model.get("name", "")) if model is not None and hasattr(model, "get") else {}
  for key, (_, meaning) in fields.items():
    comments.setdefault(f"model.{key}", meaning)
  unset = [(f"model.{k}", d) for k, (d, _) in fields.items() if k not in model and k != "num_outputs"]
  width = max(len(f"{path} = {value!r}") for path, value in rows + unset) + 2
  out = [f"{config_path}, with the command line's overrides:"]
  for path, value in rows:
    out.append(f"  {f'{path} = {value!r}':<{width}}# {comments.get(path, '')}".rstrip(" #"))
  if unset:
    out.append(f"model {model.name!r}: fields left at their defaults")
    for path, value in unset:
      out.append(f"  {f'{path} = {value!r}':<{width}}# {comments.get(path, '')}".rstrip(" #"))
  return "\n".join(out)


# --------------------------------------------------------------------------------------------------


def _main(argv):
  if len(argv) > 1:
    raise app.UsageError(f"unexpected arguments: {' '.join(argv[1:])}")
  if _LIST.value:
    return print_list()
  config_path = config_flags.get_config_filename(flags.FLAGS["config"])
  if _DESCRIBE.value:
    return print(describe(_CONFIG.value, config_path))
  logging.set_verbosity(logging.ERROR)  # Library chatter; the loop reports what matters.
  from nets import distributed, drivers  # noqa: PLC0415
  from nets.errors import ConfigError  # noqa: PLC0415 - after flags, so --help stays fast.

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
  app.run(_main, flags_parser=parse_flags)
