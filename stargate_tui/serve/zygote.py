"""The fork server: a process that has imported the explorer, loaded the pack and drawn the explorer
once (headless), forking one child per SSH session so that a session starts without paying for
Python, Textual and YAML again (≈ 0.3 of a cold start to the first frame).

Protocol, on a unix SOCK_SEQPACKET socketpair with the SSH server (one message per datagram):

- zygote → server, once warm: `ready PID`.
- server → zygote, one per session: the session's parameters (JSON, checked again here) with two
  descriptors attached (SCM_RIGHTS): the PTY slave, and the zygote's end of a socketpair made for
  this session, on which the zygote answers `pid PID` once forked and `exit STATUS` once it has
  reaped the child (the exit code, or 128+signal), then closes it; `error TEXT` if it could not fork.

The child leads its own session and process group; the server signals that group itself, until the
zygote reports the exit (a pid is recycled only after a full turn of the pid space).

The zygote is single-threaded and runs no event loop while it serves, so fork() is safe. When the
server goes away (end of file on the control socket, or SIGTERM from PR_SET_PDEATHSIG) it ends its
children (SIGHUP, then SIGKILL), reaps them and exits; each child also has PR_SET_PDEATHSIG.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import select
import signal
import socket
import sys
import threading
import time
import traceback
from typing import Any

from .child import EXIT_TERMINATED, enter_session, run_session, set_parent_death_signal
from .session import SessionParams

MAX_MESSAGE = 64 * 1024
_terminating = False


def warm(pack: Any) -> None:
    """Run the explorer once, headless, up to its first frame (public API: `App.run_test`).

    The first App in a process fills Textual's module-level caches (parsed selectors, styles,
    compiled regexes) and imports every module a session needs; every child forked afterwards finds
    them in memory. The headless driver starts no thread that outlives the run, so forking stays safe.
    """
    from ..app import StargateApp

    async def rehearse() -> None:
        async with StargateApp(pack).run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(rehearse())
    asyncio.set_event_loop(None)
    for thread in threading.enumerate():  # fork() copies one thread: let any worker finish first
        if thread is not threading.main_thread():
            thread.join(timeout=5.0)


def signal_group(pid: int, sig: int) -> None:
    """`sig` to the child's process group (or to the child, if it has not called setsid yet)."""
    with contextlib.suppress(ProcessLookupError):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            os.kill(pid, sig)


def _status(wait_status: int) -> int:
    if os.WIFSIGNALED(wait_status):
        return 128 + os.WTERMSIG(wait_status)
    return os.waitstatus_to_exitcode(wait_status)


def _on_term(signum: int, frame: object) -> None:
    global _terminating
    _terminating = True


class Zygote:
    def __init__(self, control: socket.socket, pack: Any, log_fd: int, wake: tuple[int, int]) -> None:
        self.control = control
        self.pack = pack
        self.log_fd = log_fd
        self.wake_r, self.wake_w = wake
        self.sessions: dict[int, socket.socket] = {}  # pid → the session's socket

    def serve(self) -> None:
        with contextlib.suppress(OSError):
            self.control.send(f"ready {os.getpid()}".encode())
        server_gone = False
        while not (_terminating or server_gone):
            readable, _, _ = select.select([self.control.fileno(), self.wake_r], [], [])
            if self.wake_r in readable:
                with contextlib.suppress(BlockingIOError):
                    while os.read(self.wake_r, 512):
                        pass
                self.reap()
            if self.control.fileno() in readable:
                server_gone = not self.receive()
        self.shutdown()

    def receive(self) -> bool:
        """A spawn request from the server; False at end of file (the server is gone)."""
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.control, MAX_MESSAGE, 2)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            return False
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            return bool(data)
        tty_fd, session_fd = fds
        session = socket.socket(fileno=session_fd)
        try:
            self.spawn(SessionParams.from_json(data), tty_fd, session)
        except (ValueError, TypeError, OSError) as exc:
            with contextlib.suppress(OSError):
                session.send(f"error {type(exc).__name__}: {exc}".encode()[:MAX_MESSAGE])
            session.close()
        finally:
            os.close(tty_fd)
        return True

    def spawn(self, params: SessionParams, tty_fd: int, session: socket.socket) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the session child: keep only its terminal and the log
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                for sock in (self.control, session, *self.sessions.values()):
                    os.close(sock.fileno())
                os.close(self.wake_r)
                os.close(self.wake_w)
                enter_session(params, tty_fd, parent_pid=parent)
                code = run_session(self.pack, params, self.log_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.write(self.log_fd, f"session child {os.getpid()}: {traceback.format_exc()}".encode())
            finally:
                os._exit(code)
        self.sessions[pid] = session
        with contextlib.suppress(OSError):
            session.send(f"pid {pid}".encode())

    def reap(self) -> None:
        while True:
            try:
                exited = os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOHANG | os.WNOWAIT)
            except ChildProcessError:
                return
            if exited is None:
                return
            pid = exited.si_pid
            signal_group(pid, signal.SIGKILL)  # anything left in its group, while the zombie holds the id
            _, wait_status = os.waitpid(pid, 0)
            session = self.sessions.pop(pid, None)
            if session is None:
                continue
            with contextlib.suppress(OSError):
                session.send(f"exit {_status(wait_status)}".encode())
            session.close()

    def shutdown(self) -> None:
        """Hang up every child, give it a moment, then kill and reap whatever is left."""
        for pid in list(self.sessions):
            signal_group(pid, signal.SIGHUP)
        deadline = time.monotonic() + 2.0
        while self.sessions and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.02)
        for pid in list(self.sessions):
            signal_group(pid, signal.SIGKILL)
        while self.sessions:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            self.sessions.pop(pid, None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stargate_tui.serve.zygote")
    parser.add_argument("--fd", type=int, required=True, help="the control socket")
    parser.add_argument("--content", required=True, help="fact pack directory")
    parser.add_argument("--parent", type=int, required=True, help="pid of the SSH server")
    args = parser.parse_args(argv)

    set_parent_death_signal(signal.SIGTERM)
    if os.getppid() != args.parent:
        return EXIT_TERMINATED
    signal.signal(signal.SIGTERM, _on_term)
    signal.signal(signal.SIGHUP, _on_term)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c on the server's terminal is the server's
    control = socket.socket(fileno=args.fd)

    from .. import accessible, app  # noqa: F401  (the point of the zygote: import once, fork many)
    from ..loader import load_pack

    pack = load_pack(args.content, cache=True)
    warm(pack)
    log_fd = os.dup(2)
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    gc.collect()
    gc.freeze()  # keep the shared heap out of the children's garbage collections (fewer copied pages)
    Zygote(control, pack, log_fd, (wake_r, wake_w)).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
