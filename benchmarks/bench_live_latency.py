"""Benchmark: key press on a panel's control -> new figure shown, in Chromium, against `make live`.

Warms the caches as before a class (``tools/live.py --warm-up-only``), then starts JupyterLab
exactly as `make live` does (``tools/live.py`` on a temporary working copy), adds
to the copy a notebook with one cell per panel of the course (every ``*_panel`` in
``widgets.panels``), runs it in headless Chromium (Debian's, through Playwright) at 1280 px, and
for each panel presses an arrow key on its first slider ``--presses`` times, alternating right and
left (a panel without a slider: its first drop-down is set to its next option, as a click
would). Each change is timed in the page, from the ``keydown`` event (or the drop-down's change)
to the moment the panel's ``<img>`` holds a new picture that is decoded and painted
(``img.decode()`` then the next animation frame); changes are spaced out so they do not queue.
Prints the median and 95th percentile per panel, and the machine's load.

Before the first press it waits ``--settle`` seconds after the last panel is shown: live panels
prime the settings their first presses reach in the kernel's idle time
(:meth:`widgets.panels.base.FigurePanel.prime`; an instructor runs a cell and talks before
touching it), and this notebook shows every panel of the course at once, so their priming takes
the kernel ``bench_panel_redraw.py``'s "prime" column summed (about 10-20 s on a busy 2-core
machine). ``--settle 2`` was the wait of the runs before priming. ``--raw`` prints each press.

Run: .venv/bin/python benchmarks/bench_live_latency.py [--presses 12] [--settle 30] [--raw]
     [panel_name ...]
Target (issue 13): under 100 ms for every panel, at the median and the 95th percentile.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
URL_LINE = re.compile(r"^Twitch live: (http://127\.0\.0\.1:(\d+)/\S+token=(\w+))", re.M)

PRESS_JS = """async (area, key) => {
    const img = () => { const a = area.querySelectorAll("img[src^='data:image/png']");
                        return a[a.length - 1]; };
    const old = img().getAttribute('src');
    let t0 = null;
    const onKey = () => { if (t0 === null) t0 = performance.now(); };
    document.addEventListener('keydown', onKey, true);
    const select = area.querySelector('.widget-dropdown select');
    if (key === 'select' && select) {  // a drop-down: choose the next option, as a click would
        t0 = performance.now();
        select.selectedIndex = (select.selectedIndex + 1) % select.options.length;
        select.dispatchEvent(new Event('change', {bubbles: true}));
    }
    window.__pressed = new Promise((resolve) => {
        const obs = new MutationObserver(async () => {
            const i = img();
            if (!i || i.getAttribute('src') === old || t0 === null) return;
            obs.disconnect();
            try { await i.decode(); } catch (e) {}
            requestAnimationFrame(() => { document.removeEventListener('keydown', onKey, true);
                                          resolve(performance.now() - t0); });
        });
        obs.observe(area, {subtree: true, childList: true, attributes: true,
                           attributeFilter: ['src']});
        setTimeout(() => { obs.disconnect(); resolve(-1); }, 5000);
    });
}"""


def panel_names() -> list[str]:
    from widgets.panels import _WHERE

    return sorted(n for n in _WHERE if n.endswith("_panel"))


def bench_notebook(names: list[str]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Panel latency benchmark")] + [
        nbformat.v4.new_code_cell(f"from widgets.panels import {n}\n{n}()  # bench:{n}")
        for n in names]
    return nb


def start_live(live_dir: Path, log_path: Path) -> tuple[subprocess.Popen, str, str]:
    log = open(log_path, "w")  # noqa: SIM115 (the server outlives this function)
    proc = subprocess.Popen([sys.executable, str(ROOT / "tools/live.py"), "--dir", str(live_dir),
                             "--no-browser"], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while not (m := URL_LINE.search(log_path.read_text())):
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGTERM)
            raise SystemExit("make live did not start:\n" + log_path.read_text()[-2000:])
        time.sleep(0.5)
    return proc, f"http://127.0.0.1:{m.group(2)}", m.group(3)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presses", type=int, default=12)
    ap.add_argument("--settle", type=float, default=30.0,
                    help="seconds between the last panel shown and the first press")
    ap.add_argument("--raw", action="store_true", help="print every press's time")
    ap.add_argument("panels", nargs="*")
    args = ap.parse_args()
    names = args.panels or panel_names()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        live_dir = Path(tmp) / "live"
        # Class-ready, as an instructor starts: the caches warmed before (make live's own
        # background warm-up then finds its stamp and does not compete with the panels).
        sys.path.insert(0, str(ROOT / "tools"))
        import live

        t0 = time.monotonic()
        subprocess.run([sys.executable, str(ROOT / "tools/live.py"), "--warm-up-only"],
                       env=live.live_env(live_dir), cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        print(f"warm-up: {time.monotonic() - t0:.0f} s (once per state of the sources)")
        proc, base, token = start_live(live_dir, Path(tmp) / "live.log")
        nbformat.write(bench_notebook(names), live_dir / "bench-panels.ipynb")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.set_default_timeout(60000)
                page.goto(f"{base}/lab/workspaces/{uuid.uuid4().hex}/tree/bench-panels.ipynb"
                          f"?reset&token={token}")
                page.wait_for_function("""() => { const s = document.querySelector(
                    '.jp-Notebook-ExecutionIndicator'); return s && s.dataset.status === 'idle' &&
                    /python/i.test((document.querySelector('.jp-Toolbar-kernelName') || {})
                    .textContent || ''); }""", timeout=120000)
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
                page.wait_for_function("""n => document.querySelectorAll(
                    '.jp-CodeCell .jp-OutputArea img[src^="data:image/png"]').length >= n""",
                                       arg=len(names), timeout=600000, polling=500)
                page.wait_for_timeout(1000 * args.settle)
                print(f"settle: {args.settle:g} s after the last panel was shown")
                print(f"{'panel':<26} {'control':<34} {'median':>8} {'p95':>8}  presses")
                rows = []
                for name in names:
                    cell = page.locator(".jp-CodeCell", has=page.locator(
                        ".jp-InputArea", has_text=f"bench:{name}")).first
                    area = cell.locator(".jp-Cell-outputArea")
                    control = area.locator(".widget-slider [role='slider']").first
                    label = "slider"
                    if control.count() == 0:
                        control = area.locator(".widget-dropdown select").first
                        label = "drop-down"
                    desc = control.evaluate("""c => { const w = c.closest('.widget-inline-hbox');
                        const l = w && w.querySelector('.widget-label');
                        return (l ? l.textContent : '').trim(); }""")
                    control.scroll_into_view_if_needed()
                    control.focus()
                    times = []
                    for i in range(args.presses):
                        key = ("ArrowRight" if (i // 2) % 2 == 0 else "ArrowLeft") \
                            if label == "slider" else "select"
                        area.evaluate(PRESS_JS, key)
                        if label == "slider":
                            page.keyboard.press(key)
                        ms = page.evaluate("() => window.__pressed")
                        if ms >= 0:
                            times.append(ms)
                        page.wait_for_timeout(250)
                    if times:
                        med, p95 = statistics.median(times), float(np.percentile(times, 95))
                        rows.append((name, med, p95))
                        print(f"{name:<26} {(label + ': ' + desc)[:34]:<34} {med:7.0f}  "
                              f"{p95:7.0f}  {len(times)}/{args.presses}"
                              + (f"  [{' '.join(f'{t:.0f}' for t in times)}]" if args.raw
                                 else ""))
                    else:
                        print(f"{name:<26} {label}: no figure change within 5 s")
                browser.close()
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    under = sum(1 for _, med, _ in rows if med < 100)
    under95 = sum(1 for _, _, p95 in rows if p95 < 100)
    print(f"{under}/{len(names)} panels under 100 ms median, {under95} at p95; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
