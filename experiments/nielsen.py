"""Nielsen's network.py: 784-30-10 sigmoid, quadratic cost, SGD learning rate 3.0, mini-batch 10.

  python train.py --config=experiments/nielsen.py --workdir=runs/nielsen

Result: 81.1% test accuracy, quadratic cost 0.131 (seed 0, 30 epochs). Training 4.1 s, 22 s wall on the shared
2-core CPU. Far below Nielsen's 95.42%: he trains on 50,000 images (150,000 updates), this on 4,000 (12,000
updates) with the same N(0, 1) start that saturates the sigmoids.
Published: 95.42% on full MNIST (50,000 training images) after 30 epochs (Nielsen, "Neural Networks
and Deep Learning", chapter 1). Weights and biases start N(0, 1) as in network.py.
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
