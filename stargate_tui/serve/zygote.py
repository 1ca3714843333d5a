"""The fork server: a process that has imported the explorer and loaded the pack, forking one child
per SSH session so that a session starts without paying for Python, Textual and YAML again.

Protocol on a unix SOCK_SEQPACKET socketpair with the SSH server (one JSON object per message):

- server → zygote: `{"op": "spawn", "id": N, "params": {...}}` with the PTY slave attached
  (SCM_RIGHTS); `{"op": "kill", "pid": P, "sig": S}` (only a child that has not been reaped is
  signalled, so a recycled pid is never hit).
- zygote → server: `{"op": "ready", "pid": P}` once warm; `{"op": "started", "id": N, "pid": P}`;
  `{"op": "exited", "id": N, "pid": P, "status": S}` (S is the exit code, or 128+signal);
  `{"op": "error", "id": N, "message": "..."}`.

The zygote is single-threaded and runs no event loop, so fork() is safe. When the server goes away
(end of file on the socket, or SIGTERM from PR_SET_PDEATHSIG) it hangs up its children, reaps them
and exits; each child also has PR_SET_PDEATHSIG, and loses its terminal when the server's PTY master
closes, so nothing outlives the server.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import select
import signal
import socket
import sys
import time
import traceback
from typing import Any

from .child import EXIT_TERMINATED, enter_session, run_explorer, set_parent_death_signal
from .session import SessionParams

MAX_MESSAGE = 64 * 1024
_terminating = False


def _status(wait_status: int) -> int:
    if os.WIFSIGNALED(wait_status):
        return 128 + os.WTERMSIG(wait_status)
    return os.waitstatus_to_exitcode(wait_status)


def _warm(pack: Any) -> None:
    """Import everything a session uses lazily, so each child finds it in memory already."""
    from textual.drivers import linux_driver  # noqa: F401

    from .. import search
    from ..ui import chart, commands, detail, map, messages, navlist, pane, screens  # noqa: F401

    search.SearchIndex(pack)  # first use builds caches shared by every child
    _share_parsed_css()
    _rehearse(pack)


def _share_parsed_css() -> None:
    """Let every App in this process (and in its forked children) reuse parsed CSS.

    Textual caches parsed rules per Stylesheet, so each new App tokenizes and parses the default CSS
    of every widget again. Keyed on the same things as Textual's own cache plus the CSS variables
    (the theme), a process-wide cache filled by the rehearsal spares each session that work: about
    15 ms of its first frame. Textual is pinned exactly, so the private method is stable.
    """
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    shared: dict[tuple[Any, ...], Any] = {}
    variable_keys: dict[int, tuple[dict[str, str], frozenset[tuple[str, str]]]] = {}

    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        variables = self._variables
        entry = variable_keys.get(id(variables))
        if entry is None or entry[0] is not variables:
            entry = variable_keys[id(variables)] = (variables, frozenset(variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, entry[1])
        rules = shared.get(key)
        if rules is None:
            rules = shared[key] = original(self, css, read_from, is_default_rules, tie_breaker, scope)
        return rules

    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


def _rehearse(pack: Any) -> None:
    """Run the explorer once, headless, up to its first full frame.

    A first App in a process pays for Textual's module-level caches (parsed selectors, colours,
    styles, compiled regexes); every child forked afterwards finds them filled, which takes about a
    third off its time to first frame. The headless driver starts no thread, so forking stays safe.
    """
    import asyncio

    from ..app import StargateApp

    async def rehearse() -> None:
        app = StargateApp(pack)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()

    asyncio.run(rehearse())
    asyncio.set_event_loop(None)
    import threading

    for thread in threading.enumerate():  # fork() copies one thread: let any worker finish first
        if thread is not threading.main_thread():
            thread.join(timeout=5.0)


def _on_term(signum: int, frame: object) -> None:
    global _terminating
    _terminating = True


class Zygote:
    def __init__(self, sock: socket.socket, pack: Any, log_fd: int, wake_r: int, wake_w: int) -> None:
        self.sock = sock
        self.pack = pack
        self.log_fd = log_fd
        self.wake_r, self.wake_w = wake_r, wake_w
        self.children: dict[int, int] = {}  # pid → session id

    def send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # the server is gone: the main loop notices the end of file
            self.sock.send(json.dumps(message).encode())

    def serve(self) -> None:
        self.send({"op": "ready", "pid": os.getpid()})
        while not _terminating:
            try:
                readable, _, _ = select.select([self.sock.fileno(), self.wake_r], [], [])
            except InterruptedError:
                continue
            if self.wake_r in readable:
                try:
                    while os.read(self.wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                self.reap()
            if self.sock.fileno() in readable and not self.receive():
                break
        self.shutdown()

    def receive(self) -> bool:
        try:
            data, fds, _flags, _addr = socket.recv_fds(self.sock, MAX_MESSAGE, 4)
        except (BlockingIOError, InterruptedError):
            return True
        except OSError:
            return False
        if not data:
            for fd in fds:
                os.close(fd)
            return False
        try:
            message = json.loads(data)
            op = message.get("op")
            if op == "spawn" and len(fds) == 1:
                self.spawn(int(message["id"]), SessionParams.from_json(json.dumps(message["params"])), fds[0])
                fds = []
            elif op == "kill":
                pid, sig = int(message["pid"]), int(message["sig"])
                if pid in self.children and sig in (signal.SIGHUP, signal.SIGTERM, signal.SIGKILL):
                    os.kill(pid, sig)
            else:
                self.send({"op": "error", "id": message.get("id"), "message": f"bad request {op!r}"})
        except (ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            self.send({"op": "error", "id": _id_of(data), "message": f"{type(exc).__name__}: {exc}"})
        finally:
            for fd in fds:
                os.close(fd)
        return True

    def spawn(self, session_id: int, params: SessionParams, tty_fd: int) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the session child
            code = 1
            try:
                signal.set_wakeup_fd(-1)
                for fd in (self.sock.fileno(), self.wake_r, self.wake_w):
                    os.close(fd)
                enter_session(params, tty_fd, parent_pid=parent, new_session=True)
                code = run_explorer(self.pack, params, self.log_fd)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.write(self.log_fd, f"session child {os.getpid()}: {traceback.format_exc()}".encode())
            finally:
                os._exit(code)
        os.close(tty_fd)
        self.children[pid] = session_id
        self.send({"op": "started", "id": session_id, "pid": pid})

    def reap(self) -> None:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            session_id = self.children.pop(pid, None)
            if session_id is not None:
                self.send({"op": "exited", "id": session_id, "pid": pid, "status": _status(wait_status)})

    def shutdown(self) -> None:
        """Hang up every child, give it a moment, then kill and reap whatever is left."""
        for pid in list(self.children):
            _kill(pid, signal.SIGHUP)
        deadline = time.monotonic() + 2.0
        while self.children and time.monotonic() < deadline:
            self.reap()
            time.sleep(0.02)
        for pid in list(self.children):
            _kill(pid, signal.SIGKILL)
        while self.children:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            self.children.pop(pid, None)


def _kill(pid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)


def _id_of(data: bytes) -> object:
    try:
        message = json.loads(data)
        return message.get("id") if isinstance(message, dict) else None
    except ValueError:
        return None


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
    sock = socket.socket(fileno=args.fd)
    sock.setblocking(False)

    from .. import app  # noqa: F401  (the point of the zygote: import once, fork many)
    from ..loader import load_pack

    pack = load_pack(args.content, cache=True)
    _warm(pack)
    log_fd = os.dup(2)
    wake_r, wake_w = os.pipe2(os.O_NONBLOCK | os.O_CLOEXEC)
    signal.set_wakeup_fd(wake_w)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    gc.collect()
    gc.freeze()  # keep the shared heap out of the children's garbage collections (fewer copied pages)
    zygote = Zygote(sock, pack, log_fd, wake_r, wake_w)
    zygote.serve()
    return 0


if __name__ == "__main__":
    sys.exit(main())
