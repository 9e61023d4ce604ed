"""What every panel shares: sliders built from model ranges, and a figure shown as an image.

A panel holds no physiology. It maps its controls to model arguments, calls the model,
updates the existing matplotlib artists (``set_data``; no full re-plot per tick) and
shows the figure as a PNG inside an ``ipywidgets.HTML`` ``<img>`` that carries alt text.
Because the image lives in the widget state, the built (static) book shows the panel's
default state; the panel's *static twin* (a small-multiples figure) shows the effect of
the controls without a kernel.

Redraws are fast (live teaching promises a new figure within 100 ms of a key press): a
:class:`Blitter` keeps the rendered figure without the artists that change, and on each frame
draws only those over it (matplotlib's blitting: ``copy_from_bbox``/``restore_region`` and
``draw_artist``), then encodes the PNG with fast compression. Anything it cannot blit exactly
(axis limits or ticks changed, artists added or removed, figure-level text) gets a full draw.

Sliders put their label on a line of its own above a track that fills the panel's width (at
least :data:`MIN_TRACK_px`), so long labels never squeeze the track.
"""

from __future__ import annotations

import base64
import html
import io
import time
from collections.abc import Callable

import ipywidgets as ipw
import numpy as np

from widgets.models.validation import ValidRange

#: Narrowest slider track (px) a panel shows; below this a slider cannot be set precisely.
MIN_TRACK_px = 160
#: Width of the number shown after the track (ipywidgets' readout, px), and a panel's widest row.
_READOUT_px = 64
_MAX_ROW_px = 720


#: Panel CSS (shipped in the panel itself, so it applies in JupyterLab and in stored widget views):
#: a slider's row wraps, its label takes the first line, left-aligned and allowed to wrap; the
#: row grows to fit both lines (ipywidgets fixes it at one line's height).
PANEL_CSS = """<style>
.twitch-panel .widget-hslider { flex-wrap: wrap; height: auto !important; align-items: center; }
.twitch-panel .widget-hslider > .widget-label { flex: 0 0 100%; width: 100% !important;
  max-width: 100%; text-align: left; white-space: normal; line-height: 1.35; height: auto; }
.twitch-panel .widget-hslider > .slider-container { flex: 1 1 auto; min-width: %dpx; }
</style>"""


def slider_layout(ctrl: ipw.Widget) -> ipw.Widget:
    """Give a slider its label on a line above, and a track that fills the width.

    The slider's row wraps (``flex-flow: row wrap``) and its description takes the full width,
    so the track and readout share the next line whatever the label's length. The control
    keeps its ``description`` (it is the slider's accessible name).
    """
    ctrl.layout = ipw.Layout(width="100%", max_width=f"{_MAX_ROW_px}px",
                             min_width=f"{MIN_TRACK_px + _READOUT_px}px", flex_flow="row wrap")
    ctrl.style = {"description_width": "100%"}
    return ctrl


def slider(description: str, valid: ValidRange, *, step: float, value: float | None = None,
           readout_format: str = ".2f") -> ipw.FloatSlider:
    """A float slider spanning exactly a model's valid range, labelled with its unit."""
    label = f"{description} ({valid.unit})" if valid.unit else description
    if value is None:
        value = valid.default if valid.default is not None else valid.low
    return slider_layout(ipw.FloatSlider(
        value=value, min=valid.low, max=valid.high, step=step, description=label,
        readout_format=readout_format, continuous_update=True))


def freeze_layout(fig) -> None:
    """Lay ``fig`` out once, then keep that layout, so redraws stay cheap.

    Removes minor ticks (log axes otherwise re-layout their labels on every frame), lets
    constrained layout settle (it needs two passes) and switches the layout engine off.
    """
    from matplotlib.ticker import NullLocator

    for ax in fig.axes:
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_minor_locator(NullLocator())
    fig.draw_without_rendering()
    fig.draw_without_rendering()
    fig.set_layout_engine(None)


class Blitter:
    """Render a figure again after some of its artists changed, drawing only what changed.

    After each frame every artist is marked clean (``stale = False``); matplotlib marks an
    artist stale when it is changed (``set_data``, ``set_width``, ``set_text``...). On the next
    frame, per axes:

    - stale artists inside an axes whose limits, ticks and children are unchanged are redrawn
      with everything drawn above them in that axes (higher ``zorder``), so the stacking is
      exactly matplotlib's;
    - an axes whose limits or ticks changed, or that gained or lost an artist, is redrawn whole
      (``draw_artist(ax)``: patch, artists, axes, labels).

    These become the *animated* set: the figure is drawn once without them and that picture is
    kept (the background); each later frame restores it and draws the animated set, in
    matplotlib's order. A change outside the axes (figure text, an axes moved or added) gets a
    full draw. Blitting assumes axes do not overlap (panels lay axes out side by side).
    """

    def __init__(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.whole: set[int] = set()           # ids of axes redrawn whole each frame
        self.partial: dict[int, list] = {}     # axes id -> its artists redrawn each frame
        self.background = None
        self._state: dict = {}
        self.full_draws = 0
        self.blits = 0

    def _axes(self):
        from matplotlib.axes import Axes

        return sorted((c for c in self.fig.get_children() if isinstance(c, Axes)),
                      key=lambda c: c.get_zorder())

    @staticmethod
    def _ax_state(ax):
        return (ax.viewLim.bounds, [id(k) for k in ax.get_children()])

    def _changed(self):
        """``(axes to redraw whole, {axes: stale artists})``, or None for a full draw."""
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis
        from matplotlib.spines import Spine

        if [id(c) for c in self.fig.get_children()] != self._state.get("children"):
            return None
        whole, partial = set(), {}
        for child in self.fig.get_children():
            if not isinstance(child, Axes):
                if child.stale:
                    return None
                continue
            if child.get_position().bounds != self._state.get(("pos", id(child))):
                return None
            if self._ax_state(child) != self._state.get(id(child)):
                whole.add(child)
                continue
            if not child.stale:
                continue
            stale = [a for a in child.get_children() if a.stale]
            if any(isinstance(a, (Axis, Spine, Axes)) or a is child.patch for a in stale):
                whole.add(child)
            elif stale:
                partial[child] = stale
        return whole, partial

    def _remember(self) -> None:
        self._state = {"children": [id(c) for c in self.fig.get_children()]}
        for ax in self._axes():
            self._state[id(ax)] = self._ax_state(ax)
            self._state[("pos", id(ax))] = ax.get_position().bounds
        for a in self.fig.findobj():
            a.stale = False

    def _above(self, ax, artists) -> list:
        """``artists`` and everything drawn above them in ``ax``, in matplotlib's draw order.

        That includes the spines drawn above them (a shaded span at ``zorder`` 1 lies under the
        spines, at 2.5, as in a full draw) and text inside the plotting area, but not the axes'
        ticks and tick labels, nor titles and labels outside the plotting area: redrawing those
        would cost as much as the rest of the frame, and an artist overlaps a tick mark only
        where it runs into the frame's edge (a few pixels of a frame).
        """
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis
        from matplotlib.text import Text

        ids = {id(a) for a in artists}
        renderer = self.canvas.get_renderer()

        def wanted(k):
            if id(k) in ids:
                return True
            if k is ax.patch or isinstance(k, (Axis, Axes)):
                return False
            if isinstance(k, Text):
                return bool(k.get_text()) and k.get_window_extent(renderer).overlaps(ax.bbox)
            return True

        z = min(a.get_zorder() for a in artists)
        # Axes.draw sorts its artists by zorder: a stable sort of get_children().
        return sorted((k for k in ax.get_children() if k.get_zorder() >= z and wanted(k)),
                      key=lambda k: k.get_zorder())

    def _draw_animated(self) -> None:
        for ax in self._axes():
            if id(ax) in self.whole:
                self.fig.draw_artist(ax)
            else:
                for a in self.partial.get(id(ax), ()):
                    if a.get_visible():
                        self.fig.draw_artist(a)

    def _animated_artists(self) -> list:
        out = []
        for ax in self._axes():
            out += [ax] if id(ax) in self.whole else self.partial.get(id(ax), [])
        return out

    def _full_draw(self) -> None:
        self.canvas.draw()
        self.background, self.whole, self.partial = None, set(), {}
        self.full_draws += 1

    def _new_background(self) -> None:
        animated = self._animated_artists()
        for a in animated:
            a.set_animated(True)
        try:
            self.canvas.draw()
            self.background = self.canvas.copy_from_bbox(self.fig.bbox)
        finally:
            for a in animated:
                a.set_animated(False)
        self._draw_animated()
        self.full_draws += 1

    def render(self) -> np.ndarray:
        """Bring the canvas up to date; return its pixels (RGBA, height x width x 4)."""
        changed = self._changed() if self._state else None
        if changed is None:
            self._full_draw()
        elif changed[0] or changed[1]:
            whole, partial = changed
            covered = all(id(ax) in self.whole for ax in whole) and all(
                id(ax) in self.whole or {id(a) for a in arts} <= {
                    id(a) for a in self.partial.get(id(ax), ())}
                for ax, arts in partial.items())
            if covered and self.background is not None:
                self.canvas.restore_region(self.background)
                self._draw_animated()
                self.blits += 1
            else:
                self.whole |= {id(ax) for ax in whole}
                for ax, arts in partial.items():
                    if id(ax) not in self.whole:
                        self.partial[id(ax)] = self._above(
                            ax, [*self.partial.get(id(ax), []), *arts])
                self._new_background()
        self._remember()
        return np.asarray(self.canvas.buffer_rgba())


def _blitter(fig) -> Blitter:
    blitter = getattr(fig, "_twitch_blitter", None)
    if blitter is None or blitter.canvas is not fig.canvas:
        blitter = Blitter(fig)
        fig._twitch_blitter = blitter
    return blitter


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode canvas pixels as an RGB PNG with fast compression (a few ms for a panel)."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(rgba[..., :3]).save(buf, format="png", compress_level=1)
    return buf.getvalue()


def figure_to_img_html(fig, alt: str) -> str:
    """Render a figure (blitting what changed) to PNG, wrapped in an ``<img>`` with alt text."""
    rgba = _blitter(fig).render()
    data = base64.b64encode(png_bytes(rgba)).decode("ascii")
    height, width = rgba.shape[:2]
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
            f'width="{width}" height="{height}" '
            f'style="max-width:100%;height:auto;background:white">')


class FigurePanel:
    """Controls + a figure image + an optional text readout, wired to an ``update`` callback.

    Parameters
    ----------
    controls
        Named ipywidgets value controls; their names are the keyword arguments of ``update``.
    fig
        A matplotlib figure whose artists ``update`` modifies in place.
    update
        ``update(**values) -> (alt_text, readout_html)``: calls the model, updates the
        artists, and returns the alt text for the image and the readout (HTML, may be "").
    title
        Shown above the controls.
    """

    def __init__(self, controls: dict[str, ipw.ValueWidget], fig,
                 update: Callable[..., tuple[str, str]], *, title: str = ""):
        self.controls = controls
        self.fig = fig
        self._update = update
        self.image = ipw.HTML()
        self.readout = ipw.HTML()
        self.last_duration_ms = float("nan")
        self.last_result = None  # set by update callbacks that want tests to inspect it
        header = [ipw.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        # A <style> applies from anywhere in the page, even inside a hidden element.
        css = ipw.HTML(PANEL_CSS.replace("%dpx", f"{MIN_TRACK_px}px"),
                       layout=ipw.Layout(display="none"))
        for ctrl in controls.values():
            if isinstance(ctrl, (ipw.FloatSlider, ipw.IntSlider)):
                slider_layout(ctrl)
        self.widget = ipw.VBox(header + [ipw.VBox(list(controls.values())), self.readout,
                                         self.image, css])
        self.widget.add_class("twitch-panel")
        for ctrl in controls.values():
            ctrl.observe(self._on_change, names="value")
        self.redraw()

    def values(self) -> dict[str, object]:
        return {name: ctrl.value for name, ctrl in self.controls.items()}

    def redraw(self) -> None:
        """Recompute and redraw from the current control values."""
        t0 = time.perf_counter()
        alt, readout = self._update(**self.values())
        self.image.value = figure_to_img_html(self.fig, alt)
        if self.fig.get_layout_engine() is not None:
            # Lay the figure out once, then freeze it: a layout engine would move the axes on
            # later draws, and every move costs a full draw instead of a blit.
            self.fig.set_layout_engine(None)
        self.readout.value = readout
        self.last_duration_ms = 1e3 * (time.perf_counter() - t0)

    def set(self, **values) -> None:
        """Set several controls at once and redraw once (used by tests and benchmarks)."""
        for name, ctrl in self.controls.items():
            if name in values:
                ctrl.unobserve(self._on_change, names="value")
                try:
                    ctrl.value = values[name]
                finally:
                    ctrl.observe(self._on_change, names="value")
        self.redraw()

    def _on_change(self, _change) -> None:
        self.redraw()

    def _ipython_display_(self):
        # Two readers: JupyterLab shows the widget; when the notebook runs for the book, the same
        # output also carries the kernel-free book panel (widgets/panels/book.py).
        from widgets.panels.book import display_panel

        display_panel(self)
