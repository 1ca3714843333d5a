"""One SSH session's process: the PTY slave as its controlling terminal, a clean environment.

Forked by the zygote (`zygote.py`). The session runs the stock Textual Linux driver on a real
terminal, so a window change on the PTY master arrives as SIGWINCH, exactly as in a local terminal.
The process is the leader of its own session and process group: the server ends the whole group.

A session may run the accessible mode (`accessible.py`) instead of the explorer: on its PTY (line
editing by readline), or, when the client asked for no terminal, on a socket to the server (lines
in, lines out, no prompt).
"""

from __future__ import annotations

import asyncio
import contextlib
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
    from ..pack import FactPack

PR_SET_PDEATHSIG = 1
#: Exit status of a session asked to end (SIGTERM: idle, too long, server shutting down).
EXIT_TERMINATED = 128 + signal.SIGTERM
#: Where a served session may write: nowhere. A file is not a directory, so nothing can be created
#: under these paths, not even by root (~/Downloads, ~/.config, caches...).
NO_HOME = "/dev/null"
READ_ONLY_ENVIRONMENT = {
    "HOME": NO_HOME,
    **{f"XDG_{kind}": NO_HOME for kind in ("CONFIG_HOME", "DATA_HOME", "CACHE_HOME", "STATE_HOME")},
    "XDG_DOWNLOAD_DIR": NO_HOME,
}


def set_parent_death_signal(sig: int) -> None:
    """Ask Linux to send `sig` to this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no libc prctl
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)


def session_environment(params: SessionParams) -> dict[str, str]:
    """The whole environment of a session: TERM, COLORTERM for 24-bit colour, and no writable home."""
    env = {"TERM": params.term, **READ_ONLY_ENVIRONMENT}
    if params.colorterm:
        env["COLORTERM"] = params.colorterm
    return env


def enter_session(params: SessionParams, tty_fd: int, *, parent_pid: int) -> None:
    """Become a session leader with `tty_fd` on fds 0-2: the controlling terminal when it is a PTY
    (`params.pty`), else a socket to the server; "/" as working directory."""
    set_parent_death_signal(signal.SIGHUP)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(EXIT_TERMINATED)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if os.getsid(0) != os.getpid():
        os.setsid()
    if params.pty:
        fcntl.ioctl(tty_fd, termios.TIOCSCTTY, 0)
    for fd in (0, 1, 2):
        if tty_fd != fd:
            os.dup2(tty_fd, fd)
    if tty_fd > 2:
        os.close(tty_fd)
    os.environ.clear()
    os.environ.update(session_environment(params))
    os.chdir("/")  # not the server's directory: nothing relative to it is reachable
    # fresh UTF-8 streams over the terminal (the inherited ones were opened for another file)
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(0, "r", closefd=False), encoding="utf-8", errors="replace"
    )
    sys.stdout = sys.__stdout__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(1, "w", closefd=False), encoding="utf-8", errors="replace"
    )
    sys.stderr = sys.__stderr__ = io.TextIOWrapper(  # type: ignore[misc]
        io.FileIO(2, "w", closefd=False), encoding="utf-8", errors="replace", write_through=True
    )


def _described_environment() -> str:
    """The names in the environment, and where HOME points (values of a client's are never set)."""
    return f"environment {sorted(os.environ)!r}, HOME={os.environ.get('HOME')!r}, cwd={os.getcwd()!r}"


def _log_stream(log_fd: int) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.FileIO(log_fd, "w", closefd=False), encoding="utf-8", errors="replace")


def run_session(pack: FactPack, params: SessionParams, log_fd: int) -> int:
    """The explorer, or the accessible mode when the session asked for it; the exit status."""
    if params.accessible:
        return run_accessible_mode(pack, params, log_fd)
    return run_explorer(pack, params, log_fd)


def run_accessible_mode(pack: FactPack, params: SessionParams, log_fd: int) -> int:
    """The accessible mode on the session's streams (fds 0-2: a PTY, or a socket without a PTY).

    SIGTERM and SIGHUP end it with their default action (status 143 and 129): it holds no terminal
    state to restore. Errors go to the server log, never to the client."""
    from ..accessible import run_accessible

    open_id = params.record if params.record and pack.get(params.record) is not None else None
    log = _log_stream(log_fd)
    log.write(f"session child {os.getpid()}: accessible mode, {_described_environment()}\n")
    log.flush()
    try:
        code = run_accessible(pack, pane=params.pane, open_id=open_id, lang=params.lang)
    except OSError:  # the client went away while an answer was being written
        code = 128 + signal.SIGHUP
    except Exception as exc:
        log.write(f"session {os.getpid()}: {type(exc).__name__}: {exc}\n")
        code = 1
    log.flush()
    return code


def run_explorer(pack: FactPack, params: SessionParams, log_fd: int) -> int:
    """Run the explorer on the session's terminal; its exit status. Tracebacks go to the server log."""
    from rich.console import Console

    from ..app import StargateApp

    open_id = params.record if params.record and pack.get(params.record) is not None else None
    app = StargateApp(pack, pane=params.pane, open_id=open_id, lang=params.lang)
    log = _log_stream(log_fd)
    log.write(f"session child {os.getpid()}: {_described_environment()}\n")
    log.flush()
    app.error_console = Console(file=log, markup=False, highlight=False, width=120, force_terminal=False)

    async def main() -> int:
        asyncio.get_running_loop().add_signal_handler(
            signal.SIGTERM, lambda: app.exit(return_code=EXIT_TERMINATED)
        )
        await app.run_async()
        return app.return_code or 0

    try:
        code = asyncio.run(main())
    except Exception as exc:  # the app could not even start: say so in the log, not on the screen
        log.write(f"session {os.getpid()}: {type(exc).__name__}: {exc}\n")
        code = 1
    log.flush()
    return code
