"""Long traces drawn as envelopes, and the nice axis limits (widgets/figures/traces.py).

The envelope is checked against a brute-force loop over the bins (an independent calculation),
and drawn: at the axes' own resolution the picture matches the full trace's.
"""

from __future__ import annotations

import numpy as np
import pytest

from widgets.figures import traces
from widgets.figures.style import new_figure


def test_envelope_keeps_each_bins_min_and_max():
    rng = np.random.default_rng(3)
    t = np.arange(10_007) * 0.1
    v = rng.normal(size=t.size)
    v[4321] = 25.0  # one spike must survive
    tt, vv = traces.envelope(t, v, 100)
    edges = np.linspace(0, t.size, 101).astype(int)
    for k in range(100):
        chunk = v[edges[k]:edges[k + 1]]
        assert vv[2 * k] == chunk.min() and vv[2 * k + 1] == chunk.max()
        assert tt[2 * k] == pytest.approx(t[edges[k]:edges[k + 1]].mean())
    assert vv.max() == 25.0 and vv.min() == v.min()  # every sample is in some bin


def test_short_trace_is_returned_whole():
    t, v = np.arange(50.0), np.sin(np.arange(50.0))
    tt, vv = traces.envelope(t, v, 100)
    assert np.array_equal(tt, t) and np.array_equal(vv, v)


def test_envelope_rejects_bad_input():
    with pytest.raises(ValueError, match="n_bins"):
        traces.envelope(np.arange(10.0), np.arange(10.0), 0)
    with pytest.raises(ValueError, match="one length"):
        traces.envelope(np.arange(10.0), np.arange(9.0), 2)


def test_screen_envelope_draws_the_same_picture():
    """A 180,000-point trace and its screen envelope give (almost) the same pixels."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    rng = np.random.default_rng(0)
    t = np.linspace(0.0, 90.0, 180_000)
    v = 0.05 * rng.normal(size=t.size)
    v[rng.integers(0, t.size, 40)] += rng.uniform(0.3, 1.0, 40)
    pictures = []
    for thin in (False, True):
        fig, ax = new_figure(1, 1, width_in=8.0, height_in=2.5)
        ax.set(xlim=(0, 90), ylim=(-1.2, 1.2))
        xy = traces.screen_envelope(ax, t, v) if thin else (t, v)
        if thin:
            assert xy[0].size < t.size / 20
        ax.plot(*xy, color="black", linewidth=0.6)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        pictures.append(np.asarray(canvas.buffer_rgba())[..., :3].astype(int))
    dark = [(p.sum(axis=2) < 384) for p in pictures]  # pixels the trace makes dark
    assert (dark[0] != dark[1]).mean() < 0.01
    assert dark[0].sum() > 0


@pytest.mark.parametrize("x, nice", [(0.93, 1.0), (1.0, 1.0), (1.01, 1.2), (1.3, 1.5),
                                     (2.6, 3.0), (7.0, 8.0), (8.5, 10.0), (0.0123, 0.015),
                                     (4321.0, 5000.0)])
def test_nice_ceiling(x, nice):
    assert traces.nice_ceiling(x) == pytest.approx(nice)


def test_nice_ceiling_rejects_non_positive():
    for bad in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="above 0"):
            traces.nice_ceiling(bad)
