"""Read half of a large pack's files in a forked worker while the loader reads the other half.

Reading YAML is pure Python work, one core's worth. On a machine with two cores or more, a pack of a
few megabytes (10,000 records is 8 MB) is read in about half the time when a forked worker takes the
files holding half its bytes: the worker reads them with the fast block-YAML reader only and sends the
data back, msgpack-encoded, through a pipe; the loader then validates everything as usual. A file
the worker could not read that way (or any failure of the worker) is read by the loader itself, so
what the loader builds and reports is the same with or without the worker.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Below this many bytes a fork costs more than it saves (the embedded pack is about 200 kB).
MIN_BYTES = 1 << 20


class Worker:
    """A forked child reading some of the pack's files; `indices` are their places in the file list."""

    def __init__(self, pid: int, fd: int, indices: list[int]) -> None:
        self.pid, self.fd, self.indices = pid, fd, indices

    def result(self) -> dict[int, Any]:
        """The data of each file the worker read, by index; the others are the loader's to read."""
        data = child_output(self.pid, self.fd)
        if data is None:
            return {}
        import msgspec

        try:
            roots = msgspec.msgpack.decode(data)
        except msgspec.DecodeError:  # pragma: no cover - the worker exits 0 only after a whole write
            return {}
        return {i: root for i, root in zip(self.indices, roots, strict=True) if root is not None}

    def stop(self) -> None:
        """Stop the worker (the loader gave up on the pack before asking for its result)."""
        os.close(self.fd)
        with contextlib.suppress(ProcessLookupError):  # it may have ended already
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def child_output(pid: int, fd: int) -> bytes | None:
    """Everything a forked child wrote to the pipe `fd`, once it has ended; None unless it exited 0."""
    chunks = []
    try:
        with os.fdopen(fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
    finally:
        _, status = os.waitpid(pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
        return None
    return b"".join(chunks)


def start(files: list[Path]) -> Worker | None:
    """Fork a worker for the files holding about half the pack's bytes; None when it is not worth it
    (a small pack, one core, no fork) or not safe (other threads running)."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or threading.active_count() > 1:
        return None
    try:
        sizes = [path.stat().st_size for path in files]
    except OSError:
        return None  # the loader says what is wrong
    if sum(sizes) < MIN_BYTES or len(files) < 2:
        return None
    indices = _half(sizes)

    def work() -> bytes:
        import msgspec

        from .loader import read_fast

        return msgspec.msgpack.encode([read_fast(files[i]) for i in indices])

    return Worker(*fork_child(work), indices)  # any failure: the loader reads these files itself


def fork_child(work: Callable[[], bytes]) -> tuple[int, int]:
    """Fork a child that sends what `work` returns through a pipe, then leaves without running the
    parent's exit handlers (exit status 1, and nothing sent, if anything fails); its pid and the pipe's
    end to read with `child_output`."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            os.close(read_end)
            data = work()
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        except BaseException:  # the parent does the work itself
            pass
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _half(sizes: list[int]) -> list[int]:
    """Indices of files holding about half the bytes (the biggest first, each to the lighter side)."""
    mine: list[int] = []
    loads = [0, 0]
    for index in sorted(range(len(sizes)), key=lambda i: -sizes[i]):
        side = 0 if loads[0] <= loads[1] else 1
        loads[side] += sizes[index]
        if side == 1:
            mine.append(index)
    return sorted(mine)
