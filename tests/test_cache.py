"""The on-disk model memo (widgets/cache.py) that `make live` switches on with TWITCH_CACHE_DIR."""

from __future__ import annotations

import pytest

from widgets import cache
from widgets.models import ectopic


def _counted():
    calls = []

    @cache.disk_cached
    def slow(conc=None, duration_s=1.0, seed=0):
        calls.append((conc, duration_s, seed))
        if duration_s < 0:
            raise ValueError("duration_s must be >= 0")
        return {"n": len(calls), "duration_s": duration_s}

    return slow, calls


def test_off_without_the_environment_variable(monkeypatch):
    monkeypatch.delenv(cache.ENV, raising=False)
    slow, calls = _counted()
    slow()
    slow()
    assert len(calls) == 2


def test_stores_and_reads_back(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    slow, calls = _counted()
    first = slow({"K": 4.0, "Ca": 1.2}, duration_s=2.0)
    again = slow({"Ca": 1.2, "K": 4.0}, 2.0)  # same arguments, other order and form
    assert again == first and len(calls) == 1
    slow({"K": 4.1, "Ca": 1.2}, duration_s=2.0)
    assert len(calls) == 2
    with pytest.raises(ValueError):
        slow(duration_s=-1.0)
    with pytest.raises(ValueError):  # failures are not stored
        slow(duration_s=-1.0)
    assert len(calls) == 4


def test_a_model_change_invalidates(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    slow, calls = _counted()
    slow()
    monkeypatch.setattr(cache, "models_digest", lambda: "other model code")
    slow()
    assert len(calls) == 2


def test_cached_rate_equals_a_fresh_simulation(monkeypatch, tmp_path):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    conc = {"Ca": 0.6}
    stored = ectopic.spontaneous_rate_hz(conc, duration_s=2.0, seed=3)
    read = ectopic.spontaneous_rate_hz(conc, duration_s=2.0, seed=3)
    assert list(tmp_path.iterdir())
    fresh = ectopic.spontaneous_rate_hz.uncached(conc, duration_s=2.0, seed=3)
    assert stored == read == fresh
