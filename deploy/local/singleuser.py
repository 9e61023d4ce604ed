"""Start one student's JupyterLab for the hub: their working copy of the course, then the server.

The hub's spawner runs this (``Spawner.cmd``) as the student, in the student's home. It does what
``make live`` does for an instructor (the same code: ``tools/live.py``, ``tools/live_copy.py``):

1. writes or refreshes the course in ``~/twitch`` (lessons as notebooks JupyterLab renders, a
   references and a glossary notebook, ``START-HERE.ipynb``). A lesson the student edited is kept
   (their work); a lesson they only ran is refreshed from the course;
2. writes the course's JupyterLab settings into ``~/twitch/.jupyter`` (no news or update checks,
   autosave every 30 s, no floating cell toolbar, kernels on IPC sockets, no terminals) and culls
   the student's idle kernels (``TWITCH_KERNEL_IDLE_S``, default 20 min) to give their memory back;
3. replaces itself with ``jupyterhub-singleuser`` (same environment plus what the hub passed).

The course is served from ``~/twitch``, so the student's saved notebooks live in their own home.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import live  # noqa: E402  (tools/ is not a package)
import live_copy  # noqa: E402

AUTOSAVE_S = int(os.environ.get("TWITCH_AUTOSAVE_S", "30"))
KERNEL_IDLE_S = int(os.environ.get("TWITCH_KERNEL_IDLE_S", "1200"))


def prepare(home: Path) -> tuple[Path, dict[str, str]]:
    """Write the working copy and its Jupyter config under ``home``; return it and the env."""
    copy = home / "twitch"
    live_copy.sync(ROOT, copy)
    live.write_lab_settings(copy, AUTOSAVE_S)
    runtime = home / ".jupyter-runtime"
    ipc = len(str(runtime)) + live._SOCKET_NAME_CHARS < 100
    runtime.mkdir(mode=0o700, exist_ok=True)
    live.write_server_config(copy, ipc=ipc)
    config_file = copy / ".jupyter/config/jupyter_server_config.json"
    config = json.loads(config_file.read_text())
    server = config["ServerApp"]
    # The hub tells the server where to listen (JUPYTERHUB_SERVICE_URL): no fixed ip here.
    server.pop("ip", None)
    server["log_level"] = "INFO"
    config["MappingKernelManager"] = {"cull_idle_timeout": KERNEL_IDLE_S, "cull_interval": 60,
                                      "cull_connected": False, "cull_busy": False}
    config_file.write_text(json.dumps(config, indent=2))
    env = live.live_env(copy, runtime)
    return copy, env


def main() -> None:
    home = Path(os.environ.get("HOME", os.getcwd()))
    copy, env = prepare(home)
    os.chdir(copy)
    cmd = [str(Path(sys.executable).parent / "jupyterhub-singleuser"), *sys.argv[1:]]
    if hasattr(os, "getuid") and os.getuid() == 0:
        cmd.append("--allow-root")
    os.execve(cmd[0], cmd, env)


if __name__ == "__main__":
    main()
