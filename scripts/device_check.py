"""One short run that says what this machine's accelerator does with nets.

  python scripts/device_check.py                      # on a GPU (pip install -e ".[cuda]") or TPU
  python scripts/device_check.py --batch=64 --repeats=2 --target_s=0.05 --holdout=3000   # CPU smoke

Prints, for the benchmark CNN and Transformer of scripts/bench.py at float32 and at bfloat16 (mixed
precision: f32 parameters, the model computes in bf16): the train step's time, its FLOP/s (XLA's cost
analysis of the compiled step) and MFU, that over the matmul peak measured here in the same dtype;
then trains experiments/mnist_cnn.py (one net, driver "train") for one epoch on full MNIST when that
dataset is prepared in the data directory (the accelerator machines reach no network), else on
mnist_5k, and prints its results. Timings reuse scripts/bench.py (median of --repeats after a warm-up).
"""

import argparse
import json
import os
import sys
import tempfile
import time
from functools import partial

import jax
import jax.numpy as jnp

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

DTYPES = {"float32": jnp.float32, "bfloat16": jnp.bfloat16}


def matmul_peak(dtype, sizes, repeats: int) -> float:
  """FLOP/s of the fastest square matmul in `dtype`: the peak the MFU is taken against."""
  timers, flops = bench.matmul_timers(sizes, dtype)
  timers = {k: v for k, v in timers.items() if k.startswith("jax")}
  medians = bench.interleaved(timers, repeats)
  return max(flops[k] / medians[k] for k in timers)


def bench_rows(names, dtypes, batch, repeats: int, target_s: float, sizes) -> list[dict]:
  rows = []
  for dtype_name in dtypes:
    peak = matmul_peak(DTYPES[dtype_name], sizes, repeats)
    for name in names:
      run, flops, compile_s, _, _, arrays = bench.jax_step(name, batch, DTYPES[dtype_name])
      k = bench.calibrate(partial(run, 1), target_s)
      step_s = bench.interleaved({"step": partial(run, k)}, repeats)["step"] / k
      row = {"model": name, "dtype": dtype_name, "batch": int(arrays["x"].shape[0])}
      row.update(step_ms=round(1e3 * step_s, 4), compile_s=round(compile_s, 2))
      row.update(tflops=round(flops / step_s / 1e12, 4), peak_tflops=round(peak / 1e12, 3))
      row["mfu"] = round(flops / step_s / peak, 4)
      print(json.dumps(row), flush=True)
      rows.append(row)
  return rows


def full_mnist_prepared() -> bool:
  import tensorflow_datasets as tfds  # noqa: PLC0415

  from nets import data  # noqa: PLC0415

  return tfds.builder(data.CATALOG["mnist"], data_dir=data.data_dir()).is_prepared()


def train_one_epoch(dataset: str, workdir: str, holdout: int) -> dict:
  from experiments.mnist_cnn import get_config  # noqa: PLC0415
  from nets.training.loop import train_and_evaluate  # noqa: PLC0415

  config = get_config()
  config.driver, config.ensemble_size, config.num_epochs = "train", 0, 1  # one net, one epoch
  config.data.name = dataset
  if holdout:  # A shorter epoch for smoke runs; the held-out examples are the validation split.
    config.data.validation_size = holdout
  return train_and_evaluate(config, workdir)


def main() -> None:
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument("--models", default="cnn,transformer")
  parser.add_argument("--dtypes", default="float32,bfloat16")
  parser.add_argument("--batch", type=int, default=None, help="default: scripts/bench.py's (128)")
  parser.add_argument("--repeats", type=int, default=5)
  parser.add_argument("--target_s", type=float, default=0.2, help="seconds per timed repeat")
  parser.add_argument("--matmul_sizes", default="", help="default 1024,2048 on CPU, 4096,8192 otherwise")
  parser.add_argument("--dataset", default="auto", choices=("auto", "mnist", "mnist_5k"))
  parser.add_argument("--holdout", type=int, default=0, help="training examples held out: a shorter epoch")
  parser.add_argument("--workdir", default="", help="the training run's workdir; default a temporary one")
  args = parser.parse_args()
  start = time.perf_counter()
  backend = jax.default_backend()
  print(json.dumps({"backend": backend, "devices": [str(d) for d in jax.devices()], "jax": jax.__version__}))
  sizes = [int(s) for s in args.matmul_sizes.split(",") if s] or (
    [1024, 2048] if backend == "cpu" else [4096, 8192]
  )
  rows = bench_rows(
    args.models.split(","), args.dtypes.split(","), args.batch, args.repeats, args.target_s, sizes
  )
  dataset = args.dataset
  if dataset == "auto":
    dataset = "mnist" if full_mnist_prepared() else "mnist_5k"
  workdir = args.workdir or tempfile.mkdtemp(prefix="device_check-")
  results = train_one_epoch(dataset, workdir, args.holdout)
  keep = ("test_accuracy", "train_seconds", "steps", "examples_per_second", "dataset", "num_devices")
  summary = {"train": {k: results.get(k) for k in keep}, "wall_s": round(time.perf_counter() - start, 1)}
  print(json.dumps(summary))
  print(f"\n{'model':<12}{'dtype':<10}{'batch':>6}{'step ms':>10}{'TFLOP/s':>10}{'peak':>9}{'MFU':>8}")
  for r in rows:
    print(
      f"{r['model']:<12}{r['dtype']:<10}{r['batch']:>6}{r['step_ms']:>10.3f}{r['tflops']:>10.3f}"
      f"{r['peak_tflops']:>9.3f}{r['mfu']:>8.1%}"
    )
  t = summary["train"]
  print(
    f"mnist_cnn, 1 epoch on {t['dataset']}: test accuracy {t['test_accuracy']:.4f}, {t['train_seconds']} s"
  )


if __name__ == "__main__":
  main()
