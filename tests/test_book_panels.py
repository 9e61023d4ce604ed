"""Kernel-free book panels (widgets/panels/book.py): the grid, the cache, the output bundle, and
the numbers each book panel stores, compared with the models called directly.

The browser half (the page shows these numbers after its controls move, offline, from file://)
is tests/browser/test_book_panels.py.
"""

from __future__ import annotations

import html
import json
import math
import re

import pytest

from tests.book_parity import PARITY, sample_settings
from widgets.panels import book
from widgets.panels.book import BookControl, BookPanel, grid_points


def _controls():
    return [BookControl("a", "A", (1.0, 2.0, 3.0), 2.0, fmt="{:.1f}"),
            BookControl("b", "B", (10, 20), 10),
            BookControl("c", "C", ("x", "y"), "x")]


def test_blocks_vary_jointly_and_hold_the_others_at_default():
    pts = grid_points(_controls(), [("a", "b"), ("c",)])
    # a x b jointly (3 x 2) with c at default, then c alone (its default point already there)
    assert len(pts) == 3 * 2 + 1
    assert (1, 0, 0) in pts and (0, 1, 0) in pts and (1, 0, 1) in pts
    assert (0, 0, 1) not in pts          # a moved together with c: not in any block


def test_block_value_subsets_must_contain_the_default_and_cover_every_value():
    c = _controls()
    assert len(grid_points(c, [{"a": None, "b": None, "c": ("x", "y")}])) == 12
    with pytest.raises(ValueError, match="include the default"):
        grid_points(c, [{"a": (1.0,)}, ("a", "b", "c")])
    with pytest.raises(ValueError, match=r"'a'.*in no block"):
        grid_points(c, [{"a": (2.0, 3.0)}, ("b", "c")])
    with pytest.raises(ValueError, match="unknown control"):
        grid_points(c, [("a", "b", "c", "d")])
    with pytest.raises(ValueError, match="not one of its grid values"):
        BookControl("a", "A", (1.0, 2.0), 1.5)


def _varying(data, ds, field, p):
    """The stored array of one field at point p (plain per-point list, or table + index)."""
    v = data["data"][ds]["varying"][field]
    return v[p] if isinstance(v, list) else v["table"][v["index"][p]]


def _toy_panel(calls):
    def evaluate(a, b, c):
        calls.append((a, b, c))
        return {"readout": f"{a * b:.1f} {c}", "alt": f"alt {a}",
                "data": {"line": {"x": [0, 1, 2], "y": [a, b, math.nan]}}}
    return BookPanel(key="toy", title="Toy", controls=_controls(), blocks=[("a", "b"), ("c",)],
                     evaluate=evaluate, charts=[{"data": {"name": "line"}, "mark": "line"}],
                     decimals={"line": {"y": 1}}, grid_note="a and b jointly; c alone")


def test_grid_is_cached_on_disk_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv(book.CACHE_ENV, str(tmp_path))
    stale = tmp_path / "toy-0123456789abcdef0123.json"     # from an older package source
    stale.write_text("{}")
    other = tmp_path / "toy-seed1-0123456789abcdef0123.json"  # another panel's grid
    other.write_text("{}")
    calls: list = []
    first = _toy_panel(calls).compute()
    assert not stale.exists() and other.exists()
    assert len(calls) == 7 and len(list(tmp_path.glob("toy-*.json"))) == 2
    again = _toy_panel(calls).compute()
    assert len(calls) == 7, "second computation did not come from the cache"
    assert again == first
    # arrays equal at every point are stored once; the NaN becomes a gap (None)
    assert first["data"]["line"]["shared"]["x"] == [0, 1, 2]
    assert [_varying(first, "line", "y", p)[2] for p in range(7)] == [None] * 7
    # an array that repeats across points is stored once: b takes 2 values -> 2 distinct "y"
    assert len(first["data"]["line"]["varying"]["y"]["table"]) == 3 * 2
    p = first["points"].index([2, 1, 0])
    assert first["readout"][p] == f"{3.0 * 20:.1f} x"


def test_html_is_self_contained_and_states_its_grid(tmp_path, monkeypatch):
    monkeypatch.setenv(book.CACHE_ENV, str(tmp_path))
    page = _toy_panel([]).html()
    assert "precomputed" in page and "7 settings" in page and "a and b jointly" in page
    assert "JupyterLab" in page and "nothing is interpolated" in page
    assert page.count('type="range"') == 2 and page.count("<select") == 1
    assert "http://" not in page and "https://" not in page
    payload = page.split('class="twitch-bp-data">', 1)[1].split("</script>", 1)[0]
    cfg = json.loads(payload.replace("<\\/", "</"))
    assert cfg["charts"][0]["datasets"] == ["line"]
    assert cfg["controls"][0]["labels"] == ["1.0", "2.0", "3.0"]


def test_book_mode_output_carries_widget_view_and_html(monkeypatch, tmp_path):
    from IPython.core.interactiveshell import InteractiveShell

    from widgets.panels.denervation import denervation_panel

    monkeypatch.setenv(book.CACHE_ENV, str(tmp_path))
    monkeypatch.setenv(book.BOOK_MODE_ENV, "1")
    shell = InteractiveShell.instance()
    published = []
    monkeypatch.setattr(shell.display_pub, "publish",
                        lambda data, metadata=None, **kw: published.append(data))
    panel = denervation_panel()
    panel.book = lambda: _toy_panel([])
    book.display_panel(panel)
    panel.book = None
    book.display_panel(panel)
    live, snap = published
    for bundle in published:
        assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "data-twitch-book-panel" in live["text/html"]
    assert "Snapshot, not live" in snap["text/html"] and "<input" not in snap["text/html"]


# ------------------------------------------------------------ stored numbers = the models'
@pytest.mark.parametrize("key", sorted(PARITY))
def test_book_panel_stores_the_models_numbers(key):
    """At sampled grid points (the lessons' "Try this" settings among them), the readout the book
    stores shows the models' own numbers, at the live panel's precision (tests/book_parity.py)."""
    make, expected, asked = PARITY[key]
    bp = make()
    data = bp.compute()
    for s in sample_settings(bp, asked):
        p = data["points"].index([c.values.index(s[c.name]) for c in bp.controls])
        shown = html.unescape(re.sub(r"<[^>]+>", "", data["readout"][p]))  # text as displayed
        for text in expected(s):
            assert text in shown, f"{key} at {s}: {text!r} not in the readout {shown!r}"


def test_electrolyte_bars_are_the_models_threshold_ratio():
    from widgets.models import motor_axon as ma
    from widgets.panels.electrolytes import electrolyte_book_panel

    bp = electrolyte_book_panel()
    data = bp.compute()
    normal = ma.threshold_readouts({})[1]
    for s in ({"K": 2.5}, {"Ca": 0.6}, {"K": 7.0, "Ca": 0.5}):
        full = {c.name: s.get(c.name, c.default) for c in bp.controls}
        p = data["points"].index([c.values.index(full[c.name]) for c in bp.controls])
        thr = ma.threshold_readouts(full)[1]
        pct = _varying(data, "bars", "pct", p)[0]
        # the bar is drawn to at most 250 % (the axis end), as in the live panel
        expected = min(100 * thr / normal, 250.0) if math.isfinite(thr) else 250.0
        assert pct == pytest.approx(expected, abs=0.05)


def test_book_refreshes_the_inlined_page_script_and_keeps_one_copy():
    """An execution cache may hold panel outputs made with an older page script: the book's
    extension puts the current script and style in, once per page."""
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("panels_ext", ROOT / "book/_ext/panels.py")
    ext = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ext)
    old = ('<div data-twitch-book-panel="a"><style data-twitch-asset="book_panel.css">old{}'
           '</style><script data-twitch-asset="book_panel.js">var old = 1;</script></div>')
    body = ext.refresh_assets(old + old.replace('"a"', '"b"'))
    current_js = (ROOT / "widgets/panels/book_panel.js").read_text()
    current_css = (ROOT / "widgets/panels/book_panel.css").read_text()
    assert "var old" not in body and "old{}" not in body
    assert body.count(current_js) == 1 and body.count(current_css) == 1
    assert body.count("<div data-twitch-book-panel=") == 2  # both panels kept
    assert book.asset_tag("book_panel.js").startswith('<script data-twitch-asset="book_panel.js">')


def test_emg_book_panel_axes_are_the_live_panels():
    """For the same setting, the kernel-free EMG panel's y-limits (EMG and MUAP) are the ones the
    live panel draws, read back from its matplotlib axes; before, the book used 1.3 x the peak
    and let Vega round it, so the two axes differed."""
    from widgets.models.motor_units import FuglevandPool
    from widgets.panels.emg import _book_charts, book_setting, emg_panel

    live = emg_panel()
    ax, ax_muap = live.fig.axes[:2]
    pool = FuglevandPool(seed=0)
    for electrode, activity, excitation, rate in (("needle", "voluntary", 8.0, 1.0),
                                                  ("surface", "voluntary", 30.0, 1.0),
                                                  ("needle", "fasciculation", 8.0, 3.0),
                                                  ("surface", "fasciculation", 8.0, 0.5)):
        for name, value in (("electrode", electrode), ("activity", activity),
                            ("excitation", excitation), ("fp_rate_hz", rate)):
            live.controls[name].value = value
        stored = book_setting(electrode, activity, excitation, rate, seed=0, pool=pool)["data"]
        assert tuple(stored["lim"]["mV"]) == pytest.approx(ax.get_ylim())
        assert tuple(stored["muap_lim"]["mV"]) == pytest.approx(ax_muap.get_ylim())
    spec = json.dumps(_book_charts())
    assert spec.count('"nice": false') >= 2  # Vega must not round the limits again
