"""A class on a real JupyterHub (issue 19): two students run a lesson and get its checkpoints.

Starts the hub exactly as ``make class`` does (``tools/class_hub.py``: configurable-http-proxy from
``deploy/local/node_modules``, JupyterHub with ``deploy/local/jupyterhub_config.py``) with two test
students on 127.0.0.1, then, as two browsers would (``tools/class_student.py``: the login form, the
spawn API, JupyterLab's contents, sessions and kernel-websocket protocol):

- a wrong password and an unknown user are refused (the hub is never open);
- both students, at the same time, start their servers, open lesson 1.2 from their own home and
  run all its cells; each checkpoint cell prints exactly its stored output, no cell fails; the
  lesson's panel answers a slider move with a new figure;
- a student's saved edit lands in their own home only (not the other's, not the repository);
- the hub killed with SIGKILL and restarted: the servers are still registered and ready, the saved
  notebook is intact, and the student's kernel still runs code through the proxy;
- stopping the class leaves no process of it behind.

Bounded: the whole module has a 240 s budget on two busy cores (about 60 s when quiet).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from class_hub import CHP, ClassHub  # noqa: E402
from class_student import Run, Student, run_lesson  # noqa: E402

pytestmark = [pytest.mark.hub, pytest.mark.slow]

LESSON = "lessons/1-motor-unit/2-resting-potential.ipynb"
BUDGET_S = 240


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def hub():
    if not CHP.exists():
        pytest.fail(f"{CHP} missing: `make proxy` installs the proxy (make test does)")
    # A short folder: the kernels' IPC sockets live in the students' homes.
    hub = ClassHub(2)
    hub.start()
    yield hub
    hub.stop()
    left = hub.class_processes(services=True) + _touching(hub.class_dir)
    assert not left, f"processes of the class still running: {[p.cmdline() for p in left]}"
    assert not hub.class_dir.exists(), "the class's temporary folder was left behind"


def _touching(class_dir) -> list[psutil.Process]:
    """Processes whose working folder or environment is in the class's folder (independent of
    how ``ClassHub`` finds its own: hub, proxy, services, servers, kernels all qualify)."""
    found, mark = [], str(class_dir)
    for p in psutil.process_iter(["pid"]):
        try:
            if p.cwd().startswith(mark) or any(mark in v for v in p.environ().values()):
                found.append(p)
        except (psutil.Error, OSError):
            continue
    return found


async def _refused(hub, name, password) -> bool:
    s = Student(hub.url, name, password)
    try:
        await s.login()
        return False
    except PermissionError:
        return True
    finally:
        await s.close()


async def _student(hub, name) -> tuple[Student, Run, object, dict]:
    s = Student(hub.url, name, hub.passwords[name])
    run = Run(name)
    await s.login()
    t0 = time.perf_counter()
    await s.start_server()
    run.server_start_s = time.perf_counter() - t0
    nb = await s.open_notebook(LESSON)
    _, kernel = await s.start_kernel(LESSON)
    await run_lesson(kernel, nb, run, panel_moves=2)
    return s, run, kernel, nb


def test_two_students_run_a_lesson_and_survive_a_hub_restart(hub):
    before = _git_status()

    async def scenario():
        assert await _refused(hub, "student01", "not-the-password")
        assert await _refused(hub, "mallory", hub.passwords["student01"])
        results = await asyncio.wait_for(
            asyncio.gather(*(_student(hub, n) for n in hub.students)), BUDGET_S)
        (s1, run1, k1, nb1), (s2, run2, k2, _) = results
        for run in (run1, run2):
            assert run.failure is None, run.failure
            assert not run.cell_errors, run.cell_errors
            assert len(run.checkpoints) == 2, "lesson 1.2 has two checkpoint cells"
            for expected, got in run.checkpoints:
                assert expected.strip(), "stored checkpoint output is empty"
                assert got == expected
            assert len(run.moves_ms) == 2, "the panel did not answer its slider"

        # Student 1 writes a note into the lesson and saves it: it lands in their home only.
        nb1["cells"][0]["source"] = "# student01's note\n" + nb1["cells"][0]["source"]
        await s1.save_notebook(LESSON, nb1)
        home = hub.class_dir / "home"
        assert "student01's note" in (home / "student01/twitch" / LESSON).read_text()
        assert "student01's note" not in (home / "student02/twitch" / LESSON).read_text()

        # The hub crashes and comes back; the students' servers and kernels carry on.
        await asyncio.to_thread(hub.restart_hub)
        users = {u["name"]: u for u in hub.api("GET", "/users")}
        for name in hub.students:
            assert users[name]["servers"][""]["ready"], f"{name}'s server lost by the restart"
        saved = await s1.open_notebook(LESSON)
        assert saved["cells"][0]["source"].startswith("# student01's note")
        out = await k2.execute("print(6 * 7)")
        assert [o.get("text") for o in out] == ["42\n"]
        for s, k in ((s1, k1), (s2, k2)):
            await k.close()
            await s.close()

    asyncio.run(scenario())
    assert _git_status() == before, "the class wrote into the repository"
