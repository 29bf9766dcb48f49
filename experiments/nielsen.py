"""Nielsen's network.py: 784-30-10 sigmoid, quadratic cost, SGD learning rate 3.0, mini-batch 10.

30 epochs on mnist_5k; weights and biases start N(0, 1) as in network.py.

  python train.py --config=experiments/nielsen.py --workdir=runs/nielsen

Result: 86.2 +- 4.3% test accuracy over seeds 0-9 (scripts/nielsen_seeds.py --seeds=10): in 4 of the 10 seeds
one class dies (no test image is classified as it), and those end at 80.1-82.0% (seed 0: 81.1%), the other
six at 89.7 +- 0.4%. Nielsen's 95.42% is on 50,000 training images: experiments/nielsen_full.py. Median
4.4 s of training a seed; seed 0 alone 4.1 s, 22 s wall on the shared 2-core CPU.
"""

from nets.config import base_config


def get_config():
  config = base_config()
  config.data.name = "mnist_5k"
  config.loss = "quadratic"
  config.model.widths = (30,)
  config.model.activation = "sigmoid"
  config.model.output_activation = "sigmoid"
  config.model.kernel_init = "normal"
  config.model.bias_init = "normal"
  config.optimizer.name = "sgd"
  config.optimizer.learning_rate = 3.0
  config.batch_size = 10
  config.num_epochs = 30
  return config
