"""A simulated student on the class hub: what a browser does, over HTTP and the kernel websocket.

One :class:`Student` logs in through the hub's login form (per-user password), starts their server
(``POST /hub/api/users/<name>/server``, as the hub's spawn page does), opens their server's
JupyterLab page (which runs the hub's OAuth hand-shake and sets the server's cookie), reads a lesson
from their own home (``/api/contents``), starts a kernel for it (``/api/sessions``) and talks to the
kernel over the websocket JupyterLab uses (``/api/kernels/<id>/channels``, Jupyter messaging
protocol 5.x): runs every code cell in order, keeps their outputs, and moves a panel's slider the
way the ipywidgets front end does (a ``comm_msg`` "update" of the slider's ``value``), timing each
move until the kernel sends the panel's new figure (the ``comm_msg`` that updates the panel's image
widget). Used by ``benchmarks/bench_class.py`` and ``tests/test_hub.py``. Loopback only.
"""

from __future__ import annotations

import asyncio
import json
import struct
import time
import uuid
from dataclasses import dataclass, field

import aiohttp

SLIDERS = ("FloatSliderModel", "IntSliderModel")


@dataclass
class Run:
    """What one student saw and how long it took (seconds; latencies in ms)."""

    name: str
    login_s: float = float("nan")
    server_start_s: float = float("nan")
    lesson_s: float = float("nan")
    cells: int = 0
    cell_errors: list[str] = field(default_factory=list)
    checkpoints: list[tuple[str, str]] = field(default_factory=list)   # (expected, got)
    moves_ms: list[float] = field(default_factory=list)
    missed_moves: int = 0
    failure: str | None = None

    @property
    def checkpoints_ok(self) -> bool:
        return bool(self.checkpoints) and all(e == g for e, g in self.checkpoints)


def stream_text(outputs: list[dict]) -> str:
    """The printed text of a cell (its stdout stream), as nbval compares it."""
    return "".join(o.get("text", "") for o in outputs
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _decode_binary(data: bytes) -> dict:
    """A binary websocket frame of jupyter_server's default protocol: offsets, JSON, buffers."""
    n = struct.unpack("!I", data[:4])[0]
    offsets = struct.unpack(f"!{n}I", data[4:4 + 4 * n])
    msg = json.loads(data[offsets[0]:offsets[1] if n > 1 else None].decode("utf-8"))
    msg["buffers"] = [data[offsets[i]:offsets[i + 1] if i + 1 < n else None]
                      for i in range(1, n)]
    return msg


class Kernel:
    """One kernel's websocket: execute code, collect outputs, track widget comms."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws = ws
        self.session = uuid.uuid4().hex
        self.waiting: dict[str, asyncio.Future] = {}
        self.outputs: dict[str, list[dict]] = {}
        self.comms: dict[str, dict] = {}            # comm_id -> widget state at open
        self.comm_waiters: list[tuple[str, asyncio.Future]] = []
        self.status = "unknown"
        self.reader = asyncio.ensure_future(self._read())

    def _msg(self, msg_type: str, content: dict, channel: str = "shell") -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type,
                           "session": self.session, "username": "student", "version": "5.3",
                           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
                "buffers": []}

    async def _read(self) -> None:
        async for frame in self.ws:
            if frame.type == aiohttp.WSMsgType.TEXT:
                msg = json.loads(frame.data)
            elif frame.type == aiohttp.WSMsgType.BINARY:
                msg = _decode_binary(frame.data)
            else:
                break
            self._handle(msg)
        for fut in list(self.waiting.values()) + [f for _, f in self.comm_waiters]:
            if not fut.done():
                fut.set_exception(ConnectionError("kernel websocket closed"))

    def _handle(self, msg: dict) -> None:
        kind = msg["header"]["msg_type"]
        parent = msg.get("parent_header", {}).get("msg_id")
        content = msg.get("content", {})
        if kind == "status":
            self.status = content.get("execution_state", self.status)
            if self.status in ("restarting", "dead"):
                for fut in self.waiting.values():
                    if not fut.done():
                        fut.set_exception(ConnectionError(f"kernel {self.status}"))
            elif self.status == "idle" and parent in self.waiting:
                fut = self.waiting.pop(parent)
                if not fut.done():
                    fut.set_result(self.outputs.pop(parent, []))
        elif kind in ("stream", "display_data", "execute_result", "error"):
            if parent in self.outputs:
                self.outputs[parent].append(dict(content, output_type=kind))
        elif kind == "comm_open":
            self.comms[content["comm_id"]] = content.get("data", {}).get("state", {})
        elif kind == "comm_msg":
            data = content.get("data", {})
            if data.get("method") == "update":
                cid = content["comm_id"]
                self.comms.setdefault(cid, {}).update(data.get("state", {}))
                for item in list(self.comm_waiters):
                    if item[0] == cid and not item[1].done():
                        item[1].set_result(time.perf_counter())
                        self.comm_waiters.remove(item)
        elif kind == "kernel_info_reply" and parent in self.waiting:
            fut = self.waiting.pop(parent)
            if not fut.done():
                fut.set_result([])

    async def _send(self, msg: dict) -> None:
        await self.ws.send_str(json.dumps(msg))

    async def ready(self, timeout_s: float = 120) -> None:
        """Wait for a kernel_info_reply (the kernel is up and its channels are connected)."""
        deadline = time.monotonic() + timeout_s
        while True:
            msg = self._msg("kernel_info_request", {})
            fut = asyncio.get_running_loop().create_future()
            self.waiting[msg["header"]["msg_id"]] = fut
            await self._send(msg)
            try:
                await asyncio.wait_for(asyncio.shield(fut), 2)
                return
            except TimeoutError:
                self.waiting.pop(msg["header"]["msg_id"], None)
                if time.monotonic() > deadline:
                    raise

    async def execute(self, code: str, timeout_s: float = 300) -> list[dict]:
        """Run ``code``; return its outputs once the kernel is idle again."""
        msg = self._msg("execute_request", {"code": code, "silent": False, "store_history": True,
                                            "user_expressions": {}, "allow_stdin": False,
                                            "stop_on_error": True})
        mid = msg["header"]["msg_id"]
        fut = asyncio.get_running_loop().create_future()
        self.waiting[mid] = fut
        self.outputs[mid] = []
        await self._send(msg)
        return await asyncio.wait_for(fut, timeout_s)

    def widgets(self, model: str | tuple[str, ...]) -> list[str]:
        names = (model,) if isinstance(model, str) else model
        return [cid for cid, state in self.comms.items() if state.get("_model_name") in names]

    def image_widget(self, after: set[str]) -> str | None:
        """The comm of the newest HTML widget holding a PNG (the panel's figure)."""
        found = [cid for cid, state in self.comms.items() if cid not in after
                 and state.get("_model_name") == "HTMLModel"
                 and "data:image/png" in str(state.get("value", ""))]
        return found[-1] if found else None

    async def move(self, slider: str, value: float, figure: str, timeout_s: float = 60) -> float:
        """Set the slider as the front end does; return ms until the panel's figure updated."""
        fut = asyncio.get_running_loop().create_future()
        self.comm_waiters.append((figure, fut))
        msg = self._msg("comm_msg", {"comm_id": slider, "data": {
            "method": "update", "state": {"value": value}, "buffer_paths": []}})
        t0 = time.perf_counter()
        await self._send(msg)
        t1 = await asyncio.wait_for(fut, timeout_s)
        return 1e3 * (t1 - t0)

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()


class Student:
    """One student's browser: cookies, the hub, their own server and kernel."""

    def __init__(self, hub_url: str, name: str, password: str):
        self.hub = hub_url.rstrip("/")
        self.name = name
        self.password = password
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=300))
        self.base = f"{self.hub}/user/{name}"

    def _xsrf(self, where: str = "hub") -> dict[str, str]:
        """The headers of a script's request (JupyterLab's fetch): the XSRF token of ``where``.

        The hub and each user's server set their own ``_xsrf`` cookie on their own path.
        """
        path = "/hub/" if where == "hub" else f"/user/{self.name}/"
        for c in self.http.cookie_jar:
            if c.key == "_xsrf" and c["path"] == path:
                return {"X-XSRFToken": c.value, "Sec-Fetch-Mode": "cors",
                        "Sec-Fetch-Site": "same-origin"}
        return {"Sec-Fetch-Mode": "cors", "Sec-Fetch-Site": "same-origin"}

    async def login(self) -> None:
        async with self.http.get(f"{self.hub}/hub/login") as r:
            r.raise_for_status()
        data = {"username": self.name, "password": self.password,
                "_xsrf": self._xsrf().get("X-XSRFToken", "")}
        async with self.http.post(f"{self.hub}/hub/login?next=", data=data,
                                  allow_redirects=False) as r:
            if r.status != 302:
                raise PermissionError(f"login of {self.name} refused ({r.status})")
        # The browser follows the redirect to the hub's home page, which sets a new XSRF cookie.
        async with self.http.get(f"{self.hub}/hub/home") as r:
            r.raise_for_status()

    async def start_server(self, timeout_s: float = 300) -> None:
        """Ask the hub for this student's server and wait until it is ready."""
        async with self.http.post(f"{self.hub}/hub/api/users/{self.name}/server", json={},
                                  headers=self._xsrf()) as r:
            if r.status not in (201, 202, 400):   # 400: already running
                raise RuntimeError(f"spawn of {self.name}: {r.status} {await r.text()}")
        deadline = time.monotonic() + timeout_s
        while True:
            async with self.http.get(f"{self.hub}/hub/api/users/{self.name}",
                                     headers=self._xsrf()) as r:
                r.raise_for_status()
                user = await r.json()
            server = (user.get("servers") or {}).get("", {})
            if server.get("ready"):
                break
            if not user.get("pending") and not server:
                raise RuntimeError(f"the server of {self.name} stopped while starting")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the server of {self.name} did not start in {timeout_s} s")
            await asyncio.sleep(0.5)
        # Open JupyterLab as a browser does: the hub's OAuth hand-shake sets the server's cookie.
        async with self.http.get(f"{self.base}/lab") as r:
            r.raise_for_status()

    async def api(self, method: str, path: str, body=None):
        async with self.http.request(method, f"{self.base}/api{path}", json=body,
                                     headers=self._xsrf("server")) as r:
            if r.status >= 400:
                raise RuntimeError(f"{method} {path}: {r.status} {await r.text()}")
            return await r.json() if r.content_type == "application/json" else None

    async def open_notebook(self, path: str) -> dict:
        return (await self.api("GET", f"/contents/{path}?content=1"))["content"]

    async def save_notebook(self, path: str, nb: dict) -> None:
        await self.api("PUT", f"/contents/{path}", {"type": "notebook", "format": "json",
                                                     "content": nb})

    async def start_kernel(self, path: str) -> tuple[str, Kernel]:
        session = await self.api("POST", "/sessions", {"path": path, "type": "notebook",
                                                       "name": path.rsplit("/", 1)[-1],
                                                       "kernel": {"name": "python3"}})
        kid = session["kernel"]["id"]
        return kid, await self.connect(kid)

    async def connect(self, kid: str) -> Kernel:
        ws_url = self.base.replace("http://", "ws://") + \
            f"/api/kernels/{kid}/channels?session_id={uuid.uuid4().hex}"
        ws = await self.http.ws_connect(ws_url, max_msg_size=0,
                                        heartbeat=None)
        kernel = Kernel(ws)
        await kernel.ready()
        return kernel

    async def close(self) -> None:
        await self.http.close()


async def run_lesson(kernel: Kernel, nb: dict, run: Run, panel_moves: int = 0,
                     between_moves_s: float = 0.3) -> None:
    """Run every code cell of ``nb`` (in order), check its checkpoint cells, move its panel.

    Checkpoints are the cells tagged ``nbval-check-output``: their printed text must equal the
    stored output. The panel is the first slider opened by the lesson; each move sets it to the
    next of ``panel_moves`` values spread over its range and waits for the new figure.
    """
    t0 = time.perf_counter()
    panel = None
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        before = set(kernel.comms)
        expected = stream_text(cell.get("outputs", []))
        outputs = await kernel.execute(source)
        run.cells += 1
        errors = [o for o in outputs if o["output_type"] == "error"]
        if errors:
            run.cell_errors.append(f"{errors[0].get('ename')}: {errors[0].get('evalue')}")
        cell["outputs"] = outputs
        if "nbval-check-output" in cell.get("metadata", {}).get("tags", []):
            run.checkpoints.append((expected, stream_text(outputs)))
        if panel is None:
            sliders = [c for c in kernel.widgets(SLIDERS) if c not in before]
            figure = kernel.image_widget(before)
            if sliders and figure:
                panel = (sliders[0], figure)
    run.lesson_s = time.perf_counter() - t0
    if panel_moves and panel is None:
        run.failure = "no panel (slider and figure) found in the lesson"
        return
    if panel_moves:
        slider, figure = panel
        state = kernel.comms[slider]
        low, high, start = state["min"], state["max"], state["value"]
        values = [low + (high - low) * (i + 1) / (panel_moves + 1) for i in range(panel_moves)]
        if state.get("_model_name") == "IntSliderModel":
            values = [round(v) for v in values]
        step = state.get("step") or 0
        if step:
            values = [round(low + round((v - low) / step) * step, 10) for v in values]
        values = [v if v != start else high for v in values]
        for v in values:
            try:
                run.moves_ms.append(await kernel.move(slider, v, figure))
            except TimeoutError:
                run.missed_moves += 1
            await asyncio.sleep(between_moves_s)
