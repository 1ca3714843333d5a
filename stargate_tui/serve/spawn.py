"""Starting session children from the SSH server: through the pre-warmed zygote, or cold.

Both spawners take a PTY slave descriptor and checked `SessionParams`, and return a `Child`: its pid,
a future for its exit status, and a way to signal it. The server never imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from .session import SessionParams

log = logging.getLogger("stargate_tui.serve")

#: Server-side variables a Python child needs to find its modules; never anything from a client.
_PYTHON_ENV = ("PATH", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
ZYGOTE_READY_TIMEOUT = 60.0
#: Status reported for a child whose zygote died before telling us how it ended.
STATUS_LOST = 255


def python_environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {name: os.environ[name] for name in _PYTHON_ENV if name in os.environ}
    env.update(extra or {})
    return env


def read_master(master: int) -> bytes | None:
    """What a child wrote on its PTY (read from the master, non-blocking): None when nothing is there
    yet, b"" at the end (EIO once every copy of the slave is closed: the child is gone)."""
    try:
        return os.read(master, 65536)
    except (BlockingIOError, InterruptedError):
        return None
    except OSError:
        return b""


@dataclass(eq=False)
class Child:
    pid: int
    exited: asyncio.Future[int]
    _signal: Any = field(repr=False)

    def signal(self, sig: int) -> None:
        if not self.exited.done():
            self._signal(sig)


class Spawner(Protocol):
    name: str

    async def start(self) -> None: ...

    async def spawn(self, tty_fd: int, params: SessionParams) -> Child: ...

    async def close(self) -> None: ...

    def pids(self) -> list[int]: ...


class SpawnError(Exception):
    pass


class ColdSpawner:
    """A fresh `python -m stargate_tui.serve.child` per session (slow start; for comparison and fallback)."""

    name = "cold"

    def __init__(self, content: str) -> None:
        self.content = content
        self._children: dict[int, Child] = {}

    async def start(self) -> None:
        return None

    async def spawn(self, tty_fd: int, params: SessionParams) -> Child:
        from .child import session_environment

        log_fd = sys.stderr.fileno()
        argv = [
            sys.executable,
            "-m",
            "stargate_tui.serve.child",
            "--params",
            params.to_json(),
            "--content",
            self.content,
            "--log-fd",
            str(log_fd),
            "--parent",
            str(os.getpid()),
        ]
        try:
            process = await asyncio.create_subprocess_exec(
                *argv,
                stdin=tty_fd,
                stdout=tty_fd,
                stderr=tty_fd,
                pass_fds=(log_fd,),
                start_new_session=True,
                env=python_environment(session_environment(params)),
            )
        finally:
            os.close(tty_fd)  # the child has its copies (or was never started)
        loop = asyncio.get_running_loop()
        exited: asyncio.Future[int] = loop.create_future()

        def on_exit(task: asyncio.Task[int]) -> None:
            self._children.pop(process.pid, None)
            if not exited.done():
                code = task.result() if not task.cancelled() else STATUS_LOST
                exited.set_result(128 - code if code < 0 else code)

        def send(sig: int) -> None:
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.send_signal(sig)

        loop.create_task(process.wait()).add_done_callback(on_exit)
        child = Child(process.pid, exited, send)
        self._children[process.pid] = child
        return child

    async def close(self) -> None:
        await _stop_children(list(self._children.values()))

    def pids(self) -> list[int]:
        return list(self._children)


class ZygoteSpawner:
    """Sessions forked from a warm zygote; a zygote that dies is replaced."""

    name = "zygote"

    def __init__(self, content: str) -> None:
        self.content = content
        self.process: asyncio.subprocess.Process | None = None
        self._sock: socket.socket | None = None
        self._ready: asyncio.Future[int] | None = None
        self._pending: dict[int, asyncio.Future[Child]] = {}
        self._children: dict[int, tuple[int, Child]] = {}  # session id → (pid, child)
        self._next_id = 0
        self._closing = False
        self._restarts: list[float] = []
        self._starting: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start the zygote and wait until it has loaded everything (raises SpawnError if it cannot)."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        self._ready = loop.create_future()
        started = time.perf_counter()
        try:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "stargate_tui.serve.zygote",
                "--fd",
                str(theirs.fileno()),
                "--content",
                self.content,
                "--parent",
                str(os.getpid()),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                env=python_environment({"LANG": "C.UTF-8"}),
            )
        finally:
            theirs.close()
        self._sock = ours
        loop.add_reader(ours.fileno(), self._on_readable, ours)
        try:
            pid = await asyncio.wait_for(asyncio.shield(self._ready), ZYGOTE_READY_TIMEOUT)
        except (TimeoutError, SpawnError) as exc:
            await self._kill_zygote()
            raise SpawnError(f"the session zygote did not start: {exc or 'timed out'}") from None
        log.info("zygote %d ready in %.0f ms", pid, (time.perf_counter() - started) * 1000)

    async def spawn(self, tty_fd: int, params: SessionParams) -> Child:
        if self._starting is not None:
            await asyncio.shield(self._starting)
        sock = self._sock
        if sock is None or self._ready is None or not self._ready.done() or self._ready.exception():
            os.close(tty_fd)
            raise SpawnError("no zygote")
        self._next_id += 1
        session_id = self._next_id
        future: asyncio.Future[Child] = asyncio.get_running_loop().create_future()
        self._pending[session_id] = future
        message = {"op": "spawn", "id": session_id, "params": json.loads(params.to_json())}
        try:
            socket.send_fds(sock, [json.dumps(message).encode()], [tty_fd])
        except OSError as exc:
            self._pending.pop(session_id, None)
            raise SpawnError(f"cannot reach the zygote: {exc}") from None
        finally:
            os.close(tty_fd)
        return await asyncio.wait_for(future, 10.0)

    def pids(self) -> list[int]:
        pids = [pid for pid, _ in self._children.values()]
        if self.process is not None and self.process.returncode is None:
            pids.append(self.process.pid)
        return pids

    # -- messages from the zygote --------------------------------------------------------------

    def _on_readable(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(64 * 1024)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            self._lost(sock)
            return
        try:
            message = json.loads(data)
        except ValueError:
            log.error("zygote sent an unreadable message: %r", data[:200])
            return
        op = message.get("op")
        if op == "ready" and self._ready is not None and not self._ready.done():
            self._ready.set_result(int(message["pid"]))
        elif op == "started":
            self._on_started(int(message["id"]), int(message["pid"]))
        elif op == "exited":
            entry = self._children.pop(int(message["id"]), None)
            if entry is not None and not entry[1].exited.done():
                entry[1].exited.set_result(int(message["status"]))
        elif op == "error":
            future = self._pending.pop(message.get("id") or -1, None)
            text = str(message.get("message"))
            if future is not None and not future.done():
                future.set_exception(SpawnError(text))
            else:
                log.error("zygote: %s", text)

    def _on_started(self, session_id: int, pid: int) -> None:
        loop = asyncio.get_running_loop()
        exited: asyncio.Future[int] = loop.create_future()

        def send(sig: int) -> None:
            self._send({"op": "kill", "pid": pid, "sig": int(sig)})

        child = Child(pid, exited, send)
        self._children[session_id] = (pid, child)
        future = self._pending.pop(session_id, None)
        if future is not None and not future.done():
            future.set_result(child)
        else:  # nobody waits for it any more (the spawn timed out): end it
            child.signal(signal.SIGHUP)

    def _send(self, message: dict[str, Any]) -> None:
        if self._sock is None:
            return
        with contextlib.suppress(OSError):
            self._sock.send(json.dumps(message).encode())

    def _lost(self, sock: socket.socket) -> None:
        """End of file: the zygote died (or was stopped). Its children die with it (PDEATHSIG)."""
        loop = asyncio.get_running_loop()
        loop.remove_reader(sock.fileno())
        sock.close()
        if self._sock is sock:
            self._sock = None
        if self._ready is not None and not self._ready.done():
            self._ready.set_exception(SpawnError("the zygote exited while starting"))
        for future in self._pending.values():
            if not future.done():
                future.set_exception(SpawnError("the zygote exited"))
        self._pending.clear()
        for _pid, child in self._children.values():
            if not child.exited.done():
                child.exited.set_result(STATUS_LOST)
        self._children.clear()
        if not self._closing:
            self._starting = loop.create_task(self._restart())

    async def _restart(self) -> None:
        process = self.process
        if process is not None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            status = await process.wait()
            log.error("zygote %d exited (status %s); starting a new one", process.pid, status)
        now = time.monotonic()
        self._restarts = [t for t in self._restarts if now - t < 60] + [now]
        if len(self._restarts) > 5:
            log.error("the zygote keeps dying; sessions will fail until the server is restarted")
            self._starting = None
            return
        if len(self._restarts) > 1:
            await asyncio.sleep(min(5.0, 0.2 * 2 ** len(self._restarts)))
        try:
            await self.start()
        except SpawnError as exc:
            log.error("%s", exc)
        finally:
            self._starting = None

    # -- stopping ------------------------------------------------------------------------------

    async def close(self) -> None:
        """Hang up every session child, then stop the zygote (it reaps what is left)."""
        self._closing = True
        if self._starting is not None:
            self._starting.cancel()
            with contextlib.suppress(asyncio.CancelledError, SpawnError):
                await self._starting
        await _stop_children([child for _, child in self._children.values()])
        if self._sock is not None:
            with contextlib.suppress(OSError, ValueError):
                asyncio.get_running_loop().remove_reader(self._sock.fileno())
            self._sock.close()  # end of file: the zygote shuts down
            self._sock = None
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 5.0)
            except TimeoutError:
                await self._kill_zygote()

    async def _kill_zygote(self) -> None:
        if self.process is not None and self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            await self.process.wait()


async def _stop_children(children: list[Child], grace: float = 3.0) -> None:
    """SIGTERM (the app restores the terminal and exits), then SIGKILL after `grace` seconds."""
    for child in children:
        child.signal(signal.SIGTERM)
    pending = [c.exited for c in children if not c.exited.done()]
    if pending:
        _done, late = await asyncio.wait(pending, timeout=grace)
        for child in children:
            if not child.exited.done():
                child.signal(signal.SIGKILL)
        if late:
            await asyncio.wait(late, timeout=grace)
