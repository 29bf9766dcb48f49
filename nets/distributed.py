"""Several processes (hosts) as one JAX program: `initialize_from_env()` before any computation.

A launcher (scripts/launch.py, Slurm, a TPU pod, Kubernetes, Open MPI) sets the environment; every
process then runs the same program on its own devices and `jax.devices()` lists all of them, so the
loop's mesh spans every host. On CPU the processes talk through gloo collectives.
"""

import os

import jax

from nets.errors import ConfigError

ENV_VARS = ("JAX_COORDINATOR_ADDRESS", "JAX_NUM_PROCESSES", "JAX_PROCESS_ID")


def initialize_from_env() -> bool:
  """Join a multi-process run if the environment asks for one; True if this process joined one.

  `JAX_COORDINATOR_ADDRESS=host:port JAX_NUM_PROCESSES=N JAX_PROCESS_ID=i` names the run explicitly;
  under Slurm, Open MPI or a Cloud TPU pod (`NETS_DISTRIBUTED=auto`) JAX detects it by itself.
  """
  if jax.distributed.is_initialized():
    return True
  given = {k: os.environ[k] for k in ENV_VARS if os.environ.get(k)}
  if given:
    missing = [k for k in ENV_VARS if k not in given]
    if missing:
      raise ConfigError(f"a multi-process run needs {', '.join(ENV_VARS)}; {', '.join(missing)} unset")
    try:
      num_processes, process_id = int(given["JAX_NUM_PROCESSES"]), int(given["JAX_PROCESS_ID"])
    except ValueError as e:
      raise ConfigError(f"JAX_NUM_PROCESSES and JAX_PROCESS_ID must be integers: {e}") from e
    if not 0 <= process_id < num_processes:
      raise ConfigError(f"JAX_PROCESS_ID {process_id} is not in [0, {num_processes})")
    jax.distributed.initialize(given["JAX_COORDINATOR_ADDRESS"], num_processes, process_id)
    return True
  if os.environ.get("NETS_DISTRIBUTED") == "auto":
    jax.distributed.initialize()
    return True
  return False


def is_primary() -> bool:
  """Process 0 writes the files a person reads; every process takes part in the computation."""
  return jax.process_index() == 0
