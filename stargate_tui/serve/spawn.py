"""Starting session children for the SSH server: the zygote's side of the server (see zygote.py).

`ZygoteSpawner.spawn` takes a PTY slave descriptor and checked `SessionParams` and returns a
`Child`: its pid, a future for its exit status, and `signal`/`stop`, which reach the child's whole
process group. The server process never imports Textual.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from signal import SIGKILL, SIGTERM

from .session import SessionParams

log = logging.getLogger("stargate_tui.serve")

#: Server-side variables a Python child needs to find its modules; never anything from a client.
_PYTHON_ENV = ("PATH", "PYTHONPATH", "PYTHONHOME", "PYTHONDONTWRITEBYTECODE")
ZYGOTE_READY_TIMEOUT = 60.0
SPAWN_TIMEOUT = 10.0
#: Status of a child whose zygote died before saying how it ended.
STATUS_LOST = 255
KILL_GRACE = 3.0


class SpawnError(Exception):
    pass


def python_environment(extra: dict[str, str]) -> dict[str, str]:
    return {**{name: os.environ[name] for name in _PYTHON_ENV if name in os.environ}, **extra}


@dataclass(eq=False)
class Child:
    pid: int
    exited: asyncio.Future[int]
    send: Callable[[int], None]

    def signal(self, sig: int) -> None:
        if not self.exited.done():
            self.send(sig)

    async def stop(self, first: int = SIGTERM, grace: float = KILL_GRACE) -> int:
        """`first` (the app restores the terminal and exits), SIGKILL after `grace`; the exit status."""
        for sig in (first, SIGKILL):
            self.signal(sig)
            with contextlib.suppress(TimeoutError):
                return await asyncio.wait_for(asyncio.shield(self.exited), grace)
        return STATUS_LOST


class ZygoteSpawner:
    """Sessions forked from a warm zygote (see zygote.py). A zygote found dead is replaced when the
    next session starts (its sessions died with it: PR_SET_PDEATHSIG)."""

    def __init__(self, content: str) -> None:
        self.content = content
        self.control: socket.socket | None = None
        self.process: asyncio.subprocess.Process | None = None
        self.restarting = asyncio.Lock()

    async def start(self) -> None:
        """Start the zygote and wait until it is warm (SpawnError if it cannot start)."""
        await self.close()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        started = time.perf_counter()
        try:
            self.process = await asyncio.create_subprocess_exec(
                *[sys.executable, "-m", "stargate_tui.serve.zygote", "--fd", str(theirs.fileno())],
                *["--content", self.content, "--parent", str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                env=python_environment({"LANG": "C.UTF-8"}),
            )
        finally:
            theirs.close()
        try:
            loop = asyncio.get_running_loop()
            ready = await asyncio.wait_for(loop.sock_recv(ours, 64), ZYGOTE_READY_TIMEOUT)
        except (TimeoutError, OSError):
            ready = b""
        if not ready.startswith(b"ready "):
            ours.close()
            await self.close()
            raise SpawnError("the session zygote did not start")
        elapsed = (time.perf_counter() - started) * 1000
        log.info("zygote %s ready in %.0f ms", ready.split()[1].decode(), elapsed)
        self.control = ours

    async def spawn(self, tty_fd: int, params: SessionParams) -> Child:
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        ours.setblocking(False)
        try:
            async with self.restarting:  # one restart, however many sessions arrive meanwhile
                if self.control is None or self.process is None or self.process.returncode is not None:
                    log.error("the zygote is gone; starting another")
                    await self.start()
            if self.control is None:
                raise SpawnError("no zygote")
            socket.send_fds(self.control, [params.to_json().encode()], [tty_fd, theirs.fileno()])
        except (OSError, SpawnError) as exc:
            ours.close()
            raise SpawnError(f"cannot reach the zygote: {exc}") from None
        finally:
            os.close(tty_fd)
            theirs.close()
        try:
            reply = await asyncio.wait_for(loop.sock_recv(ours, 1024), SPAWN_TIMEOUT)
        except (TimeoutError, OSError):
            reply = b""
        if not reply.startswith(b"pid "):
            ours.close()
            raise SpawnError(reply.decode(errors="replace") or "the zygote did not answer")

        async def wait() -> int:
            try:
                status = await loop.sock_recv(ours, 64)
            except OSError:
                status = b""
            finally:
                ours.close()
            return int(status.split()[1]) if status.startswith(b"exit ") else STATUS_LOST

        pid = int(reply.split()[1])

        def send(sig: int) -> None:  # only called before the zygote reported the exit (Child.signal)
            with contextlib.suppress(ProcessLookupError):
                try:
                    os.killpg(pid, sig)
                except ProcessLookupError:  # the child has not called setsid yet
                    os.kill(pid, sig)

        return Child(pid, loop.create_task(wait()), send)

    async def close(self) -> None:
        """Stop the zygote: end of file on its socket; it ends and reaps any child left."""
        if self.control is not None:
            self.control.close()
            self.control = None
        if self.process is not None and self.process.returncode is None:
            try:
                await asyncio.wait_for(self.process.wait(), 5.0)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
