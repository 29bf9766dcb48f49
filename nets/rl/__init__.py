"""Reinforcement learning: agents as pure functions, rollouts and updates compiled into one program."""
