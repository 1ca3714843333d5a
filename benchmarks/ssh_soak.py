"""Soak benchmark of `serve ssh` on loopback, against a cold start of the explorer.

    python benchmarks/ssh_soak.py                  # 15 cold starts, 15 sessions in turn, 5/s for 10 s
    python benchmarks/ssh_soak.py --rate 5 --duration 10 --json out.json

- cold start: `python -m stargate_tui` on a new PTY → first frame (the tab labels, "Overview") and →
  full frame (the overview pane's content), `--sequential` times: what a session would cost
  without the zygote (no SSH handshake counted, so the ratio below flatters the cold side);
- sequential sessions: SSH connect → the same two frames, one session at a time, `--pause` apart;
- arrivals: a new session every 1/`--rate` seconds for `--duration` seconds, each kept open; the
  same two latencies, median and p95, and how many sessions failed;
- with all of them open: RSS and PSS (pages shared with the zygote counted once) per session, the
  server's RSS, and idle CPU over `--idle` seconds (the server, and all sessions together).

Budgets (the issue "One simple core"): sequential first frame ≤ 0.35 × a cold start's; arrivals at
5/s for 10 s: every session gets its first frame, p95 ≤ 0.5 s. The script prints the figures and
whether the budgets hold; it exits 0 (1 if the server would not start). Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import re
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import asyncssh

LISTENING = re.compile(r"listening on 127\.0\.0\.1:(\d+)")
SESSION_PID = re.compile(r"session #\d+ .*?: pid (\d+) term=")
FIRST_FRAME = b"Overview"
FULL_FRAME = b"HEADLINE FIGURES"
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    cold_first_ms: list[float] = field(default_factory=list)
    cold_full_ms: list[float] = field(default_factory=list)
    sequential_first_ms: list[float] = field(default_factory=list)
    sequential_full_ms: list[float] = field(default_factory=list)
    arrival_first_ms: list[float] = field(default_factory=list)
    arrival_full_ms: list[float] = field(default_factory=list)
    failures: int = 0
    rss_kib: list[int] = field(default_factory=list)
    pss_kib: list[int] = field(default_factory=list)
    server_rss_kib: int = 0
    server_idle_cpu_pct: float = 0.0
    sessions_idle_cpu_pct: float = 0.0


class Client(asyncssh.SSHClientSession[bytes]):
    def __init__(self, started: float) -> None:
        self.started = started
        self.buffer = bytearray()
        self.first: float | None = None
        self.full: float | None = None
        self.done = asyncio.Event()

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        now = time.perf_counter() - self.started
        self.buffer += data
        if self.first is None and FIRST_FRAME in self.buffer:
            self.first = now
        if self.full is None and FULL_FRAME in self.buffer:
            self.full = now
            self.done.set()
        if self.full is not None or len(self.buffer) > 1 << 20:
            self.buffer.clear()

    def connection_lost(self, exc: Exception | None) -> None:
        self.done.set()


async def open_session(
    port: int,
) -> tuple[asyncssh.SSHClientConnection, asyncssh.SSHClientChannel[bytes], Client]:
    started = time.perf_counter()
    conn = await asyncssh.connect(
        "127.0.0.1", port, known_hosts=None, username="bench", client_keys=None, agent_path=None
    )
    chan, client = await conn.create_session(
        lambda: Client(started), term_type="xterm-256color", term_size=(80, 24), encoding=None
    )
    async with asyncio.timeout(60):
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


def cold_start() -> tuple[float, float]:
    """Seconds from starting `python -m stargate_tui` on a new 80x24 PTY to its first and full frame."""
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "stargate_tui"], stdin=slave, stdout=slave, stderr=slave, env=env,
        start_new_session=True,
    )  # fmt: skip
    os.close(slave)
    output, first, full = b"", float("nan"), float("nan")
    try:
        while time.perf_counter() - started < 60:
            ready, _, _ = select.select([master], [], [], 1.0)
            if ready:
                output += os.read(master, 65536)
                if first != first and FIRST_FRAME in output:
                    first = time.perf_counter() - started
                if FULL_FRAME in output:
                    full = time.perf_counter() - started
                    break
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)
    return first, full


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
    def __init__(self, workdir: Path, sessions: int) -> None:
        self.log_path = workdir / "server.log"
        self._log = self.log_path.open("wb")
        argv = [
            sys.executable, "-m", "stargate_tui", "serve", "ssh", "--port", "0",
            "--host-key", str(workdir / "host_key"), "--max-sessions", str(sessions + 5),
            "--rate-limit", "10000", "--idle-timeout", "1h",
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

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


async def run(args: argparse.Namespace, workdir: Path) -> Result:
    result = Result()
    for _ in range(args.sequential):
        first, full = await asyncio.to_thread(cold_start)
        result.cold_first_ms.append(first * 1000)
        result.cold_full_ms.append(full * 1000)
        await asyncio.sleep(args.pause)
    arrivals = round(args.rate * args.duration)
    server = Server(workdir, arrivals)
    try:
        server.wait_listening()
        conn, chan, _ = await open_session(server.port)  # warm-up (first key exchange, caches)
        await close_session(conn, chan)
        for _ in range(args.sequential):
            await asyncio.sleep(args.pause)
            conn, chan, client = await open_session(server.port)
            result.sequential_first_ms.append((client.first or float("nan")) * 1000)
            result.sequential_full_ms.append((client.full or float("nan")) * 1000)
            await close_session(conn, chan)
        await asyncio.sleep(args.pause)

        known = set(server.session_pids())
        started = time.perf_counter()
        tasks = []
        for n in range(arrivals):  # one every 1/rate seconds, on a fixed schedule
            await asyncio.sleep(max(0.0, started + n / args.rate - time.perf_counter()))
            tasks.append(asyncio.ensure_future(open_session(server.port)))
        opened = await asyncio.gather(*tasks, return_exceptions=True)
        live = [o for o in opened if not isinstance(o, BaseException)]
        result.failures = len(opened) - len(live)
        for _conn, _chan, client in live:
            if client.first is None or client.full is None:
                result.failures += 1
            else:
                result.arrival_first_ms.append(client.first * 1000)
                result.arrival_full_ms.append(client.full * 1000)
        await asyncio.sleep(1.0)  # let every app settle
        pids = [p for p in server.session_pids() if p not in known]
        result.rss_kib = [proc_kib(p, "status", "VmRSS") for p in pids]
        result.pss_kib = [proc_kib(p, "smaps_rollup", "Pss") for p in pids]
        result.server_rss_kib = proc_kib(server.proc.pid, "status", "VmRSS")
        server_before = cpu_ticks(server.proc.pid)
        children_before = sum(cpu_ticks(p) for p in pids)
        await asyncio.sleep(args.idle)
        result.server_idle_cpu_pct = (cpu_ticks(server.proc.pid) - server_before) / TICKS / args.idle * 100
        children = sum(cpu_ticks(p) for p in pids) - children_before
        result.sessions_idle_cpu_pct = children / TICKS / args.idle * 100
        await asyncio.gather(*(close_session(conn, chan) for conn, chan, _ in live), return_exceptions=True)
    finally:
        server.stop()
    return result


def report(result: Result, args: argparse.Namespace) -> str:
    def latency(values: list[float]) -> str:
        return f"{statistics.median(values):.0f} / {pct(values, 0.95):.0f} ms" if values else "-"

    def mib(values: list[int]) -> str:
        return f"{statistics.median(values) / 1024:.1f} MiB" if values else "-"

    arrivals = f"arrivals {args.rate:g}/s for {args.duration:g} s"
    rows = [
        ("cold start: first frame (median / p95)", latency(result.cold_first_ms)),
        ("cold start: full frame", latency(result.cold_full_ms)),
        ("sequential sessions: first frame", latency(result.sequential_first_ms)),
        ("sequential sessions: full frame", latency(result.sequential_full_ms)),
        (f"{arrivals}: first frame", latency(result.arrival_first_ms)),
        (f"{arrivals}: full frame", latency(result.arrival_full_ms)),
        ("failed sessions", str(result.failures)),
        ("RSS per session (median)", mib(result.rss_kib)),
        ("PSS per session (median)", mib(result.pss_kib)),
        ("server RSS", f"{result.server_rss_kib / 1024:.1f} MiB"),
        (f"server CPU, idle sessions, {args.idle:g} s", f"{result.server_idle_cpu_pct:.2f} %"),
        (f"all sessions' CPU, idle, {args.idle:g} s", f"{result.sessions_idle_cpu_pct:.1f} %"),
    ]
    width = max(len(name) for name, _ in rows)
    lines = [f"{name.ljust(width)}  {value}" for name, value in rows]
    ratio = statistics.median(result.sequential_first_ms) / statistics.median(result.cold_first_ms)
    p95 = pct(result.arrival_first_ms, 0.95)
    lines.append(
        f"session / cold start, first frame: {ratio:.2f}x ({'met' if ratio <= 0.35 else 'MISSED'}: ≤ 0.35x)"
    )
    met = result.failures == 0 and p95 <= 500
    lines.append(
        f"{arrivals}: p95 first frame {p95:.0f} ms ({'met' if met else 'MISSED'}: ≤ 500 ms, none failed)"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sequential", type=int, default=15, help="cold starts and sessions to time (default 15)"
    )
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between them (default 1)")
    parser.add_argument("--rate", type=float, default=5.0, help="new sessions per second (default 5)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds of arrivals (default 10)")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle CPU measurement (default 5)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ssh-soak-") as tmp:
        try:
            result = asyncio.run(run(args, Path(tmp)))
        except RuntimeError as exc:
            print(f"ssh_soak: {exc}", file=sys.stderr)
            return 1
    load = os.getloadavg()[0]
    python = sys.version.split()[0]
    print(f"serve ssh soak: {os.cpu_count()} cores (load {load:.1f}), Python {python}, loopback, 80x24")
    print(report(result, args))
    if args.json is not None:
        args.json.write_text(json.dumps(asdict(result), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
