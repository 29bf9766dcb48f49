"""k-NN (nets/evals/knn.py): neighbours and votes by hand on a tiny set, chunking, and the driver."""

import json

import jax.numpy as jnp
import numpy as np
import pytest

from nets import drivers
from nets.errors import ConfigError
from nets.evals import knn

# Five points on a line and two queries; squared distances worked by hand:
# query 0.9 -> 0, 1, 3, 4, 10: 0.81, 0.01, 4.41, 9.61, 82.81 -> order 1, 0, 2, 3, 4.
# query 3.6 -> 12.96, 6.76, 0.36, 0.16, 40.96 -> order 3, 2, 1, 0, 4.
X = np.array([[0.0], [1.0], [3.0], [4.0], [10.0]], np.float32)
Y = np.array([0, 0, 1, 1, 2], np.int32)
Q = np.array([[0.9], [3.6]], np.float32)


def test_neighbours_by_hand():
  idx, d = knn.neighbours(jnp.asarray(X), jnp.asarray(Q), k=3)
  np.testing.assert_array_equal(idx, [[1, 0, 2], [3, 2, 1]])
  np.testing.assert_allclose(d, [[0.01, 0.81, 4.41], [0.16, 0.36, 6.76]], rtol=1e-4)


def test_chunks_do_not_change_the_answer():
  rng = np.random.default_rng(0)
  x, q = rng.normal(size=(50, 7)).astype(np.float32), rng.normal(size=(23, 7)).astype(np.float32)
  brute = np.argsort(((q[:, None] - x[None]) ** 2).sum(-1), axis=1)[:, :4]
  for chunk in (1, 5, 23, 64):  # 23 queries: chunks that divide it, that do not, and one bigger
    idx, _ = knn.neighbours(jnp.asarray(x), jnp.asarray(q), k=4, chunk_size=chunk)
    np.testing.assert_array_equal(idx, brute)


def test_vote_majority_and_ties_to_the_nearest():
  labels = jnp.array([[2, 1, 1], [0, 3, 3], [3, 0, 0], [1, 2, 0]])
  # majority 1; majority 3; majority 0; a three-way tie goes to the nearest, class 1.
  np.testing.assert_array_equal(knn.vote(labels, 4), [1, 3, 0, 1])
  np.testing.assert_array_equal(knn.vote(jnp.array([[3, 0]]), 4), [3])  # a tie at k = 2: not argmax's 0


def test_accuracies_by_hand():
  test = {"x": Q, "y": np.array([0, 0], np.int32)}
  # k=1: classes 0, 1 -> 1/2; k=3: {0,0,1} -> 0 and {1,1,0} -> 1 -> 1/2; k=5: {0,0,1,1,2}: tie 0/1,
  # the first query's nearest is class 0, the second's class 1 -> 1/2. k=2: 0 and 1 -> 1/2.
  assert knn.accuracies({"x": X, "y": Y}, test, (1, 2, 3), 3) == {1: 0.5, 2: 0.5, 3: 0.5}
  test["y"] = np.array([0, 1], np.int32)
  assert knn.accuracies({"x": X, "y": Y}, test, (1, 3, 5), 3) == {1: 1.0, 3: 1.0, 5: 1.0}
  with pytest.raises(ConfigError, match="between 1 and the 5 training"):
    knn.accuracies({"x": X, "y": Y}, test, (6,), 3)


def test_the_driver_on_digits_matches_scikit_learn(tmp_path):
  from sklearn.neighbors import KNeighborsClassifier

  from experiments.knn import get_config
  from nets import data

  config = get_config()
  config.data.name = "digits"
  results = drivers.run(config, str(tmp_path))
  assert json.load(open(tmp_path / "results.json")) == json.loads(json.dumps(results))
  ds = data.load("digits")
  train, test = ds.splits["train"], ds.splits["test"]
  for k in (1, 3, 5):
    ref = KNeighborsClassifier(k).fit(train["x"].reshape(len(train["y"]), -1), train["y"])
    expected = ref.score(test["x"].reshape(len(test["y"]), -1), test["y"])
    assert results["test_accuracy"][str(k)] == pytest.approx(expected, abs=1.5 / len(test["y"])), k
  assert results["test_accuracy"]["1"] > 0.95
