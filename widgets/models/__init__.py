"""Pure physiology models: numpy and compiled kernels only (no ipywidgets, no matplotlib)."""
