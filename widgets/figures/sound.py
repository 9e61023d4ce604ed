"""Sound as a figure: an EMG signal played the way an EMG machine's loudspeaker plays it.

An electromyograph sends the amplified needle signal to a loudspeaker; clinicians recognise
spontaneous activity by its sound as much as by its look. :func:`emg_sound` does what that
audio path does, in three steps, and writes the result as compressed audio:

1. **Band-pass** the signal, 20 Hz to 8 kHz (second-order Butterworth, causal, as an analogue
   amplifier filters): removes baseline drift below and hiss above the band of muscle-fibre
   potentials. (Our choice of corner frequencies, inside the usual needle-EMG settings.)
2. **Gain**, chosen so that no pattern startles: each sound is scaled so that its loudest
   400-ms stretch (the *momentary* loudness window of EBU R 128) has the same RMS level,
   -20 dB below full scale, unless that would push a peak above -1 dB full scale, in which
   case the peak sets the gain. Sparse clicks therefore play no louder than a full
   interference pattern, and nothing clips.
3. **Fade** in and out over 10 ms (no click at the start or end of the clip).

Format: MP3 (MPEG-1/2 Audio Layer III), mono, 22.05 kHz, constant bit rate, written by
``soundfile`` (libsndfile >= 1.1 encodes MP3 through LAME; the PyPI wheel bundles libsndfile
1.2.2 with it). MP3 is the one compressed format that every current browser plays, Safari
included (Ogg Opus and Ogg Vorbis are not played by older Safari); its patents have expired.
A 5-s clip is about 20 KB. No encoder is written here.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from widgets.figures.style import PALETTE
from widgets.figures.traces import screen_envelope
from widgets.models.validation import ValidRange, require_array_finite, require_range

#: Audio sampling rate (Hz). MPEG-2 Layer III supports it; it covers the band below.
AUDIO_FS_HZ = 22_050
#: Band-pass of the audio path (Hz).
BAND_HZ = (20.0, 8_000.0)
#: Momentary-loudness window (s), as in EBU R 128.
MOMENTARY_WINDOW_S = 0.4
#: Loudest momentary RMS of every sound (-20 dB full scale).
TARGET_RMS = 10 ** (-20 / 20)
#: Highest sample (-1 dB full scale).
PEAK_CEILING = 10 ** (-1 / 20)
FADE_S = 0.01
#: libsndfile's MP3 compression level (0 = best quality, larger = smaller files).
COMPRESSION_LEVEL = 0.8
FS_HZ = ValidRange(1_000.0, 200_000.0, "Hz", AUDIO_FS_HZ)


@dataclass(frozen=True)
class Sound:
    """A clip of EMG audio: the MP3 bytes and the samples that were encoded."""

    mp3: bytes
    samples: np.ndarray      # float32 in [-1, 1], at fs_hz
    fs_hz: int
    gain_dB: float           # gain applied after filtering, dB re 1 full scale per mV

    @property
    def duration_s(self) -> float:
        return self.samples.size / self.fs_hz

    @property
    def size_bytes(self) -> int:
        return len(self.mp3)

    def data_uri(self) -> str:
        return "data:audio/mpeg;base64," + base64.b64encode(self.mp3).decode("ascii")


def _resample(x: np.ndarray, fs_in: float, fs_out: int) -> np.ndarray:
    if math.isclose(fs_in, fs_out):
        return x
    from scipy.signal import resample_poly

    ratio = Fraction(fs_out / fs_in).limit_denominator(1000)
    return resample_poly(x, ratio.numerator, ratio.denominator)


def momentary_rms(samples: np.ndarray, fs_hz: float) -> np.ndarray:
    """RMS over sliding 400-ms windows, every 100 ms (whole clip if shorter than a window)."""
    n = max(int(MOMENTARY_WINDOW_S * fs_hz), 1)
    hop = max(n // 4, 1)
    x2 = np.asarray(samples, dtype=float) ** 2
    if x2.size <= n:
        return np.array([math.sqrt(float(x2.mean()))]) if x2.size else np.zeros(1)
    c = np.concatenate([[0.0], np.cumsum(x2)])
    starts = np.arange(0, x2.size - n + 1, hop)
    return np.sqrt((c[starts + n] - c[starts]) / n)


def amplify(signal_mV, fs_hz: float) -> tuple[np.ndarray, float]:
    """Band-pass, resample to :data:`AUDIO_FS_HZ`, normalise and fade: (samples, gain in dB)."""
    from scipy.signal import butter, sosfilt

    x = require_array_finite("signal_mV", signal_mV)
    fs = require_range("fs_hz", fs_hz, FS_HZ)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("signal_mV must be a 1-D array of at least 2 samples")
    high = min(BAND_HZ[1], 0.45 * fs)
    sos = butter(2, [BAND_HZ[0], high], btype="bandpass", fs=fs, output="sos")
    y = _resample(sosfilt(sos, x), fs, AUDIO_FS_HZ)
    loud = float(momentary_rms(y, AUDIO_FS_HZ).max())
    peak = float(np.max(np.abs(y)))
    if loud <= 0.0 or peak <= 0.0:
        gain = 1.0
    else:
        gain = min(TARGET_RMS / loud, PEAK_CEILING / peak)
    y = gain * y
    k = min(int(FADE_S * AUDIO_FS_HZ), y.size // 2)
    if k > 0:
        ramp = np.linspace(0.0, 1.0, k)
        y[:k] *= ramp
        y[-k:] *= ramp[::-1]
    return y.astype(np.float32), 20.0 * math.log10(gain)


def encode_mp3(samples: np.ndarray, fs_hz: int = AUDIO_FS_HZ) -> bytes:
    """MP3 bytes (mono, constant bit rate) of ``samples`` in [-1, 1], via soundfile."""
    import soundfile as sf

    buf = io.BytesIO()
    sf.write(buf, np.asarray(samples, dtype=np.float32), int(fs_hz), format="MP3",
             subtype="MPEG_LAYER_III", compression_level=COMPRESSION_LEVEL,
             bitrate_mode="CONSTANT")
    return buf.getvalue()


def emg_sound(recording) -> Sound:
    """The sound of a recording (any object with ``signal_mV`` and ``fs_hz``)."""
    samples, gain_dB = amplify(recording.signal_mV, recording.fs_hz)
    return Sound(mp3=encode_mp3(samples), samples=samples, fs_hz=AUDIO_FS_HZ, gain_dB=gain_dB)


# ---------------------------------------------------------------- the trace it comes from
def _zoom_centre_ms(recording) -> float:
    """Where to zoom: the largest deflection (a representative discharge)."""
    return float(recording.t_ms[int(np.argmax(np.abs(recording.signal_mV)))])


def plot_sound_trace(recording, ax_trace, ax_zoom, *, zoom_ms: float = 80.0,
                     zoom_centre_ms: float | None = None) -> None:
    """The needle trace that is played (mV against s) and a ``zoom_ms`` close-up (ms) around
    ``zoom_centre_ms`` (default: the largest deflection)."""
    t_s = recording.t_ms / 1000.0
    ax_trace.plot(*screen_envelope(ax_trace, t_s, recording.signal_mV), color=PALETTE["black"],
                  linewidth=0.5)
    ax_trace.set(xlabel="time (s)", ylabel="needle EMG (mV)", xlim=(t_s[0], t_s[-1]))
    c = _zoom_centre_ms(recording) if zoom_centre_ms is None else float(zoom_centre_ms)
    lo = min(max(recording.t_ms[0], c - 0.4 * zoom_ms), recording.t_ms[-1] - zoom_ms)
    hi = lo + zoom_ms
    m = (recording.t_ms >= lo) & (recording.t_ms <= hi)
    ax_zoom.plot(recording.t_ms[m] - lo, recording.signal_mV[m], color=PALETTE["blue"],
                 linewidth=1.0)
    ax_zoom.set(xlabel="time (ms)", ylabel="mV", title=f"close-up, {zoom_ms:g} ms")
    ax_trace.axvspan(lo / 1000.0, hi / 1000.0, color=PALETTE["sky"], alpha=0.35, linewidth=0)
