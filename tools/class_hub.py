"""`make class`: a real JupyterHub for a test class on 127.0.0.1, from the project's own files.

    python tools/class_hub.py [--students N] [--dir DIR] [--port P]

Starts, on loopback only:

- ``configurable-http-proxy`` (npm, installed by the Makefile into ``deploy/local/node_modules``) as
  a process of its own, so that restarting the hub does not cut the students' connections;
- JupyterHub (PyPI ``jupyterhub``) with ``deploy/local/jupyterhub_config.py``: ``N`` test students
  ``student01``... and one ``instructor`` (an admin), each with their own random password (hashed in
  ``DIR/passwords.json``, readable by you only; the plain passwords are in ``DIR/passwords.txt``,
  also 0600, to hand out), homes under ``DIR/home/<name>``, the course copied into each home on
  first login (``deploy/local/singleuser.py``), per-student memory and CPU limits, and the idle
  culler.

Prints the URL and where the passwords are; Ctrl-C stops the servers, the hub and the proxy.
``DIR`` defaults to a new folder under /tmp (its path must stay short: kernels use IPC sockets
there); pass ``--dir`` to keep a class between runs (homes, logins and the hub's database persist).

The load benchmark (``benchmarks/bench_class.py``) and ``tests/test_hub.py`` start the hub through
:class:`ClassHub`, the same code.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy" / "local"
CONFIG = DEPLOY / "jupyterhub_config.py"
CHP = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
sys.path.insert(0, str(DEPLOY))
sys.path.insert(0, str(ROOT / "tools"))
from live import free_port  # noqa: E402
from twitch_hub import hash_password  # noqa: E402


def student_names(n: int) -> list[str]:
    return [f"student{i:02d}" for i in range(1, n + 1)]


def write_passwords(class_dir: Path, users: list[str]) -> dict[str, str]:
    """Give each user a random password: hashes to passwords.json, plain text to passwords.txt.

    Users already in passwords.txt keep their password (a class kept with --dir).
    """
    plain_file = class_dir / "passwords.txt"
    known = {}
    if plain_file.exists():
        for line in plain_file.read_text().splitlines():
            if ":" in line:
                name, pw = line.split(":", 1)
                known[name.strip()] = pw.strip()
    passwords = {u: known.get(u) or secrets.token_urlsafe(9) for u in users}
    for path, text in (
            (plain_file, "".join(f"{u}: {p}\n" for u, p in passwords.items())),
            (class_dir / "passwords.json",
             json.dumps({u: hash_password(p) for u, p in passwords.items()}, indent=1))):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
    return passwords


def _up(url: str, timeout_s: float = 2) -> bool:
    try:
        urllib.request.urlopen(url, timeout=timeout_s).close()
        return True
    except urllib.error.HTTPError:
        return True          # it answered
    except OSError:
        return False


class ClassHub:
    """A JupyterHub with a class of test students on 127.0.0.1 (start, restart_hub, stop)."""

    def __init__(self, students: int, class_dir: Path | None = None, port: int = 0,
                 env: dict[str, str] | None = None, log: Path | None = None):
        if not CHP.exists():
            raise SystemExit(f"{CHP} is missing: run `make class` (it installs the proxy with npm)")
        # A class without a folder of its own lives in a temporary one, removed by stop()
        # (TWITCH_CLASS_KEEP=1 keeps it, with hub.log, e.g. to read why a test failed).
        self.temporary = class_dir is None and not os.environ.get("TWITCH_CLASS_KEEP")
        self.class_dir = Path(class_dir or tempfile.mkdtemp(prefix="twitch-class-")).resolve()
        self.class_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.students = student_names(students)
        self.users = ["instructor", *self.students]
        self.passwords = write_passwords(self.class_dir, self.users)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(32)
        self.log_path = log or self.class_dir / "hub.log"
        self.env = dict(
            os.environ, **(env or {}),
            TWITCH_CLASS_DIR=str(self.class_dir),
            TWITCH_HUB_URL=self.url,
            TWITCH_HUB_API_PORT=str(free_port()),
            TWITCH_PROXY_API_URL=f"http://127.0.0.1:{free_port()}",
            CONFIGPROXY_AUTH_TOKEN=secrets.token_hex(32),
            TWITCH_CLASS_ADMIN_TOKEN=self.admin_token,
            PYTHONHASHSEED="0",
            NUMBA_CACHE_DIR=os.environ.get("NUMBA_CACHE_DIR", str(ROOT / "_build/numba-cache")),
            TWITCH_CACHE_DIR=os.environ.get("TWITCH_CACHE_DIR",
                                            str(ROOT / "_build/model-cache")),
        )
        self.proxy: subprocess.Popen | None = None
        self.hub: subprocess.Popen | None = None
        self._log = None

    # --------------------------------------------------------------------------- processes
    def _popen(self, cmd: list[str]) -> subprocess.Popen:
        if self._log is None:
            self._log = open(self.log_path, "a")  # noqa: SIM115 (closed in stop)
        return subprocess.Popen(cmd, env=self.env, cwd=self.class_dir, stdout=self._log,
                                stderr=subprocess.STDOUT, start_new_session=True)

    def start_proxy(self) -> None:
        api = self.env["TWITCH_PROXY_API_URL"].rsplit(":", 1)[1]
        self.proxy = self._popen([str(CHP), "--ip", "127.0.0.1", "--port", str(self.port),
                                  "--api-ip", "127.0.0.1", "--api-port", api,
                                  "--error-target",
                                  f"http://127.0.0.1:{self.env['TWITCH_HUB_API_PORT']}/hub/error",
                                  "--log-level", "warn"])

    def start_hub(self, timeout_s: float = 120) -> float:
        """Start the hub; return the seconds until its API answered."""
        t0 = time.monotonic()
        self.hub = self._popen([str(Path(sys.executable).parent / "jupyterhub"),
                                "-f", str(CONFIG)])
        deadline = t0 + timeout_s
        while not _up(f"http://127.0.0.1:{self.env['TWITCH_HUB_API_PORT']}/hub/api/"):
            if self.hub.poll() is not None:
                raise RuntimeError(f"jupyterhub exited ({self.hub.returncode}); "
                                   f"see {self.log_path}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyterhub did not answer in {timeout_s:.0f} s")
            time.sleep(0.3)
        # The hub re-adds its routes to the proxy as it starts; wait until the API answers
        # through the proxy with JSON (not the proxy's error page).
        while True:
            try:
                self.api("GET", "/")
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        return time.monotonic() - t0

    def start(self) -> ClassHub:
        self.start_proxy()
        self.start_hub()
        return self

    def restart_hub(self, hard: bool = True) -> float:
        """Kill the hub (SIGKILL: a crash, by default) and start it again; return its start time."""
        assert self.hub is not None
        self.hub.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        self.hub.wait(timeout=60)
        # A crashed hub leaves its managed services (the idle culler) behind; a service manager
        # (systemd) would end them with it. The students' servers are left running, on purpose.
        students = {p.pid for p in self.class_processes()}
        self._end([p for p in self.class_processes(services=True) if p.pid not in students])
        return self.start_hub()

    def api(self, method: str, path: str, body: dict | None = None, timeout_s: float = 30):
        """The hub's REST API as the class admin (a service token of this run)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}/hub/api{path}", data=data, method=method,
                                     headers={"Authorization": f"token {self.admin_token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout_s) as r:
            text = r.read()
        return json.loads(text) if text else None

    def class_processes(self, services: bool = False) -> list[psutil.Process]:
        """Processes started for this class: the students' servers and kernels (by their HOME),
        and with ``services`` the hub's services (the idle culler: they call this hub's API)."""
        home = str(self.class_dir / "home") + os.sep
        api = f"127.0.0.1:{self.env['TWITCH_HUB_API_PORT']}/"
        found = []
        for p in psutil.process_iter(["pid"]):
            try:
                env = p.environ()
                # A service has JUPYTERHUB_SERVICE_NAME (and an empty JUPYTERHUB_USER).
                if env.get("HOME", "").startswith(home) or (
                        services and api in env.get("JUPYTERHUB_API_URL", "")
                        and env.get("JUPYTERHUB_SERVICE_NAME")):
                    found.append(p)
            except (psutil.Error, OSError):
                continue
        return found

    def _end(self, procs: list[psutil.Process]) -> None:
        for p in procs:
            try:
                p.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(procs, timeout=10)
        for p in alive:
            try:
                p.kill()
            except psutil.Error:
                pass

    def stop(self) -> None:
        """Stop every student's server (through the hub), then the hub and the proxy."""
        if self.hub is not None and self.hub.poll() is None:
            try:
                for user in self.api("GET", "/users"):
                    if user.get("server") or user.get("pending"):
                        try:
                            self.api("DELETE", f"/users/{user['name']}/server")
                        except OSError:
                            pass
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline and any(
                        u.get("server") or u.get("pending") for u in self.api("GET", "/users")):
                    time.sleep(0.5)
            except OSError:
                pass
        for proc in (self.hub, self.proxy):
            if proc is not None and proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        # Anything left of this class (a server the hub could not stop, a service of a hub that
        # was killed): end it by its pid.
        self._end(self.class_processes(services=True))
        for group in [*Path("/sys/fs/cgroup/cpu").glob(f"twitch-{self.class_dir.name}-*"),
                      *Path("/sys/fs/cgroup").glob(f"twitch-{self.class_dir.name}-*")]:
            try:
                group.rmdir()
            except OSError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None
        if self.temporary:
            shutil.rmtree(self.class_dir, ignore_errors=True)

    def __enter__(self) -> ClassHub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--students", type=int, default=int(os.environ.get("STUDENTS", 5)))
    ap.add_argument("--dir", default=os.environ.get("CLASS_DIR") or None,
                    help="keep the class here (default: a new folder under /tmp)")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = ap.parse_args(argv)
    if not 1 <= args.students <= 200:
        raise SystemExit(f"--students must be between 1 and 200, got {args.students}")
    hub = ClassHub(args.students, Path(args.dir) if args.dir else None, args.port)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        hub.start()
        print(f"Twitch class: {hub.url}/hub/login   ({len(hub.students)} students + instructor; "
              f"passwords in {hub.class_dir / 'passwords.txt'}; homes in "
              f"{hub.class_dir / 'home'}; log {hub.log_path}; Ctrl-C stops)", flush=True)
        while hub.hub.poll() is None and hub.proxy.poll() is None:
            time.sleep(1)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
