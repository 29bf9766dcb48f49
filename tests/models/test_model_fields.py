"""Every model family is built by models.make, so a misspelt model field is one line naming the valid ones:
in an experiment file (through tasks.make, as train.py builds it) and for every family."""

import importlib
import os
import subprocess
import sys

import ml_collections
import numpy as np
import pytest

from nets import models, optim, tasks
from nets.config import base_config
from nets.data import Dataset
from nets.errors import ConfigError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# (experiment, the config path of a model in it): one experiment per model family; the GAN has two players.
FAMILIES = [
  ("mnist_mlp", "model"),
  ("mnist_cnn", "model"),
  ("mnist_resnet", "model"),
  ("mnist1d_gru", "model"),
  ("mnist_transformer", "model"),
  ("charlm_rnn", "model"),
  ("charlm_transformer", "model"),
  ("reverse_digits", "model"),
  ("recognizer_cnn", "model"),
  ("recognizer_lstm", "model"),
  ("autoencoder_mlp_2d", "model"),
  ("vae", "model"),
  ("made", "model"),
  ("simclr", "model"),
  ("conv_encoder", "model"),  # SimCLR's supervised twin: the simclr driver builds it for classify
  ("gan", "generator"),
  ("gan", "discriminator"),
]


def _fake_dataset(name: str) -> Dataset:
  """Just what tasks.make reads of a dataset (the number of classes, the input shape): no data is built."""
  x = np.zeros((2, 28, 28, 1), np.float32)
  return Dataset(name, {"train": {"x": x, "y": np.zeros((2,), np.int32)}}, 10)


def _experiment(name: str):
  if name == "conv_encoder":  # As the contrastive driver builds its supervised twin: base_config's fields.
    widths = importlib.import_module("experiments.simclr").get_config().model.widths
    config = base_config()
    config.model = ml_collections.ConfigDict(dict(name="conv_encoder", widths=tuple(widths)))
    return config
  return importlib.import_module(f"experiments.{name}").get_config()


def _model_config(config, path: str):
  for key in path.split("."):
    config = config[key]
  return config


def test_every_registered_family_is_covered():
  names = set()
  for experiment, path in FAMILIES:
    config = _experiment(experiment)
    names.add(_model_config(config, path).name)
  names.add("vae")  # experiments/vae.py names its model "autoencoder": task vae builds the VAE of its fields.
  assert set(models.MODELS) == names


@pytest.mark.parametrize("experiment,path", FAMILIES, ids=[f"{e}:{p}" for e, p in FAMILIES])
def test_a_misspelt_model_field_is_one_line_listing_the_valid_fields(experiment, path):
  config = _experiment(experiment)
  model_cfg = _model_config(config, path)
  field = next(k for k in model_cfg if k != "name")
  with model_cfg.unlocked():
    model_cfg[field + "z"] = model_cfg[field]
  with pytest.raises(ConfigError) as e:
    tasks.make(config, _fake_dataset(config.data.name), optim.make_optimizer(config.optimizer, 10_000))
  message = str(e.value)
  assert "\n" not in message and f"has no field '{field}z' (did you mean '{field}'?)" in message
  assert field in message.split("its fields: ")[1].split(", ")


def test_train_py_reports_a_misspelt_model_field_in_an_experiment_file_and_exits_1(tmp_path):
  experiment = tmp_path / "typo.py"
  experiment.write_text(
    "from experiments.autoencoder_mlp_2d import get_config as base\n\n\ndef get_config():\n"
    "  config = base()\n  config.model.latent_dimm = 4\n  return config\n"
  )
  env = dict(os.environ, PYTHONPATH=ROOT, JAX_PLATFORMS="cpu")
  cmd = [
    sys.executable,
    os.path.join(ROOT, "train.py"),
    f"--config={experiment}",
    f"--workdir={tmp_path / 'run'}",
  ]
  proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
  assert proc.returncode == 1, proc.stderr[-2000:]
  last = proc.stderr.strip().splitlines()[-1]
  assert last.startswith("error: model 'autoencoder' has no field 'latent_dimm' (did you mean 'latent_dim'?)")
  assert "Traceback" not in proc.stderr
