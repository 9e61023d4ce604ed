"""Twitch: the simulation engine of an executable course on muscle twitching.

Layout (data flows one way: model -> figure -> panel -> lesson):

- ``widgets.models``: pure physiology (numpy and compiled kernels). No drawing, no widgets.
- ``widgets.figures``: matplotlib drawing of model results on an ``Axes`` you pass in.
- ``widgets.panels``: ipywidgets panels (controls wired to models and figures) and their
  static twins for the built book.

Importing ``widgets`` is cheap: submodules are imported when you ask for them.
"""

__version__ = "0.1.0"
