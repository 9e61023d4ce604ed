"""Fast redraws (widgets/panels/base.py Blitter) must show exactly what a full draw shows.

After a sequence of slider moves, the picture the blitter produced is compared with a fresh full
draw of the same figure on a new Agg canvas (an independent rendering). Panels are chosen to cover
the blitter's cases: artists redrawn over a kept background (electrolytes; exercise, whose
shaded span lies under the axes' spines), whole axes redrawn when their limits change (EMG), and
both in one figure (twitch summation).
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from widgets.panels import base


def _panel(name):
    import importlib

    from widgets.panels import _WHERE

    return getattr(importlib.import_module(f"widgets.panels.{_WHERE[name]}"), name)()


def _full_draw(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba()).copy()


@pytest.mark.parametrize("name", ["electrolyte_panel", "exercise_panel", "emg_panel",
                                  "twitch_summation_panel"])
def test_blitted_frames_equal_a_full_draw(name):
    panel = _panel(name)
    sliders = [c for c in panel.controls.values() if isinstance(c, base.ipw.FloatSlider)]
    rng = np.random.default_rng(0)
    for i in range(8):
        ctrl = sliders[i % len(sliders)]
        ctrl.value = float(np.clip(ctrl.value + ctrl.step * rng.choice([-3, -1, 1, 3]),
                                   ctrl.min, ctrl.max))
    blitter = base._blitter(panel.fig)
    assert blitter.blits >= 5, "the panel was not blitted"
    shown = np.asarray(blitter.canvas.buffer_rgba()).copy()
    reference = _full_draw(panel.fig)
    differs = np.abs(shown.astype(int) - reference.astype(int)).max(axis=2) > 0
    assert differs.mean() < 1e-4, f"{100 * differs.mean():.3f} % of pixels differ"


def test_image_is_the_canvas_as_png():
    from io import BytesIO

    from PIL import Image

    panel = _panel("base_rate_panel")
    png = base.png_bytes(np.asarray(base._blitter(panel.fig).canvas.buffer_rgba()))
    decoded = np.asarray(Image.open(BytesIO(png)).convert("RGB"))
    assert np.array_equal(decoded, _full_draw(panel.fig)[..., :3])


def test_slider_label_sits_above_a_full_width_track():
    from widgets.models.validation import ValidRange

    s = base.slider("P(twitching + weakness + wasting | no ALS)", ValidRange(0, 1, "", 0.5),
                    step=0.01)
    assert s.description.startswith("P(twitching")  # the accessible name is kept
    assert s.layout.flex_flow == "row wrap" and s.style.description_width == "100%"
    assert s.layout.width == "100%"
