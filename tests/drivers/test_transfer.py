import json

import jax
import jax.numpy as jnp
import numpy as np
import orbax.checkpoint as ocp

from nets.data import Dataset
from nets.drivers import transfer
from nets.models.autoencoder import SimCLRConv
from nets.training.checkpoint import warm_start


def _params(workdir):
  manager = ocp.CheckpointManager(str(workdir / "checkpoints"))
  restored = manager.restore(manager.latest_step(), args=ocp.args.Composite(state=ocp.args.StandardRestore()))
  manager.close()
  return restored["state"]["params"]


def test_label_subsets_are_drawn_per_seed():
  ds = Dataset("d", {"train": {"x": np.arange(200)[:, None], "y": np.arange(200)}}, 200)
  a, b = (set(transfer.label_subset(ds, 0.05, seed=s).splits["train"]["y"]) for s in (0, 1))
  assert len(a) == len(b) == transfer.num_labels(200, 0.05) == 10 and a != b
  assert transfer.num_labels(4000, 0.0001) == 1 and transfer.num_labels(4000, 0.001) == 4


def test_images_transfer_writes_the_curve_and_finetunes_from_the_pretrained_encoder(tmp_path):
  from experiments.pretrain_finetune_images import get_config

  config = get_config()
  config.data.name = config.pretrain.data.name = config.finetune.data.name = "digits"  # 8 x 8: fast
  for c in (config.pretrain, config.finetune):
    c.model.widths = (4, 8)
  config.pretrain.num_epochs, config.pretrain.batch_size = 1, 700  # 2 SimCLR steps
  config.finetune.num_epochs, config.finetune.batch_size, config.finetune.optimizer.warmup_steps = 1, 700, 1
  config.finetune.optimizer.learning_rate = 1e-9  # Adam moves each weight ~1e-9 a step: ends where it started
  config.fractions, config.seeds = (0.01, 1.0), (0, 1)
  results = transfer.pretrain_finetune(config, str(tmp_path))

  assert set(results["curve"]) == {"pretrained", "scratch"} and results["labels"] == {"0.01": 14, "1.0": 1437}
  for start in ("pretrained", "scratch"):
    for f in ("0.01", "1.0"):
      s = results["curve"][start][f]
      assert len(s["per_seed"]) == 2 and np.isclose(s["mean"], np.mean(s["per_seed"]))
  pretrained, scratch = (results["curve"][start]["1.0"]["per_seed"] for start in ("pretrained", "scratch"))
  np.testing.assert_allclose(results["gap"]["1.0"]["per_seed"], np.subtract(pretrained, scratch))
  assert json.load(open(tmp_path / "results.json"))["curve"] == results["curve"]
  assert (tmp_path / "transfer_images.png").exists()

  # Each seed's own pre-trained encoder is in its pre-trained fine-tuning run, not in the scratch run,
  # whose fresh head the pre-trained run shares (same seed; the head is excluded from the copy).
  pre = {seed: _params(tmp_path / f"pretrain_s{seed}") for seed in (0, 1)}
  for seed in (0, 1):
    warm = _params(tmp_path / f"finetune_pretrained_0.01_s{seed}")
    cold = _params(tmp_path / f"finetune_scratch_0.01_s{seed}")
    for path, leaf in jax.tree_util.tree_leaves_with_path(pre[seed]["encoder"]):
      np.testing.assert_allclose(_at(warm["encoder"], path), leaf, atol=1e-6)
      assert np.abs(_at(cold["encoder"], path) - leaf).max() > 1e-4
      assert np.abs(_at(pre[1 - seed]["encoder"], path) - leaf).max() > 1e-4  # seeds pre-train apart
    jax.tree.map(lambda a, b: np.testing.assert_allclose(a, b, atol=1e-6), warm["head"], cold["head"])


def test_warm_start_excludes_what_it_is_told(tmp_path):
  from experiments.pretrain_finetune_images import get_config

  config = get_config().pretrain
  config.data.name = "digits"
  config.model.widths, config.model.projection_dim = (4, 8), 10
  config.num_epochs, config.batch_size = 1, 700
  from nets.training.loop import train_and_evaluate

  train_and_evaluate(config, str(tmp_path))
  pre = _params(tmp_path)
  fresh = SimCLRConv(64, 10, (4, 8)).init(jax.random.PRNGKey(3), jnp.zeros((1, 8, 8, 1)))["params"]
  every = warm_start(fresh, str(tmp_path))  # projection_dim 10 = 10 classes: the whole head matches
  np.testing.assert_array_equal(every["head"]["Dense_1"]["kernel"], pre["head"]["Dense_1"]["kernel"])
  body = warm_start(fresh, str(tmp_path), exclude=("['head']",))
  np.testing.assert_array_equal(body["encoder"]["Dense_0"]["kernel"], pre["encoder"]["Dense_0"]["kernel"])
  np.testing.assert_array_equal(body["head"]["Dense_1"]["kernel"], fresh["head"]["Dense_1"]["kernel"])
  assert not np.array_equal(fresh["head"]["Dense_1"]["kernel"], pre["head"]["Dense_1"]["kernel"])


def _at(tree, path):
  for key in path:
    tree = tree[key.key]
  return tree
