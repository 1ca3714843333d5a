"""One SSH session's explorer process: the PTY slave as its controlling terminal, a clean environment.

Started either by the zygote (`zygote.py`, forked from a process that has already imported the app and
loaded the pack) or cold (`python -m stargate_tui.serve.child`, used with `--no-zygote` and to measure
the zygote's gain). Either way the session runs the stock Textual Linux driver on a real terminal, so
a window change on the PTY master arrives as SIGWINCH, exactly as in a local terminal.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import fcntl
import io
import os
import signal
import sys
import termios
from typing import TYPE_CHECKING

from .session import SessionParams

if TYPE_CHECKING:
    from ..loader import FactPack

PR_SET_PDEATHSIG = 1
#: Exit status of a session asked to end (SIGTERM: idle, too long, server shutting down).
EXIT_TERMINATED = 128 + signal.SIGTERM
#: Signals whose handlers a forked child must not inherit from the zygote.
_RESET_SIGNALS = (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGPIPE)


def set_parent_death_signal(sig: int) -> None:
    """Ask Linux to send `sig` to this process when its parent dies (no-op elsewhere)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - no libc prctl
        pass


def session_environment(params: SessionParams) -> dict[str, str]:
    """The whole environment of a session: TERM and, for 24-bit colour, COLORTERM. Nothing else."""
    env = {"TERM": params.term}
    if params.colorterm:
        env["COLORTERM"] = params.colorterm
    return env


def enter_session(params: SessionParams, tty_fd: int, *, parent_pid: int, new_session: bool) -> None:
    """Become the session leader with `tty_fd` as controlling terminal on fds 0-2.

    `new_session` is False when the process was started with `start_new_session` (already a leader).
    """
    set_parent_death_signal(signal.SIGHUP)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(EXIT_TERMINATED)
    for sig in _RESET_SIGNALS:
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if new_session:
        os.setsid()
    fcntl.ioctl(tty_fd, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        if tty_fd != fd:
            os.dup2(tty_fd, fd)
    if tty_fd > 2:
        os.close(tty_fd)
    os.environ.clear()
    os.environ.update(session_environment(params))
    # fresh UTF-8 streams over the terminal (the inherited ones were opened for another file)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace"
    )
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace", line_buffering=False
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True
    )


def run_explorer(pack: FactPack, params: SessionParams, log_fd: int) -> int:
    """Run the explorer on the session's terminal; its exit status. Tracebacks go to the server log."""
    from rich.console import Console

    from ..app import StargateApp

    open_id = params.record if params.record and pack.get(params.record) is not None else None
    app = StargateApp(pack, pane=params.pane, open_id=open_id, lang=params.lang)
    log = io.TextIOWrapper(io.FileIO(log_fd, "w", closefd=False), encoding="utf-8", errors="replace")
    log.write(f"session child {os.getpid()}: environment {sorted(os.environ)!r}\n")
    log.flush()
    app.error_console = Console(file=log, markup=False, highlight=False, width=120, force_terminal=False)

    async def main() -> int:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, lambda: app.exit(return_code=EXIT_TERMINATED))
        await app.run_async()
        return app.return_code or 0

    try:
        code = asyncio.run(main())
    except Exception as exc:  # the app could not even start: say so in the log, not on the screen
        log.write(f"session {os.getpid()}: {type(exc).__name__}: {exc}\n")
        code = 1
    log.flush()
    return code


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m stargate_tui.serve.child")
    parser.add_argument("--params", required=True, help="session parameters (JSON)")
    parser.add_argument("--content", required=True, help="fact pack directory")
    parser.add_argument("--log-fd", type=int, required=True, help="descriptor for the server log")
    parser.add_argument("--parent", type=int, required=True, help="pid of the server")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Cold start: the server spawned us with the PTY slave on fds 0-2 in a new session."""
    args = _parse(argv)
    params = SessionParams.from_json(args.params)
    enter_session(params, 0, parent_pid=args.parent, new_session=False)
    from ..loader import load_pack

    pack = load_pack(args.content, cache=True)
    return run_explorer(pack, params, args.log_fd)


if __name__ == "__main__":
    sys.exit(main())
