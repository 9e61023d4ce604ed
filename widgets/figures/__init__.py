"""Matplotlib drawing of model results. Functions draw on an ``Axes`` they are given."""
