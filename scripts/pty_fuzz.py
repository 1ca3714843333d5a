"""Random input to the installed `stargate-tui` under a real pseudo-terminal: keys, mouse clicks and
wheel (SGR mouse reports), and window sizes from 1×1 to 300×100. Seeded, so a failing run can be
repeated exactly.

    python scripts/pty_fuzz.py --seed 7 --seconds 30     # one run
    python scripts/pty_fuzz.py --runs 20 --seconds 30    # seeds 1…20

A run passes when the explorer never writes a traceback or exits with a status other than 0, and quits
with `q` at the end. (A click on the footer's Quit ends the explorer with status 0: the run starts it
again and goes on.) Exit status: 0 all runs passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

KEYS: list[bytes] = [
    *(str(n).encode() for n in range(1, 9)),
    *(c.encode() for c in "jkgGc/?sqnNabz0 "),
    b"\r", b"\t", b"\x1b[Z", b"\x7f", b"\x1b", b"\x10",  # enter, tab, shift+tab, backspace, escape, ctrl+p
    b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D",  # arrows
    b"\x1b[5~", b"\x1b[6~", b"\x1b[H", b"\x1b[F", b"\x1bOP",  # page up/down, home, end, F1
    b"\x1b[1;3D", b"\x1b[1;3C",  # alt+left, alt+right
]  # fmt: skip


def console_script() -> list[str]:
    script = Path(sys.executable).with_name("stargate-tui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "stargate_tui"]


def set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def random_event(rng: random.Random, cols: int, rows: int) -> tuple[str, object]:
    roll = rng.random()
    if roll < 0.70:
        key = rng.choice(KEYS)
        return "key", b"" if key == b"q" else key  # q would end the run early
    if roll < 0.90:
        x, y = rng.randint(1, cols), rng.randint(1, rows)
        button = rng.choice([0, 0, 0, 64, 65])  # left click, wheel up, wheel down
        if button == 0:
            return "key", f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m".encode()
        return "key", f"\x1b[<{button};{x};{y}M".encode()
    return "resize", (rng.randint(1, 300), rng.randint(1, 100))


def start(slave: int, log: str | None = None) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    if log:
        env["TEXTUAL_LOG"] = log  # Textual's own log of the run
        env["COLUMNS"] = "200"  # Rich prints a crash's traceback this wide (Textual sizes by the pty)
    process = subprocess.Popen(
        console_script(), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    return process


def one_run(seed: int, seconds: float, log: str | None = None) -> tuple[bool, str]:
    rng = random.Random(seed)
    master, slave = pty.openpty()  # the slave stays open here, for each start
    cols, rows = 80, 24
    set_size(master, cols, rows)
    output = bytearray()

    def drain(wait: float) -> None:
        end = time.monotonic() + wait
        while True:
            left = end - time.monotonic()
            ready, _, _ = select.select([master], [], [], max(left, 0))
            if not ready:
                return
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            output.extend(chunk)
            del output[:-200_000]  # keep the tail, for a traceback

    def failed() -> bool:
        return "Traceback" in output.decode("utf-8", "replace") or process.returncode not in (None, 0)

    events = starts = 0
    process = start(slave, log)
    try:
        drain(2.0)  # the first frame
        stop = time.monotonic() + seconds
        while time.monotonic() < stop and not failed():
            if process.poll() is not None:  # quit by a click: start again
                starts += 1
                process = start(slave, log)
                drain(2.0)
                continue
            kind, arg = random_event(rng, cols, rows)
            if kind == "key":
                assert isinstance(arg, bytes)
                os.write(master, arg)
            else:
                cols, rows = arg  # type: ignore[misc]
                set_size(master, cols, rows)
                os.killpg(process.pid, signal.SIGWINCH)
            events += 1
            drain(rng.choice([0.0, 0.005, 0.02, 0.05]))
        if process.poll() is None:
            set_size(master, 80, 24)
            os.killpg(process.pid, signal.SIGWINCH)
            drain(0.5)
            for _ in range(2):  # close a dialog, if one is open
                os.write(master, b"\x1b")
                drain(0.5)
            end = time.monotonic() + 30
            while process.poll() is None and time.monotonic() < end:
                os.write(master, b"q")  # again if it came too close to an escape (read as alt+q)
                drain(1.0)
        code = process.poll()
        ok = code == 0 and not failed()
        verdict = f"seed {seed}: {events} events, {starts} restarts after a Quit click, exit {code}"
        if not ok:
            tail = output.decode("utf-8", "replace")
            verdict += "\n" + tail[-int(os.environ.get("PTY_FUZZ_TAIL", "3000")) :]
        return ok, verdict
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        os.close(master)
        os.close(slave)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=None, help="one run with this seed")
    parser.add_argument("--runs", type=int, default=1, help="runs with seeds 1…N (default 1)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of a run (default 30)")
    parser.add_argument("--log", metavar="FILE", help="Textual's log of the runs (a crash's traceback)")
    args = parser.parse_args(argv)
    seeds = [args.seed] if args.seed is not None else list(range(1, args.runs + 1))
    failed = 0
    for seed in seeds:
        ok, verdict = one_run(seed, args.seconds, args.log)
        print(verdict, flush=True)
        failed += not ok
    print(f"{len(seeds) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
