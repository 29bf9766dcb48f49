"""Text that ships with Python: the standard library's pydoc topic pages, as a TFDS dataset.

`pydoc_data.topics.topics` holds the reference text `help("if")`, `help("class")`, ... prints: 79
topics, 464,970 characters on Python 3.11 (other Python versions ship slightly different text, so
the numbers below are for the Python that built the dataset). The builder `pydoc_topics` keeps one
record per topic and split: {"text", "topic"}. The split is fixed: the first 90% of each topic's
characters (cut at a character index) is "train" (418,438 characters), the rest "validation"
(46,532), so every topic appears in both and no validation text is ever trained on.

Characters map to a fixed vocabulary of 98 ids: 0 = unknown (any character outside the set: the
few non-ASCII quotes, dashes and symbols, 575 characters in all), 1 = mask (never in the text; the
masked-character pre-training puts it in), then newline and the 95 printable ASCII characters 32..126.

Views of it, read by `nets.data.load(name, **options)`:
  pydoc_chars           {"x": ids [N, seq_len], "y": the next ids [N, seq_len]}: the train/validation
                        text (topics concatenated in sorted order) cut into non-overlapping windows;
                        `max_windows` > 0 keeps the first that many of each split (quick runs, tests).
  pydoc_topic_snippets  {"x": ids [N, seq_len], "y": topic class}: non-overlapping windows of the
                        `num_topics` longest topics' text, labelled by topic (0 = longest).
"""

import sys

import numpy as np
import tensorflow_datasets as tfds

UNK, MASK = 0, 1
CHARS = "\n" + "".join(chr(c) for c in range(32, 127))
VOCAB_SIZE = 2 + len(CHARS)  # 98
TRAIN_FRACTION = 0.9
_INDEX = np.zeros(0x110000, np.uint8)  # Unicode code point -> id; UNK unless in CHARS.
_INDEX[[ord(c) for c in CHARS]] = np.arange(2, VOCAB_SIZE)


def encode(text: str) -> np.ndarray:
  """Character ids (uint8) of `text`."""
  return _INDEX[np.frombuffer(text.encode("utf-32-le"), np.uint32)]


def decode(ids) -> str:
  """The text of character ids; unknown shows as U+FFFD, mask as U+2588."""
  table = ["\ufffd", "\u2588", *CHARS]
  return "".join(table[int(i)] for i in np.asarray(ids).reshape(-1))


def topics() -> dict[str, str]:
  """The running Python's pydoc topics: name -> text."""
  from pydoc_data.topics import topics as pages  # noqa: PLC0415

  return dict(sorted(pages.items()))


def split_text(text: str) -> tuple[str, str]:
  """(train, validation) parts of one topic's text."""
  cut = int(len(text) * TRAIN_FRACTION)
  return text[:cut], text[cut:]


class PydocTopics(tfds.core.GeneratorBasedBuilder):
  """The pydoc topic pages, one record per topic and split (see the module docstring)."""

  name = "pydoc_topics"
  VERSION = tfds.core.Version("1.0.0")

  def _info(self) -> tfds.core.DatasetInfo:
    return tfds.core.DatasetInfo(
      builder=self,
      description=f"{__doc__}\nBuilt with Python {sys.version.split()[0]}.",
      features=tfds.features.FeaturesDict(
        {"text": tfds.features.Text(), "topic": tfds.features.ClassLabel(names=list(topics()))}
      ),
    )

  def _split_generators(self, dl_manager):
    del dl_manager  # Nothing is downloaded.
    return {"train": self._generate_examples(0), "validation": self._generate_examples(1)}

  def _generate_examples(self, part: int):
    for i, (name, text) in enumerate(topics().items()):
      yield i, {"text": split_text(text)[part], "topic": name}


BUILDERS = {PydocTopics.name: PydocTopics}


def _texts(source) -> list[tuple[int, str]]:
  """(topic id, text) of every record of a split, in topic order."""
  records = source.__getitems__(list(range(len(source))))
  return sorted((int(r["topic"]), r["text"].decode("utf-8")) for r in records)


def _windows(ids: np.ndarray, seq_len: int) -> np.ndarray:
  n = len(ids) // seq_len
  return ids[: n * seq_len].reshape(n, seq_len).astype(np.int32)


def _check_seq_len(seq_len: int) -> None:
  from nets.errors import ConfigError  # noqa: PLC0415

  if not isinstance(seq_len, int) or seq_len < 1:
    raise ConfigError(f"data.seq_len must be a positive integer, got {seq_len!r}")


def chars(sources, seq_len: int = 128, max_windows: int = 0) -> tuple[dict, int]:
  """Next-character windows of each split (the first `max_windows` if > 0); (splits, vocabulary size)."""
  _check_seq_len(seq_len)
  if not isinstance(max_windows, int) or max_windows < 0:
    from nets.errors import ConfigError  # noqa: PLC0415

    raise ConfigError(f"data.max_windows must be an integer >= 0 (0 = all), got {max_windows!r}")
  splits = {}
  for split in ("train", "validation"):
    ids = encode("".join(text for _, text in _texts(sources[split])))
    n = (len(ids) - 1) // seq_len
    n = min(n, max_windows) if max_windows else n
    splits[split] = {"x": _windows(ids[:-1], seq_len)[:n], "y": _windows(ids[1:], seq_len)[:n]}
  return splits, VOCAB_SIZE


def topic_snippets(sources, seq_len: int = 64, num_topics: int = 8) -> tuple[dict, int]:
  """Windows of the `num_topics` longest topics, labelled by topic; (splits, num_topics)."""
  _check_seq_len(seq_len)
  longest = sorted(topics().items(), key=lambda kv: -len(kv[1]))[:num_topics]
  rank = {sorted(topics()).index(name): r for r, (name, _) in enumerate(longest)}
  splits = {}
  for split in ("train", "validation"):
    xs, ys = [], []
    for topic, text in _texts(sources[split]):
      if topic in rank:
        x = _windows(encode(text), seq_len)
        xs.append(x)
        ys.append(np.full(len(x), rank[topic], np.int32))
    splits[split] = {"x": np.concatenate(xs), "y": np.concatenate(ys)}
  return splits, num_topics


def topic_names(num_topics: int = 8) -> list[str]:
  """The class names of pydoc_topic_snippets: the longest topics, longest first."""
  return [name for name, _ in sorted(topics().items(), key=lambda kv: -len(kv[1]))[:num_topics]]


# Dataset name -> (the builder it reads, reader(sources, **options) -> (splits, num_classes)).
VIEWS = {"pydoc_chars": ("pydoc_topics", chars), "pydoc_topic_snippets": ("pydoc_topics", topic_snippets)}
