"""Synthetic movement traces (fasciculation ... periodic limb movements) and the classify panel.

Anchors: the defining features published for each phenomenon (cited per test), measured on
the synthetic signals independently of how they were generated (peak detection, spectra).
"""

from __future__ import annotations

import math

import matplotlib
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

matplotlib.use("Agg")

from tests.conftest import PANEL_SWEEP_EXAMPLES
from widgets.models import emg, movements  # noqa: E402
from widgets.panels import classify  # noqa: E402
from widgets.quiz import load_quiz  # noqa: E402


def _peaks(rec, threshold_mV):
    """Onset times (s) of EMG excursions beyond threshold, merging samples < 20 ms apart."""
    idx = np.nonzero(np.abs(rec.emg_mV) > threshold_mV)[0]
    if idx.size == 0:
        return np.zeros(0)
    starts = idx[np.insert(np.diff(idx) > 0.02 * (1 / (rec.t_s[1] - rec.t_s[0])), 0, True)]
    return rec.t_s[starts]


def test_fasciculation_is_one_normal_unit_at_irregular_times():
    # Daube & Rubin 2009: a fasciculation potential is a whole motor-unit potential (normal
    # needle MUAP 0.2-3 mV, 5-15 ms), firing irregularly; it does not move the joint.
    rec = movements.simulate("fasciculation", seed=1)
    p2p = []
    for on in _peaks(rec, 0.2):
        w = rec.emg_mV[(rec.t_s > on - 0.01) & (rec.t_s < on + 0.02)]
        p2p.append(w.max() - w.min())
    assert len(p2p) >= 3
    lo, hi = emg.NEEDLE_MUAP_AMPLITUDE_NORMAL_MV.low, emg.NEEDLE_MUAP_AMPLITUDE_NORMAL_MV.high
    assert all(lo <= v <= hi for v in p2p)
    intervals = np.diff(_peaks(rec, 0.2))
    assert np.std(intervals) / np.mean(intervals) > 0.4  # irregular, Poisson-like
    assert movements.event_features(rec).peak_angle_deg < 0.5


def test_fibrillation_is_tiny_brief_and_regular():
    # Daube & Rubin 2009: fibrillation potentials are single-fibre spikes (tens to a few
    # hundred uV, 1-5 ms) that fire regularly; invisible through the skin.
    rec = movements.simulate("fibrillation", seed=2)
    assert np.ptp(rec.emg_mV) < 0.2
    on = _peaks(rec, 0.03)
    assert on.size >= 3
    iv = np.diff(on)
    assert np.std(iv) / np.mean(iv) < 0.1
    assert 1.0 <= movements.event_features(rec).median_event_ms <= 5.0
    assert movements.event_features(rec).peak_angle_deg < 0.5


def test_myoclonus_bursts_are_10_to_50_ms():
    # Eberhardt & Topka 2017: myoclonic EMG bursts are typically 10-50 ms.
    rec = movements.simulate("myoclonus", seed=3)
    assert np.all((rec.event_durations_s >= 0.010) & (rec.event_durations_s <= 0.050))
    # the burst is visible in the EMG itself: active samples of one burst span <= 50 ms
    on = _peaks(rec, 0.1)
    assert on.size == rec.event_onsets_s.size


def test_tic_bursts_longer_than_myoclonus():
    # McGurrin et al. 2020: tics look like quick voluntary movements, about 50-200 ms.
    rec = movements.simulate("tic", seed=4)
    assert np.all((rec.event_durations_s >= 0.05) & (rec.event_durations_s <= 0.2))


def test_tremor_is_rhythmic_at_5_hz_by_spectrum():
    # Bhatia et al. 2018: tremor is rhythmic and oscillatory. Independent check: the joint
    # angle's spectral peak (FFT, after removing the mean) is at the burst frequency, 5 Hz.
    rec = movements.simulate("tremor", seed=5)
    x = rec.angle_deg - rec.angle_deg.mean()
    f = np.fft.rfftfreq(x.size, d=1 / movements.MOVEMENT_FS_HZ)
    peak = f[np.argmax(np.abs(np.fft.rfft(x))[1:]) + 1]
    assert peak == pytest.approx(5.0, abs=0.35)


def test_periodic_limb_movements_follow_wasm_rules():
    # Ferri et al. 2016 (WASM): leg movements 0.5-10 s, >= 4 in a series, onset-to-onset
    # intervals 10-90 s.
    rec = movements.simulate("periodic limb movements", seed=6)
    assert rec.event_onsets_s.size >= 4
    assert np.all((rec.event_durations_s >= 0.5) & (rec.event_durations_s <= 10.0))
    iv = np.diff(rec.event_onsets_s)
    assert np.all((iv >= 10.0) & (iv <= 90.0))


def test_cramp_is_sustained_and_moves_the_joint():
    # Cramp: many units for seconds, a sustained contraction that moves the joint.
    rec = movements.simulate("cramp", seed=7)
    held = rec.angle_deg > 10.0
    assert held.sum() / movements.MOVEMENT_FS_HZ > 2.0
    active = np.abs(rec.emg_mV) > 0.2
    assert rec.t_s[active][-1] - rec.t_s[active][0] > 2.5


def test_chorea_is_irregular_in_timing_and_direction():
    # Cardoso et al. 2006: a random flow of brief contractions.
    rec = movements.simulate("chorea", seed=8)
    assert movements.event_features(rec).interval_cv > 0.3
    assert rec.angle_deg.max() > 2.0 and rec.angle_deg.min() < -2.0


@pytest.mark.parametrize("kind", movements.KINDS)
def test_deterministic_and_finite(kind):
    a, b = movements.simulate(kind, seed=11), movements.simulate(kind, seed=11)
    c = movements.simulate(kind, seed=12)
    assert np.array_equal(a.emg_mV, b.emg_mV) and np.array_equal(a.angle_deg, b.angle_deg)
    assert not np.array_equal(a.emg_mV, c.emg_mV)
    assert np.all(np.isfinite(a.emg_mV)) and np.all(np.isfinite(a.angle_deg))
    f = movements.event_features(a)
    assert f.n_events >= 1 and math.isfinite(f.median_event_ms)


def test_angle_filter_matches_analytic_step_response():
    # Independent calculation: two cascaded first-order stages with time constant tau have
    # step response 1 - (1 + t/tau) exp(-t/tau) (continuous time); the discrete filter
    # approaches it to within the sampling error.
    fs = 2000.0
    u = np.ones(2000)
    y = movements._angle_filter(u, fs)
    tau = movements.ANGLE_TIME_TO_PEAK_MS / 1000.0
    t = np.arange(1, u.size + 1) / fs
    assert np.max(np.abs(y - (1 - (1 + t / tau) * np.exp(-t / tau)))) < 0.01


def test_bad_input_raises():
    with pytest.raises(ValueError, match="kind"):
        movements.simulate("hiccup")
    with pytest.raises(ValueError, match="seed"):
        movements.simulate("tic", seed=-1)
    with pytest.raises(ValueError, match="seed"):
        movements.simulate("tic", seed=1.5e10)


def test_quiz_matches_exercise_order():
    quiz = load_quiz("3-1-classify")
    assert len(quiz) == len(classify.EXERCISE_ORDER)
    for k, (q, kind) in enumerate(zip(quiz, classify.EXERCISE_ORDER, strict=True)):
        assert f"Trace {k + 1}" in q["question"]
        right = [a["answer"] for a in q["answers"] if a["correct"]]
        assert right == [kind]
        assert all(a.get("feedback") for a in q["answers"])


def test_twin_and_map_draw():
    fig = classify.classification_twin()
    assert len(fig.axes) == 20
    assert classify.feature_map_figure().axes


_PANEL: dict = {}
_COUNT = [0]


@settings(max_examples=PANEL_SWEEP_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(trace=st.integers(1, len(classify.EXERCISE_ORDER)),
       answer=st.sampled_from([classify.NO_ANSWER, *movements.KINDS]))
def test_classification_panel_full_control_space(trace, answer):
    if "p" not in _PANEL:
        _PANEL["p"] = classify.classification_panel()
    panel = _PANEL["p"]
    _COUNT[0] += 1
    if _COUNT[0] % 25 == 0:
        panel.set(trace=trace, answer=answer)
        assert panel.image.value.startswith("<img")
        alt, readout = panel._update(**panel.values())
    else:
        alt, readout = panel._update(trace=trace, answer=answer)
    assert alt and readout
    for line in panel.fig.axes[0].lines + panel.fig.axes[1].lines:
        x, y = line.get_data()
        assert np.all(np.isfinite(np.asarray(x, float)))
        assert np.all(np.isfinite(np.asarray(y, float)))
    kind = classify.EXERCISE_ORDER[trace - 1]
    assert ("Right" in readout) == (answer == kind)
