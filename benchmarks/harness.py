"""Run a terminal program under a pseudo-terminal and time what the user sees.

`Terminal` starts a program on a new pty (80×24 by default, TERM=xterm-256color), reads everything it
writes, renders it with pyte and answers one question: how long until this text is on the screen?
Times are taken from process start (or from the moment a key is written to the pty) to the arrival of
the bytes that completed the expected text, so the harness's own parsing is not counted.

Parsing is lazy: while the program is writing, the harness only reads (so the program never waits on
a full pty buffer); when the output pauses for a couple of milliseconds, the pending chunks are fed to
pyte one at a time and the screen is checked after each.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import termios
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyte

#: Output pauses longer than this separate two writes ("frames") of the program.
FRAME_GAP = 0.003
#: How long the output must pause before pending chunks are parsed.
PARSE_GAP = 0.002

Expect = str | re.Pattern[str] | Sequence[str | re.Pattern[str]]


class HarnessError(RuntimeError):
    """The program did not show what was expected (the screen is in the message)."""


@dataclass
class Step:
    """One measured step: time to the expected text, and what was written to the terminal for it."""

    name: str
    seconds: float  # start (process start or key press) → bytes completing the expected text arrived
    bytes_to_text: int  # bytes written from the start until the text was complete
    bytes_settled: int = 0  # bytes written from the start until the output went quiet
    frames: list[int] = field(default_factory=list)  # size of each burst of output until quiet

    @property
    def largest_frame(self) -> int:
        return max(self.frames, default=0)


def clean_env(cols: int, rows: int, *, size_env: bool = True) -> dict[str, str]:
    """The environment of a program under test: ours, minus anything that changes how Textual draws."""
    drop = {"COLORTERM", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TERM_PROGRAM"}
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("TEXTUAL")}
    env["TERM"] = "xterm-256color"
    if size_env:
        env["COLUMNS"], env["LINES"] = str(cols), str(rows)
    return env


def _matcher(expect: Expect) -> Callable[[str], bool]:
    items: Iterable[str | re.Pattern[str]] = [expect] if isinstance(expect, str | re.Pattern) else expect
    checks = list(items)

    def found(screen: str) -> bool:
        return all(
            (c.search(screen) is not None) if isinstance(c, re.Pattern) else c in screen for c in checks
        )

    return found


class Terminal:
    """A program on a pseudo-terminal, its output rendered by pyte. Use as a context manager."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cols: int = 80,
        rows: int = 24,
        env: dict[str, str] | None = None,
        size_env: bool = True,
        cwd: str | None = None,
    ) -> None:
        self.cols, self.rows = cols, rows
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.total = 0  # bytes read so far
        self.arrivals: list[tuple[float, int]] = []  # (time, running total) after each read
        self._pending: list[tuple[float, bytes]] = []
        self.exited: int | None = None  # exit code once the program has gone (-N: killed by signal N)
        self.eof = False  # the program closed its terminal
        self.closed = False
        environment = env if env is not None else clean_env(cols, rows, size_env=size_env)
        argv = list(argv)
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # child: set the window size on its own terminal, then become the program
            try:
                if cwd:
                    os.chdir(cwd)
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
                os.execvpe(argv[0], argv, environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd

    # -- reading -----------------------------------------------------------------------------

    def _read(self, timeout: float) -> bool:
        """Wait up to `timeout` for output and read what is there. False when nothing came."""
        if self.eof:
            return False
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError as exc:  # EIO: the program closed its terminal
            if exc.errno != errno.EIO:
                raise
            data = b""
        now = time.perf_counter()
        if not data:
            self.eof = True
            self._poll_exit()
            return False
        self.total += len(data)
        self.arrivals.append((now, self.total))
        self._pending.append((now, data))
        return True

    def _poll_exit(self, wait: float = 0.0) -> bool:
        """Reap the program if it has exited (waiting up to `wait` seconds). True once it has."""
        deadline = time.perf_counter() + wait
        while self.exited is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.exited = os.waitstatus_to_exitcode(status)
            elif time.perf_counter() >= deadline:
                break
            else:
                time.sleep(0.01)
        return self.exited is not None

    def _parse(self, found: Callable[[str], bool] | None = None) -> tuple[float, int] | None:
        """Feed pending chunks to pyte; with `found`, return (time, total) of the first chunk after
        which the screen satisfies it."""
        hit: tuple[float, int] | None = None
        pending, self._pending = self._pending, []
        total = self.total - sum(len(d) for _, d in pending)
        for arrived, data in pending:
            self.stream.feed(data)
            total += len(data)
            if found is not None and hit is None and found(self.text()):
                hit = (arrived, total)
        return hit

    def text(self) -> str:
        """What the screen shows, one line per row."""
        return "\n".join(self.screen.display)

    def shows(self, expect: Expect) -> bool:
        self._parse()
        return _matcher(expect)(self.text())

    def wait_for(self, expect: Expect, *, since: float | None = None, timeout: float = 30.0) -> Step:
        """Read until `expect` (text, regex, or all of a list of them) is on screen.

        Returns a Step timed from `since` (default: process start) to the arrival of the bytes that
        completed the text; bytes are counted from the byte total at `since`'s mark."""
        found = _matcher(expect)
        start = self.started if since is None else since
        base = self._total_at(start)
        deadline = time.perf_counter() + timeout
        if found(self.text()) and not self._pending:
            raise HarnessError(f"expected text already on screen before the step:\n{self.text()}")
        while True:
            wait = PARSE_GAP if self._pending else min(0.05, deadline - time.perf_counter())
            if self._read(wait) and len(self._pending) < 256:
                continue  # still writing: keep reading, parse when it pauses
            hit = self._parse(found)
            if hit is not None:
                arrived, total = hit
                return Step("", arrived - start, total - base)
            if self.eof:
                self._poll_exit(1.0)
                raise HarnessError(
                    f"program ended (exit {self.exited}) before showing {expect!r}:\n{self.text()}"
                )
            if time.perf_counter() > deadline:
                raise HarnessError(f"timed out after {timeout:.0f} s waiting for {expect!r}:\n{self.text()}")

    def settle(self, idle: float = 0.15, cap: float = 5.0) -> None:
        """Read until the program has written nothing for `idle` seconds (or `cap` has passed)."""
        deadline = time.perf_counter() + cap
        last = time.perf_counter()
        while time.perf_counter() < deadline and not self.eof:
            if self._read(min(idle, deadline - time.perf_counter())):
                last = time.perf_counter()
            elif time.perf_counter() - last >= idle:
                break
        self._parse()

    def _drain(self) -> None:
        """Read and parse whatever output is waiting, without waiting for more."""
        while self._read(0.0):
            pass
        self._parse()

    def _total_at(self, moment: float) -> int:
        """Bytes read before `moment`."""
        total = 0
        for arrived, running in self.arrivals:
            if arrived >= moment:
                break
            total = running
        return total

    def finish(self, step: Step, start: float, *, idle: float = 0.15, cap: float = 5.0) -> Step:
        """Let the output settle, then fill in the step's settled byte count and frames since `start`."""
        self.settle(idle, cap)
        base = self._total_at(start)
        step.bytes_settled = self.total - base
        step.frames = self.frames_since(start)
        return step

    def frames_since(self, start: float) -> list[int]:
        """Bursts of output since `start`: reads separated by less than FRAME_GAP belong together."""
        frames: list[int] = []
        previous_time, previous_total = start, self._total_at(start)
        for arrived, running in self.arrivals:
            if arrived < start:
                continue
            size = running - previous_total
            if frames and arrived - previous_time < FRAME_GAP:
                frames[-1] += size
            else:
                frames.append(size)
            previous_time, previous_total = arrived, running
        return frames

    # -- writing -----------------------------------------------------------------------------

    def press(self, keys: bytes | str) -> float:
        """Write keys to the program's terminal; returns the moment they were written."""
        self._drain()  # take what is already there, so it is not counted as a reply
        data = keys.encode() if isinstance(keys, str) else keys
        moment = time.perf_counter()
        os.write(self.fd, data)
        return moment

    def step(
        self, name: str, keys: bytes | str, expect: Expect, *, timeout: float = 30.0, idle: float = 0.15
    ) -> Step:
        """Press keys, time until `expect` shows, then let the output settle and count its bytes."""
        moment = self.press(keys)
        result = self.wait_for(expect, since=moment, timeout=timeout)
        result.name = name
        return self.finish(result, moment, idle=idle)

    def resize(self, rows: int, cols: int) -> float:
        """Change the window size (the program gets SIGWINCH); returns the moment it was changed."""
        self._drain()
        self.screen.resize(rows, cols)
        self.rows, self.cols = rows, cols
        moment = time.perf_counter()
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        return moment

    # -- the process -------------------------------------------------------------------------

    def rss_kib(self) -> int:
        """Resident memory of the program (VmRSS), in KiB."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        raise HarnessError("no VmRSS in /proc status")

    def close(self, quit_keys: bytes | str | None = b"q", timeout: float = 3.0) -> None:
        """Ask the program to quit with `quit_keys`; end it (by its pid) if it has not within `timeout`."""
        if self.closed:
            return
        self.closed = True
        try:
            if quit_keys and not self.eof:
                with contextlib.suppress(OSError):
                    self.press(quit_keys)
            deadline = time.perf_counter() + timeout
            while not self.eof and time.perf_counter() < deadline:
                self._read(0.05)
                self._pending.clear()
            self._poll_exit(max(0.0, deadline - time.perf_counter()))
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self.exited is not None:
                    break
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, sig)
                self._poll_exit(1.0)
        finally:
            with contextlib.suppress(OSError):
                os.close(self.fd)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------------------------------
# statistics


@dataclass
class Summary:
    n: int
    median: float
    low: float
    high: float
    q1: float
    q3: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        if not values:
            raise ValueError("no samples")
        ordered = sorted(values)
        if len(ordered) >= 4:
            q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
        else:
            q1, q3 = ordered[0], ordered[-1]
        return cls(len(ordered), statistics.median(ordered), ordered[0], ordered[-1], q1, q3)

    def as_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "q1": self.q1,
            "q3": self.q3,
        }
