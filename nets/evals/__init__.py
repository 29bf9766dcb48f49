"""Evaluations beyond a per-example eval_step: the Frechet distance, figures, text sampling."""
