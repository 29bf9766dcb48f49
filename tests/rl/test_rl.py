import json
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax
import pytest

from experiments.cartpole_dqn import get_config as dqn_config
from experiments.cartpole_reinforce import get_config as reinforce_config
from nets import envs
from nets.drivers import rl as rl_driver
from nets.errors import ConfigError, UnknownNameError
from nets.rl import dqn, reinforce, rollout, speed


@pytest.fixture(scope="module")
def cartpole():
  return envs.make("cartpole")


def tiny(config, **agent):
  config.model.widths = (8,)
  config.agent.update({"num_envs": 3, **agent})
  config.seeds = (0,)
  config.eval_episodes = 2
  config.report_episodes = 3
  config.measure_python_loop = False
  return config


def test_discounted_returns_stop_at_the_end_of_each_episode():
  reward_TxB = jnp.array([[1.0, 2.0], [1.0, 2.0], [1.0, 0.0]])
  alive_TxB = jnp.array([[1.0, 1.0], [1.0, 1.0], [1.0, 0.0]])
  g_TxB = rollout.discounted_returns(reward_TxB, alive_TxB, 0.5)
  np.testing.assert_allclose(g_TxB, [[1.75, 3.0], [1.5, 2.0], [1.0, 0.0]])


def test_episodes_are_masked_after_they_end(cartpole):
  env, params = cartpole
  always_right = lambda key, obs_BxD: jnp.ones(obs_BxD.shape[0], jnp.int32)
  eps = jax.jit(lambda key: rollout.episodes(env, params, always_right, key, 4))(jax.random.key(0))
  assert eps.obs_TxBxD.shape == (500, 4, 4)
  alive = np.asarray(eps.alive_TxB)
  assert np.all(np.diff(alive, axis=0) <= 0)  # once over, an episode stays over
  lengths = alive.sum(0)
  # Pushing right from near rest topples the pole in a few dozen steps; each episode ends terminated.
  assert np.all((lengths > 5) & (lengths < 50))
  np.testing.assert_array_equal(np.asarray(eps.reward_TxB).sum(0), lengths)
  np.testing.assert_array_equal(np.asarray(eps.terminated_TxB).sum(0), 1)


def test_reinforce_loss_is_the_policy_gradient_with_a_baseline(cartpole):
  env, params = cartpole
  config = tiny(reinforce_config(), normalize_advantages=False, entropy_coef=0.0, value_coef=0.5)
  agent = reinforce.make(config, env, params, optax.sgd(0.0))
  state = agent.init(jax.random.key(0))
  policy, value = reinforce.models.make(config.model, 2), reinforce.models.make(config.model, 1)
  obs = jnp.array([[[0.1, 0.2, 0.03, -0.1]], [[0.0, 0.1, 0.01, 0.2]], [[0.5, 0.5, 0.1, 0.3]]])  # T=3, B=1
  eps = rollout.Episodes(
    obs,
    jnp.array([[1], [0], [1]]),
    jnp.ones((3, 1)),
    jnp.zeros((3, 1), bool),
    jnp.array([[1.0], [1.0], [0.0]]),
  )
  loss_fn = jax.jit(lambda p, e: reinforce.loss_fn(p, policy, value, e, config.agent))
  loss, parts = loss_fn(state.params, eps)
  # By hand: returns 1 + 0.99, 1 over the two live steps; the third step is padding.
  g = np.array([1.99, 1.0])
  logp = jax.nn.log_softmax(policy.apply(state.params["policy"], obs[:2, 0]))
  v = np.asarray(value.apply(state.params["value"], obs[:2, 0]))[:, 0]
  logp_a = np.array([logp[0, 1], logp[1, 0]])
  np.testing.assert_allclose(parts["policy_loss"], -np.mean(logp_a * (g - v)), rtol=1e-5)
  np.testing.assert_allclose(parts["value_loss"], np.mean((g - v) ** 2), rtol=1e-5)
  np.testing.assert_allclose(loss, parts["policy_loss"] + 0.5 * parts["value_loss"], rtol=1e-5)


def test_one_reinforce_update_counts_its_steps_and_changes_every_parameter(cartpole):
  env, params = cartpole
  config = tiny(reinforce_config())
  agent = reinforce.make(config, env, params, optax.adam(1e-2))
  state = agent.init(jax.random.key(0))
  new, metrics = jax.jit(agent.update)(state)
  # Random play lasts about 22 steps an episode; every live step is counted once.
  assert 3 * 8 <= int(new.env_steps) <= 3 * 100 and float(metrics["episodes"]) == 3
  assert float(metrics["return_sum"]) == int(new.env_steps)  # reward 1 per step
  changed = jax.tree.map(lambda a, b: bool(jnp.any(a != b)), state.params, new.params)
  assert all(jax.tree.leaves(changed))


def test_reinforce_learns_to_balance_the_pole_in_ten_updates(cartpole):
  """The experiment's agent (16 episodes an update, 64-64 tanh) at learning rate 1e-2: after 10 updates its
  greedy policy balances for 200+ steps on average over 20 fresh episodes. Random actions last about 22
  steps an episode (the update test above), this untrained greedy policy 75."""
  config = reinforce_config()
  config.optimizer.learning_rate = 1e-2
  agent, env, params = rl_driver.make_agent(config)
  state, key = jax.jit(agent.init)(jax.random.key(0)), jax.random.key(1)
  evaluate = jax.jit(lambda s, k: rollout.evaluate(env, params, partial(agent.greedy, s), k, 20))
  assert np.mean(evaluate(state, key)) < 100
  run = jax.jit(partial(rl_driver.chunk, agent, env, params, num_updates=10, eval_episodes=20))
  state, _, returns_E = run(state, key)
  assert np.mean(returns_E) >= 200, returns_E


def test_td_loss_matches_the_bellman_target_by_hand():
  q_net = dqn.models.make(dqn_config().model, 2)
  obs = jnp.array([[0.1, 0.2, 0.3, 0.4], [0.0, -0.1, 0.2, 0.0]])
  next_obs = obs[::-1] * 2
  params, target = q_net.init(jax.random.key(0), obs), q_net.init(jax.random.key(1), obs)
  batch = dqn.Buffer(obs, jnp.array([1, 0]), jnp.array([1.0, 1.0]), next_obs, jnp.array([0.0, 1.0]))
  q = np.asarray(q_net.apply(params, obs))
  q_next = np.asarray(q_net.apply(target, next_obs))
  y = np.array([1 + 0.9 * q_next[0].max(), 1.0])  # the second transition is terminal: no bootstrap
  expected = np.mean((np.array([q[0, 1], q[1, 0]]) - y) ** 2)
  loss = jax.jit(lambda *a: dqn.td_loss(*a, q_net, batch, 0.9, "mse"))(params, target)
  np.testing.assert_allclose(loss, expected, rtol=1e-5)


def test_one_dqn_update_stores_transitions_and_bootstraps_through_time_limits(cartpole):
  env, params = cartpole
  config = tiny(dqn_config(), buffer_size=8, batch_size=2, learning_starts=0, target_every=2)
  agent = dqn.make(config, env, params, optax.sgd(0.1))
  state = agent.init(jax.random.key(0))
  state = state._replace(env_state=state.env_state.replace(time=jnp.array([0, 0, 499])))
  update = jax.jit(agent.update)
  new, metrics = update(state)
  assert int(new.env_steps) == 3 and int(new.grad_steps) == 1 and float(metrics["learned"]) == 1
  buf = new.buffer
  np.testing.assert_array_equal(buf.obs_NxD[:3], state.obs_BxD)
  np.testing.assert_array_equal(buf.terminated_N[:3], 0)  # env 2 was truncated, not terminated
  np.testing.assert_array_equal(buf.obs_NxD[3:], 0)
  assert int(new.env_state.time[2]) == 0 and float(metrics["episodes"]) == 1
  np.testing.assert_allclose(float(metrics["return_sum"]), 1.0)  # that episode's return in this test
  # The next state of the truncated episode is where it ended, not the fresh episode's first observation.
  assert not np.allclose(buf.next_obs_NxD[2], new.obs_BxD[2])
  assert bool(
    jnp.any(new.params["params"]["Dense_0"]["kernel"] != state.params["params"]["Dense_0"]["kernel"])
  )
  # The target network is copied every 2 gradient steps: not after the first, after the second.
  assert bool(
    jnp.all(new.target_params["params"]["Dense_0"]["kernel"] == state.params["params"]["Dense_0"]["kernel"])
  )
  newer, _ = update(new)
  assert jax.tree.all(jax.tree.map(jnp.array_equal, newer.target_params, newer.params))


def test_dqn_does_not_learn_before_learning_starts(cartpole):
  env, params = cartpole
  config = tiny(dqn_config(), buffer_size=8, batch_size=2, learning_starts=6)
  agent = dqn.make(config, env, params, optax.sgd(0.1))
  state = agent.init(jax.random.key(0))
  new, metrics = jax.jit(agent.update)(state)
  assert float(metrics["learned"]) == 0 and float(metrics["epsilon"]) < 1.0
  assert jax.tree.all(jax.tree.map(jnp.array_equal, new.params, state.params))


def test_driver_writes_results_and_a_learning_curve(tmp_path):
  config = tiny(reinforce_config())
  config.updates_per_eval, config.max_env_steps = 1, 50
  results = rl_driver.run(config, str(tmp_path))
  assert json.load(open(tmp_path / "results.json")) == results
  assert (tmp_path / "learning_curve.png").stat().st_size > 0
  (seed,) = results["seeds"]
  assert not seed["solved"] and not results["all_solved"] and seed["env_steps"] >= 50
  assert seed["fresh_eval_episodes"] == 3 and seed["fresh_eval_return_min"] <= seed["fresh_eval_return"]
  assert (tmp_path / "seed_0" / "metrics.jsonl").exists()


def test_a_pass_counts_only_when_fresh_episodes_confirm_it(tmp_path):
  # Evaluations pass at 480 from the second on. Confirmations: 470 (under), then a mean of 480 whose
  # interval reaches below 475 (480 +- 2 * 10 / sqrt(4)), then 490 exactly: solved at the fourth.
  evals = iter([300.0, 480.0, 480.0, 480.0, 480.0])
  confirms = iter([np.full(4, 470.0), np.array([470.0, 490.0, 470.0, 490.0]), np.full(4, 490.0)])

  class State:
    env_steps = 0

  def compiled(state, key):
    state.env_steps += 100
    return state, {"train_return": 1.0}, np.full(4, next(evals))

  confirm = lambda state, key: next(confirms)
  config = tiny(reinforce_config())
  config.max_env_steps = 10_000
  logbook = rl_driver.Logbook(str(tmp_path))
  summary, records, _ = rl_driver.train_seed(config, compiled, lambda key: State(), confirm, 0, logbook)
  logbook.close()
  assert summary["solved"] and summary["env_steps"] == 400 and summary["unconfirmed_passes"] == 2
  assert [r.get("confirm_return") for r in records] == [None, 470.0, 480.0, 490.0]
  np.testing.assert_allclose(records[2]["confirm_lower"], 480 - 2 * np.std([470, 490] * 2, ddof=1) / 2)


def test_bad_agent_config_is_one_clear_error():
  with pytest.raises(UnknownNameError, match="unknown agent 'ppo'; valid names: dqn, reinforce"):
    rl_driver.make_agent(tiny(reinforce_config(), name="ppo"))
  with pytest.raises(ConfigError, match="agent.num_envs must be at least 1, got 0"):
    rl_driver.make_agent(tiny(dqn_config(), num_envs=0))


def test_python_loop_rates_are_measured(cartpole):
  rates = [speed.gymnasium_loop("cartpole", seconds=0.05), speed.jax_step_loop(*cartpole, seconds=0.05)]
  for rate in rates:
    assert set(rate) == {"wall", "cpu"} and rate["wall"] > 10 and rate["cpu"] > 10
