"""JupyterHub pieces for a class of the Twitch course on one server (used by jupyterhub_config.py).

- :class:`ClassPasswordAuthenticator`: per-user passwords, checked against salted scrypt hashes in
  a file that ``make class`` writes (mode 0600). For test classes on 127.0.0.1 only: an instructor
  replaces it with the institution's login (see ``deploy/README.md``). Only the users in the file
  can log in; there is no sign-up.
- :class:`CourseSpawner` (real system users, as JupyterHub's ``LocalProcessSpawner``) and
  :class:`ClassTestSpawner` (no system users: each test student's home is a folder under one root,
  as ``SimpleLocalProcessSpawner``; every server runs as the hub's own Unix user, so students are
  *not* isolated from each other: for tests and rehearsals only).

Both spawners enforce the hub's ``Spawner.mem_limit`` and ``Spawner.cpu_limit``, which JupyterHub's
local spawners leave to the spawner (they only pass them on as ``MEM_LIMIT``/``CPU_LIMIT``):

- memory: ``RLIMIT_AS`` (address space) on the student's server and on every kernel it starts (a
  kernel inherits it): an allocation past the limit raises ``MemoryError`` in that student's kernel
  instead of pushing the whole server into swap or the OOM killer. It is a per-process bound, so
  it is set from the measured address space of a kernel that ran a lesson
  (benchmarks/bench_class.py);
- CPU: a cgroup per student with a CFS quota of ``cpu_limit`` cores (``cpu.max`` on cgroup v2,
  ``cpu.cfs_quota_us`` on cgroup v1) and a burst allowance (``cpu_burst_s``), so a short redraw runs
  at full speed but a runaway cell gets at most ``cpu_limit`` cores on average. Where no writable
  cgroup CPU controller exists (not root, or no delegation), the spawner logs that and falls back to
  what every Unix has: each kernel's maths libraries get one thread (so one student's kernel can
  use at most one core) and the kernels run at a lower scheduling priority (``kernel_nice``) than
  the hub and proxy.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import resource
import secrets
from pathlib import Path

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner
from traitlets import Float, HasTraits, Integer, Unicode

#: scrypt parameters (RFC 7914): n=2**14, r=8, p=1 takes about 16 MB and 50 ms per check.
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
#: Threads for the maths libraries of each kernel (a kernel is one student's: one core at most).
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                     "NUMBA_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")}


# -------------------------------------------------------------------------------- authentication


def hash_password(password: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt hex>$<hash hex>`` for ``password`` (a fresh random salt by default)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    """True if ``password`` matches a :func:`hash_password` string (constant-time compare)."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_password(password, bytes.fromhex(salt_hex)).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def read_password_file(path: str | os.PathLike) -> dict[str, str]:
    """``{username: scrypt hash}`` from a JSON file; refuses a file others can read."""
    path = Path(path)
    if path.stat().st_mode & 0o077:
        raise PermissionError(f"{path} must be readable by its owner only (chmod 600)")
    users = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(users, dict) or not users:
        raise ValueError(f"{path} must map at least one username to a password hash")
    return users


class ClassPasswordAuthenticator(Authenticator):
    """Log in with a per-user password from ``password_file`` (test classes; never open)."""

    password_file = Unicode(config=True, help="JSON {username: scrypt hash}, mode 0600")

    def _users(self) -> dict[str, str]:
        return read_password_file(self.password_file)

    def check_allowed(self, username, authentication=None):
        return username in self._users()

    async def authenticate(self, handler, data):
        username = (data.get("username") or "").strip()
        stored = self._users().get(username)
        if stored is None or not check_password(data.get("password") or "", stored):
            return None
        return username


# ------------------------------------------------------------------------------ resource limits


def _cgroup_cpu_version() -> int | None:
    """1 or 2 if a cgroup CPU controller is writable here (as root, or delegated), else None."""
    v1 = Path("/sys/fs/cgroup/cpu")
    if (v1 / "cpu.cfs_quota_us").exists() and os.access(v1, os.W_OK):
        return 1
    v2 = Path("/sys/fs/cgroup")
    if (v2 / "cgroup.subtree_control").exists() and os.access(v2, os.W_OK) and \
            "cpu" in (v2 / "cgroup.controllers").read_text().split():
        return 2
    return None


def make_cpu_cgroup(name: str, cores: float, burst_s: float) -> Path | None:
    """Create (or update) one student's cgroup with a quota of ``cores``; None if impossible.

    The group sits directly under the root of the CPU hierarchy, with the default weight: under
    contention one student's server and kernels together weigh as much as one process elsewhere
    (as systemd's per-user slices do). Grouping all students under one parent would give the whole
    class the weight of a single process on a busy machine.
    """
    version = _cgroup_cpu_version()
    if version is None or cores <= 0:
        return None
    period_us = 100_000
    quota_us = int(cores * period_us)
    burst_us = min(int(burst_s * 1e6), quota_us)  # the kernel caps the burst at the quota
    try:
        if version == 1:
            group = Path("/sys/fs/cgroup/cpu") / name
            group.mkdir(exist_ok=True)
            (group / "cpu.cfs_period_us").write_text(str(period_us))
            (group / "cpu.cfs_quota_us").write_text(str(quota_us))
            if (group / "cpu.cfs_burst_us").exists():
                (group / "cpu.cfs_burst_us").write_text(str(burst_us))
        else:
            root = Path("/sys/fs/cgroup")
            (root / "cgroup.subtree_control").write_text("+cpu")
            group = root / name
            group.mkdir(exist_ok=True)
            (group / "cpu.max").write_text(f"{quota_us} {period_us}")
            if (group / "cpu.max.burst").exists():
                (group / "cpu.max.burst").write_text(str(burst_us))
        return group
    except OSError:
        return None


def remove_cpu_cgroup(group: Path | None) -> None:
    """Remove a student's cgroup once it holds no process (a no-op otherwise)."""
    if group is None:
        return
    try:
        group.rmdir()
    except OSError:
        pass


class _LimitsMixin(HasTraits):
    """``mem_limit`` as RLIMIT_AS, ``cpu_limit`` as a cgroup quota (see the module docstring)."""

    cpu_burst_s = Float(0.1, config=True,
                        help="CPU time (s) a student may use above cpu_limit in a burst "
                             "(cgroup CPU burst, capped by the kernel at one period's quota)")
    kernel_nice = Integer(5, config=True,
                          help="niceness of the student's server and kernels where no cgroup "
                               "CPU controller is writable (keeps the hub and proxy responsive)")
    cgroup_name_template = Unicode("twitch-{username}", config=True,
                                   help="name of each student's CPU cgroup ({username})")
    cgroup = None

    def _limits_preexec(self):
        mem = int(self.mem_limit) if self.mem_limit else None
        group = make_cpu_cgroup(self.cgroup_name_template.format(username=self.user.name),
                                self.cpu_limit or 0, self.cpu_burst_s)
        self.cgroup = group
        if self.cpu_limit and group is None:
            self.log.warning("no writable cgroup CPU controller: cpu_limit for %s is enforced only "
                             "by one thread per kernel and nice %d", self.user.name,
                             self.kernel_nice)
        nice = self.kernel_nice if group is None else 0

        def apply():
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))
            if mem:
                resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
            if nice:
                os.nice(nice)

        return apply

    def make_preexec_fn(self, name):
        limits = self._limits_preexec()
        base = super().make_preexec_fn(name)

        def preexec():
            limits()   # first: joining a cgroup needs the hub's privileges, which base() drops
            base()

        return preexec

    def get_env(self):
        env = super().get_env()
        env.update(ONE_THREAD)
        return env

    async def stop(self, now=False):
        await super().stop(now=now)
        remove_cpu_cgroup(self.cgroup)


class CourseSpawner(_LimitsMixin, LocalProcessSpawner):
    """Real system users (the hub runs as root): LocalProcessSpawner with the class's limits."""


class ClassTestSpawner(_LimitsMixin, SimpleLocalProcessSpawner):
    """Test students without system accounts: homes under one folder, the hub's Unix user."""
