"""Nielsen's network.py (784-30-10 sigmoid, quadratic cost, SGD 3.0, mini-batch 10, 30 epochs) on his own
50,000 training images: experiments/nielsen.py with data mnist_50k, the setting of his chapter 1.

  python train.py --config=experiments/nielsen_full.py --workdir=runs/nielsen_full

Result: 94.89 +- 0.34% test accuracy after 30 epochs over seeds 0, 1, 2 (95.23, 95.01, 94.43%; validation
95.24 +- 0.15%); counted as Nielsen counts (test accuracy at the best of the 30 epochs) 95.17 +- 0.40%
(95.54 at epoch 24, 95.34 at 29, 94.62 at 24; from metrics.jsonl). Training 27.3 / 30.2 / 19.4 s,
51-69 s wall per seed on the 2-core CPU shared with other jobs (load average 5-9); 150,000 updates. One
run per seed: `--config.seed=S --workdir=runs/nielsen_full_sS`. Goal >= 95.0%: met at the best epoch,
missed by 0.1 point at the last.
Seeds 0-9 (this stop's machine; seeds 0-2 repeat the figures above to the digit): 93.98 +- 3.44% after
30 epochs, 94.10 +- 3.40% at the best epoch, median 95.20%. One seed in ten loses a class as on mnist_5k:
seed 6 ends at 83.70% with no test "1" classified as a 1 (per-class accuracy 0.00) - the same seed and
the same class that die on mnist_5k (experiments/nielsen.py), which points to the N(0, 1) start rather
than the data. Seeds 0, 4 and 9, which lose a class on mnist_5k, do not here. The nine others: 95.13 +-
0.28% after 30 epochs, 95.23 +- 0.27% at the best epoch (94.62-95.54); 15.5 s training a seed (median).
  python scripts/nielsen_seeds.py --config=experiments/nielsen_full.py --seeds=10 --workdir=runs/nielsen10
Published: 95.42% on the 10,000 test images at the best of 30 epochs (epoch 28; Nielsen, "Neural
Networks and Deep Learning", chapter 1). Weights and biases start N(0, 1) as in network.py.
"""

from experiments import nielsen


def get_config():
  config = nielsen.get_config()
  config.data.name = "mnist_50k"
  config.data.source_dir = ""  # "" = $NETS_MNIST_DIR, else fetched once into the data dir
  return config
