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
``draw_artist``), then encodes the PNG with fast compression (:func:`png_bytes`). Anything it
cannot blit exactly (axis limits or ticks changed, artists added or removed, figure-level text)
gets a full draw.

The first change of a panel is the costly one (the blitter finds what changes, draws the figure
without it and a picture of each changing axes: 150-900 ms), and so is the first visit to an
axes state (a new y-limit). Live in JupyterLab (``TWITCH_LIVE=1``) a panel therefore *primes*
itself once it is shown: in the kernel's idle time, one setting at a time (a key press waits for
at most one), it computes and draws the settings a first press reaches (each control one and
two steps either side of its value, each option of a choice; :func:`neighbour_settings`) and
keeps their model results (:class:`Memo`), so that the first presses cost what any later one
does.

Sliders put their label on a line of its own above a track that fills the panel's width (at
least :data:`MIN_TRACK_px`), so long labels never squeeze the track.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import os
import struct
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable

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


class Memo:
    """``fn`` with the results of its last ``maxsize`` settings kept, for one live panel.

    A panel's model function is deterministic (every generator seeded), so a setting shown
    before (a slider nudged back, or a setting primed ahead) need not be computed again. Float
    arguments are compared rounded to 9 decimals: a slider's front end steps from its minimum
    (1.5 + 26 x 0.1 = 4.1000000000000005) where Python steps from the value (4.0 + 0.1 = 4.1),
    and both are the same setting. ``hits`` and ``misses`` count look-ups (tests read them).
    """

    def __init__(self, fn: Callable, maxsize: int = 128):
        functools.update_wrapper(self, fn)
        self.fn, self.maxsize = fn, maxsize
        self._kept: OrderedDict = OrderedDict()
        self.hits = self.misses = 0

    @staticmethod
    def _key_part(value):
        return round(value, 9) if isinstance(value, float) else value

    def __call__(self, *args, **kwargs):
        key = (tuple(map(self._key_part, args)),
               tuple(sorted((k, self._key_part(v)) for k, v in kwargs.items())))
        if key in self._kept:
            self.hits += 1
            self._kept.move_to_end(key)
            return self._kept[key]
        self.misses += 1
        result = self.fn(*args, **kwargs)
        self._kept[key] = result
        while len(self._kept) > self.maxsize:
            self._kept.popitem(last=False)
        return result

    def __len__(self) -> int:
        return len(self._kept)


#: Steps either side of a slider's value that a live panel primes, in this order.
PRIME_STEPS = (1, -1, 2, -2)
#: Options of a choice (drop-down, toggle buttons) primed; a longer list is primed in part.
PRIME_MAX_OPTIONS = 12
#: Seconds between a panel being shown (or one primed setting) and the next primed setting.
PRIME_DELAY_s = 0.02
#: Priming waits until no panel of the kernel has redrawn for this long (s): it never runs
#: between the presses of someone moving a control.
PRIME_QUIET_s = 0.5
#: When a panel of this process last redrew for a change of its controls (time.monotonic()).
_last_redraw = [0.0]


def _choices(ctrl) -> list:
    return [o[1] if isinstance(o, tuple) else o for o in ctrl.options]


def step_value(ctrl, steps: int):
    """The value ``steps`` steps of ``ctrl`` (a slider) from its value; None beyond its range."""
    value = ctrl.value + steps * ctrl.step
    if isinstance(ctrl, ipw.IntSlider):
        value = int(value)
    else:
        value = round(value, 10)
    return value if ctrl.min <= value <= ctrl.max else None


def neighbour_settings(controls: dict[str, ipw.ValueWidget]) -> list[dict]:
    """The settings a panel's first presses reach from its controls' values: first all
    controls moved at once (so that every artist that changes is found in one picture), then
    each slider :data:`PRIME_STEPS` steps away and each other option of each choice (the other
    controls at their values). Settings are given as the changed controls only."""
    sliders = {n: c for n, c in controls.items() if isinstance(c, (ipw.FloatSlider,
                                                                  ipw.IntSlider))}
    choices = {n: c for n, c in controls.items()
               if isinstance(c, (ipw.Dropdown, ipw.ToggleButtons)) and len(c.options) > 1}
    together = {}
    for name, ctrl in sliders.items():
        v = step_value(ctrl, 1)
        together[name] = v if v is not None else step_value(ctrl, -1)
    for name, ctrl in choices.items():
        options = _choices(ctrl)
        together[name] = options[(options.index(ctrl.value) + 1) % len(options)]
    out = [{k: v for k, v in together.items() if v is not None}]
    for steps in PRIME_STEPS:
        for name, ctrl in sliders.items():
            v = step_value(ctrl, steps)
            if v is not None:
                out.append({name: v})
    for name, ctrl in choices.items():
        out += [{name: o} for o in _choices(ctrl)[:PRIME_MAX_OPTIONS] if o != ctrl.value]
    return [s for s in out if s]


def _kernel_loop():
    """The event loop of the IPython kernel this runs in (its main thread), or None."""
    try:
        from IPython import get_ipython

        return getattr(getattr(get_ipython(), "kernel", None), "io_loop", None)
    except Exception:  # noqa: BLE001 - no IPython, or no kernel: prime at once
        return None


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

    matplotlib marks an artist *stale* when it is changed (``set_data``, ``set_width``,
    ``set_text``, ``set_ylim``...); after each frame every artist is marked clean. An axes in which
    anything ever changes becomes *dynamic*, and so does each artist that was ever stale in it
    (with everything drawn above it in that axes: higher ``zorder``, so the stacking is
    matplotlib's). A frame is then composed of three kinds of cached pictures:

    - the *base*: the figure drawn once without its dynamic axes (static axes, figure texts);
    - one *layer* per dynamic axes and *axes state* (limits, tick locators and formatters, the
      texts of its title and labels, its children): the axes drawn without its dynamic artists,
      kept as the pixels in which it differs from the base. An axes whose limits change draws
      each new state once; returning to a state it has shown (the same trace, the same nice
      y-limit) reuses the picture. At most :attr:`MAX_LAYERS` states are kept per axes;
    - the dynamic artists themselves, drawn over the layers every frame.

    A change outside the axes (a figure-level text, an axes moved, added or removed) gets a full
    draw and clears the caches. Assumptions, stated: a tick label changes only with the axes'
    limits, locator or formatter (what panels do), and axes do not overlap (panels lay axes out
    side by side; a pixel drawn by two axes' layers shows the later one).
    """

    #: Layers kept per axes (each is at most the figure's size in RGBA: about 1.5 MB for a panel).
    MAX_LAYERS = 24

    def __init__(self, fig):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.dynamic_axes: set[int] = set()    # ids of axes in which something changed
        self.dynamic: dict[int, list] = {}     # axes id -> its artists drawn every frame
        self.changing: dict[int, set] = {}     # axes id -> ids of its artists that ever changed
        self.base = None                       # the figure without its dynamic axes (region)
        self._base_rgba = None                 # ... and as pixels, to find each layer's pixels
        self.layers: dict[int, OrderedDict] = {}  # axes id -> state -> (rows, cols, rgba, mask)
        self._state: dict = {}
        self.full_draws = 0    # whole-figure draws (first frame, figure-level changes, new base)
        self.layer_draws = 0   # axes drawn into a new layer (an axes state not seen before)
        self.blits = 0         # frames composed from cached pictures (with or without new layers)

    def _axes(self):
        from matplotlib.axes import Axes

        return sorted((c for c in self.fig.get_children() if isinstance(c, Axes)),
                      key=lambda c: c.get_zorder())

    @staticmethod
    def _ax_state(ax) -> tuple:
        """What an axes' layer depends on besides its dynamic artists (see the class notes)."""
        return (ax.viewLim.bounds, tuple(id(k) for k in ax.get_children()),
                (ax.xaxis.label.get_text(), ax.yaxis.label.get_text()),
                tuple(id(f) for axis in (ax.xaxis, ax.yaxis) for f in (
                    axis.get_major_locator(), axis.get_major_formatter())),
                ax.get_visible())

    @staticmethod
    def _decoration(ax, artist) -> bool:
        """Parts of an axes that its layer's state key describes (never made dynamic)."""
        from matplotlib.axes import Axes
        from matplotlib.axis import Axis

        return isinstance(artist, (Axis, Axes)) or artist is ax.patch

    @staticmethod
    def _is_title(ax, artist) -> bool:
        return artist is ax.title or artist is ax._left_title or artist is ax._right_title

    def _figure_changed(self) -> bool:
        from matplotlib.axes import Axes

        if [id(c) for c in self.fig.get_children()] != self._state.get("children"):
            return True
        for child in self.fig.get_children():
            if not isinstance(child, Axes):
                if child.stale:
                    return True
            elif child.get_position().bounds != self._state.get(("pos", id(child))):
                return True
        return False

    def _update_dynamic(self) -> bool:
        """Mark what changed since the last frame as dynamic; True if the base must be redrawn."""
        new_base = False
        for ax in self._axes():
            key = id(ax)
            children = ax.get_children()
            alive = {id(k) for k in children}
            changing = {i for i in self.changing.get(key, ()) if i in alive}
            self.changing[key] = changing
            if key in self.dynamic:  # artists removed from the axes are no longer drawn
                self.dynamic[key] = [a for a in self.dynamic[key] if id(a) in alive]
            new = [a for a in children if a.stale and not self._decoration(ax, a)
                   and id(a) not in changing]
            if new:
                changing |= {id(a) for a in new}
                known = {id(d) for d in self.dynamic.get(key, ())}
                if any(id(a) not in known for a in new):
                    # A title that changes (it names the setting) is drawn every frame, alone:
                    # it lies outside the plotting area, so nothing in the axes is drawn above it.
                    titles = [a for a in children if id(a) in changing and self._is_title(ax, a)]
                    inside = [a for a in children
                              if id(a) in changing and not self._is_title(ax, a)]
                    self.dynamic[key] = (self._above(ax, inside) if inside else []) + titles
                    self.layers.pop(key, None)  # the kept layers hold these artists
                for entry in self.layers.get(key, {}).values():  # overlays now changing
                    for a in new:
                        entry[4].pop(id(a), None)
            if key not in self.dynamic_axes and (
                    new or self._ax_state(ax) != self._state.get(key)):
                self.dynamic_axes.add(key)
                new_base = True
        return new_base or self.base is None

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
        ticks and tick labels, nor titles and labels outside the plotting area: those are in the
        axes' layer, and an artist overlaps a tick mark only where it runs into the frame's edge
        (a few pixels of a frame).
        """
        from matplotlib.text import Text

        ids = {id(a) for a in artists}
        renderer = self.canvas.get_renderer()

        def wanted(k):
            if id(k) in ids:
                return True
            if self._decoration(ax, k) or self._is_title(ax, k):
                return False
            if isinstance(k, Text):
                return bool(k.get_text()) and k.get_window_extent(renderer).overlaps(ax.bbox)
            return True

        z = min(a.get_zorder() for a in artists)
        # Axes.draw sorts its artists by zorder: a stable sort of get_children().
        return sorted((k for k in ax.get_children() if k.get_zorder() >= z and wanted(k)),
                      key=lambda k: k.get_zorder())

    def _set_animated(self, artists, value: bool) -> None:
        for a in artists:
            a.set_animated(value)

    def _full_draw(self) -> None:
        self.canvas.draw()
        self.dynamic_axes, self.dynamic, self.changing, self.layers = set(), {}, {}, {}
        self.base = self._base_rgba = None
        self.full_draws += 1

    def _new_base(self) -> None:
        axes = [ax for ax in self._axes() if id(ax) in self.dynamic_axes]
        self._set_animated(axes, True)
        try:
            self.canvas.draw()
        finally:
            self._set_animated(axes, False)
        self.base = self.canvas.copy_from_bbox(self.fig.bbox)
        self._base_rgba = np.asarray(self.canvas.buffer_rgba()).copy()
        self.layers = {}
        self.full_draws += 1

    def _new_layer(self, ax) -> tuple:
        """Draw ``ax`` without its dynamic artists over the base; keep where it differs."""
        self.canvas.restore_region(self.base)
        dynamic = self.dynamic.get(id(ax), [])
        self._set_animated(dynamic, True)
        try:
            self.fig.draw_artist(ax)
        finally:
            self._set_animated(dynamic, False)
        rgba = np.asarray(self.canvas.buffer_rgba())
        # one 32-bit word per pixel: a single comparison per pixel instead of four
        differs = rgba.view(np.uint32)[..., 0] != self._base_rgba.view(np.uint32)[..., 0]
        rows, cols = np.flatnonzero(differs.any(axis=1)), np.flatnonzero(differs.any(axis=0))
        self.layer_draws += 1
        if rows.size == 0:
            return slice(0, 0), slice(0, 0), rgba[:0, :0].copy(), differs[:0, :0], {}
        r, c = slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1)
        return r, c, rgba[r, c].copy(), differs[r, c].copy(), {}

    def _sprite(self, artist):
        """``artist`` drawn alone over white and over black, as ``(rows, cols, over_black,
        gain)``: its pixels over any picture ``under`` are ``over_black + gain * under`` (Agg's
        blending is linear per channel, so two backgrounds determine it). None if the artist has
        no extent to cut out."""
        try:
            box = artist.get_window_extent(self.canvas.get_renderer())
        except Exception:  # noqa: BLE001 - an artist without an extent is simply drawn
            return None
        height, width = self._base_rgba.shape[:2]
        if not np.all(np.isfinite(box.extents)):
            return None
        x0, y0, x1, y1 = box.extents
        r = slice(max(0, int(height - y1) - 4), min(height, int(np.ceil(height - y0)) + 4))
        c = slice(max(0, int(x0) - 4), min(width, int(np.ceil(x1)) + 4))
        if r.start >= r.stop or c.start >= c.stop:
            return None
        rgba = np.asarray(self.canvas.buffer_rgba())
        saved = rgba[r, c].copy()
        over = []
        for level in (255, 0):
            rgba[r, c, :3] = level
            rgba[r, c, 3] = 255
            self.fig.draw_artist(artist)
            over.append(rgba[r, c, :3].astype(np.float32))
        rgba[r, c] = saved
        white, black = over
        return r, c, black, (white - black) / 255.0

    def _paste_sprite(self, layer, artist) -> bool:
        """Composite ``artist``'s kept sprite over the canvas; False if it has none."""
        sprites = layer[4]
        if id(artist) not in sprites:
            sprites[id(artist)] = self._sprite(artist)
        sprite = sprites[id(artist)]
        if sprite is None:
            return False
        r, c, black, gain = sprite
        rgba = np.asarray(self.canvas.buffer_rgba())
        under = rgba[r, c, :3].astype(np.float32)
        rgba[r, c, :3] = np.clip(black + gain * under + 0.5, 0, 255).astype(np.uint8)
        return True

    def _layer(self, ax) -> tuple:
        kept = self.layers.setdefault(id(ax), OrderedDict())
        state = self._ax_state(ax)
        if state in kept:
            kept.move_to_end(state)
        else:
            kept[state] = self._new_layer(ax)
            while len(kept) > self.MAX_LAYERS:
                kept.popitem(last=False)
        return kept[state]

    def render(self) -> np.ndarray:
        """Bring the canvas up to date; return its pixels (RGBA, height x width x 4)."""
        if not self._state or self._figure_changed():
            self._full_draw()
        else:
            if self._update_dynamic():
                self._new_base()
            axes = [ax for ax in self._axes() if id(ax) in self.dynamic_axes]
            layers = [self._layer(ax) for ax in axes]  # (new layers draw over the base)
            self.canvas.restore_region(self.base)
            rgba = np.asarray(self.canvas.buffer_rgba())
            for ax, layer in zip(axes, layers, strict=True):
                r, c, pixels, mask, _ = layer
                rgba[r, c][mask] = pixels[mask]
                if not ax.get_visible():
                    continue
                changing = self.changing.get(id(ax), set())
                for a in self.dynamic.get(id(ax), ()):
                    if not a.get_visible():
                        continue
                    # what changes is drawn; what is only drawn above it is pasted (a sprite)
                    if id(a) in changing or not self._paste_sprite(layer, a):
                        self.fig.draw_artist(a)
            self.blits += 1
        self._remember()
        return np.asarray(self.canvas.buffer_rgba())


def _blitter(fig) -> Blitter:
    blitter = getattr(fig, "_twitch_blitter", None)
    if blitter is None or blitter.canvas is not fig.canvas:
        blitter = Blitter(fig)
        fig._twitch_blitter = blitter
    return blitter


def _png_chunk(tag: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + tag + data
            + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF))


def png_bytes(rgba: np.ndarray) -> bytes:
    """Encode canvas pixels as an RGB PNG, fast: every row unfiltered, zlib at level 1.

    Pillow (``compress_level=1``) chooses a filter per row, which costs more than it saves on a
    panel's flat colours and thin lines: this encoder is 1.3-3x faster and its files are as
    small or smaller (motor-unit pool: 102 KB in 24 ms against 124 KB in 37 ms, on a busy
    machine). A PNG is a header chunk, the zlib-compressed rows (each led by its filter type,
    0) and an end chunk (PNG specification, W3C 2003, sections 5 and 11).
    """
    height, width = rgba.shape[:2]
    raw = np.empty((height, 1 + 3 * width), np.uint8)
    raw[:, 0] = 0  # filter type: none
    raw[:, 1:] = np.asarray(rgba)[..., :3].reshape(height, 3 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + _png_chunk(b"IEND", b""))


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
    prerender
        Settings (control name -> value, for some controls) whose pictures are drawn ahead, when
        the panel runs live in JupyterLab (``TWITCH_LIVE=1``, set by ``make live``): a panel with
        a few discrete settings that each change the axes (ten numbered traces) then answers its
        first visit to each as fast as a revisit. Elsewhere (tests, nbval, the book) nothing is
        drawn ahead.
    model
        The :class:`Memo` that ``update`` calls the model through, if any (its counts show
        whether primed settings are found again; see :meth:`prime`).

    Live (``TWITCH_LIVE=1``), the panel also primes the settings its first presses reach
    (:meth:`prime`, :func:`neighbour_settings`): in a kernel, in its idle time after the panel
    is shown; elsewhere (a benchmark, a test) at once.
    """

    def __init__(self, controls: dict[str, ipw.ValueWidget], fig,
                 update: Callable[..., tuple[str, str]], *, title: str = "",
                 prerender: list[dict] | None = None, model: Memo | None = None):
        self.controls = controls
        self.fig = fig
        self._update = update
        self.model = model
        self.primed = 0  # settings primed so far (see prime)
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
        live = os.environ.get("TWITCH_LIVE") == "1"
        if prerender and live:
            self.prerender(prerender)
        self.redraw()
        if live:
            self.prime()

    def prime(self, settings: Iterable[dict] | None = None, loop=None) -> None:
        """Compute and draw ``settings`` (default: :func:`neighbour_settings`) without showing
        them, so that the blitter keeps their pictures and :attr:`model` their results.

        A setting names the controls it changes (``{}``: the setting shown, drawn last so that
        coming back to it is primed too).
        In a kernel (``loop``: its event loop, found by default) one setting runs per turn of
        the loop, and only once no panel has redrawn for :data:`PRIME_QUIET_s`, so a key press
        waits for one setting at most, and presses in a row for none; without a loop all run
        now. After each, the figure is set back to the controls' current values. Best effort:
        a setting that fails ends the priming.
        """
        # the neighbours, then the setting shown (its axes' picture, for coming back to it)
        pending = list(neighbour_settings(self.controls) + [{}] if settings is None
                       else settings)
        start = self.values()
        loop = _kernel_loop() if loop is None else loop

        def one() -> bool:
            if not pending:
                return False
            setting = {**start, **pending.pop(0)}
            try:
                self._update(**setting)
                _blitter(self.fig).render()
                self.primed += 1
                self._update(**self.values())
            except Exception:  # noqa: BLE001 - priming only costs (or saves) time
                pending.clear()
                with contextlib.suppress(Exception):
                    self._update(**self.values())
            return bool(pending)

        if loop is None:
            while one():
                pass
            return

        def turn():
            wait = PRIME_QUIET_s - (time.monotonic() - _last_redraw[0])
            if wait > 0:  # someone is moving a control (of any panel): after they pause
                loop.call_later(wait, turn)
            elif one():
                loop.call_later(PRIME_DELAY_s, turn)

        loop.call_later(PRIME_DELAY_s, turn)

    def prerender(self, settings: list[dict]) -> None:
        """Draw the pictures of ``settings`` into the blitter's kept layers (no image is shown)."""
        start = self.values()
        blitter = _blitter(self.fig)
        if not blitter._state:  # the first frame lays the figure out
            self._update(**start)
            blitter.render()
            if self.fig.get_layout_engine() is not None:
                self.fig.set_layout_engine(None)
        for setting in settings:
            self._update(**{**start, **setting})
            blitter.render()
        self._update(**start)

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
        _last_redraw[0] = time.monotonic()

    def _ipython_display_(self):
        # Two readers: JupyterLab shows the widget; when the notebook runs for the book, the same
        # output also carries the kernel-free book panel (widgets/panels/book.py).
        from widgets.panels.book import display_panel

        display_panel(self)
