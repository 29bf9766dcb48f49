"""Teaching code: backprop by hand in NumPy, and a small reverse-mode autodiff engine."""
