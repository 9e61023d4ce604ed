"""Benchmark: generating every sound the book plays (target < 10 s) and their sizes
(target <= 100 KB per 5 s of audio; <= 2 MB added to the site).

Run: .venv/bin/python benchmarks/bench_emg_sounds.py

"Cold" is a fresh Python process (imports and numba's on-disk cache loaded, as in a book
build's kernel); "warm" repeats the generation in the same process with the clip cache cleared.
The site total counts each player's MP3 (base64, as embedded) and its trace image once per
page it appears on.
"""

import base64
import subprocess
import sys
import time

import numpy as np
from timing import median_p95_ms

from widgets.models import spontaneous_activity as sa
from widgets.panels import sounds

#: The players each lesson shows (kept in step with the lesson cells).
PAGES = {
    "1.6": ("voluntary", "fasciculation"),
    "3.1": ("fasciculation", "fasciculation_denervated", "fibrillation", "positive_sharp_wave",
            "myokymia", "cramp", "crd", "myotonia", "endplate") + sounds.EAR_TRAINING,
    "3.3": ("fasciculation", "myokymia", "neuromyotonia", "cramp"),
}


def _all_clips():
    sounds.clip.cache_clear()
    for key in sa.PATTERN_KEYS:
        sounds.clip(key)


def main():
    code = ("import time; t0 = time.perf_counter(); from widgets.panels import sounds; "
            "from widgets.models import spontaneous_activity as sa; "
            "[sounds.clip(k) for k in sa.PATTERN_KEYS]; print(time.perf_counter() - t0)")
    cold = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                 check=True).stdout) for _ in range(3)]
    print(f"every book sound, cold process (imports included): median {np.median(cold):.2f} s, "
          f"max {max(cold):.2f} s over 3 runs (target < 10 s)")
    med, p95 = median_p95_ms(_all_clips, repeats=5)
    print(f"every book sound, warm: median {med / 1000:.2f} s, p95 {p95 / 1000:.2f} s")
    sizes = {}
    for key in sa.PATTERN_KEYS:
        rec, snd = sounds.clip(key)
        per5 = snd.size_bytes * 5.0 / snd.duration_s
        t0 = time.perf_counter()
        png = len(base64.b64decode(sounds._trace_png(rec)[0]))
        t_png = time.perf_counter() - t0
        sizes[key] = (snd.size_bytes, png)
        print(f"  {key:25s} {snd.duration_s:4.1f} s  MP3 {snd.size_bytes / 1024:5.1f} KB "
              f"({per5 / 1024:5.1f} KB per 5 s; target <= 97.7)  trace PNG {png / 1024:5.1f} KB "
              f"({1000 * t_png:.0f} ms)")
    total = 0.0
    for page, keys in PAGES.items():
        b = sum(4 / 3 * sizes[k][0] + 4 / 3 * sizes[k][1] for k in keys)
        total += b
        print(f"page {page}: {len(keys)} players, {b / 1024:.0f} KB embedded (base64)")
    print(f"added to the site: {total / 1024 / 1024:.2f} MB (target <= 2 MB)")


if __name__ == "__main__":
    main()
