"""Behaviour cloning on CartPole with the hand-made "lean" expert: no RL run needed."""

import json

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from experiments.cartpole_behaviour_cloning import get_config
from nets import drivers, envs
from nets.drivers import imitation
from nets.errors import ConfigError
from nets.rl import rollout


@pytest.fixture(scope="module")
def cartpole():
  return envs.make("cartpole")


def tiny(**overrides):
  config = get_config()
  config.update(
    dict(expert_policy="lean", seeds=(0,), num_transitions=(3, 1000), held_out_episodes=2, eval_episodes=5)
  )
  config.model.widths = (16,)
  config.num_steps = 1500
  config.optimizer.learning_rate = 1e-2  # CartPole's angles are ~0.01: a larger step fits them sooner
  config.update(overrides)
  return config


def test_the_lean_controller_balances_every_episode(cartpole):
  env, params = cartpole
  returns = jax.jit(lambda k: rollout.evaluate(env, params, imitation.lean, k, 20))(jax.random.key(3))
  np.testing.assert_array_equal(returns, 500.0)


def test_demonstrations_are_every_step_of_the_experts_episodes(cartpole):
  env, params = cartpole
  obs_NxD, action_N = imitation.demonstrations(env, params, imitation.lean, jax.random.key(0), 3)
  assert obs_NxD.shape == (1500, 4) and action_N.shape == (1500,)  # the lean expert lasts all 500 steps
  np.testing.assert_array_equal(action_N, imitation.lean(jnp.asarray(obs_NxD)))


def test_cloning_more_transitions_copies_the_expert_better(tmp_path):
  results = drivers.run(tiny(), str(tmp_path))
  assert json.load(open(tmp_path / "results.json")) == json.loads(json.dumps(results))
  assert (tmp_path / "cloning.png").stat().st_size > 1000
  few, many = (a["mean"] for a in results["held_out_agreement"])
  assert many > 0.95 and many > few + 0.1, (few, many)
  assert results["clone_return"][1]["mean"] >= 475  # 1000 transitions: balances like its expert
  assert results["expert_return"]["mean"] == 500.0


def test_an_unknown_expert_or_too_few_transitions_is_one_line(tmp_path):
  with pytest.raises(ConfigError, match="expert_policy"):
    drivers.run(tiny(expert_policy="oracle"), str(tmp_path))
  with pytest.raises(ConfigError, match="positive"):
    drivers.run(tiny(num_transitions=(0, 10)), str(tmp_path))


def test_a_trained_expert_goes_through_the_rl_drivers_training_and_confirmation(tmp_path):
  # The experiment's own path: a REINFORCE expert trained by the RL driver, at a budget of one update
  # an evaluation. A threshold every policy passes, so the first evaluation is confirmed and stops it.
  config = tiny(expert_policy="agent", num_transitions=(1, 3), num_steps=50)
  config.expert.update(updates_per_eval=1, eval_episodes=8, max_env_steps=1000, solve_return=1.0)
  results = drivers.run(config, str(tmp_path))
  (seed,) = results["seeds"]
  assert results["expert"] == "reinforce" and seed["solved"] and seed["evaluations"] == 1
  assert seed["env_steps"] > 0 and seed["pool_transitions"] >= 3 and len(results["clone_return"]) == 2
  first = json.loads((tmp_path / "expert_seed_0" / "metrics.jsonl").read_text().splitlines()[0])
  assert first["confirm_lower"] >= 1.0  # the confirmation ran, on its own fresh episodes
