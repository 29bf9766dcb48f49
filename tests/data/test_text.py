import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import data
from nets.data import text
from nets.drivers import ngram
from nets.errors import ConfigError
from nets.evals import sampling
from nets.models.charlm import CharRNN, CharTransformer
from nets.tasks.language_model import mask_tokens, sequence_cross_entropy, token_metrics
from nets.training.loop import train_and_evaluate


def test_vocabulary_round_trips_ascii_and_marks_the_rest_unknown():
  assert text.VOCAB_SIZE == 98
  ids = text.encode("if x:\n  pass")
  assert ids.dtype == np.uint8 and text.decode(ids) == "if x:\n  pass"
  assert list(text.encode("a\u2019b\x00")) == [text.encode("a")[0], text.UNK, text.encode("b")[0], text.UNK]


def test_pydoc_chars_windows_are_the_split_text_shifted_by_one():
  ds = data.load("pydoc_chars", seq_len=64)
  assert set(ds.splits) == {"train", "validation"} and ds.num_classes == 98
  train_chars = sum(len(text.split_text(t)[0]) for t in text.topics().values())
  x, y = ds.splits["train"]["x"], ds.splits["train"]["y"]
  assert x.shape == y.shape == ((train_chars - 1) // 64, 64) and x.dtype == np.int32
  np.testing.assert_array_equal(x[:, 1:], y[:, :-1])  # y is x one character on
  np.testing.assert_array_equal(x[1:, 0], y[:-1, -1])  # and windows follow each other
  first = text.topics()[sorted(text.topics())[0]]
  assert text.decode(x[0]) == first[:64]
  few = data.load("pydoc_chars", seq_len=64, max_windows=5).splits
  np.testing.assert_array_equal(few["train"]["y"], y[:5])
  assert few["validation"]["x"].shape == (5, 64)


def test_topic_snippets_label_windows_by_topic_and_bad_options_are_named():
  ds = data.load("pydoc_topic_snippets", seq_len=32, num_topics=3)
  assert ds.num_classes == 3 and set(np.unique(ds.splits["validation"]["y"])) == {0, 1, 2}
  names = text.topic_names(3)
  longest = text.split_text(text.topics()[names[0]])[0]
  assert text.decode(ds.splits["train"]["x"][ds.splits["train"]["y"] == 0][0]) == longest[:32]
  with pytest.raises(ConfigError, match="seq_len"):
    data.load("pydoc_chars", seq_len=0)
  with pytest.raises(ConfigError, match="max_windows"):
    data.load("pydoc_chars", max_windows=-1)
  with pytest.raises(ConfigError, match="its options"):
    data.load("pydoc_chars", window=3)
  with pytest.raises(ConfigError, match="has no option"):
    data.load("digits", seq_len=3)


@pytest.mark.parametrize(
  "model",
  [
    CharRNN(98, cell="rnn", hidden=8, embed_dim=4),
    CharRNN(98, cell="lstm", hidden=8, embed_dim=4),
    CharRNN(98, cell="gru", hidden=8, embed_dim=4),
    CharTransformer(98, d_model=8, num_heads=2, num_layers=2, causal=True),
  ],
  ids=["rnn", "lstm", "gru", "transformer"],
)
def test_loss_at_t_does_not_depend_on_inputs_after_t(model):
  x_BxT = jax.random.randint(jax.random.PRNGKey(0), (2, 10), 2, 98)
  onehot_BxTxV = jax.nn.one_hot(x_BxT, 98)
  t = 4

  @jax.jit  # One compiled program per model: op-by-op dispatch would compile every op on its own.
  def check(onehot_BxTxV):
    params = model.init(jax.random.PRNGKey(1), x_BxT)

    def loss_at_t(onehot):
      logits = model.apply(params, onehot)
      return optax_ce(logits[:, t], x_BxT[:, t + 1]).sum()

    return model.apply(params, onehot_BxTxV), model.apply(params, x_BxT), jax.grad(loss_at_t)(onehot_BxTxV)

  from_onehot, from_ids, g_BxTxV = check(onehot_BxTxV)
  np.testing.assert_allclose(from_onehot, from_ids, atol=1e-5)
  assert jnp.all(g_BxTxV[:, t + 1 :] == 0.0)  # exactly zero, not merely small
  assert jnp.all(jnp.abs(g_BxTxV[:, : t + 1]).sum(-1) > 0)  # while every earlier input matters


def optax_ce(logits, labels):
  return -jnp.take_along_axis(jax.nn.log_softmax(logits), labels[:, None], -1)[:, 0]


def test_bidirectional_transformer_sees_the_future():
  model = CharTransformer(98, d_model=8, num_heads=2, num_layers=1, causal=False)
  x = jax.nn.one_hot(jnp.arange(2, 8)[None], 98)
  params = jax.jit(model.init)(jax.random.PRNGKey(1), x)
  g = jax.jit(jax.grad(lambda o: model.apply(params, o)[0, 0].sum()))(x)
  assert jnp.abs(g[0, -1]).sum() > 0


def test_sequence_cross_entropy_averages_scored_positions_only():
  logits = jnp.zeros((1, 3, 4))  # uniform: ln 4 nats = 2 bits at every position
  y = jnp.array([[1, -1, 3]])
  loss = sequence_cross_entropy(logits, jax.nn.one_hot(y, 4))
  np.testing.assert_allclose(loss, [math.log(4)], rtol=1e-6)
  m = token_metrics(logits.at[0, 2, 3].set(5.0), y)
  np.testing.assert_allclose(m["accuracy"], [0.5])  # argmax is 0 at position 0, 3 at position 2
  assert m["bits_per_char"][0] < 2.0


def test_masking_corrupts_the_chosen_positions_as_bert_does():
  x = jax.random.randint(jax.random.PRNGKey(0), (200, 500), 2, 98)
  mask = jax.jit(mask_tokens, static_argnames=("rate", "mask_id", "vocab_size"))
  inputs, targets = mask(jax.random.PRNGKey(1), x, rate=0.15, mask_id=1, vocab_size=98)
  chosen = targets >= 0
  np.testing.assert_array_equal(targets[chosen], x[chosen])
  np.testing.assert_array_equal(inputs[~chosen], x[~chosen])  # the rest is untouched
  assert abs(float(chosen.mean()) - 0.15) < 0.005
  assert abs(float((inputs[chosen] == 1).mean()) - 0.8) < 0.01
  assert abs(float((inputs[chosen] == x[chosen]).mean()) - 0.1) < 0.01  # kept (+ 1/96 drawn as itself)
  inputs, targets = mask(jax.random.PRNGKey(1), x, rate=0.0, mask_id=1, vocab_size=98)
  assert jnp.all(inputs == x) and jnp.all(targets == -1)


def test_ngram_bits_per_char_by_hand():
  train = {"x": np.array([[0, 0, 1]]), "y": np.array([[0, 1, 1]])}
  # unigram: y has 0 once, 1 twice; bigram: 0 -> 0, 0 -> 1, 1 -> 1. No smoothing.
  scores = ngram.evaluate(train, {"x": np.array([[0, 1]]), "y": np.array([[1, 1]])}, 2, 0.0)
  np.testing.assert_allclose(scores["unigram"], -math.log2(2 / 3))
  np.testing.assert_allclose(scores["bigram"], -0.5 * (math.log2(1 / 2) + math.log2(1)))


def test_one_epoch_of_a_language_model_then_sampling(tmp_path):
  from experiments.charlm_gru import get_config

  config = get_config()
  config.model.hidden, config.model.embed_dim = 8, 4
  config.data.seq_len, config.batch_size, config.num_epochs = 16, 2048, 1
  config.steps_per_call = 100  # the whole epoch in one call, without first costing the step
  config.optimizer.schedule, config.optimizer.warmup_steps = "warmup_cosine", 5  # restored all the same
  results = train_and_evaluate(config, str(tmp_path))
  assert results["steps"] == 12 and results["val_bits_per_char"] < math.log2(98)
  np.testing.assert_allclose(results["val_bits_per_char"], results["val_loss"] / math.log(2), rtol=1e-5)
  model, params, seq_len = sampling.load(str(tmp_path))
  greedy = [  # 24 characters: the 16-character window slides
    sampling.sample(model, params, seq_len, "The ", length=20, temperature=0.0, seed=s) for s in (0, 1)
  ]
  assert greedy[0] == greedy[1] and len(greedy[0]) == 24 and greedy[0].startswith("The ")
  hot = sampling.sample(model, params, seq_len, "The ", length=20, temperature=1.0, seed=0)
  assert len(hot) == 24 and hot != greedy[0]
  with pytest.raises(ConfigError, match="does not exist"):
    sampling.load(str(tmp_path / "nowhere"))
