"""The audio path (band-pass, loudness normalisation, MP3) and the players, checked on the
decoded audio by independent calculations (FFT, sliding RMS computed here), not by reading
the module's own numbers back."""

from __future__ import annotations

import io
import math
import re

import numpy as np
import pytest
import soundfile as sf

from widgets.figures import sound
from widgets.models import spontaneous_activity as sa
from widgets.panels import sounds


class _Rec:
    def __init__(self, x, fs):
        self.signal_mV, self.fs_hz = x, fs


def _decode(mp3: bytes):
    y, fs = sf.read(io.BytesIO(mp3), dtype="float32")
    return y, fs


def _max_momentary_rms(y, fs):
    n = int(0.4 * fs)
    if y.size <= n:
        return float(np.sqrt(np.mean(y ** 2)))
    k = np.ones(n) / n
    return float(np.sqrt(np.convolve(y.astype(float) ** 2, k, mode="valid").max()))


def test_band_pass_removes_drift_and_keeps_muscle_band():
    fs = 22_050.0
    t = np.arange(int(2 * fs)) / fs
    x = np.sin(2 * np.pi * 2.0 * t) + 0.1 * np.sin(2 * np.pi * 1000.0 * t)   # drift + signal
    y, _ = sound.amplify(x, fs)
    spec = np.abs(np.fft.rfft(y[int(0.5 * fs):] * np.hanning(y.size - int(0.5 * fs))))
    f = np.fft.rfftfreq(y.size - int(0.5 * fs), 1 / fs)
    a2 = spec[np.argmin(np.abs(f - 2.0))]
    a1k = spec[np.argmin(np.abs(f - 1000.0))]
    # input: 2 Hz is 20 dB above 1 kHz; output: 1 kHz dominates by > 20 dB
    assert 20 * math.log10(a1k / a2) > 20


@pytest.mark.parametrize("pattern", sa.PATTERN_KEYS)
def test_every_sound_decodes_to_its_length_and_stays_within_the_loudness_limits(pattern):
    rec, snd = sounds.clip(pattern)
    y, fs = _decode(snd.mp3)
    assert fs == sound.AUDIO_FS_HZ
    assert abs(y.size / fs - rec.duration_s) < 0.1
    # size: at most 100 KB per 5 s
    assert snd.size_bytes <= 100_000 * rec.duration_s / 5.0
    loud = _max_momentary_rms(y, fs)
    target = 10 ** (-20 / 20)
    # none louder than the target (+1 dB for the codec); none clipped
    assert 20 * math.log10(loud / target) < 1.0
    assert np.max(np.abs(y)) < 10 ** (-0.5 / 20)
    assert loud > 10 ** (-45 / 20), "not silent"


def test_loud_and_sparse_patterns_end_up_equally_loud_unless_peaks_limit():
    levels = {}
    for p in ("cramp", "voluntary", "crd", "endplate"):
        y, fs = _decode(sounds.clip(p)[1].mp3)
        levels[p] = 20 * math.log10(_max_momentary_rms(y, fs))
    # dense patterns are normalised to the same momentary level (within 1.5 dB)
    assert max(levels.values()) - min(levels.values()) < 1.5, levels


def test_bad_signals_are_refused():
    with pytest.raises(ValueError, match="signal_mV"):
        sound.amplify([0.0, math.nan, 1.0], 22_050.0)
    with pytest.raises(ValueError, match="fs_hz"):
        sound.amplify(np.zeros(100), 0.0)
    with pytest.raises(ValueError, match="fs_hz"):
        sound.amplify(np.zeros(100), math.inf)


def test_resampling_keeps_duration():
    fs = 10_000.0
    x = np.random.default_rng(0).normal(0, 0.01, int(3 * fs))
    s = sound.emg_sound(_Rec(x, fs))
    assert abs(s.duration_s - 3.0) < 1e-3


def test_player_is_labelled_described_and_never_autoplays():
    html = sounds.EmgPlayer("fibrillation")._repr_html_()
    audio = re.search(r"<audio[^>]*>", html).group(0)
    assert "controls" in audio and "autoplay" not in audio
    assert 'aria-label="Play the sound of fibrillation potentials' in audio
    rid = re.search(r'aria-describedby="([^"]+)"', audio).group(1)
    assert f'id="{rid}"' in html and "Listen for:" in html
    img = re.search(r"<img[^>]*>", html).group(0)
    assert re.search(r'alt="Needle EMG trace of fibrillation potentials', img)
    assert "data:audio/mpeg;base64," in audio


def test_ear_training_has_one_right_answer_per_sound_in_order():
    qs = sounds.ear_training_questions()
    assert len(qs) == len(sounds.EAR_TRAINING)
    for q, key in zip(qs, sounds.EAR_TRAINING, strict=True):
        right = [a["answer"] for a in q["answers"] if a["correct"]]
        assert right == [sa.PATTERNS[key].label]
        assert all(a["feedback"].strip() for a in q["answers"])


def test_live_emg_panel_listen_button_plays_the_current_setting():
    from widgets.panels.emg import RECORD_S, emg_panel

    panel = emg_panel()
    panel.set(activity="fasciculation", fp_rate_hz=2.0)
    panel.listen_button.click()
    y, fs = _decode(panel.last_sound.mp3)
    assert abs(y.size / fs - RECORD_S) < 0.1
    assert panel.listen_button in panel.widget.children


def test_setting_sound_uri_for_the_book_panel_decodes():
    import base64

    from widgets.panels.emg import setting_sound_uri

    uri = setting_sound_uri("needle", "voluntary", 8.0, 0.5)
    assert uri.startswith("data:audio/mpeg;base64,")
    y, fs = _decode(base64.b64decode(uri.split(",", 1)[1]))
    assert abs(y.size / fs - 2.0) < 0.1
    with pytest.raises(ValueError, match="activity"):
        setting_sound_uri("needle", "sleeping", 8.0, 0.5)


def test_book_emg_panel_has_the_sound_of_every_needle_setting(tmp_path, monkeypatch):
    """The kernel-free EMG panel stores, for every needle setting, the file of the sound the live
    panel's "listen" button plays at that setting (the same audio path); surface settings have
    none. Files are named by content, so settings that record the same EMG share one file."""
    from widgets.models.motor_units import FuglevandPool
    from widgets.panels import book
    from widgets.panels.emg import RECORD_S, _record, emg_book_panel

    monkeypatch.setenv(book.CACHE_ENV, str(tmp_path))
    bp = emg_book_panel()
    cfg = bp.config()
    pool = FuglevandPool(seed=0)
    checked = {"voluntary": 0, "fasciculation": 0}
    for point, name in zip(cfg["points"], cfg["sounds"], strict=True):
        s = bp.setting(point)
        assert (name is not None) == (s["electrode"] == "needle"), s
        if name is None or checked[s["activity"]] >= 2:
            continue
        played = sound.emg_sound(_record(pool, s["electrode"], s["activity"], s["excitation"],
                                         s["fp_rate_hz"], 0)).mp3
        stored = (book.sound_dir() / name).read_bytes()
        assert stored == played
        y, fs = _decode(stored)
        assert abs(y.size / fs - RECORD_S) < 0.1
        checked[s["activity"]] += 1
    assert checked == {"voluntary": 2, "fasciculation": 2}
    html = bp.html()
    used = re.search(r'data-twitch-sounds="([^"]*)"', html).group(1).split()
    assert sorted(used) == sorted({n for n in cfg["sounds"] if n})
    assert "<audio controls" in html and "autoplay" not in html
