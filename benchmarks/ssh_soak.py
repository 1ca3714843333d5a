"""Soak benchmark of `serve ssh`: many concurrent sessions on loopback; spare, zygote and cold starts.

    python benchmarks/ssh_soak.py                  # 50 concurrent sessions, 10 s idle, all three modes
    python benchmarks/ssh_soak.py --sessions 20 --idle 5 --json out.json
    python benchmarks/ssh_soak.py --modes spare,zygote

Modes: `spare` (the default server: one spare session kept started, adopted by the next client),
`zygote` (`--spares 0`: every session forked from the warm zygote on demand) and `cold`
(`--no-zygote --spares 0`: a new Python per session). For each:

- sequential start: connect → first frame (the tab labels, "Overview", in the output) and → first
  full frame (the overview pane's content), one session at a time with `--pause` seconds between
  them (time for the spare to be replaced, as when users arrive one by one), median and p95, and
  how many of them adopted a spare;
- sequential start at another size (100×30, `--resized` sessions): connect → the overview drawn at
  the client's size. A spare starts at the size of the latest session, so the first of these
  sessions adopts a spare started at 80×24 and receives its 80×24 frame first (the server logs how
  many bytes it had buffered): what counts there is the first full frame after those bytes, the one
  the explorer draws after the resize; the next ones adopt spares started at 100×30;
- concurrent start: `--sessions` clients connect at once; the same two latencies, median and p95;
- memory per session with all of them open: RSS and PSS (proportional share: pages shared with the
  zygote counted once across its children) of each session process, and of the idle spare;
- idle CPU over `--idle` seconds with every session open and no input: the server process, and all
  session processes together (percent of one core).

Not a test: it prints a table (and optionally JSON) and exits 0; 1 if the server would not start.
Only loopback traffic, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import asyncssh

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
SESSION_PID = re.compile(r"session #\d+ .*?: pid (\d+) \(")
SPARE_HIT = re.compile(r"session #\d+ .*?: pid \d+ \(\w+\) start=spare")
BUFFERED = re.compile(
    r"session #\d+ .*?: pid \d+ \(\w+\) start=(?:spare, up [\d.]+ s, (\d+) bytes buffered|new)"
)
RESIZED = (100, 30)
SPARE_PID = re.compile(r"spare pid (\d+) ready")
SPARE_SIZE = re.compile(r"spare pid (\d+) started .*? size=(\d+)x(\d+)")
MODES = {"spare": [], "zygote": ["--spares", "0"], "cold": ["--no-zygote", "--spares", "0"]}
FIRST_FRAME = b"Overview"
FULL_FRAME = b"HEADLINE FIGURES"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class ModeResult:
    mode: str
    sequential_first_ms: list[float] = field(default_factory=list)
    sequential_full_ms: list[float] = field(default_factory=list)
    concurrent_first_ms: list[float] = field(default_factory=list)
    concurrent_full_ms: list[float] = field(default_factory=list)
    sequential_spare_hits: int = 0
    resized_full_ms: list[float] = field(default_factory=list)
    resized_spare_hits: int = 0
    failures: int = 0
    rss_kib: list[int] = field(default_factory=list)
    pss_kib: list[int] = field(default_factory=list)
    server_rss_kib: int = 0
    zygote_rss_kib: int = 0
    spare_rss_kib: int = 0
    spare_pss_kib: int = 0
    server_idle_cpu_pct: float = 0.0
    sessions_idle_cpu_pct: float = 0.0


class Client(asyncssh.SSHClientSession[bytes]):
    def __init__(self, started: float, keep: bool = False) -> None:
        self.started = started
        self.keep = keep  # keep every byte with its arrival time (for `frame_after`)
        self.raw = bytearray()
        self.arrivals: list[tuple[int, float]] = []  # (offset after the chunk, seconds since start)
        self.buffer = bytearray()
        self.first: float | None = None
        self.full: float | None = None
        self.done = asyncio.Event()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        now = time.perf_counter()
        if self.keep:
            self.raw += data
            self.arrivals.append((len(self.raw), now - self.started))
        self.buffer += data
        if self.first is None and FIRST_FRAME in self.buffer:
            self.first = now - self.started
        if self.full is None and FULL_FRAME in self.buffer:
            self.full = now - self.started
            self.buffer.clear()
            self.done.set()
        elif len(self.buffer) > 1 << 20:
            del self.buffer[:-4096]

    def connection_lost(self, exc: Exception | None) -> None:
        self.done.set()

    def frame_after(self, offset: int) -> float | None:
        """Seconds from connect to the arrival of the first full frame at or after byte `offset`."""
        found = self.raw.find(FULL_FRAME, offset)
        if found < 0:
            return None
        end = found + len(FULL_FRAME)
        return next(t for off, t in self.arrivals if off >= end)


async def open_session(
    port: int, size: tuple[int, int] = (80, 24), keep: bool = False
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Client]:
    started = time.perf_counter()
    conn = await asyncssh.connect(
        "127.0.0.1", port, known_hosts=None, username="bench", client_keys=None, agent_path=None
    )
    chan, client = await conn.create_session(
        lambda: Client(started, keep), term_type="xterm-256color", term_size=size, encoding=None
    )
    async with asyncio.timeout(120):
        await client.done.wait()
    return conn, chan, client


async def close_session(conn: asyncssh.SSHClientConnection, chan: asyncssh.SSHClientChannel[bytes]) -> None:
    chan.write(b"q")
    try:
        async with asyncio.timeout(10):
            await chan.wait_closed()
    except TimeoutError:
        pass
    conn.close()
    await conn.wait_closed()


def proc_kib(pid: int, name: str, field_name: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])  # utime + stime


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Server:
    def __init__(self, workdir: Path, mode: str, sessions: int) -> None:
        self.log_path = workdir / f"server-{mode}.log"
        self._log = self.log_path.open("wb")
        argv = [
            sys.executable, "-m", "stargate_tui.serve", "ssh", "--port", "0",
            "--host-key", str(workdir / "host_key"), "--max-sessions", str(sessions + 5),
            "--rate-limit", "10000", "--idle-timeout", "1h", *MODES[mode],
        ]  # fmt: skip
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=self._log)
        self.port = 0

    def wait_listening(self) -> None:
        assert self.proc.stdout is not None
        deadline = time.monotonic() + 60
        text = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline().decode()
            text += line
            if match := LISTENING.search(line):
                self.port = int(match.group(1))
                return
            if not line:
                break
        raise RuntimeError(f"server did not start:\n{text}\n{self.log_path.read_text()}")

    def session_pids(self) -> list[int]:
        return [int(p) for p in SESSION_PID.findall(self.log_path.read_text(errors="replace"))]

    def last_buffered(self) -> int:
        """Bytes the most recent session received from its spare's buffer (0 if it started anew)."""
        starts = BUFFERED.findall(self.log_path.read_text(errors="replace"))
        return int(starts[-1] or 0) if starts else 0

    def last_start_size(self) -> tuple[int, int] | None:
        """The window size the most recent session's explorer started at, if it adopted a spare."""
        text = self.log_path.read_text(errors="replace")
        sessions = SESSION_PID.findall(text)
        if not sessions or not BUFFERED.findall(text)[-1]:
            return None
        sizes = {int(pid): (int(cols), int(rows)) for pid, cols, rows in SPARE_SIZE.findall(text)}
        return sizes.get(int(sessions[-1]))

    def spare_hits(self) -> int:
        return len(SPARE_HIT.findall(self.log_path.read_text(errors="replace")))

    def idle_spare_pid(self) -> int | None:
        """The most recent spare that no session has adopted (if still alive)."""
        text = self.log_path.read_text(errors="replace")
        adopted = set(self.session_pids())
        spares = [int(p) for p in SPARE_PID.findall(text) if int(p) not in adopted]
        return spares[-1] if spares and Path(f"/proc/{spares[-1]}").exists() else None

    def zygote_pid(self) -> int | None:
        match = re.search(r"zygote (\d+) ready", self.log_path.read_text(errors="replace"))
        return int(match.group(1)) if match else None

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


async def run_mode(
    mode: str, sessions: int, sequential: int, resized: int, pause: float, idle: float, workdir: Path
) -> ModeResult:
    result = ModeResult(mode)
    server = Server(workdir, mode, sessions)
    try:
        server.wait_listening()
        await asyncio.sleep(pause)
        conn, chan, _ = await open_session(server.port)  # warm-up (caches, first kex)
        await close_session(conn, chan)
        hits_before = server.spare_hits()
        for _ in range(sequential):
            await asyncio.sleep(pause)
            conn, chan, client = await open_session(server.port)
            result.sequential_first_ms.append((client.first or float("nan")) * 1000)
            result.sequential_full_ms.append((client.full or float("nan")) * 1000)
            await close_session(conn, chan)
        result.sequential_spare_hits = server.spare_hits() - hits_before
        hits_before = server.spare_hits()
        for _ in range(resized):
            await asyncio.sleep(pause)
            conn, chan, client = await open_session(server.port, RESIZED, keep=True)
            await asyncio.sleep(1.5)  # the frame at the client's size follows the spare's
            # a spare started at another size: the frame at the client's size is the one drawn after
            # the spare's buffered bytes; a spare already at that size: its buffered frame is it
            buffered = server.last_buffered() if server.last_start_size() != RESIZED else 0
            result.resized_full_ms.append((client.frame_after(buffered) or float("nan")) * 1000)
            await close_session(conn, chan)
        result.resized_spare_hits = server.spare_hits() - hits_before
        await asyncio.sleep(pause)

        known = set(server.session_pids())
        opened = await asyncio.gather(
            *(open_session(server.port) for _ in range(sessions)), return_exceptions=True
        )
        live = [o for o in opened if not isinstance(o, BaseException)]
        result.failures = len(opened) - len(live)
        for _conn, _chan, client in live:
            if client.first is not None and client.full is not None:
                result.concurrent_first_ms.append(client.first * 1000)
                result.concurrent_full_ms.append(client.full * 1000)
        await asyncio.sleep(1.0)  # let every app settle
        pids = [p for p in server.session_pids() if p not in known]
        result.rss_kib = [proc_kib(p, "status", "VmRSS") for p in pids]
        result.pss_kib = [proc_kib(p, "smaps_rollup", "Pss") for p in pids]
        result.server_rss_kib = proc_kib(server.proc.pid, "status", "VmRSS")
        zygote_pid = server.zygote_pid()
        result.zygote_rss_kib = proc_kib(zygote_pid, "status", "VmRSS") if zygote_pid else 0
        spare_pid = server.idle_spare_pid()
        deadline = time.monotonic() + (10 if mode == "spare" else 0)
        while spare_pid is None and time.monotonic() < deadline:  # refilled once the burst is drawn
            await asyncio.sleep(0.2)
            spare_pid = server.idle_spare_pid()
        if spare_pid is not None:
            result.spare_rss_kib = proc_kib(spare_pid, "status", "VmRSS")
            result.spare_pss_kib = proc_kib(spare_pid, "smaps_rollup", "Pss")

        server_before = cpu_ticks(server.proc.pid)
        children_before = sum(cpu_ticks(p) for p in pids)
        await asyncio.sleep(idle)
        result.server_idle_cpu_pct = (cpu_ticks(server.proc.pid) - server_before) / TICKS / idle * 100
        result.sessions_idle_cpu_pct = (
            (sum(cpu_ticks(p) for p in pids) - children_before) / TICKS / idle * 100
        )

        await asyncio.gather(*(close_session(conn, chan) for conn, chan, _ in live), return_exceptions=True)
    finally:
        server.stop()
    return result


def table(results: list[ModeResult], sessions: int, idle: float) -> str:
    rows = [("figure", *(r.mode for r in results))]

    def add(name: str, values: list[str]) -> None:
        rows.append((name, *values))

    for label, attr in (
        ("sequential first frame", "sequential_first_ms"),
        ("sequential full frame", "sequential_full_ms"),
        (f"sequential {RESIZED[0]}x{RESIZED[1]}: frame at that size", "resized_full_ms"),
        (f"{sessions} concurrent: first frame", "concurrent_first_ms"),
        (f"{sessions} concurrent: full frame", "concurrent_full_ms"),
    ):
        add(
            f"{label} (median / p95)",
            [
                f"{statistics.median(getattr(r, attr)):.0f} / {pct(getattr(r, attr), 0.95):.0f} ms"
                if getattr(r, attr)
                else "-"
                for r in results
            ],
        )
    add(
        "sequential sessions that adopted a spare",
        [f"{r.sequential_spare_hits} + {r.resized_spare_hits} at {RESIZED[0]}x{RESIZED[1]}" for r in results],
    )
    add("failed sessions", [str(r.failures) for r in results])
    add(
        "RSS per session (median)",
        [f"{statistics.median(r.rss_kib) / 1024:.1f} MiB" if r.rss_kib else "-" for r in results],
    )
    add(
        "PSS per session (median)",
        [f"{statistics.median(r.pss_kib) / 1024:.1f} MiB" if r.pss_kib else "-" for r in results],
    )
    add("server RSS", [f"{r.server_rss_kib / 1024:.1f} MiB" for r in results])
    add("zygote RSS", [f"{r.zygote_rss_kib / 1024:.1f} MiB" if r.zygote_rss_kib else "-" for r in results])
    add(
        "idle spare RSS / PSS",
        [
            f"{r.spare_rss_kib / 1024:.1f} / {r.spare_pss_kib / 1024:.1f} MiB" if r.spare_rss_kib else "-"
            for r in results
        ],
    )
    add(
        f"server CPU, {sessions} idle sessions, {idle:g} s",
        [f"{r.server_idle_cpu_pct:.2f} %" for r in results],
    )
    add(f"all sessions' CPU, idle, {idle:g} s", [f"{r.sessions_idle_cpu_pct:.1f} %" for r in results])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> list[ModeResult]:
    with tempfile.TemporaryDirectory(prefix="ssh-soak-") as tmp:
        results = []
        for mode in args.modes:
            print(f"measuring {mode} sessions...", file=sys.stderr, flush=True)
            results.append(
                await run_mode(
                    mode, args.sessions, args.sequential, args.resized, args.pause, args.idle, Path(tmp)
                )
            )
        return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions (default 50)")
    parser.add_argument("--sequential", type=int, default=15, help="sequential sessions to time (default 15)")
    parser.add_argument(
        "--idle", type=float, default=10.0, help="seconds of idle CPU measurement (default 10)"
    )
    parser.add_argument(
        "--resized", type=int, default=8, help="sequential sessions at 100x30 to time (default 8)"
    )
    parser.add_argument(
        "--pause", type=float, default=2.0, help="seconds between sequential sessions (default 2)"
    )
    parser.add_argument(
        "--modes",
        type=lambda text: [m for m in text.split(",") if m],
        default=list(MODES),
        help="comma-separated, from spare, zygote, cold (default all three)",
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    if unknown := [m for m in args.modes if m not in MODES]:
        parser.error(f"unknown mode(s): {', '.join(unknown)}")
    try:
        results = asyncio.run(main_async(args))
    except RuntimeError as exc:
        print(f"ssh_soak: {exc}", file=sys.stderr)
        return 1
    print(f"serve ssh soak: {os.cpu_count()} cores, Python {sys.version.split()[0]}, loopback, 80x24")
    print(table(results, args.sessions, args.idle))
    medians = {r.mode: statistics.median(r.sequential_first_ms) for r in results if r.sequential_first_ms}
    for fast in ("spare", "zygote"):
        if fast in medians and "cold" in medians:
            print(f"{fast} / cold, sequential first frame: {medians[fast] / medians['cold']:.2f}x")
    if args.json is not None:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
