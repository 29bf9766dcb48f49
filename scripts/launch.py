"""Run one command as N cooperating JAX processes on this machine (a local stand-in for N hosts).

  python scripts/launch.py --num_processes=2 -- python train.py --config=experiments/mnist_mlp.py

Each copy gets JAX_COORDINATOR_ADDRESS (a free localhost port), JAX_NUM_PROCESSES and JAX_PROCESS_ID;
train.py reads them through nets.distributed.initialize_from_env(). Process 0's output is shown; the
others' is kept and shown only if they fail. Exit status: the first non-zero one.
"""

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time


def free_port() -> int:
  with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    return s.getsockname()[1]


def launch(command: list[str], num_processes: int, timeout: float, devices_per_process: int = 1) -> int:
  """Start `command` num_processes times, wait for all (at most `timeout` s); the worst exit status."""
  port = free_port()
  logs, procs = [], []
  for i in range(num_processes):
    env = dict(
      os.environ,
      JAX_COORDINATOR_ADDRESS=f"127.0.0.1:{port}",
      JAX_NUM_PROCESSES=str(num_processes),
      JAX_PROCESS_ID=str(i),
      JAX_PLATFORMS=os.environ.get("JAX_PLATFORMS", "cpu"),
    )
    if devices_per_process > 1:
      flag = f"--xla_force_host_platform_device_count={devices_per_process}"
      env["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {flag}".strip()
    log = None if i == 0 else tempfile.TemporaryFile(mode="w+")
    logs.append(log)
    procs.append(subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT if log else None))
  deadline, codes = time.monotonic() + timeout, [None] * num_processes
  while None in codes and time.monotonic() < deadline:
    codes = [p.poll() for p in procs]
    if any(c not in (None, 0) for c in codes):  # One failed: the others would wait for it forever.
      break
    time.sleep(0.1)
  timed_out = [i for i, p in enumerate(procs) if p.poll() is None]
  for i in timed_out:
    procs[i].kill()
  codes = [p.wait() for p in procs]
  for i, (code, log) in enumerate(zip(codes, logs, strict=True)):
    if log and code:
      log.seek(0)
      sys.stderr.write(f"--- process {i} exited {code}:\n{log.read()[-4000:]}\n")
  if timed_out:
    sys.stderr.write(f"launch: processes {timed_out} stopped after {timeout:.0f} s\n")
  return next((c for c in codes if c), 0)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--num_processes", type=int, default=2)
  parser.add_argument("--devices_per_process", type=int, default=1, help="forced CPU devices each")
  parser.add_argument("--timeout", type=float, default=3600.0, help="seconds before all are stopped")
  parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
  args = parser.parse_args()
  command = args.command[1:] if args.command[:1] == ["--"] else args.command
  if not command or args.num_processes < 1:
    parser.error("give --num_processes >= 1 and a command after --")
  sys.exit(launch(command, args.num_processes, args.timeout, args.devices_per_process))


if __name__ == "__main__":
  main()
