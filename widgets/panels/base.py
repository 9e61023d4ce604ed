"""What every panel shares: sliders built from model ranges, and a figure shown as an image.

A panel holds no physiology. It maps its controls to model arguments, calls the model,
updates the existing matplotlib artists (``set_data``; no full re-plot per tick) and
shows the figure as a PNG inside an ``ipywidgets.HTML`` ``<img>`` that carries alt text.
Because the image lives in the widget state, the built (static) book shows the panel's
default state; the panel's *static twin* (a small-multiples figure) shows the effect of
the controls without a kernel.
"""

from __future__ import annotations

import base64
import html
import io
import time
from collections.abc import Callable

import ipywidgets as ipw

from widgets.models.validation import ValidRange


def slider(description: str, valid: ValidRange, *, step: float, value: float | None = None,
           readout_format: str = ".2f") -> ipw.FloatSlider:
    """A float slider spanning exactly a model's valid range, labelled with its unit."""
    label = f"{description} ({valid.unit})" if valid.unit else description
    if value is None:
        value = valid.default if valid.default is not None else valid.low
    return ipw.FloatSlider(
        value=value, min=valid.low, max=valid.high, step=step, description=label,
        readout_format=readout_format, continuous_update=True,
        style={"description_width": "initial"}, layout=ipw.Layout(width="420px"),
    )


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


def figure_to_img_html(fig, alt: str) -> str:
    """Render a figure to PNG and wrap it in an ``<img>`` with escaped alt text."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt, quote=True)}" '
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
        self.widget = ipw.VBox(header + [ipw.VBox(list(controls.values())), self.readout,
                                         self.image])
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
            # Lay the figure out once, then freeze it: a layout engine makes every savefig draw
            # twice, which would double the cost of each redraw.
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
