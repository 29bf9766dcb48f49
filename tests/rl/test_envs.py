import gymnasium
import jax
import jax.numpy as jnp
import numpy as np
import pytest

from nets import envs
from nets.errors import UnknownNameError


@pytest.fixture(scope="module")
def cartpole():
  return envs.make("cartpole")


def classic_step(s, action):
  """CartPole's Euler step (Barto, Sutton & Anderson 1983; Florian 2007, eqs. 23-24) in float64."""
  g, m_cart, m_pole, half_len, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
  x, x_dot, th, th_dot = s
  force = force_mag if action == 1 else -force_mag
  total = m_cart + m_pole
  temp = (force + m_pole * half_len * th_dot**2 * np.sin(th)) / total
  th_acc = (g * np.sin(th) - np.cos(th) * temp) / (half_len * (4 / 3 - m_pole * np.cos(th) ** 2 / total))
  x_acc = temp - m_pole * half_len * th_acc * np.cos(th) / total
  return np.array([x + tau * x_dot, x_dot + tau * x_acc, th + tau * th_dot, th_dot + tau * th_acc])


def state_of(env, s, time=0):
  _, state = env.reset(jax.random.key(0))
  x, x_dot, th, th_dot = (jnp.float32(v) for v in s)
  return state.replace(x=x, x_dot=x_dot, theta=th, theta_dot=th_dot, time=jnp.int32(time))


def test_push_right_from_rest_matches_hand_computed_numbers(cartpole):
  env, params = cartpole
  # force 10: temp = 100/11, theta'' = -600/41, x'' = 400/41; one Euler step of 0.02 s.
  obs, _, reward, terminated, truncated, _ = env.step(
    jax.random.key(1), state_of(env, [0, 0, 0, 0]), 1, params
  )
  np.testing.assert_allclose(obs, [0.0, 8 / 41, 0.0, -12 / 41], rtol=1e-6)
  assert float(reward) == 1.0 and not terminated and not truncated


def test_step_matches_the_classic_equations(cartpole):
  env, params = cartpole
  rng = np.random.default_rng(0)
  for _ in range(20):
    s = rng.uniform([-2, -2, -0.2, -2], [2, 2, 0.2, 2])
    for action in (0, 1):
      info = env.step(jax.random.key(1), state_of(env, s), action, params)[-1]
      np.testing.assert_allclose(info["final_observation"], classic_step(s, action), rtol=1e-5, atol=1e-6)


def test_terminates_past_the_thresholds_and_resets(cartpole):
  env, params = cartpole
  for s in ([2.39, 1.0, 0.0, 0.0], [0.0, 0.0, 0.2090, 0.1]):  # x > 2.4, theta > 12 degrees
    obs, state, reward, terminated, truncated, info = env.step(jax.random.key(1), state_of(env, s), 1, params)
    np.testing.assert_allclose(info["final_observation"], classic_step(np.array(s), 1), rtol=1e-5)
    assert bool(terminated) and not bool(truncated) and float(reward) == 1.0
    assert int(state.time) == 0 and np.all(np.abs(obs) <= 0.05)  # a fresh episode


def test_truncates_after_500_steps_without_terminating(cartpole):
  env, params = cartpole
  _, state, _, terminated, truncated, _ = env.step(jax.random.key(1), state_of(env, [0] * 4, 498), 0, params)
  assert not truncated and int(state.time) == 499
  _, state, _, terminated, truncated, _ = env.step(jax.random.key(1), state, 0, params)
  assert bool(truncated) and not bool(terminated) and int(state.time) == 0


def test_matches_gymnasium_step_by_step(cartpole):
  env, params = cartpole
  step = jax.jit(env.step)
  reference = gymnasium.make("CartPole-v1").unwrapped
  rng = np.random.default_rng(0)
  for episode in range(3):
    obs_ref, _ = reference.reset(seed=episode)
    state, length = state_of(env, obs_ref), 0
    while True:
      action = int(rng.integers(2))
      obs_ref, reward_ref, term_ref, _, _ = reference.step(action)
      obs, state, reward, terminated, _, info = step(jax.random.key(length), state, action, params)
      length += 1
      np.testing.assert_allclose(info["final_observation"], obs_ref, rtol=1e-4, atol=1e-5)
      assert (bool(terminated), float(reward)) == (term_ref, reward_ref), f"episode {episode}, step {length}"
      if term_ref:
        break
    assert 8 <= length < 500


def test_unknown_environment_lists_the_valid_names():
  with pytest.raises(UnknownNameError, match="unknown environment 'pong'; valid names: cartpole"):
    envs.make("pong")
