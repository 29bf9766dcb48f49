"""nets: the fundamentals of deep learning as pure, jit-compiled JAX functions.

Import the piece you need: `from nets import losses, activations, optim, models, data, tasks`,
or `from nets.training.loop import train_and_evaluate`.
"""

__version__ = "0.1.0"
