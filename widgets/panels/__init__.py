"""ipywidgets panels (controls wired to models and figures) and their static twins."""
