"""Measured experiments on the lecture's core ideas, each a driver (nets.drivers.DRIVERS).

Each writes results.json and PNG figures into its workdir (through nets.training.workdir) and returns
the results dict.
"""
