"""Fast redraws (widgets/panels/base.py Blitter) must show exactly what a full draw shows.

After a sequence of slider moves, the picture the blitter produced is compared with a fresh full
draw of the same figure on a new Agg canvas (an independent rendering). Panels are chosen to cover
every panel, so every case of the blitter (kept layers, new axes states, titles drawn each
frame, pictures drawn ahead) is met.
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


def _panel_names():
    from widgets.panels import _WHERE

    return sorted(n for n in _WHERE if n.endswith("_panel"))


def _move(ctrl, rng) -> None:
    """Change one control as a user would: a slider by 1 or 3 steps, a choice to another option."""
    if isinstance(ctrl, (base.ipw.Dropdown, base.ipw.ToggleButtons)):
        options = [o[1] if isinstance(o, tuple) else o for o in ctrl.options]
        ctrl.value = options[int(rng.integers(len(options)))]
    else:
        ctrl.value = type(ctrl.value)(np.clip(ctrl.value + ctrl.step * rng.choice([-3, -1, 1, 3]),
                                              ctrl.min, ctrl.max))


@pytest.mark.parametrize("name", _panel_names())
def test_blitted_frames_equal_a_full_draw(name, monkeypatch):
    """Every frame of a random control sequence equals a full draw of the same figure.

    Covers the blitter's cases across all panels: artists redrawn over kept layers, axes whose
    limits change (new layers; revisited states reuse them), titles that name the setting, static
    artists above changing ones pasted as sprites (legends, labels, spines), and drawn-ahead
    pictures (TWITCH_LIVE=1, as under `make live`)."""
    monkeypatch.setenv("TWITCH_LIVE", "1")
    panel = _panel(name)
    controls = [c for c in panel.controls.values() if isinstance(c, (
        base.ipw.FloatSlider, base.ipw.IntSlider, base.ipw.Dropdown, base.ipw.ToggleButtons))]
    rng = np.random.default_rng(0)
    for i in range(6):
        _move(controls[i % len(controls)], rng)
        blitter = base._blitter(panel.fig)
        shown = np.asarray(blitter.canvas.buffer_rgba()).copy()
        reference = _full_draw(panel.fig)
        panel.fig.set_canvas(blitter.canvas)  # keep the blitter (it is tied to its canvas)
        # sprites are composited in floating point: a pixel may round 1-2 levels (of 255) off
        differs = np.abs(shown.astype(int) - reference.astype(int)).max(axis=2) > 2
        assert differs.mean() < 1e-4, f"move {i}: {100 * differs.mean():.3f} % of pixels differ"
    assert blitter.blits >= 3, "the panel was not blitted"


def test_revisited_axes_state_reuses_its_layer():
    """Nudging a slider back to a setting it showed draws nothing new (the layer is kept)."""
    panel = _panel("twitch_summation_panel")
    rate = panel.controls["rate_hz"]
    low, high = rate.min + 2 * rate.step, rate.max - 2 * rate.step  # summation: unlike y-limits
    counts = []
    for v in (low, high, low, high):
        rate.value = v
        counts.append(base._blitter(panel.fig).layer_draws)
    assert counts[1] > counts[0], "a new axes state must draw a new layer"
    assert counts[3] == counts[2] == counts[1], counts


def test_image_is_the_canvas_as_png():
    from io import BytesIO

    from PIL import Image

    panel = _panel("base_rate_panel")
    png = base.png_bytes(np.asarray(base._blitter(panel.fig).canvas.buffer_rgba()))
    decoded = np.asarray(Image.open(BytesIO(png)).convert("RGB"))
    assert np.array_equal(decoded, _full_draw(panel.fig)[..., :3])


def test_png_encoder_round_trips_any_pixels():
    """The hand-written encoder (unfiltered rows, zlib) decodes, in Pillow, to the same RGB."""
    from io import BytesIO

    from PIL import Image

    rgba = np.random.default_rng(0).integers(0, 256, (37, 53, 4), dtype=np.uint8)
    image = Image.open(BytesIO(base.png_bytes(rgba)))
    assert image.size == (53, 37) and image.mode == "RGB"
    assert np.array_equal(np.asarray(image), rgba[..., :3])


def test_slider_label_sits_above_a_full_width_track():
    from widgets.models.validation import ValidRange

    s = base.slider("P(twitching + weakness + wasting | no ALS)", ValidRange(0, 1, "", 0.5),
                    step=0.01)
    assert s.description.startswith("P(twitching")  # the accessible name is kept
    assert s.layout.flex_flow == "row wrap" and s.style.description_width == "100%"
    assert s.layout.width == "100%"
