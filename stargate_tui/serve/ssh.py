"""`stargate-tui serve ssh`: the read-only explorer for anyone who connects, one process per session.

Built from small pieces, in the order a connection meets them (as wish composes middleware):

- `RateLimiter`: new connections per client address (an LRU of token buckets);
- `Admission`: connections at once;
- `Gate` (asyncssh's `SSHServer`, one per connection): the two above, authentication (none by
  default, or `--authorized-keys`), a login timeout, and every forwarding refused;
- `check_request`: one session per connection, no subsystem, an exec command is a deep link
  (`money`, `open RECORD_ID`) and never run, and a PTY is required (wish's `activeterm`);
- `time_limits`: the idle timeout and the maximum session time;
- `SSHService.run_session`: starts the explorer on its own PTY (forked by the warm zygote, see
  `zygote.py`) and connects it to the channel.

Output (PTY master → channel) goes through asyncssh's `SSHServerProcess.redirect`, which follows the
channel's flow control: when the client stops reading, the PTY is no longer read and the explorer
waits. Input (channel → PTY) is a short loop over `process.stdin` instead of `redirect(stdin=...)`:
redirect would apply the client's window sizes to the PTY as they come (0×0, 65535×65535; pixel
sizes above 32767 even raise inside asyncssh), would pass invalid UTF-8 on to Textual's driver
(which stops reading input at the first such byte) and would hide input from the idle timeout.
Reading `stdin` keeps asyncssh's flow control (the channel is paused while its input waits, at most
the 256 KiB window), delivers window changes as `TerminalSizeChanged`, which we clamp before
TIOCSWINSZ (the kernel turns it into SIGWINCH for the explorer), lets us replace invalid UTF-8, and
tells the idle clock about every key.

Every session's explorer is its own session and process group, ended (SIGTERM, then SIGKILL after
3 s) when the client goes away, at a time limit, and when the server stops. After its first second a
session runs at nice +5, so that sessions arriving in a burst draw their first frame first.
Untrusted strings are logged with repr().
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import fcntl
import logging
import os
import signal
import socket
import struct
import sys
import termios
import time
from collections import OrderedDict
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    spoken_duration,
)
from .spawn import KILL_GRACE, Child, SpawnError, ZygoteSpawner

log = logging.getLogger("stargate_tui.serve")

#: Sent after a session the server ended (the app may not have restored the terminal): leave the
#: alternate screen, show the cursor, mouse/focus/paste reporting off, kitty keyboard off.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l\x1b[?1004l\x1b[?2004l"
    b"\x1b[<u\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l"
)
INPUT_WINDOW = 256 * 1024  # SSH window: at most this much of a client's input waits in the server
INPUT_CHUNK = 16 * 1024
#: A session runs at normal priority for its start-up (its first frame: ≈ 0.15 s of CPU), then at
#: nice +5: its later work (more layout, then keys) waits behind other sessions' first frames.
START_TIME = 1.0


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
    lang: str = "en"


# ---------------------------------------------------------------------------------------------
# the pieces


class RateLimiter:
    """Per-address token buckets: `per_minute` connections, refilled evenly; the least recently
    seen addresses are forgotten beyond `max_addresses`."""

    def __init__(self, per_minute: int, max_addresses: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_addresses = max_addresses
        self.buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # addr → (tokens, when)

    def allow(self, addr: str) -> bool:
        now = time.monotonic()
        tokens, when = self.buckets.pop(addr, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - when) * self.rate)
        allowed = tokens >= 1.0
        self.buckets[addr] = (tokens - 1.0 if allowed else tokens, now)
        if len(self.buckets) > self.max_addresses:
            self.buckets.popitem(last=False)
        return allowed


@dataclass
class Admission:
    """At most `limit` connections at once."""

    limit: int
    active: int = 0

    def enter(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def leave(self) -> None:
        self.active -= 1


def check_request(process: asyncssh.SSHServerProcess[bytes], record_ids: Container[str]) -> Target:
    """What the session asks for; CommandRefused (its message is for the client) if not allowed."""
    if process.subsystem is not None:
        raise CommandRefused(f"stargate-tui: this server offers no subsystem ({process.subsystem!r})")
    target = parse_command(process.command or "", record_ids)
    if process.term_type is None and not target.accessible:
        raise CommandRefused(
            "stargate-tui: this is an interactive explorer and needs a terminal: "
            "connect with `ssh -t` (or `ssh HOST accessible` for the accessible mode, which needs none)"
        )
    return target


@dataclass
class Clock:
    started: float = field(default_factory=time.monotonic)
    last_input: float = field(default_factory=time.monotonic)

    def touch(self) -> None:
        self.last_input = time.monotonic()


async def time_limits(clock: Clock, idle: float, maximum: float) -> str:
    """Returns (the reason) when the session has had no input for `idle` or has lasted `maximum`."""
    while True:
        now = time.monotonic()
        if now >= clock.started + maximum:
            return f"the session reached its time limit ({spoken_duration(maximum)})"
        if now >= clock.last_input + idle:
            return f"no input for {spoken_duration(idle)}"
        await asyncio.sleep(min(clock.started + maximum, clock.last_input + idle) - now)


def set_size(master: int, cols: int, rows: int) -> None:
    with contextlib.suppress(OSError):
        fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


async def write_all(fd: int, data: bytes) -> bool:
    """Write everything to a non-blocking descriptor, waiting while it is full; False once it fails."""
    loop = asyncio.get_running_loop()
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view) :]
        except BlockingIOError:
            writable: asyncio.Future[None] = loop.create_future()
            loop.add_writer(fd, _set_once, writable)
            try:
                await writable
            finally:
                loop.remove_writer(fd)
        except OSError:
            return False
    return True


def _set_once(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


async def forward_output(fd: int, process: asyncssh.SSHServerProcess[bytes]) -> None:
    """Session → channel until the session's last descriptor is closed (end of file, or EIO on a PTY
    master), waiting on the channel's flow control; returns early if the channel is gone."""
    loop = asyncio.get_running_loop()
    while True:
        try:
            data = os.read(fd, INPUT_CHUNK)
        except BlockingIOError:
            readable: asyncio.Future[None] = loop.create_future()
            loop.add_reader(fd, _set_once, readable)
            try:
                await readable
            finally:
                loop.remove_reader(fd)
            continue
        except OSError:  # EIO: no process holds the PTY's slave any more
            return
        if not data:
            return
        try:
            process.stdout.write(data)
            await process.stdout.drain()
        except (asyncssh.Error, OSError):
            return


async def forward_input(process: asyncssh.SSHServerProcess[bytes], master: int, clock: Clock) -> None:
    """Channel → PTY, as valid UTF-8 (Textual's driver stops at the first invalid byte), with window
    changes clamped; returns when the client is gone or sent EOF."""
    utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
    while True:
        try:
            data = await process.stdin.read(INPUT_CHUNK)
        except asyncssh.TerminalSizeChanged as change:
            set_size(master, *clamp_size(change.width, change.height))
            clock.touch()
            continue
        except (asyncssh.BreakReceived, asyncssh.SignalReceived):
            continue
        except Exception:  # the connection is gone (asyncssh raises what ended it)
            return
        if not data:
            return
        clock.touch()
        if not await write_all(master, utf8.decode(data).encode()):
            return


# ---------------------------------------------------------------------------------------------
# connections


class Gate(asyncssh.SSHServer):
    """One client connection: admission, authentication, and every forwarding refused."""

    def __init__(self, service: SSHService) -> None:
        self.service = service
        self.conn: asyncssh.SSHServerConnection | None = None
        self.peer = "?"
        self.number = 0
        self.username: str | None = None
        self.key_fingerprint: str | None = None
        self.admitted = False
        self.has_session = False
        self.opened = time.monotonic()
        self.no_session_timer: asyncio.TimerHandle | None = None

    @property
    def who(self) -> str:
        return f"#{self.number} {self.peer} user={self.username!r} key={self.key_fingerprint or 'anonymous'}"

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self.conn = conn
        host, port = (conn.get_extra_info("peername") or ("?", 0))[:2]
        self.peer = f"[{host}]:{port}" if ":" in str(host) else f"{host}:{port}"
        refusal = self.service.admit(str(host))
        if refusal is not None:
            log.warning("refused connection from %s: %s", self.peer, refusal)
            asyncio.get_running_loop().call_soon(conn.disconnect, asyncssh.DISC_TOO_MANY_CONNECTIONS, refusal)
            return
        self.admitted = True
        self.number = self.service.count_connection(self)
        log.info("connection #%d from %s", self.number, self.peer)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.no_session_timer is not None:
            self.no_session_timer.cancel()
        if self.admitted:
            self.service.release(self)
            why = f" ({exc})" if exc is not None else ""
            log.info("connection %s closed after %.1f s%s", self.who, time.monotonic() - self.opened, why)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()

    def begin_auth(self, username: str) -> bool:
        self.username = username
        return self.service.authorized_keys is not None  # False: no authentication needed

    def auth_completed(self) -> None:
        log.info("authenticated %s", self.who)
        # a connection that never opens a session must not hold a slot forever
        timeout = self.service.options.login_timeout
        self.no_session_timer = asyncio.get_running_loop().call_later(timeout, self._no_session)

    def _no_session(self) -> None:
        if not self.has_session:
            log.info("closing %s: no session started", self.who)
            self.close()

    def public_key_auth_supported(self) -> bool:
        return self.service.authorized_keys is not None

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        keys = self.service.authorized_keys
        host = self.conn.get_extra_info("peername")[0] if self.conn is not None else ""
        if keys is None or keys.validate(key, host, host) is None:
            log.info("rejected key %s for %r from %s", key.get_fingerprint(), username, self.peer)
            return False
        self.key_fingerprint = key.get_fingerprint()
        return True

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


# ---------------------------------------------------------------------------------------------
# the server


class SSHService:
    def __init__(
        self,
        options: SSHOptions,
        record_ids: Container[str],
        spawner: ZygoteSpawner,
        host_key: asyncssh.SSHKey,
        authorized_keys: asyncssh.SSHAuthorizedKeys | None,
    ) -> None:
        self.options = options
        self.record_ids = record_ids
        self.spawner = spawner
        self.host_key = host_key
        self.authorized_keys = authorized_keys
        self.rate = RateLimiter(options.rate_limit)
        self.admission = Admission(options.max_sessions)
        self.gates: set[Gate] = set()
        self.sessions: set[asyncio.Task[None]] = set()
        self.stopping = asyncio.Event()
        self.acceptor: asyncssh.SSHAcceptor | None = None
        self.counter = 0

    def admit(self, addr: str) -> str | None:
        """None to accept a connection, else the reason sent to the client as it is dropped."""
        if self.stopping.is_set():
            return "server shutting down, try again later"
        if not self.rate.allow(addr):
            return "too many connections from your address, try again in a minute"
        if not self.admission.enter():
            return "server full, try again later"
        return None

    def count_connection(self, gate: Gate) -> int:
        self.gates.add(gate)
        self.counter += 1
        return self.counter

    def release(self, gate: Gate) -> None:
        self.gates.discard(gate)
        self.admission.leave()

    async def start(self) -> int:
        await self.spawner.start()
        self.acceptor = await asyncssh.create_server(
            lambda: Gate(self),
            self.options.host,
            self.options.port,
            server_host_keys=[self.host_key],
            server_version="stargate_tui",
            process_factory=self.run_session,
            encoding=None,
            line_editor=False,
            window=INPUT_WINDOW,
            login_timeout=self.options.login_timeout,
            keepalive_interval=30,
            keepalive_count_max=3,
            agent_forwarding=False,
            x11_forwarding=False,
            sftp_factory=None,
            allow_scp=False,
            reuse_address=True,
        )
        return self.acceptor.get_port()

    async def shutdown(self) -> None:
        """Stop listening, end every session (SIGTERM, then SIGKILL), close connections, stop the zygote."""
        self.stopping.set()
        if self.acceptor is not None:
            self.acceptor.close()
        if self.sessions:
            await asyncio.wait(self.sessions, timeout=2 * KILL_GRACE + 3)
        for gate in list(self.gates):
            gate.close()
        await self.spawner.close()
        if self.acceptor is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.acceptor.wait_closed(), 2.0)

    # -- one session ---------------------------------------------------------------------------

    async def run_session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        try:
            await self._run_session(process)
        finally:
            self.sessions.discard(task)

    async def _run_session(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        gate = process.get_extra_info("connection").get_owner()
        assert isinstance(gate, Gate)
        if gate.has_session:
            log.warning("refused a second session on %s", gate.who)
            return _refuse(process, "stargate-tui: one session per connection", EXIT_USAGE)
        gate.has_session = True
        try:
            await self._run_explorer(process, gate)
        finally:  # one session per connection: once it is over, so is the connection
            asyncio.get_running_loop().call_later(1.0, gate.close)

    async def _run_explorer(self, process: asyncssh.SSHServerProcess[bytes], gate: Gate) -> None:
        try:
            target = check_request(process, self.record_ids)
        except CommandRefused as exc:
            asked = process.subsystem or process.command
            log.warning("refused %r from %s: %s", asked or "a session without a terminal", gate.who, exc)
            return _refuse(process, str(exc), EXIT_USAGE)
        term_type = process.term_type or ""
        colorterm = safe_colorterm(process.env)
        cols, rows = clamp_size(*process.term_size[:2])
        pty = process.term_type is not None
        params = SessionParams(
            *(safe_term(term_type), colorterm, cols, rows, target.pane, target.record, self.options.lang),
            accessible=target.accessible,
            pty=pty,
        )
        if pty:
            master, slave = os.openpty()
            set_size(master, cols, rows)
        else:  # the accessible mode without a terminal: lines over a socket
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            master, slave = ours.detach(), theirs.detach()
        os.set_blocking(master, False)
        try:
            child = await self.spawner.spawn(slave, params)
        except (SpawnError, OSError) as exc:
            os.close(master)
            log.error("could not start a session for %s: %s", gate.who, exc)
            return _refuse(process, "stargate-tui: the explorer could not start; try again later", 1)
        mode = ("accessible " if target.accessible else "") + (target.record or target.pane or "overview")
        log.info(
            "session %s: pid %d term=%r colorterm=%r size=%dx%d target=%r ignored env=%r",
            *(gate.who, child.pid, params.term if pty else None, colorterm, cols, rows),
            *(mode, sorted(set(process.env) - {"COLORTERM"})),
        )
        clock = Clock()
        asyncio.get_running_loop().call_later(START_TIME, _settle, child)
        try:
            status, reason = await self._attend(process, master, child, clock, params)
        finally:
            os.close(master)
        notice = f"session closed: {reason}" if reason else ""
        normal = {0, 128 + signal.SIGHUP} | ({128 + signal.SIGINT} if target.accessible else set())
        if not notice and status not in normal:
            notice = f"the session ended unexpectedly (status {status})"
        newline = "\r\n" if pty else "\n"
        # the accessible mode never switched the terminal into any mode: no reset to send
        reset = b"" if target.accessible else TERMINAL_RESET
        with contextlib.suppress(OSError):
            if notice:
                process.stdout.write(reset + f"{newline}stargate-tui: {notice}{newline}".encode())
            process.exit(status)
        log.info(
            "session %s ended after %.1f s: pid %d exit status %d%s",
            *(gate.who, time.monotonic() - clock.started, child.pid, status),
            f" ({reason})" if reason else "",
        )

    async def _attend(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        master: int,
        child: Child,
        clock: Clock,
        params: SessionParams,
    ) -> tuple[int, str | None]:
        """Connect the session to the channel until it exits; its status and why the server ended it.

        The explorer's output goes through asyncssh's redirect. The accessible mode's goes through
        `forward_output`, awaited to its end once the child has exited, so that its last lines
        (`Goodbye.`) reach the client before the exit status. Without a PTY (accessible mode only),
        the client's end of input is passed on (the child reads what is left, then exits) instead of
        hanging up."""
        output: asyncio.Future[None] | None = None
        if params.accessible:
            output = asyncio.ensure_future(forward_output(master, process))
        else:
            await process.redirect(stdout=os.fdopen(os.dup(master), "rb", buffering=0), send_eof=False)
        idle, maximum = self.options.idle_timeout, self.options.max_session_time
        client = asyncio.ensure_future(forward_input(process, master, clock))
        limit = asyncio.ensure_future(time_limits(clock, idle, maximum))
        stop = asyncio.ensure_future(self.stopping.wait())
        gone = asyncio.ensure_future(process.wait_closed())  # even while input waits for the PTY
        watched: list[asyncio.Future[Any]] = [child.exited, client, limit, stop, gone]
        try:
            while True:
                done, _ = await asyncio.wait(watched, return_when=asyncio.FIRST_COMPLETED)
                if done != {client} or params.pty:
                    break
                _end_of_input(master)  # the client sent EOF: the child reads to the end, then exits
                watched.remove(client)
        finally:
            for future in (client, limit, stop, gone):
                future.cancel()
        reason = None
        if not child.exited.done():
            if limit.done() and not limit.cancelled():
                reason = limit.result()
            elif stop.done() and not stop.cancelled():
                reason = "the server is shutting down"
            else:
                log.info("client of pid %d went away, hanging up", child.pid)
            status = await child.stop(signal.SIGTERM if reason else signal.SIGHUP)
        else:
            status = child.exited.result()
        if output is not None:  # every line the session wrote, up to its end of file
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(output), 2.0)
            output.cancel()
        # the app's last output (its terminal restore) goes out before the exit status
        with contextlib.suppress(asyncssh.Error, OSError, TimeoutError):
            await asyncio.wait_for(process.stdout.drain(), 2.0)
        return status, reason


def _end_of_input(fd: int) -> None:
    """Shut the writing half of a session's socket: the child reads end of file after the rest."""
    with contextlib.suppress(OSError):
        sock = socket.socket(fileno=os.dup(fd))
        try:
            sock.shutdown(socket.SHUT_WR)
        finally:
            sock.close()


def _settle(child: Child) -> None:
    """A session past its start-up yields to sessions starting (nice +5, every thread of its group)."""
    if not child.exited.done():
        with contextlib.suppress(OSError):
            os.setpriority(os.PRIO_PGRP, child.pid, 5)


def _refuse(process: asyncssh.SSHServerProcess[bytes], message: str, status: int) -> None:
    newline = "\r\n" if process.term_type else "\n"
    with contextlib.suppress(OSError):
        process.stderr.write((message + newline).encode())
        process.exit(status)


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def serve_ssh(
    options: SSHOptions,
    content: str,
    record_ids: Container[str],
    host_key: asyncssh.SSHKey,
    authorized_keys: asyncssh.SSHAuthorizedKeys | None,
) -> int:
    spawner = ZygoteSpawner(content)
    service = SSHService(options, record_ids, spawner, host_key, authorized_keys)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    try:
        port = await service.start()
    except (SpawnError, OSError) as exc:
        await spawner.close()
        if isinstance(exc, SpawnError):
            print(f"stargate-tui: serve ssh: {exc}", file=sys.stderr)
        else:
            where = f"cannot listen on {_address(options.host, options.port)}"
            print(f"stargate-tui: serve ssh: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    auth = f"keys in {options.authorized_keys}" if authorized_keys is not None else "anonymous"
    print(f"host key {host_key.get_fingerprint()} ({options.host_key})")
    print(f"access: {auth}")
    print(f"listening on {_address(options.host, port)}", flush=True)
    log.info("listening on %s", _address(options.host, port))
    await stop.wait()
    log.info("shutting down: %d sessions", len(service.sessions))
    await service.shutdown()
    log.info("stopped")
    return 0
