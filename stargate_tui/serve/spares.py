"""Spare sessions: explorers started before anyone asks, adopted by the next compatible session.

Like a prefork server's spare workers. The server keeps `--spares N` explorers running on PTYs it owns,
with the parameters of the most recent session (its window size, terminal type and 24-bit colour; the
server's language; the overview; 80×24 before the first session). Each spare's output — its whole
start-up, mode settings and first frame — is kept in a bounded buffer, and the PTY is read all the time
so the spare never blocks.

A session whose parameters match (same `TERM` and `COLORTERM` after validation, no deep link) takes a
spare: the server sets the PTY to the client's size (the kernel sends SIGWINCH if it differs and the
explorer repaints), sends the buffered output to the client and from then on copies bytes as for any
session. Anything else starts a new child as before. A replacement spare is started once the new
session's first frame is out (its output quiet for a moment), so it never competes with it.

A spare that dies is replaced after a delay that doubles with each death in the last five minutes (a
crash loop cannot spin); one that writes more than `SPARE_OUTPUT_CAP` bytes is dropped; one whose
parameters no longer match the most recent session's is retired and replaced. Spares are children of the
spawner like sessions, so shutdown and the death of the server end them the same way; they hold no
connection slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import termios
import time
from collections import deque
from typing import Protocol

from .session import DEFAULT_TERM, SessionParams
from .spawn import Child, Spawner, SpawnError, read_master

log = logging.getLogger("stargate_tui.serve")

SPARE_SIZE = (80, 24)
#: A spare that writes more than this before it is adopted is dropped (a first frame is ~10-40 KiB).
SPARE_OUTPUT_CAP = 1 << 20
#: A spare that has written at least a byte per cell of its screen, then nothing for this long, has
#: drawn its first frame: it is ready (logged; any live spare may be adopted, ready or not).
READY_QUIET = 0.2
#: A new session is left alone until it has written a screenful (a byte per cell) and then nothing for
#: this long: its first frame is out ...
SESSION_QUIET = 0.25
#: ... or, a screenful written, for at most this long (it keeps writing: the user is busy) ...
SESSION_HOLD_MAX = 3.0
#: ... or for at most this long in any case (it never drew: it will not be waited for forever).
SESSION_HOLD_LIMIT = 30.0
BACKOFF_FIRST = 1.0
BACKOFF_MAX = 60.0
FAILURE_MEMORY = 300.0
KILL_GRACE = 3.0
MAX_SPARES = 8

Key = tuple[str, str | None]


def spare_key(params: SessionParams) -> Key | None:
    """What must match between a session and a spare; None for a deep link (never served by a spare)."""
    if params.pane is not None or params.record is not None:
        return None
    return (params.term, params.colorterm)


def backoff_delay(failures: int) -> float:
    """Seconds to wait before starting a spare after `failures` recent deaths."""
    if failures <= 0:
        return 0.0
    return min(BACKOFF_MAX, BACKOFF_FIRST * 2.0 ** (failures - 1))


class NewSession(Protocol):
    """What the pool watches of a session that has just started (see `SparePool.session_started`)."""

    @property
    def started(self) -> float: ...

    @property
    def output_at(self) -> float: ...

    @property
    def output_bytes(self) -> int: ...

    @property
    def size(self) -> tuple[int, int]: ...

    @property
    def finished(self) -> asyncio.Future[None]: ...


def set_size(master: int, cols: int, rows: int) -> None:
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class Spare:
    """A started explorer nobody uses yet: its PTY master, its child, and what it has written."""

    def __init__(
        self, pool: SparePool, master: int, child: Child, key: Key, size: tuple[int, int] = SPARE_SIZE
    ) -> None:
        self.pool = pool
        self.size = size
        self.master: int | None = master
        self.child = child
        self.key = key
        self.started = time.monotonic()
        self.buffer = bytearray()
        self.ready = False
        self.state = "spare"  # then "adopted", "retired" or "dead"
        self._ready_timer: asyncio.TimerHandle | None = None
        self._kill_timer: asyncio.TimerHandle | None = None
        loop = asyncio.get_running_loop()
        loop.add_reader(master, self._on_output)
        child.exited.add_done_callback(self._on_exit)

    @property
    def alive(self) -> bool:
        return self.state == "spare" and self.master is not None and not self.child.exited.done()

    def _on_output(self) -> None:
        if self.master is None:
            return
        data = read_master(self.master)
        if data is None:
            return
        if not data:
            self._stop_reading()
            return
        self.buffer += data
        if len(self.buffer) > SPARE_OUTPUT_CAP:
            log.warning("spare pid %d wrote over %d bytes; dropping it", self.child.pid, SPARE_OUTPUT_CAP)
            self.pool._failed()
            self.retire()
            return
        if not self.ready:
            if self._ready_timer is not None:
                self._ready_timer.cancel()
            if len(self.buffer) >= self.size[0] * self.size[1]:
                self._ready_timer = asyncio.get_running_loop().call_later(READY_QUIET, self._on_ready)

    def _on_ready(self) -> None:
        if self.state != "spare":
            return
        self.ready = True
        log.info(
            "spare pid %d ready after %.0f ms (%d bytes)",
            self.child.pid,
            (time.monotonic() - self.started - READY_QUIET) * 1000,
            len(self.buffer),
        )

    def _stop_reading(self) -> None:
        if self.master is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self.master)

    def _close_master(self) -> None:
        self._stop_reading()
        if self.master is not None:
            os.close(self.master)
            self.master = None

    def adopt(self) -> tuple[int, Child, bytes]:
        """Hand the PTY master, the child and the buffered output over to a session."""
        assert self.master is not None
        self._stop_reading()
        if self._ready_timer is not None:
            self._ready_timer.cancel()
        self.state = "adopted"
        master, self.master = self.master, None
        backlog = bytes(self.buffer)
        self.buffer.clear()
        return master, self.child, backlog

    def retire(self) -> None:
        """End the spare: hang up its terminal (the kernel sends SIGHUP), and make sure."""
        if self.state != "spare":
            return
        self.state = "retired"
        self.pool._remove(self)
        if self._ready_timer is not None:
            self._ready_timer.cancel()
        self._close_master()
        self.buffer.clear()
        self.child.signal(signal.SIGHUP)
        if not self.child.exited.done():
            self._kill_timer = asyncio.get_running_loop().call_later(KILL_GRACE, self._kill)

    def _kill(self) -> None:
        self.child.signal(signal.SIGKILL)

    def _on_exit(self, exited: asyncio.Future[int]) -> None:
        if self._kill_timer is not None:
            self._kill_timer.cancel()
        if self.state != "spare":
            return  # adopted (the session handles its end) or retired (expected)
        status = exited.result()
        log.warning("spare pid %d exited unexpectedly (status %s)", self.child.pid, status)
        self.state = "dead"
        self.pool._remove(self)
        if self._ready_timer is not None:
            self._ready_timer.cancel()
        self._close_master()
        self.pool._failed()


class SparePool:
    """Keeps `size` spares running and hands them to compatible sessions."""

    def __init__(self, spawner: Spawner, size: int, lang: str) -> None:
        self.spawner = spawner
        self.size = size
        self.lang = lang
        self.key: Key = (DEFAULT_TERM, None)
        # a spare starts at the size of the latest session: the next client's window is likely the same,
        # and adopting a spare of another size costs the explorer a relayout (≈ 0.1 s) before its frame
        self.window: tuple[int, int] = SPARE_SIZE
        self.spares: list[Spare] = []
        self.hits = 0
        self.misses = 0
        self._held: list[NewSession] = []
        self._failures: deque[float] = deque()
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # -- the server's side ---------------------------------------------------------------------

    def start(self) -> None:
        if self.size <= 0:
            return
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    def take(self, params: SessionParams) -> Spare | None:
        """A live spare for a session with these parameters (removed from the pool), or None."""
        key = spare_key(params)
        if self.size <= 0 or self._closing or key is None or params.lang != self.lang:
            return None
        # the oldest first: the most likely to be ready
        for spare in self.spares:
            if spare.key == key and spare.alive:
                self.spares.remove(spare)
                self.hits += 1
                self._failures.clear()  # a spare made it to a session: whatever failed before is over
                return spare
        self.misses += 1
        return None

    def session_started(self, session: NewSession, params: SessionParams) -> None:
        """A session is running (adopted or not): follow its parameters, refill once it is quiet."""
        if self.size <= 0 or self._closing:
            return
        self.key = (params.term, params.colorterm)
        self.window = (params.cols, params.rows)
        self._held.append(session)
        self._poke()

    def pids(self) -> list[int]:
        return [spare.child.pid for spare in self.spares if spare.alive]

    async def close(self) -> None:
        """Stop refilling and end every spare (the spawner reaps them)."""
        self._closing = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for spare in list(self.spares):
            spare.retire()

    # -- bookkeeping ---------------------------------------------------------------------------

    def _poke(self) -> None:
        if self._wake is not None:
            self._wake.set()

    def _remove(self, spare: Spare) -> None:
        if spare in self.spares:
            self.spares.remove(spare)
        self._poke()

    def _failed(self) -> None:
        self._failures.append(time.monotonic())
        self._poke()

    def next_delay(self) -> float:
        """Seconds until a spare may be started, given the recent failures."""
        now = time.monotonic()
        while self._failures and now - self._failures[0] > FAILURE_MEMORY:
            self._failures.popleft()
        if not self._failures:
            return 0.0
        return max(0.0, self._failures[-1] + backoff_delay(len(self._failures)) - now)

    def _busy(self) -> bool:
        """True while a recently started session may still be drawing its first frame."""
        now = time.monotonic()
        self._held = [s for s in self._held if not _settled(s, now)]
        return bool(self._held)

    def _stale(self) -> list[Spare]:
        return [spare for spare in self.spares if spare.key != self.key]

    # -- refilling -----------------------------------------------------------------------------

    async def _run(self) -> None:
        assert self._wake is not None
        while not self._closing:
            if len(self.spares) >= self.size and not self._stale():
                self._wake.clear()
                await self._wake.wait()
                continue
            delay = self.next_delay()
            if delay > 0:
                log.info("next spare in %.1f s (%d failed in the last 5 min)", delay, len(self._failures))
                await asyncio.sleep(delay)
                continue
            if self._busy():
                await asyncio.sleep(0.05)
                continue
            if len(self.spares) >= self.size:
                stale = self._stale()[0]
                term, colorterm = self.key
                log.info("retiring spare pid %d: now term=%r colorterm=%r", stale.child.pid, term, colorterm)
                stale.retire()
                continue
            await self._spawn()

    async def _spawn(self) -> None:
        term, colorterm = self.key
        cols, rows = self.window
        params = SessionParams(term=term, colorterm=colorterm, cols=cols, rows=rows, lang=self.lang)
        try:
            master, slave = os.openpty()
        except OSError as exc:
            log.error("could not start a spare session: %s", exc)
            self._failed()
            return
        set_size(master, cols, rows)
        os.set_blocking(master, False)
        try:
            child = await self.spawner.spawn(slave, params)
        except (SpawnError, OSError, TimeoutError) as exc:
            os.close(master)
            log.error("could not start a spare session: %s", exc)
            self._failed()
            return
        except asyncio.CancelledError:  # shutting down (the spawner hangs up a child started meanwhile)
            os.close(master)
            raise
        if self._closing:
            os.close(master)
            child.signal(signal.SIGHUP)
            return
        spare = Spare(self, master, child, (term, colorterm), (cols, rows))
        self.spares.append(spare)
        log.info(
            "spare pid %d started (%s) term=%r colorterm=%r size=%dx%d",
            child.pid,
            self.spawner.name,
            term,
            colorterm,
            cols,
            rows,
        )


def _settled(session: NewSession, now: float) -> bool:
    """The session's first frame is out (a screenful, then quiet), it ended, or it has had long enough.

    In a burst of new sessions this keeps the refill off the CPU until every one of them has drawn.
    """
    age = now - session.started
    if session.finished.done() or age >= SESSION_HOLD_LIMIT:
        return True
    cols, rows = session.size
    if session.output_bytes < cols * rows:
        return False
    return age >= SESSION_HOLD_MAX or now - session.output_at >= SESSION_QUIET
