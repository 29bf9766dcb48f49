"""Train one experiment: python train.py --config=experiments/NAME.py (--list, --describe: nets/cli.py)."""

from nets.cli import main

if __name__ == "__main__":
  main()
