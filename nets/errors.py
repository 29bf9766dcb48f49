"""Errors that mean "the input is wrong", reported as one line and a non-zero exit by train.py."""

from collections.abc import Mapping
from typing import TypeVar

T = TypeVar("T")


class ConfigError(ValueError):
  """A config, name, shape or file that cannot be used; the message says what to change."""


class UnknownNameError(ConfigError, KeyError):
  """A name that is not in a registry; the message lists the valid names."""

  def __str__(self) -> str:  # KeyError would quote the message.
    return str(self.args[0])


def lookup(registry: Mapping[str, T], kind: str, name: str) -> T:
  """`registry[name]`, or an UnknownNameError that lists the valid names."""
  try:
    return registry[name]
  except (KeyError, TypeError):
    valid = ", ".join(sorted(registry))
    raise UnknownNameError(f"unknown {kind} {name!r}; valid names: {valid}") from None
