"""The one training loop and what it leaves in a workdir: checkpoints, the logbook, config and results."""
