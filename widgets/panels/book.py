"""Kernel-free book panels: a panel's ``readouts()`` over a grid, drawn by Vega-Lite in the page.

A panel has two readers. In JupyterLab its ipywidgets version calls the panel module's
``readouts(**controls)`` on every change (computed by the kernel). In the static book the same
cell also writes one self-contained ``text/html`` output, built here:

* the panel module's ``readouts`` evaluated over the panel's **control grid** when the notebook
  executes (one *block* of controls at a time: the controls of a block vary jointly, every other
  control stays at its default);
* the numbers the panel shows at each grid point (the readout HTML, formatted by the same
  function as the live panel's readout, and the arrays its chart draws), stored as JSON;
* one Vega-Lite spec per chart (written with Altair), and a small script that, when a control
  moves, **selects** the stored grid point (no interpolation: each slider step is one grid point)
  and hands its arrays to the chart. No physiology runs in the browser.

The book prefers this HTML to the widget view (``nb_mime_priority_overrides`` in
``_config.yml``); JupyterLab shows the widget. The grid is computed only when the notebook runs
for the book (``TWITCH_BOOK_PANELS=1``: set by the book's Sphinx extension ``book/_ext/panels.py``
and by ``make nbval``), never in a live session, and it is cached on disk keyed by a hash of the
package source, so nbval and the book build compute each grid once between them.

A panel with no book version is shown in the book as a labelled **snapshot** (its starting
image and readout, no controls), never as stored controls that move nothing.
"""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import math
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

BOOK_MODE_ENV = "TWITCH_BOOK_PANELS"
CACHE_ENV = "TWITCH_PANEL_CACHE"
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: Shown inside every book panel: how to run it live.
LIVE_HINT = ("To run the model live at any value, open this lesson in JupyterLab (the launch "
             "button at the top of the page, or <code>make live</code>).")


def book_mode() -> bool:
    """True when the notebook is being executed for the book (or nbval): write book panels."""
    return os.environ.get(BOOK_MODE_ENV, "") not in ("", "0")


@dataclass(frozen=True)
class BookControl:
    """One control of a book panel: the grid values it can take and how the live panel labels it.

    ``values`` are the grid points (numbers for a slider, strings for a choice). ``fmt`` formats a
    value exactly as the live control's readout does (e.g. ``"{:.2f}"`` for a FloatSlider with
    ``readout_format=".2f"``).
    """

    name: str
    label: str
    values: tuple
    default: object
    fmt: str = "{}"
    unit: str = ""
    #: False for a control that changes only the readout text (e.g. an answer to check)
    chart: bool = True

    def __post_init__(self):
        if self.default not in self.values:
            raise ValueError(f"control {self.name!r}: default {self.default!r} is not one of its "
                             f"grid values {self.values!r}")

    @property
    def numeric(self) -> bool:
        return not isinstance(self.values[0], str)

    def label_of(self, value) -> str:
        return self.fmt.format(value)


def normalise_blocks(controls: Sequence[BookControl], blocks) -> list[dict[int, list[int]]]:
    """Blocks as ``{control index: [allowed value indices]}``.

    A block is a sequence of control names (each over all its grid values) or a mapping
    ``name -> values`` (``None``: all its grid values; a tuple: only those, which must include
    the default, so that a block always contains the all-defaults setting).
    """
    names = [c.name for c in controls]
    out = []
    for block in blocks:
        items = block.items() if isinstance(block, dict) else ((n, None) for n in block)
        nb: dict[int, list[int]] = {}
        for name, subset in items:
            if name not in names:
                raise ValueError(f"block {block!r} names unknown control {name!r}")
            c = controls[names.index(name)]
            if subset is None:
                nb[names.index(name)] = list(range(len(c.values)))
                continue
            missing = [v for v in subset if v not in c.values]
            if missing or c.default not in subset:
                raise ValueError(f"block values for {name!r} must be grid values and include "
                                 f"the default {c.default!r}; got {tuple(subset)!r}")
            nb[names.index(name)] = sorted(c.values.index(v) for v in subset)
        out.append(nb)
    for k, c in enumerate(controls):
        reach = {i for b in out for i in b.get(k, ())}
        if reach != set(range(len(c.values))):
            raise ValueError(f"control {c.name!r}: grid values "
                             f"{[c.values[i] for i in sorted(set(range(len(c.values))) - reach)]}"
                             " are in no block")
    return out


def grid_points(controls: Sequence[BookControl], blocks) -> list[tuple[int, ...]]:
    """Index tuples of every grid point: each block's controls jointly, the others at default.

    Points shared by two blocks (the all-defaults point, at least) appear once, in first-seen order.
    """
    defaults = [c.values.index(c.default) for c in controls]
    seen: dict[tuple[int, ...], None] = {}
    for block in normalise_blocks(controls, blocks):
        ks = list(block)
        for combo in itertools.product(*(block[k] for k in ks)):
            pt = list(defaults)
            for k, i in zip(ks, combo, strict=True):
                pt[k] = i
            seen.setdefault(tuple(pt), None)
    return list(seen)


#: Files that only draw (chart specs, the page script and style): not part of the cache key.
DRAWING_ONLY = {"panels/book_charts.py", "panels/book_panel.js", "panels/book_panel.css"}


def _source_hash() -> str:
    """Hash of the package's source (every .py under widgets/ except the drawing-only files): the
    cache's key, so any change to a model, a figure helper or a panel recomputes the grids."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*.py")):
        rel = p.relative_to(PACKAGE_DIR).as_posix()
        if "__pycache__" not in p.parts and rel not in DRAWING_ONLY:
            h.update(rel.encode())
            h.update(p.read_bytes())
    h.update(np.__version__.encode())
    return h.hexdigest()


#: Folder (under the Sphinx output's ``_static``) that holds the panels' sound files.
SOUND_FOLDER = "panel-sounds"


def sound_dir() -> Path:
    """Where the panels' sound files are written: ``sounds/`` of :func:`cache_dir` (the book's
    extension copies the ones a page uses into ``_static/panel-sounds``), else a temporary
    folder."""
    base = cache_dir()
    folder = base / "sounds" if base is not None else Path(tempfile.gettempdir()) / "twitch-sounds"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_sound(mp3: bytes) -> str:
    """Write one setting's sound (MP3 bytes) once, named by its content; return the file name."""
    name = hashlib.sha1(mp3).hexdigest()[:16] + ".mp3"
    path = sound_dir() / name
    if not path.exists():
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(mp3)
        os.replace(tmp, path)
    return name


def cache_dir() -> Path | None:
    """Where computed grids are kept: ``$TWITCH_PANEL_CACHE``, else ``_build/panel-cache`` of the
    checkout the package lives in, else the user's cache folder; None when none is writable."""
    env = os.environ.get(CACHE_ENV)
    candidates = [Path(env)] if env else []
    candidates += [PACKAGE_DIR.parent / "_build" / "panel-cache",
                   Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "twitch-panels"]
    for d in candidates:
        try:
            d.mkdir(parents=True, exist_ok=True)
            if os.access(d, os.W_OK):
                return d
        except OSError:
            continue
    return None


def _round(values, decimals: int):
    """JSON-ready list: rounded to ``decimals``; NaN and infinities become None (a gap); strings
    (category labels) as they are."""
    values = list(values) if not isinstance(values, np.ndarray) else values
    if len(values) and isinstance(values[0], str):
        return [str(v) for v in values]
    arr = np.asarray(values, dtype=float).ravel()
    out = np.round(arr, decimals)
    return [None if not math.isfinite(v) else (int(v) if decimals <= 0 else float(v))
            for v in out.tolist()]


@dataclass
class BookPanel:
    """A kernel-free panel: controls, grid blocks, an ``evaluate`` function and chart specs.

    Parameters
    ----------
    key
        Short name (cache file name, element ids).
    title
        Shown at the top, as in the live panel.
    controls, blocks
        The grid (see :func:`grid_points`); ``blocks`` names the controls that vary jointly.
    evaluate
        ``evaluate(**setting) -> {"readout": html, "alt": text, "data": {dataset: {field:
        array}}}`` where ``readout`` is the live panel's readout HTML for that setting (made by
        the same function) and ``data`` the arrays the charts draw.
    charts
        Vega-Lite specs (dicts, e.g. ``altair.Chart(...).to_dict()``), each drawing named
        datasets (``{"data": {"name": ...}}``).
    decimals
        ``{dataset: {field: decimals}}``: precision at which chart arrays are stored (what the
        chart can show; the readout text keeps the live panel's formatting).
    grid_note
        Says, in words, which controls vary jointly and which one at a time.
    sound_label, sound_description, no_sound_note
        For a panel whose ``evaluate`` also returns ``"sound"`` (MP3 bytes, or None where a
        setting has none): the player's label (with its length, "2 s"), what to listen for, and
        what to say where a setting has no sound.
    """

    key: str
    title: str
    controls: Sequence[BookControl]
    blocks: Sequence[Sequence[str]]
    evaluate: Callable[..., dict]
    charts: Sequence[dict]
    decimals: dict = field(default_factory=dict)
    grid_note: str = ""
    wide: Sequence[int] = ()
    sound_label: str = "Listen to this setting"
    sound_description: str = ""
    no_sound_note: str = "This setting has no sound."

    # ------------------------------------------------------------------ computing the grid
    def points(self) -> list[tuple[int, ...]]:
        return grid_points(self.controls, self.blocks)

    def setting(self, point: Sequence[int]) -> dict:
        return {c.name: c.values[i] for c, i in zip(self.controls, point, strict=True)}

    def _grid_id(self) -> str:
        spec = json.dumps({"key": self.key, "controls": [(c.name, list(c.values), c.default)
                                                         for c in self.controls],
                           "blocks": [repr(b) for b in self.blocks], "decimals": self.decimals},
                          sort_keys=True, default=str)
        return hashlib.sha256((spec + _source_hash()).encode()).hexdigest()[:20]

    def compute(self) -> dict:
        """Evaluate every grid point (or read them from the on-disk cache)."""
        directory = cache_dir()
        path = directory / f"{self.key}-{self._grid_id()}.json" if directory else None
        if path is not None and path.exists():
            try:
                cached = json.loads(path.read_text())
                if all((sound_dir() / n).exists() for n in cached.get("sounds", []) if n):
                    return cached
            except (OSError, ValueError):
                pass
        result = self._compute()
        if path is not None:
            # write atomically: two notebooks (nbval workers) may compute the same grid at once
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w") as f:
                json.dump(result, f, separators=(",", ":"))
            os.replace(tmp, path)
            # grids of this panel computed from older package sources are never read again
            for old in path.parent.glob(f"{self.key}-*.json"):
                if old != path and old.stem.removeprefix(f"{self.key}-").isalnum():
                    old.unlink(missing_ok=True)
        return result

    def _compute(self) -> dict:
        pts = self.points()
        readout, alt, series, sounds = [], [], {}, []
        for p in pts:
            out = self.evaluate(**self.setting(p))
            readout.append(out["readout"])
            alt.append(out["alt"])
            if "sound" in out:
                sounds.append(store_sound(out["sound"]) if out["sound"] else None)
            for ds, fields in out["data"].items():
                for name, values in fields.items():
                    dec = self.decimals.get(ds, {}).get(name, 3)
                    series.setdefault(ds, {}).setdefault(name, []).append(_round(values, dec))
        data = {}
        for ds, fields in series.items():
            shared, varying = {}, {}
            for name, per_point in fields.items():
                if all(v == per_point[0] for v in per_point):
                    shared[name] = per_point[0]
                    continue
                # each distinct array once ("table"), and which one each point uses ("index"):
                # e.g. a curve that depends on one control only is stored once per value of it
                table: dict[str, int] = {}
                index = [table.setdefault(json.dumps(v), len(table)) for v in per_point]
                if len(table) < len(per_point):
                    varying[name] = {"table": [json.loads(k) for k in table], "index": index}
                else:
                    varying[name] = per_point
            data[ds] = {"shared": shared, "varying": varying}
        result = {"points": [list(p) for p in pts], "readout": readout, "alt": alt, "data": data}
        if sounds:
            result["sounds"] = sounds
        return result

    # ------------------------------------------------------------------------- the HTML
    def config(self) -> dict:
        """Everything the page's script needs (controls, grid, numbers, chart specs)."""
        computed = self.compute()
        controls = [{"name": c.name, "label": c.label, "numeric": c.numeric, "chart": c.chart,
                     "labels": [c.label_of(v) for v in c.values],
                     "valuetexts": [f"{c.label_of(v)} {c.unit}".strip() for v in c.values],
                     "default": c.values.index(c.default)} for c in self.controls]
        blocks = [{str(k): v for k, v in b.items()}
                  for b in normalise_blocks(self.controls, self.blocks)]
        charts = [{"spec": spec, "datasets": _datasets_of(spec)} for spec in self.charts]
        return {"key": self.key, "controls": controls, "blocks": blocks, "charts": charts,
                **computed}

    def html(self) -> str:
        cfg = self.config()
        digest = hashlib.sha1(json.dumps(cfg["points"]).encode()).hexdigest()[:6]
        uid = f"twitch-bp-{self.key}-{digest}"
        default = tuple(c["default"] for c in cfg["controls"])
        p0 = [tuple(p) for p in cfg["points"]].index(default)
        n_points = len(cfg["points"])
        rows = []
        for k, c in enumerate(self.controls):
            cid = f"{uid}-c{k}"
            label = html.escape(c.label + (f" ({c.unit})" if c.unit else ""))
            i0 = c.values.index(c.default)
            if c.numeric:
                lo, hi = c.label_of(c.values[0]), c.label_of(c.values[-1])
                ctrl = (f'<input type="range" id="{cid}" data-control="{k}" min="0" '
                        f'max="{len(c.values) - 1}" step="1" value="{i0}" '
                        f'aria-valuetext="{html.escape(cfg["controls"][k]["valuetexts"][i0])}">'
                        f'<output for="{cid}" class="twitch-bp-value">'
                        f'{html.escape(c.label_of(c.default))}</output>'
                        f'<span class="twitch-bp-range">{len(c.values)} steps, '
                        f'{html.escape(lo)} to {html.escape(hi)}</span>')
            else:
                opts = "".join(f'<option value="{i}"{" selected" if i == i0 else ""}>'
                               f'{html.escape(c.label_of(v))}</option>'
                               for i, v in enumerate(c.values))
                ctrl = f'<select id="{cid}" data-control="{k}">{opts}</select>'
            rows.append(f'<div class="twitch-bp-control"><label for="{cid}">{label}</label>'
                        f'{ctrl}</div>')
        charts = "".join(
            f'<div class="twitch-bp-cell{" twitch-bp-wide" if i in self.wide else ""}">'
            f'<p class="twitch-bp-caption">'
            f'{html.escape(spec.get("usermeta", {}).get("caption", ""))}</p>'
            f'<div class="twitch-bp-chart"></div></div>' for i, spec in enumerate(self.charts))
        payload = json.dumps(cfg, separators=(",", ":"), allow_nan=False).replace("</", "<\\/")
        note = (f"<b>Live in this page, precomputed.</b> The model was run in Python for "
                f"{n_points:,} settings when this page was built ({html.escape(self.grid_note)}). "
                "Each position of a control is one of those settings; nothing is interpolated, "
                f"and no model runs in your browser. {LIVE_HINT}")
        return (
            f'<div class="twitch-bp" id="{uid}" data-twitch-book-panel="{self.key}">'
            f'{asset_tag("book_panel.css")}'
            f'<p class="twitch-bp-title">{html.escape(self.title)}</p>'
            f'<p class="twitch-bp-note">{note}</p>'
            '<p class="twitch-bp-nojs">This panel needs JavaScript to respond; the static '
            'figure next to it shows the same model at representative settings.</p>'
            '<div class="twitch-bp-live" hidden>'
            f'<div class="twitch-bp-controls">{"".join(rows)}</div>'
            '<p class="twitch-bp-status" role="status"></p>'
            f'<div class="twitch-bp-readout" aria-live="polite">{cfg["readout"][p0]}</div>'
            f'{self._sound_html(cfg, p0, uid)}'
            f'<div class="twitch-bp-charts" role="img" '
            f'aria-label="{html.escape(cfg["alt"][p0], quote=True)}">{charts}</div>'
            '</div>'
            f'<script type="application/json" class="twitch-bp-data">{payload}</script>'
            f'{asset_tag("book_panel.js")}'
            '</div>')

    def _sound_html(self, cfg: dict, p0: int, uid: str) -> str:
        """A native player for the current setting's sound (its file is chosen by the page's
        script as the controls move; never autoplays), or nothing if the panel has no sounds.
        ``data-twitch-sound`` names the starting file; the book's extension turns it into a
        ``src`` relative to the page, so the player works before the script has run."""
        names = cfg.get("sounds")
        if not names:
            return ""
        used = " ".join(sorted({n for n in names if n}))
        first = names[p0]
        label = html.escape(self.sound_label, quote=True)
        return (f'<div class="twitch-bp-sound" data-twitch-sounds="{used}">'
                f'<p class="twitch-bp-sound-label" id="{uid}-sound">{label}</p>'
                f'<audio controls preload="none" aria-label="{label}" '
                f'aria-describedby="{uid}-sound-what"'
                + (f' data-twitch-sound="{first}"' if first else " hidden") + '></audio>'
                f'<p class="twitch-bp-sound-what" id="{uid}-sound-what">'
                f'{html.escape(self.sound_description)}</p>'
                f'<p class="twitch-bp-nosound"{"" if not first else " hidden"}>'
                f'{html.escape(self.no_sound_note)}</p></div>')

    def _repr_html_(self) -> str:
        return self.html()


def _datasets_of(spec) -> list[str]:
    """Names of the named datasets a Vega-Lite spec draws (``{"data": {"name": ...}}``)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            d = node.get("data")
            if isinstance(d, dict) and "name" in d and d["name"] not in found:
                found.append(d["name"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(spec)
    return found


def _asset(name: str) -> str:
    return resources.files("widgets.panels").joinpath(name).read_text(encoding="utf-8")


#: Attribute that marks the page script and style inlined in a panel's output. The book's
#: extension (book/_ext/panels.py) refreshes marked tags from these files when it writes a page
#: (an execution cache may hold outputs made with an older script) and keeps one copy per page.
ASSET_ATTR = "data-twitch-asset"


def asset_tag(name: str) -> str:
    """``<style>`` or ``<script>`` holding one of the panels' page files, marked by name."""
    tag = "style" if name.endswith(".css") else "script"
    return f'<{tag} {ASSET_ATTR}="{name}">{_asset(name)}</{tag}>'


# ------------------------------------------------------------------ display: two readers
def snapshot_html(panel) -> str:
    """A stored panel that is not live in the book: its starting image and readout, labelled as a
    snapshot, with no controls to drag."""
    return (
        '<div class="twitch-bp twitch-bp-snapshot" data-twitch-book-snapshot="1">'
        f'{asset_tag("book_panel.css")}'
        '<p class="twitch-bp-note"><b>Snapshot, not live.</b> This is the panel at its starting '
        f'settings; its controls are not shown because they would not respond here. {LIVE_HINT}'
        '</p>'
        f'<div class="twitch-bp-readout">{panel.readout.value}</div>'
        f'{panel.image.value}</div>')


def display_panel(panel) -> None:
    """Display a live panel; when executed for the book, add its book version to the same output.

    The output bundle then carries the widget view (JupyterLab shows it) and a ``text/html``
    alternative (the book shows it): the kernel-free panel if the panel has one
    (``panel.book``, a callable returning a :class:`BookPanel`), else a labelled snapshot.
    """
    from IPython.display import display

    if not book_mode():
        display(panel.widget)
        return
    bundle = dict(panel.widget._repr_mimebundle_())
    maker = getattr(panel, "book", None)
    bundle["text/html"] = maker().html() if maker is not None else snapshot_html(panel)
    display(bundle, raw=True)
