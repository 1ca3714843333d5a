"""`stargate-tui serve ssh`: the read-only explorer for anyone who connects, one process per session.

Per connection: admission (session cap, per-address rate limit), authentication (none by default, or
the keys of `--authorized-keys`), then exactly one session channel. A session needs a PTY; its exec
command, if any, is read as a deep link (`money`, `open RECORD_ID`) and never executed. The explorer
runs in a child process (forked from the warm zygote, see `zygote.py`) on its own PTY: the server only
copies bytes between the channel and the PTY master, applies window changes (TIOCSWINSZ, which the
kernel turns into SIGWINCH for the child) and enforces the time limits. A plain session usually adopts
a spare, an explorer started before the client came (see `spares.py`), instead of starting one.

Everything refused: sftp/scp and any subsystem, TCP/unix forwarding both ways, agent and X11
forwarding, sessions without a PTY, a second session on a connection, client environment other than
COLORTERM=truecolor|24bit. Untrusted strings are logged with repr().
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import sys
import termios
import time
from collections import deque
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from .session import (
    EXIT_USAGE,
    CommandRefused,
    SessionParams,
    Target,
    clamp_size,
    parse_command,
    safe_colorterm,
    safe_term,
)
from .spares import SparePool
from .spawn import Child, ColdSpawner, Spawner, SpawnError, ZygoteSpawner, read_master

log = logging.getLogger("stargate_tui.serve")

#: Terminal reset sent after a session that did not end by itself (the app may not have restored it):
#: leave the alternate screen, show the cursor, mouse/focus/paste reporting off, kitty keyboard off.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l"
    b"\x1b[<u\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"
)
INPUT_HIGH_WATER = 64 * 1024  # stop reading the channel when this much input waits for the app
INPUT_LOW_WATER = 16 * 1024
INPUT_HARD_CAP = 256 * 1024  # beyond this (data already in flight), input is dropped
KILL_GRACE = 3.0


@dataclass(frozen=True)
class SSHOptions:
    host: str = "127.0.0.1"
    port: int = 2222
    host_key: Path | None = None
    authorized_keys: Path | None = None
    max_sessions: int = 20
    rate_limit: int = 30  # new connections per address per minute
    login_timeout: float = 30.0
    idle_timeout: float = 15 * 60.0
    max_session_time: float = 4 * 3600.0
    zygote: bool = True
    spares: int = 1  # explorers kept started ahead of clients (0: none)
    lang: str = "en"


def _duration(seconds: float) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds >= 60 and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"


def _winsize(cols: int, rows: int, xpixels: int = 0, ypixels: int = 0) -> bytes:
    return struct.pack("HHHH", rows, cols, min(xpixels, 65535), min(ypixels, 65535))


class SSHService:
    """The listening server: admission, the spawner, and every live connection."""

    def __init__(
        self,
        options: SSHOptions,
        record_ids: Container[str],
        spawner: Spawner,
        host_key: asyncssh.SSHKey,
        authorized_keys: asyncssh.SSHAuthorizedKeys | None,
    ) -> None:
        self.options = options
        self.record_ids = record_ids
        self.spawner = spawner
        self.host_key = host_key
        self.authorized_keys = authorized_keys
        self.connections: set[Connection] = set()
        self.sessions: set[ExplorerSession] = set()
        self.spares = SparePool(spawner, options.spares, options.lang)
        self._recent: dict[str, deque[float]] = {}
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self._counter = 0
        self.closing = False

    # -- admission -----------------------------------------------------------------------------

    def admit(self, connection: Connection) -> str | None:
        """None to accept the connection, else the reason sent to the client as it is dropped."""
        if self.closing:
            return "server shutting down, try again later"
        now = time.monotonic()
        recent = self._recent.setdefault(connection.addr, deque())
        while recent and now - recent[0] > 60.0:
            recent.popleft()
        if len(self._recent) > 10_000:  # forget quiet addresses
            for addr in [a for a, q in self._recent.items() if not q and a != connection.addr]:
                del self._recent[addr]
        if len(recent) >= self.options.rate_limit:
            return "too many connections from your address, try again in a minute"
        recent.append(now)
        if len(self.connections) >= self.options.max_sessions:
            return "server full, try again later"
        self.connections.add(connection)
        self._counter += 1
        connection.number = self._counter
        return None

    # -- running -------------------------------------------------------------------------------

    async def start(self) -> int:
        await self.spawner.start()
        self.spares.start()
        self._acceptor = await asyncssh.create_server(
            lambda: Connection(self),
            self.options.host,
            self.options.port,
            server_host_keys=[self.host_key],
            server_version="stargate_tui",
            login_timeout=self.options.login_timeout,
            keepalive_interval=30,
            keepalive_count_max=3,
            agent_forwarding=False,
            x11_forwarding=False,
            allow_pty=True,
            line_editor=False,
            sftp_factory=None,
            allow_scp=False,
            encoding=None,
            reuse_address=True,
        )
        return self._acceptor.get_port()

    async def shutdown(self) -> None:
        """Stop listening, end every session cleanly (SIGTERM, then SIGKILL), stop the zygote."""
        self.closing = True
        if self._acceptor is not None:
            self._acceptor.close()
        await self.spares.close()
        sessions = list(self.sessions)
        for session in sessions:
            session.close_for("the server is shutting down")
        waits = [s.finished for s in sessions if not s.finished.done()]
        if waits:
            await asyncio.wait(waits, timeout=KILL_GRACE * 2)
        for connection in list(self.connections):
            connection.close()
        await self.spawner.close()
        if self._acceptor is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._acceptor.wait_closed(), 2.0)


class Connection(asyncssh.SSHServer):
    """One client connection (asyncssh makes one per TCP connection)."""

    def __init__(self, service: SSHService) -> None:
        self.service = service
        self.conn: asyncssh.SSHServerConnection | None = None
        self.addr = "?"
        self.peer = "?"
        self.number = 0
        self.username: str | None = None
        self.key_fingerprint: str | None = None
        self.admitted = False
        self.has_session = False  # a session channel was opened (a second one is refused)
        self.session_started = False  # ... and it asked for a shell or a command
        self.opened = time.monotonic()
        self._no_session_timer: asyncio.TimerHandle | None = None

    @property
    def who(self) -> str:
        key = self.key_fingerprint or "anonymous"
        return f"#{self.number} {self.peer} user={self.username!r} key={key}"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.addr = str(peer[0])
        self.peer = f"[{peer[0]}]:{peer[1]}" if ":" in self.addr else f"{peer[0]}:{peer[1]}"
        refusal = self.service.admit(self)
        if refusal is not None:
            log.warning("refused connection from %s: %s", self.peer, refusal)
            asyncio.get_running_loop().call_soon(conn.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, refusal)
            return
        self.admitted = True
        log.info("connection #%d from %s", self.number, self.peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._no_session_timer is not None:
            self._no_session_timer.cancel()
        if self.admitted:
            self.service.connections.discard(self)
            why = f" ({exc})" if exc is not None else ""
            log.info("connection %s closed after %.1f s%s", self.who, time.monotonic() - self.opened, why)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    # -- authentication ------------------------------------------------------------------------

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return self.service.authorized_keys is not None  # False: no authentication needed

    def auth_completed(self) -> None:
        log.info("authenticated %s", self.who)
        # a connection that never opens a session must not hold a slot forever
        self._no_session_timer = asyncio.get_running_loop().call_later(
            self.service.options.login_timeout, self._check_session
        )

    def _check_session(self) -> None:
        if not self.session_started:
            log.info("closing %s: no session started", self.who)
            self.close()

    def public_key_auth_supported(self) -> bool:
        return self.service.authorized_keys is not None

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        keys = self.service.authorized_keys
        if keys is None:
            return False
        if keys.validate(key, self.addr, self.addr) is None:
            log.info("rejected key %s for %r from %s", key.get_fingerprint(), username, self.peer)
            return False
        self.key_fingerprint = key.get_fingerprint()
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    # -- channels ------------------------------------------------------------------------------

    def session_requested(self) -> ExplorerSession | bool:
        if self.has_session:
            log.warning("refused a second session on %s", self.who)
            return False
        if self.service.closing:
            return False
        self.has_session = True
        return ExplorerSession(self)

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        log.warning("refused TCP forwarding to %r:%r from %s", dest_host, dest_port, self.who)
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        log.warning("refused remote forwarding of %r:%r from %s", listen_host, listen_port, self.who)
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        log.warning("refused unix socket forwarding to %r from %s", dest_path, self.who)
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        log.warning("refused unix socket listening on %r from %s", listen_path, self.who)
        return False


class ExplorerSession(asyncssh.SSHServerSession[bytes]):
    """One explorer session: a PTY, a child process, and the bytes between them and the channel."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.service = connection.service
        self.options = connection.service.options
        self.chan: asyncssh.SSHServerChannel[bytes] | None = None
        self.term: str | None = None
        self.size = (80, 24)
        self.target = Target()
        self.refusal: str | None = None
        self.master: int | None = None
        self.child: Child | None = None
        self.pending = bytearray()
        self.reading_paused = False
        self.writing_paused = False
        self.dropped = 0
        self.closed = False
        self.close_reason: str | None = None
        self.started = time.monotonic()  # reset when the session adopts a spare
        self.last_input = self.started
        self.output_at = self.started  # when the app last wrote (the spare pool waits for a quiet moment)
        self.output_bytes = 0
        self.output_done = False
        self.status: int | None = None
        self.finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._timers: list[asyncio.TimerHandle] = []
        self._kill_timer: asyncio.TimerHandle | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        return asyncio.get_running_loop()

    # -- requests ------------------------------------------------------------------------------

    def connection_made(self, chan: asyncssh.SSHServerChannel[bytes]) -> None:
        self.chan = chan
        self.service.sessions.add(self)

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: object) -> bool:
        self.term = safe_term(term_type)
        if self.term != term_type:
            log.info("%s: terminal type %r replaced by %r", self.connection.who, term_type, self.term)
        self.size = clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str) -> bool:
        try:
            self.target = parse_command(command, self.service.record_ids)
        except CommandRefused as exc:
            log.warning("refused command %r from %s", command, self.connection.who)
            self.refusal = str(exc)
        return True  # accepted, so that the client sees the message and the exit status

    def subsystem_requested(self, subsystem: str) -> bool:
        log.warning("refused subsystem %r from %s", subsystem, self.connection.who)
        return False

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        log.info("ignored signal %r from %s", signal, self.connection.who)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.size = clamp_size(width, height)
        self.last_input = time.monotonic()
        if self.master is not None:
            with contextlib.suppress(OSError):
                fcntl.ioctl(self.master, termios.TIOCSWINSZ, _winsize(*self.size, pixwidth, pixheight))

    def session_started(self) -> None:
        self.connection.session_started = True
        self.loop.create_task(self._start())

    # -- starting ------------------------------------------------------------------------------

    def _refuse(self, message: str, status: int) -> None:
        assert self.chan is not None
        newline = "\r\n" if self.term else "\n"
        self.chan.write_stderr((message + newline).encode())
        self.status = status
        self.chan.exit(status)
        self._done()

    async def _start(self) -> None:
        who = self.connection.who
        if self.refusal is not None:
            self._refuse(self.refusal, EXIT_USAGE)
            return
        if self.term is None:
            log.warning("refused a session without a terminal from %s", who)
            self._refuse(
                "stargate-tui: this is an interactive explorer and needs a terminal: "
                "connect with `ssh -t` (or use `stargate-tui show` locally for plain text)",
                EXIT_USAGE,
            )
            return
        assert self.chan is not None
        env = self.chan.get_environment()
        colorterm = safe_colorterm(env)
        ignored = sorted(name for name in env if not (name == "COLORTERM" and colorterm))
        params = SessionParams(
            term=self.term,
            colorterm=colorterm,
            cols=self.size[0],
            rows=self.size[1],
            pane=self.target.pane,
            record=self.target.record,
            lang=self.options.lang,
        )
        backlog = b""
        spare = self.service.spares.take(params) if not self.closed else None
        if spare is not None:
            # adoption: the session's clock starts now; the kernel sends SIGWINCH if the size differs
            master, child, backlog = spare.adopt()
            self.started = self.last_input = self.output_at = time.monotonic()
            with contextlib.suppress(OSError):
                fcntl.ioctl(master, termios.TIOCSWINSZ, _winsize(*self.size))
            start = f"spare, up {self.started - spare.started:.1f} s, {len(backlog)} bytes buffered,"
        else:
            master, slave = os.openpty()
            fcntl.ioctl(master, termios.TIOCSWINSZ, _winsize(*self.size))
            os.set_blocking(master, False)
            try:
                child = await self.service.spawner.spawn(slave, params)
            except (SpawnError, OSError, TimeoutError) as exc:
                os.close(master)
                log.error("could not start a session for %s: %s", who, exc)
                if not self.closed:
                    self._refuse("stargate-tui: the explorer could not start; try again later", 1)
                else:
                    self._done()
                return
            start = "new"
        self.master = master
        self.child = child
        log.info(
            "session %s: pid %d (%s) start=%s term=%r colorterm=%r size=%dx%d target=%r env accepted=%r "
            "ignored=%r",
            who,
            child.pid,
            self.service.spawner.name,
            start,
            params.term,
            params.colorterm,
            params.cols,
            params.rows,
            self.target.record or self.target.pane or "overview",
            ["COLORTERM"] if colorterm else [],
            ignored,
        )
        child.exited.add_done_callback(self._on_exit)
        if self.closed:  # the client left while the child was starting
            self._hang_up()
            return
        if backlog:  # everything the spare wrote: its terminal modes and first frame
            assert self.chan is not None
            self.chan.write(backlog)
            self.output_bytes += len(backlog)
        self.loop.add_reader(master, self._on_output)
        if self.pending:
            self._flush_input()
        self._timers.append(self.loop.call_later(self.options.idle_timeout, self._check_idle))
        self._timers.append(
            self.loop.call_later(
                self.options.max_session_time,
                self.close_for,
                f"the session reached its time limit ({_duration(self.options.max_session_time)})",
            )
        )
        self.service.spares.session_started(self, params)

    # -- output: PTY → channel -----------------------------------------------------------------

    def _on_output(self) -> None:
        if self.master is None:
            return
        data = read_master(self.master)
        if data is None:
            return
        if not data:
            self._end_of_output()
            return
        self.output_at = time.monotonic()
        self.output_bytes += len(data)
        if self.chan is not None and not self.closed:
            self.chan.write(data)

    def _end_of_output(self) -> None:
        if self.master is not None:
            self.loop.remove_reader(self.master)
        self.output_done = True
        if self.child is not None and self.child.exited.done():
            self._finish()
        elif self.child is not None:  # the terminal is closed but the process lingers: end it
            self._kill_timer = self.loop.call_later(KILL_GRACE, self._kill)

    def pause_writing(self) -> None:
        self.writing_paused = True
        if self.master is not None and not self.output_done:
            self.loop.remove_reader(self.master)

    def resume_writing(self) -> None:
        self.writing_paused = False
        if self.master is not None and not self.output_done and not self.closed:
            self.loop.add_reader(self.master, self._on_output)

    # -- input: channel → PTY ------------------------------------------------------------------

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.last_input = time.monotonic()
        if len(self.pending) + len(data) > INPUT_HARD_CAP:
            if not self.dropped:
                log.warning("%s: input backlog full, dropping input", self.connection.who)
            self.dropped += len(data)
            return
        self.pending += data
        if self.master is not None:
            self._flush_input()
        self._throttle()

    def _flush_input(self) -> None:
        if self.master is None:
            return
        while self.pending:
            try:
                written = os.write(self.master, self.pending)
            except (BlockingIOError, InterruptedError):
                break
            except OSError:  # the child is gone; the exit path will tidy up
                self.pending.clear()
                break
            del self.pending[:written]
        if self.pending:
            self.loop.add_writer(self.master, self._flush_input)
        else:
            self.loop.remove_writer(self.master)
        self._throttle()

    def _throttle(self) -> None:
        """Back-pressure: stop reading the channel while the app is behind on its input."""
        if self.chan is None or self.closed:
            return
        if not self.reading_paused and len(self.pending) >= INPUT_HIGH_WATER:
            self.reading_paused = True
            self.chan.pause_reading()
        elif self.reading_paused and len(self.pending) <= INPUT_LOW_WATER:
            self.reading_paused = False
            self.chan.resume_reading()

    def eof_received(self) -> bool:
        self._hang_up()
        return True

    # -- ending --------------------------------------------------------------------------------

    def _check_idle(self) -> None:
        remaining = self.last_input + self.options.idle_timeout - time.monotonic()
        if remaining > 0:
            self._timers.append(self.loop.call_later(remaining, self._check_idle))
        else:
            self.close_for(f"no input for {_duration(self.options.idle_timeout)}")

    def close_for(self, reason: str) -> None:
        """End the session for a server reason: the app gets SIGTERM, exits and restores the terminal."""
        if self.child is None:
            if self.chan is not None and not self.closed and not self.finished.done():
                self.chan.close()
            return
        if self.child.exited.done() or self.close_reason is not None:
            return
        self.close_reason = reason
        self.child.signal(signal.SIGTERM)
        self._kill_timer = self.loop.call_later(KILL_GRACE, self._kill)

    def _kill(self) -> None:
        if self.child is not None and not self.child.exited.done():
            log.warning("%s: pid %d did not exit, killing it", self.connection.who, self.child.pid)
            self.child.signal(signal.SIGKILL)

    def _hang_up(self) -> None:
        """The client is gone: close the terminal (the kernel sends SIGHUP) and make sure."""
        if self.child is None or self.child.exited.done():
            return
        self._close_master()
        self.child.signal(signal.SIGHUP)
        if self._kill_timer is None:
            self._kill_timer = self.loop.call_later(KILL_GRACE, self._kill)

    def _on_exit(self, exited: asyncio.Future[int]) -> None:
        self.status = exited.result()
        if self.output_done or self.master is None:
            self._finish()
        else:  # read what the app wrote last (its terminal restore), then finish
            self._timers.append(self.loop.call_later(0.5, self._finish))

    def _close_master(self) -> None:
        if self.master is not None:
            with contextlib.suppress(ValueError, OSError):
                self.loop.remove_reader(self.master)
                self.loop.remove_writer(self.master)
            os.close(self.master)
            self.master = None

    def _finish(self) -> None:
        if self.finished.done():
            return
        if self.master is not None and not self.output_done and not self.closed:
            # drain anything left (non-blocking)
            with contextlib.suppress(OSError):
                while data := os.read(self.master, 65536):
                    if self.chan is not None:
                        self.chan.write(data)
        self._close_master()
        status = self.status if self.status is not None else 1
        if self.chan is not None and not self.closed:
            notice = b""
            if self.close_reason is not None:
                notice = f"stargate-tui: session closed: {self.close_reason}".encode()
            elif status != 0:
                notice = f"stargate-tui: the session ended unexpectedly (status {status})".encode()
            if notice:
                self.chan.write(TERMINAL_RESET + b"\r\n" + notice + b"\r\n")
            self.chan.exit(status)
        log.info(
            "session %s ended after %.1f s: pid %s exit status %s%s%s",
            self.connection.who,
            time.monotonic() - self.started,
            self.child.pid if self.child else "-",
            status,
            f" ({self.close_reason})" if self.close_reason else "",
            f", {self.dropped} input bytes dropped" if self.dropped else "",
        )
        self._done()

    def _done(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._kill_timer is not None:
            self._kill_timer.cancel()
        self.service.sessions.discard(self)
        if not self.finished.done():
            self.finished.set_result(None)
        # one session per connection: once it is over, so is the connection (after the exit status)
        conn = self.connection
        self.loop.call_later(1.0, conn.close)

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.service.sessions.discard(self)
        if self.child is not None and not self.child.exited.done():
            log.info("%s: client went away, hanging up pid %d", self.connection.who, self.child.pid)
            self._hang_up()
        elif self.child is None and not self.finished.done():
            # not started yet (or refused): _start notices `closed`
            pass


# ---------------------------------------------------------------------------------------------
# entry point


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def serve_ssh(
    options: SSHOptions,
    content: str,
    record_ids: Container[str],
    host_key: asyncssh.SSHKey,
    authorized_keys: asyncssh.SSHAuthorizedKeys | None,
) -> int:
    spawner: Spawner = ZygoteSpawner(content) if options.zygote else ColdSpawner(content)
    service = SSHService(options, record_ids, spawner, host_key, authorized_keys)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        port = await service.start()
    except SpawnError as exc:
        print(f"stargate-tui: serve ssh: {exc}", file=sys.stderr)
        await spawner.close()
        return 1
    except OSError as exc:
        print(
            f"stargate-tui: serve ssh: cannot listen on {_address(options.host, options.port)}: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
        await spawner.close()
        return 1
    auth = f"keys in {options.authorized_keys}" if authorized_keys is not None else "anonymous"
    print(f"host key {host_key.get_fingerprint()} ({options.host_key})")
    print(f"access: {auth}; sessions start from: {spawner.name}; spares: {options.spares}")
    print(f"listening on {_address(options.host, port)}", flush=True)
    log.info("listening on %s", _address(options.host, port))
    await stop.wait()
    log.info("shutting down: %d sessions", len(service.sessions))
    await service.shutdown()
    log.info("stopped")
    return 0
