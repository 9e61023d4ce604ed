"""`make live`: JupyterLab for an instructor, on a working copy of the lessons.

    python tools/live.py [--dir DIR] [--port N] [--no-browser] [--reset]

What it does, in order (the live browser test starts the server through this same script):

1. **Working copy.** Teaching never touches the repository: the lessons are copied to DIR
   (default ``~/twitch-live``, or ``$TWITCH_LIVE_DIR``) and JupyterLab serves DIR, so its autosave
   writes there. On each start a lesson is refreshed from ``lessons/`` unless you have edited it in
   DIR (its cell sources differ from what this script last wrote): your edits are kept and the
   script says so; ``--reset`` replaces them (the edited copy is kept as ``*.bak-<time>``).
   In the copy, the book's Sphinx roles become plain Markdown that JupyterLab can show
   (:mod:`tools.live_copy`): ``{doc}`` a link that opens the other notebook, ``{cite}``
   "(Author Year)" linked to a references notebook with the full reference as a tooltip, ``{term}``
   the term linked to a glossary notebook with its definition as a tooltip. ``START-HERE.ipynb``
   links every lesson. jupyterlab-myst renders the admonitions, exercises and (collapsed) solutions.
2. **Warm-up.** While JupyterLab starts, a background process (low priority) runs every lesson's
   cells except panels and quizzes: numba's on-disk cache (``_build/numba-cache``) is filled and
   the slow, seeded model results the twins and checkpoints need are stored in
   ``_build/model-cache`` (:mod:`widgets.cache`), so in class a lesson's first cell reads them
   instead of simulating (``--warm-up-only`` runs just this, e.g. before class).
3. **JupyterLab** on 127.0.0.1, token authentication (a fresh random token, passed through the
   environment, not the command line), Jupyter's config, settings and workspaces in
   ``DIR/.jupyter`` (your own ~/.jupyter settings do not leak in), news and update checks off, no
   Launcher: the browser opens ``START-HERE.ipynb``. Kernels talk to the server over IPC sockets
   in a private temporary runtime folder instead of TCP. One line is printed: the URL with its
   token.

Environment for the kernels: the same as the Makefile's (``PYTHONHASHSEED=0``,
``NUMBA_CACHE_DIR``), plus ``TWITCH_CACHE_DIR`` (the model cache) and ``TWITCH_LIVE=1``, so
course code can tell it runs live in JupyterLab (the quizzes use it to skip MathJax loading;
see :mod:`widgets.quiz`).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import webbrowser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import live_copy  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = "~/twitch-live"
START_PAGE = "START-HERE.ipynb"
#: Lab settings written into the working copy's user-settings folder on every start.
LAB_SETTINGS = {
    # No news pop-up, no update check (both would also contact the internet).
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false",
                                                    "checkForUpdates": False},
    # The working copy is the instructor's: autosave there is fine (the repository is not served).
    "@jupyterlab/docmanager-extension/plugin": {"autosave": True, "autosaveInterval": 120},
}


def live_env(live_dir: Path, runtime_dir: Path | None = None) -> dict[str, str]:
    """The environment of the server and its kernels (``make live`` and the live test alike).

    ``runtime_dir`` holds the kernels' IPC sockets: its path must be short (a Unix socket path
    has at most about 107 characters), so :func:`main` makes one under the system's temporary
    folder rather than inside the working copy.
    """
    jup = live_dir / ".jupyter"
    return dict(
        os.environ,
        PYTHONHASHSEED="0",
        PYDEVD_DISABLE_FILE_VALIDATION="1",
        NUMBA_CACHE_DIR=os.environ.get("NUMBA_CACHE_DIR", str(ROOT / "_build/numba-cache")),
        JUPYTER_CONFIG_DIR=str(jup / "config"),
        JUPYTER_RUNTIME_DIR=str(runtime_dir or jup / "runtime"),
        JUPYTER_PLATFORM_DIRS="1",
        TWITCH_CACHE_DIR=os.environ.get("TWITCH_CACHE_DIR", str(ROOT / "_build/model-cache")),
        TWITCH_LIVE="1",
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_lab_settings(live_dir: Path, autosave_interval_s: int) -> Path:
    """Merge the course's settings into the user-settings folder; return the folder."""
    folder = live_dir / ".jupyter" / "lab" / "user-settings"
    for name, values in LAB_SETTINGS.items():
        path = folder / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            current = json.loads(path.read_text())
        except (OSError, ValueError):
            current = {}
        current.update(values)
        if name.startswith("@jupyterlab/docmanager-extension"):
            current["autosaveInterval"] = autosave_interval_s
        path.write_text(json.dumps(current, indent=2))
    return folder


#: Longest IPC socket path a kernel makes in its runtime folder, beyond the folder's own path.
_SOCKET_NAME_CHARS = len("/kernel-00000000-0000-0000-0000-000000000000-ipc-5")


def short_runtime_dir() -> Path | None:
    """A private (0700) temporary folder short enough for the kernels' IPC socket paths.

    Unix socket paths are limited to 104-108 bytes. Returns None where IPC sockets are not
    possible (Windows, or no short temporary folder), and the kernels then use TCP.
    """
    if os.name != "posix":
        return None
    for parent in (None, "/tmp"):
        folder = Path(tempfile.mkdtemp(prefix="twitch-live-", dir=parent))
        if len(str(folder)) + _SOCKET_NAME_CHARS < 100:
            return folder
        folder.rmdir()
    return None


def write_server_config(live_dir: Path, ipc: bool = True) -> None:
    """Jupyter's server config for the working copy (its JUPYTER_CONFIG_DIR, not ~/.jupyter)."""
    config = {
        "ServerApp": {"ip": "127.0.0.1", "port_retries": 0, "root_dir": str(live_dir),
                      "open_browser": False, "terminals_enabled": False, "log_level": "WARN",
                      # Tornado clamps the default 90000 to the ping interval, with a warning.
                      "tornado_settings": {"websocket_ping_timeout": 30000}},
        # Kernels on IPC sockets in the runtime folder: no TCP ports, and no "connection is not
        # encrypted" warning at every kernel start.
        "KernelManager": {"transport": "ipc" if ipc else "tcp"},
        # No news, no update check, no extension manager searching PyPI: nothing leaves the machine.
        "LabApp": {"news_url": None, "extension_manager": "readonly", "log_level": "WARN",
                   "check_for_updates_class":
                       "jupyterlab.handlers.announcements.NeverCheckForUpdate",
                   "user_settings_dir": str(live_dir / ".jupyter/lab/user-settings"),
                   "workspaces_dir": str(live_dir / ".jupyter/lab/workspaces")},
    }
    folder = live_dir / ".jupyter" / "config"
    (folder / "labconfig").mkdir(parents=True, exist_ok=True)
    (folder / "jupyter_server_config.json").write_text(json.dumps(config, indent=2))
    # JupyterLab's floating cell toolbar measures a rendered Markdown cell's node to avoid
    # overlapping it; jupyterlab-myst renders Markdown its own way and the check then throws
    # "Cannot read properties of undefined (reading 'node')" in the console. The toolbar only
    # duplicates commands of the Edit menu and the keyboard, so it is switched off here.
    (folder / "labconfig" / "page_config.json").write_text(json.dumps(
        {"disabledExtensions": {"@jupyterlab/cell-toolbar-extension": True}}, indent=2))


def server_command(port: int) -> list[str]:
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", f"--ServerApp.port={port}"]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    return cmd


def warm_up(env: dict[str, str]) -> subprocess.Popen:
    """Start :func:`warm` in a background process at low priority (it never delays the class)."""
    return subprocess.Popen([sys.executable, __file__, "--warm-up-only"], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=lambda: os.nice(10) if hasattr(os, "nice") else None)


def warm(root: Path = ROOT) -> list[str]:
    """Run every lesson's code cells except panels and quizzes, in course order.

    This compiles numba's kernels into its disk cache and fills the model cache
    (:mod:`widgets.cache`, ``TWITCH_CACHE_DIR``) with what the static twins and checkpoints
    compute, so that in class the same cells read results instead of simulating. A cell that fails
    stops that lesson's warm-up (nothing is shown; the lesson then simply computes in class).
    Returns the lessons it ran through. Done once per state of the sources (:func:`warm_stamp`).
    """
    import contextlib
    import io

    stamp = warm_stamp(root)
    if stamp is not None and stamp.exists():  # warmed already for this code and these lessons
        return stamp.read_text().split()

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import nbformat

    done = []
    for rel in lesson_files(root):
        nb = nbformat.read(root / f"{rel}.ipynb", as_version=4)
        namespace: dict = {"__name__": "__main__"}
        for cell in nb.cells:
            if cell.cell_type != "code" or not warms(cell.source):
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    exec(compile(cell.source, f"{rel}.ipynb", "exec"), namespace)
            except Exception:  # noqa: BLE001 - warming is best effort
                break
        else:
            done.append(rel)
        plt.close("all")
    if stamp is not None and len(done) == sum(1 for _ in lesson_files(root)):
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text("\n".join(done))
    return done


def warms(source: str) -> bool:
    """Whether the warm-up runs a code cell: not panels and quizzes (they only display), and not
    cells with IPython magics (the Colab install cell's ``%pip``: plain Python cannot run it, and
    the package is installed anyway)."""
    if "_panel(" in source or "show_quiz(" in source:
        return False
    return not any(line.lstrip().startswith(("%", "!")) for line in source.splitlines())


def lesson_files(root: Path = ROOT):
    """The lessons of the table of contents, in course order (paths without ``.ipynb``)."""
    for _, files in live_copy.toc_files(root):
        yield from (f for f in files if f.startswith("lessons/"))


def warm_stamp(root: Path = ROOT) -> Path | None:
    """The file that says the caches are warm for this code and these lessons (None when no model
    cache is configured). Its name hashes every module of ``widgets`` and every lesson, so any
    change warms again; a second ``make live`` on unchanged sources starts without the
    minutes-long background run."""
    import hashlib

    folder = os.environ.get("TWITCH_CACHE_DIR")
    if not folder:
        return None
    h = hashlib.sha256()
    for path in sorted([*(root / "widgets").rglob("*.py"), *(root / "lessons").rglob("*.ipynb")]):
        h.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    return Path(folder) / f"warm-{h.hexdigest()[:20]}.done"


def can_open_browser() -> bool:
    """A graphical browser can be opened here (not on a headless server or CI machine)."""
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def wait_until_up(base: str, token: str, proc: subprocess.Popen, timeout_s: float = 90) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            req = urllib.request.Request(f"{base}/api/status",
                                         headers={"Authorization": f"token {token}"})
            urllib.request.urlopen(req, timeout=5).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"JupyterLab exited with code {proc.returncode}") from None
            if time.monotonic() > deadline:
                proc.terminate()
                raise SystemExit("JupyterLab did not start within "
                                 f"{timeout_s:.0f} s") from None
            time.sleep(0.3)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", default=os.environ.get("TWITCH_LIVE_DIR", DEFAULT_DIR),
                    help="the working copy (default ~/twitch-live or $TWITCH_LIVE_DIR)")
    ap.add_argument("--port", type=int, default=int(os.environ.get("TWITCH_LIVE_PORT", 0)),
                    help="port on 127.0.0.1 (default: a free one)")
    ap.add_argument("--no-browser", action="store_true", help="do not open a browser")
    ap.add_argument("--reset", action="store_true",
                    help="replace edited lessons in the working copy (old copy kept as .bak)")
    ap.add_argument("--autosave-interval", type=int, default=120, metavar="S",
                    help="JupyterLab's autosave interval in seconds (default 120)")
    ap.add_argument("--no-warm-up", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--warm-up-only", action="store_true",
                    help="only precompute (numba and model caches), then exit")
    args = ap.parse_args(argv)
    if args.warm_up_only:
        done = warm()
        print(f"warmed up {len(done)} lessons")
        return 0

    live_dir = Path(args.dir).expanduser().resolve()
    if live_dir == ROOT or ROOT in live_dir.parents and "_build" not in live_dir.parts:
        raise SystemExit(f"--dir must be outside the tracked repository, got {live_dir}")
    report = live_copy.sync(ROOT, live_dir, reset=args.reset)
    for line in report.kept:
        print(f"kept your edited copy: {line} (make live RESET=1 replaces it)")
    write_lab_settings(live_dir, args.autosave_interval)
    runtime_dir = short_runtime_dir()
    write_server_config(live_dir, ipc=runtime_dir is not None)
    runtime_dir = runtime_dir or Path(tempfile.mkdtemp(prefix="twitch-live-"))
    env = live_env(live_dir, runtime_dir)
    warmer = None if args.no_warm_up else warm_up(env)

    port = args.port or free_port()
    token = secrets.token_hex(24)
    env["JUPYTER_TOKEN"] = token
    proc = subprocess.Popen(server_command(port), env=env, cwd=live_dir)
    base = f"http://127.0.0.1:{port}"

    def stop(*_):
        proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    try:
        wait_until_up(base, token, proc)
        url = f"{base}/lab/tree/{START_PAGE}?token={token}"
        print(f"Twitch live: {url}   (working copy {live_dir}; Ctrl-C stops)", flush=True)
        if not args.no_browser and can_open_browser():
            webbrowser.open(url)
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        return proc.wait(timeout=30)
    finally:
        if warmer is not None and warmer.poll() is None:
            warmer.terminate()
        shutil.rmtree(runtime_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
