"""A jax.profiler trace of chosen training steps, for TensorBoard's profile plugin or Perfetto.

`config.profile_steps = "10,20"` traces global steps 10 (inclusive) to 20 (exclusive) into
WORKDIR/profile. A compiled call is the unit the host sees: the trace starts before the call that runs
step 10 and stops after the call that finishes step 20 (set steps_per_call=1 for step-exact bounds).
The first steps include compilation; skip a few to see the steady state.
"""

import os
from collections.abc import Callable
from typing import Any

import jax

from nets.errors import ConfigError

StepsFn = Callable[
  ..., Any
]  # nets.training.pipelines.StepsFn: (state, perm, start, num_steps) -> (state, metrics)


def parse_steps(spec: str) -> tuple[int, int] | None:
  """ "start,stop" -> (start, stop); "" -> None (no profiling)."""
  if not spec:
    return None
  try:
    start, stop = (int(s) for s in str(spec).split(","))
  except ValueError:
    raise ConfigError(f"profile_steps must be 'START,STOP' (two step numbers), got {spec!r}") from None
  if not 0 <= start < stop:
    raise ConfigError(f"profile_steps needs 0 <= START < STOP, got {spec!r}")
  return start, stop


class StepProfiler:
  """Wraps a StepsFn so that the calls covering steps [start, stop) run under jax.profiler's trace."""

  def __init__(self, spec: str, workdir: str):
    self.steps = parse_steps(spec)
    self.directory = os.path.join(workdir, "profile")
    self.active = self.done = False

  def wrap(self, run_steps: StepsFn, first_step: int) -> StepsFn:
    """`run_steps` of an epoch whose first global step is `first_step`."""
    if self.steps is None or self.done:
      return run_steps

    def traced(state, perm, start, num_steps):
      end = first_step + start + num_steps
      if not (self.active or self.done) and end > self.steps[0]:  # This call runs the first traced step.
        jax.profiler.start_trace(self.directory, create_perfetto_trace=True)  # + a file Perfetto opens
        self.active = True
      # TensorBoard's step marker. Inside the window each call is waited for, so that a marked step spans
      # the device's work, not just its dispatch (the window gives up the loop's one-call overlap).
      with jax.profiler.StepTraceAnnotation("train", step_num=end - num_steps):
        out = jax.block_until_ready(run_steps(state, perm, start, num_steps))
      if self.active and end >= self.steps[1]:
        jax.profiler.stop_trace()
        self.active, self.done = False, True
      return out

    return traced

  def close(self) -> None:
    if self.active:  # The run ended (or failed) inside the window: keep what was traced.
      jax.profiler.stop_trace()
      self.active, self.done = False, True
