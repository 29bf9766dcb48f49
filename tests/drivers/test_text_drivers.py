import json
import math

import jax
import jax.numpy as jnp
import numpy as np
import orbax.checkpoint as ocp
import pytest

from nets.drivers import transduction, transfer, wordvec
from nets.errors import ConfigError
from nets.models.charlm import CharTransformer
from nets.tasks.seq2seq import exact_match, shift_right
from nets.tasks.skipgram import sgns_loss
from nets.training.checkpoint import warm_start


def test_reversal_data_holds_out_long_strings():
  from experiments.reverse_digits import get_config

  cfg = get_config().data
  cfg.num_train, cfg.num_eval = 300, 50
  ds = transduction.reversal(cfg)
  x, y = ds.splits["train"]["x"][0], ds.splits["train"]["y"][0]
  n = int((x > 0).sum())
  np.testing.assert_array_equal(y[:n], x[:n][::-1])
  assert y[n] == 2 and not y[n + 1 :].any()
  train = {tuple(r) for r in ds.splits["train"]["x"]}
  assert not train & {tuple(r) for r in ds.splits["validation"]["x"]}
  assert set((ds.splits["test"]["x"] > 0).sum(1)) <= set(range(17, 21))
  cfg.held_out_min_len = 30
  with pytest.raises(ConfigError, match="held_out_min_len"):
    transduction.reversal(cfg)


def test_exact_match_needs_every_token_up_to_eos():
  y = jnp.array([[5, 4, 2, 0], [5, 4, 2, 0]])
  logits = jax.nn.one_hot(jnp.array([[5, 4, 2, 7], [5, 3, 2, 0]]), 13)  # padding is not scored
  np.testing.assert_array_equal(exact_match(logits, y), [1.0, 0.0])
  np.testing.assert_array_equal(shift_right(y), [[1, 5, 4, 2], [1, 5, 4, 2]])


def test_one_epoch_of_the_encoder_decoder_driver(tmp_path):
  from experiments.reverse_digits import get_config

  config = get_config()
  config.data.num_train, config.data.num_eval = 256, 64
  config.model.hidden, config.model.embed_dim = 8, 4
  config.batch_size, config.num_epochs, config.eval_batch_size = 128, 1, 64
  config.steps_per_call = 100  # the whole epoch in one call, without first costing the step
  results = transduction.reverse_digits(config, str(tmp_path))
  assert results["steps"] == 2 and set(results["exact_match_by_length"]) == set(range(13, 21))
  assert (tmp_path / "reverse_digits.png").exists()
  # Two steps teach it nothing: no held-out string comes back reversed whole (padding counts for nothing),
  # and a token is right about as often as chance, 1 in 13.
  assert results["val_exact_match"] == 0.0 and set(results["exact_match_by_length"].values()) == {0.0}
  assert results["val_token_accuracy"] < 0.15


def test_sgns_loss_by_hand():
  u = jnp.array([[1.0, 0.0]])
  v = jnp.array([[2.0, 0.0]])
  neg = jnp.array([[[0.0, 1.0], [-1.0, 0.0]]])
  expected = -(math.log(1 / (1 + math.exp(-2))) + math.log(0.5) + math.log(1 / (1 + math.exp(-1))))
  np.testing.assert_allclose(sgns_loss(u, v, neg), [expected], rtol=1e-6)


def test_skipgram_pairs_and_neighbours():
  rng = np.random.default_rng(0)
  p = wordvec.pairs(np.array([0, 1, 2]), window=1, rng=rng)
  assert sorted(zip(p["x"], p["y"], strict=True)) == [(0, 1), (1, 0), (1, 2), (2, 1)]
  vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
  table = wordvec.neighbours(vectors, ["a", "b", "c"], ["a"], k=2)
  assert [w for w, _ in table["a"]] == ["b", "c"] and table["a"][1][1] == 0.0
  with pytest.raises(ConfigError, match="not in the vocabulary"):
    wordvec.neighbours(vectors, ["a", "b", "c"], ["zebra"], k=1)


def test_one_epoch_of_the_word_vector_driver(tmp_path):
  from experiments.word_vectors import get_config

  config = get_config()
  config.model.dim, config.batch_size, config.num_epochs = 8, 8192, 1
  results = wordvec.skipgram_vectors(config, str(tmp_path))
  assert results["steps"] == results["train_pairs"] // 8192
  assert set(results["neighbours"]) == set(config.queries) and len(results["neighbours"]["class"]) == 5
  assert json.load(open(tmp_path / "results.json"))["vocab_size"] == results["vocab_size"]


def test_label_subset_tiles_a_fraction_to_full_size():
  from nets.data import Dataset

  ds = Dataset("d", {"train": {"x": np.arange(100)[:, None], "y": np.arange(100)}}, 100)
  sub = transfer.label_subset(ds, 0.1, seed=0)
  assert len(sub.splits["train"]["y"]) == 100 and len(np.unique(sub.splits["train"]["y"])) == 10
  with pytest.raises(ConfigError, match="fractions"):
    transfer.label_subset(ds, 0.0, seed=0)


def test_pretrain_then_finetune_warm_starts_the_encoder(tmp_path):
  from experiments.pretrain_finetune import get_config

  config = get_config()
  for c in (config.pretrain, config.finetune):
    c.model.d_model, c.model.num_heads, c.model.num_layers = 8, 2, 1
    c.num_epochs, c.optimizer.warmup_steps, c.steps_per_call = 1, 1, 100
  config.pretrain.data.max_windows, config.pretrain.batch_size = 256, 64
  config.finetune.batch_size = 1024
  config.fractions, config.seeds = (0.1,), (0,)  # one seed: its run is the mean
  results = transfer.pretrain_finetune(config, str(tmp_path))
  assert set(results["curve"]) == {"pretrained", "scratch"} and results["labels"]["0.1"] > 300
  assert results["curve"]["scratch"]["0.1"]["per_seed"][0] == results["curve"]["scratch"]["0.1"]["mean"]
  pre = _params(tmp_path / "pretrain")
  classifier = CharTransformer(8, d_model=8, num_heads=2, num_layers=1, max_len=64, causal=False, pool=True)
  fresh = jax.jit(classifier.init)(jax.random.PRNGKey(5), jnp.zeros((1, 64), jnp.int32))["params"]
  warm = warm_start(fresh, str(tmp_path / "pretrain"))
  np.testing.assert_array_equal(warm["Embed_0"]["embedding"], pre["Embed_0"]["embedding"])
  np.testing.assert_array_equal(warm["Block_0"]["Dense_0"]["kernel"], pre["Block_0"]["Dense_0"]["kernel"])
  np.testing.assert_array_equal(warm["classifier"]["kernel"], fresh["classifier"]["kernel"])  # new head
  with pytest.raises(ConfigError, match="no checkpoints"):
    warm_start(fresh, str(tmp_path / "nowhere"))
  with pytest.raises(ConfigError, match="no parameter"):
    warm_start({"other": jnp.zeros(3)}, str(tmp_path / "pretrain"))


def _params(workdir):
  manager = ocp.CheckpointManager(str(workdir / "checkpoints"))
  restored = manager.restore(manager.latest_step(), args=ocp.args.Composite(state=ocp.args.StandardRestore()))
  manager.close()
  return restored["state"]["params"]
