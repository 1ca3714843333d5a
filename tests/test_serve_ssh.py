"""`serve ssh` end to end: a real server subprocess on 127.0.0.1 (port 0), a real asyncssh client,
the client's screen rebuilt with pyte. Every refusal, limit and shutdown path, abuse (garbage input,
window-change storms, connect storms, a client that stops reading), and that nothing (no session
child, no zygote, no PTY) outlives a session or the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncssh
import pyte
import pytest
from asyncssh.packet import Boolean, String, UInt32
from serving import ServerProcess, alive

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PTYs and /proc: Linux"),
]

SESSION_PID = re.compile(r"session #(\d+) .*?: pid (\d+) term=")
ZYGOTE_PID = re.compile(r"zygote (\d+) ready")
#: On screen once the overview pane is built: the app is idle and takes keys (and quits) cleanly.
READY = "HEADLINE FIGURES"


# ---------------------------------------------------------------------------------------------
# the server


class Server(ServerProcess):
    """`python -m stargate_tui.serve ssh --port 0 ...` as a subprocess, its log in a file."""

    def __init__(
        self, tmp: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> None:
        self.tmp = tmp
        tmp.mkdir(parents=True, exist_ok=True)
        self.log_path = tmp / "server.log"
        argv = [sys.executable, "-m", "stargate_tui", "serve", "ssh", "--port", "0", "--rate-limit", "1000"]
        if "--host-key" not in args and not (env and "XDG_STATE_HOME" in env):
            argv += ["--host-key", str(tmp / "host_key")]
        super().__init__([*argv, *args], self.log_path, env, cwd)

    def zygote_pid(self) -> int:
        return int(self.wait_log(ZYGOTE_PID.pattern).group(1))

    def session_pids(self) -> list[int]:
        return [int(m.group(2)) for m in SESSION_PID.finditer(self.log())]

    def ptmx_fds(self) -> int:
        """PTY masters the server holds open."""
        count = 0
        for fd in Path(f"/proc/{self.proc.pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                if os.readlink(fd) == "/dev/ptmx":
                    count += 1
        return count


def running(tmp: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> Server:
    return Server(tmp, *args, env=env, cwd=cwd)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The shared server: anonymous, zygote, generous limits."""
    with running(tmp_path_factory.mktemp("ssh")) as srv:
        yield srv


# ---------------------------------------------------------------------------------------------
# the client


class Terminal(asyncssh.SSHClientSession[bytes]):
    """The client side of a session: its output, on a pyte screen of the session's size."""

    def __init__(self, cols: int = 80, rows: int = 24) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.changed = asyncio.Event()
        self.closed = asyncio.Event()
        self.status: int | None = None

    def data_received(self, data: bytes, datatype: asyncssh.DataType) -> None:
        self.raw += data
        self.stream.feed(data)
        self.changed.set()

    def exit_status_received(self, status: int) -> None:
        self.status = status

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed.set()
        self.changed.set()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def output(self) -> str:
        return self.raw.decode(errors="replace")

    async def wait_for(self, needle: str, timeout: float = 15.0) -> None:
        try:
            async with asyncio.timeout(timeout):
                while needle not in self.text() and needle not in self.output():
                    if self.closed.is_set():
                        raise AssertionError(f"session closed before {needle!r}")
                    self.changed.clear()
                    await self.changed.wait()
        except (TimeoutError, AssertionError) as exc:
            raise AssertionError(
                f"{exc or 'timed out'}: {needle!r} not on the screen:\n{self.text()}"
            ) from None

    async def wait_for_line(self, row: int, needle: str, timeout: float = 15.0) -> None:
        """Wait until `needle` is on screen row `row` (0-based)."""
        try:
            async with asyncio.timeout(timeout):
                while row >= len(self.screen.display) or needle not in self.screen.display[row]:
                    if self.closed.is_set():
                        raise AssertionError("session closed")
                    self.changed.clear()
                    await self.changed.wait()
        except (TimeoutError, AssertionError) as exc:
            raise AssertionError(
                f"{exc or 'timed out'}: {needle!r} not on row {row}:\n{self.text()}"
            ) from None

    async def wait_closed(self, timeout: float = 15.0) -> int | None:
        async with asyncio.timeout(timeout):
            await self.closed.wait()
        return self.status


async def connect(port: int, **kwargs: object) -> asyncssh.SSHClientConnection:
    options: dict[str, object] = {
        "known_hosts": None,
        "username": "reader",
        "client_keys": None,
        "agent_path": None,
        "connect_timeout": 10,
    }
    options.update(kwargs)
    return await asyncssh.connect("127.0.0.1", port, **options)


async def open_session(
    conn: asyncssh.SSHClientConnection,
    *,
    cols: int = 80,
    rows: int = 24,
    pty: bool = True,
    **kwargs: object,
) -> tuple[asyncssh.SSHClientChannel[bytes], Terminal]:
    options: dict[str, object] = {"encoding": None}
    if pty:
        options.update(term_type="xterm-256color", term_size=(cols, rows))
    options.update(kwargs)
    return await conn.create_session(lambda: Terminal(cols, rows), **options)  # type: ignore[arg-type,return-value]


@contextlib.asynccontextmanager
async def session(
    port: int, **kwargs: Any
) -> AsyncIterator[tuple[asyncssh.SSHClientChannel[bytes], Terminal]]:
    async with await connect(port) as conn:
        chan, term = await open_session(conn, **kwargs)
        yield chan, term


async def wait_gone(pids: list[int], timeout: float = 10.0) -> list[int]:
    """The pids still alive after `timeout` (the event loop keeps running meanwhile)."""
    deadline = time.monotonic() + timeout
    left = pids
    while time.monotonic() < deadline:
        left = [pid for pid in pids if alive(pid)]
        if not left:
            return []
        await asyncio.sleep(0.05)
    return left


def descendants_of(server_pid: int) -> list[int]:
    """Processes started for this server: the zygote and its children carry `--parent PID`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            ours = (
                b"--parent" in cmdline and cmdline[cmdline.index(b"--parent") + 1] == str(server_pid).encode()
            )
            if ours and alive(int(entry.name)):
                found.append(int(entry.name))
    return found


# ---------------------------------------------------------------------------------------------
# sessions


async def test_first_screen_keys_resize_and_quit(server: Server) -> None:
    async with session(server.port, cols=100, rows=30) as (chan, term):
        await term.wait_for("Overview")
        await term.wait_for("Timeline")
        # keys pressed before the first pane is built can be undone by the app's initial navigation
        await term.wait_for(READY)
        chan.write(b"3")
        await term.wait_for("Amounts compared")
        chan.change_terminal_size(50, 15)
        term.screen.resize(15, 50)
        await term.wait_for("need 60×18")
        chan.change_terminal_size(100, 30)
        term.screen.resize(30, 100)
        await term.wait_for("Amounts compared")
        chan.write(b"q")
        assert await term.wait_closed() == 0


async def test_deep_links_open_a_pane_or_a_record(server: Server) -> None:
    async with session(server.port, command="money") as (chan, term):
        await term.wait_for("Amounts compared")
        chan.write(b"q")
        assert await term.wait_closed() == 0
    async with session(server.port, command="open abilene") as (chan, term):
        await term.wait_for("Map")
        await term.wait_for("Abilene")
        chan.write(b"q")
        assert await term.wait_closed() == 0


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("ls", "runs no commands"),
        ("money; cat /etc/passwd", "runs no commands"),
        ("scp -f /etc/passwd", "runs no commands"),
        ("open no-such-record", "unknown record id 'no-such-record'"),
    ],
)
@pytest.mark.parametrize("pty", [True, False])
async def test_exec_commands_are_deep_links_never_run(
    server: Server, command: str, message: str, pty: bool
) -> None:
    async with session(server.port, command=command, pty=pty) as (_chan, term):
        assert await term.wait_closed() == 2
        assert message in term.output()


async def test_a_session_without_a_pty_is_refused(server: Server) -> None:
    async with await connect(server.port) as conn:
        _chan, term = await open_session(conn, pty=False)
        assert await term.wait_closed() == 2
        assert "needs a terminal" in term.output()
        assert "ssh -t" in term.output()
        async with asyncio.timeout(5):  # and the connection does not keep its slot
            await conn.wait_closed()


async def test_sftp_subsystems_and_forwarding_are_refused(server: Server, tmp_path: Path) -> None:
    async with await connect(server.port) as conn:
        with pytest.raises((asyncssh.Error, OSError)):
            await asyncio.wait_for(conn.start_sftp_client(), 10)
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_connection("127.0.0.1", server.port)
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_unix_connection(str(tmp_path / "sock"))
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", server.port)
    server.wait_log(r"refused TCP forwarding to '127\.0\.0\.1'")
    async with session(server.port, subsystem="netconf") as (_chan, term):
        assert await term.wait_closed() == 2
        assert "no subsystem ('netconf')" in term.output()


async def test_agent_and_x11_forwarding_are_refused(server: Server) -> None:
    async with session(server.port) as (chan, term):
        await term.wait_for(READY)
        # raw channel requests, as `ssh -A` / `ssh -X` send them; the server must answer "failure"
        assert await chan._make_request(b"auth-agent-req@openssh.com") is False
        x11 = (Boolean(False), String(b"MIT-MAGIC-COOKIE-1"), String(b"00" * 16), UInt32(0))
        assert await chan._make_request(b"x11-req", *x11) is False
        chan.write(b"q")
        assert await term.wait_closed() == 0


async def test_client_environment_is_whitelisted(server: Server) -> None:
    env = {"LD_PRELOAD": "/tmp/evil.so", "PYTHONSTARTUP": "/tmp/evil.py", "COLORTERM": "truecolor"}
    async with session(server.port, term_type="vt100; rm -rf /", env=env) as (chan, term):
        await term.wait_for(READY)
        match = server.wait_log(
            r"session #(\d+) .*term='xterm-256color' colorterm='truecolor'.*ignored env=\[([^]]*)\]"
        )
        assert "'LD_PRELOAD'" in match.group(2)
        assert "'PYTHONSTARTUP'" in match.group(2)
        pid = int(server.wait_log(rf"session #{match.group(1)} .*?: pid (\d+)").group(1))
        # what the child runs with (it logs its environment once set up): TERM, COLORTERM, and a
        # home and XDG directories where nothing can be written ...
        names = "'COLORTERM', 'HOME', 'TERM', 'XDG_CACHE_HOME', 'XDG_CONFIG_HOME', 'XDG_DATA_HOME'"
        server.wait_log(
            rf"session child {pid}: environment \[{names}, 'XDG_DOWNLOAD_DIR', 'XDG_STATE_HOME'\]"
        )
        # ... and nothing from the client in the environment it was started with either
        initial = Path(f"/proc/{pid}/environ").read_bytes()
        assert b"LD_PRELOAD" not in initial
        assert b"PYTHONSTARTUP" not in initial
        assert b"evil" not in initial
        chan.write(b"q")
        assert await term.wait_closed() == 0


async def test_one_session_per_connection(server: Server) -> None:
    async with await connect(server.port) as conn:
        chan, term = await open_session(conn)
        await term.wait_for(READY)
        _second, refused = await open_session(conn)
        assert await refused.wait_closed() == 2
        assert "one session per connection" in refused.output()
        chan.write(b"q")
        assert await term.wait_closed() == 0


# ---------------------------------------------------------------------------------------------
# the accessible mode: `ssh HOST accessible`, with or without a PTY

BOX_DRAWING = re.compile("[\u2500-\u257f]")


def first_money_citation() -> str:
    """What the accessible mode says of the first item of the Money pane: its first citation."""
    from stargate_tui.accessible import citation_words
    from stargate_tui.loader import load_pack
    from stargate_tui.views import pane_records

    return f"Source: {citation_words(pane_records(load_pack(), 'money')[0], 'en')[0]}"


def assert_plain_lines(output: str) -> None:
    assert "\x1b[?1049h" not in output  # no alternate screen
    assert BOX_DRAWING.search(output) is None
    assert "Traceback" not in output


async def test_accessible_mode_on_a_pty(server: Server) -> None:
    """`ssh -t HOST accessible`: readline on the session's PTY; the answers are appended lines."""
    async with session(server.port, command="accessible") as (chan, term):
        await term.wait_for("Type a number or a pane name.")
        pid = server.session_pids()[-1]
        chan.write(b"money\r")
        await term.wait_for("Type a number to open an item.")
        chan.write(b"1\r")
        await term.wait_for("Item 1 of 8 in Money.")
        chan.write(b"quit\r")
        assert await term.wait_closed() == 0
    output = term.output()
    assert first_money_citation() in output
    assert output.rstrip().endswith("Goodbye.")
    assert "> " in output  # the prompt, on a terminal
    assert_plain_lines(output)
    assert await wait_gone([pid]) == []
    server.wait_log(r"session #\d+ .*target='accessible overview'")


@pytest.mark.parametrize("ending", ["quit", "eof"])
async def test_accessible_mode_without_a_pty(server: Server, ending: str) -> None:
    """`ssh HOST accessible` (no PTY: the client keeps its own echo and line editing): lines in,
    lines out, no prompt; the end of input ends the session as `quit` does, after every answer."""
    command = "accessible" if ending == "quit" else "accessible money"
    async with session(server.port, command=command, pty=False) as (chan, term):
        lines = b"1\n" if ending == "eof" else b"money\n1\nquit\n"
        chan.write(lines)  # typed ahead, as a pipe would send them
        if ending == "eof":
            chan.write_eof()
        assert await term.wait_closed() == 0
        pid = server.session_pids()[-1]
    output = term.output()
    assert first_money_citation() in output
    assert "Item 1 of 8 in Money." in output
    assert output.endswith("Goodbye.\n") if ending == "quit" else output.endswith("Item 1 of 8 in Money.\n")
    assert "\r" not in output and "> " not in output  # lines as they are, no prompt
    assert_plain_lines(output)
    assert await wait_gone([pid]) == []


async def test_accessible_mode_deep_link_and_refusals(server: Server) -> None:
    async with session(server.port, command="accessible open abilene", pty=False) as (chan, term):
        chan.write_eof()
        assert await term.wait_closed() == 0
    assert "Abilene" in term.output().splitlines()[1]
    for command, message in (("accessible ls", "runs no commands"), ("accessible accessible", "enough")):
        async with session(server.port, command=command, pty=False) as (_chan, refused):
            assert await refused.wait_closed() == 2
            assert message in refused.output()


async def test_accessible_mode_ends_with_its_client(server: Server) -> None:
    conn = await connect(server.port)
    _chan, term = await open_session(conn, command="accessible", pty=False)
    await term.wait_for("Type a number or a pane name.")
    pid = server.session_pids()[-1]
    assert os.getpgid(pid) == pid
    conn.abort()
    assert await wait_gone([pid]) == []
    server.wait_log(rf"session #\d+ .*ended after [\d.]+ s: pid {pid} exit status 129")


async def wait_ptmx(server: Server, count: int, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while server.ptmx_fds() != count and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return server.ptmx_fds()


async def test_abrupt_disconnect_leaves_no_child_and_no_pty(server: Server) -> None:
    assert await wait_ptmx(server, 0) == 0
    conn = await connect(server.port)
    _chan, term = await open_session(conn)
    await term.wait_for(READY)
    pid = server.session_pids()[-1]
    assert alive(pid)
    assert os.getpgid(pid) == pid  # the explorer leads its own process group
    assert server.ptmx_fds() == 2  # the PTY master, and the copy asyncssh reads the output from
    conn.abort()  # no disconnect message, no channel close: the TCP connection just goes
    assert await wait_gone([pid]) == []
    assert await wait_ptmx(server, 0) == 0
    server.wait_log(rf"session #\d+ .*ended after [\d.]+ s: pid {pid} exit status 129")


def nice(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


async def test_a_session_yields_to_starting_sessions_after_its_start(server: Server) -> None:
    async with session(server.port) as (chan, term):
        await term.wait_for(READY)
        pid = server.session_pids()[-1]
        async with asyncio.timeout(5):
            while nice(pid) != 5:
                await asyncio.sleep(0.1)
        chan.write(b"3")  # and it still answers
        await term.wait_for("Amounts compared")
        chan.write(b"q")
        assert await term.wait_closed() == 0


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


async def test_input_flood_is_bounded(server: Server) -> None:
    """Megabytes of input faster than the app reads: the server stops reading the channel (SSH
    flow control holds the rest on the client) instead of buffering it all, and still hangs up."""
    conn = await connect(server.port)
    chan, term = await open_session(conn)
    await term.wait_for(READY)
    pid = server.session_pids()[-1]
    before = rss_kib(server.proc.pid)
    chunk = b"j" * 65536
    for _ in range(64):  # 4 MiB
        chan.write(chunk)
    await asyncio.sleep(1.0)
    assert rss_kib(server.proc.pid) - before < 16 * 1024
    assert alive(pid)
    conn.abort()
    assert await wait_gone([pid]) == []


# ---------------------------------------------------------------------------------------------
# abuse: the server stays up, and nothing leaks


async def test_garbage_input_and_window_change_storms(server: Server) -> None:
    async with session(server.port, cols=100, rows=30) as (chan, term):
        await term.wait_for(READY)
        pid = server.session_pids()[-1]
        # every byte value (escapes, controls, invalid UTF-8) but the keys that quit or suspend the app
        chan.write(bytes(b for b in range(256) if b not in b"qQ\x03\x11\x1a") * 64)
        chan.write(b"\x1b[" + b"9" * 5000 + b"m\x1b]52;c;" + b"A" * 10000 + b"\x07\x1bP" * 100)
        sizes = [(0, 0), (1, 1), (10000, 10000), (0, 10000), (10000, 0), (65535, 65535), (2**32 - 1, 1)]
        for _ in range(30):
            for cols, rows in sizes:
                # pixel sizes beyond 32767 too: asyncssh's own handling of a PTY would fail on them
                chan.change_terminal_size(cols, rows, 2**32 - 1, 2**31)
        chan.change_terminal_size(100, 30)
        term.screen.resize(30, 100)
        # still running, and drawn at the last size (whatever the garbage opened on screen)
        await term.wait_for_line(29, "Quit", timeout=30)
        assert alive(pid)
        assert "Traceback" not in server.log()
    assert await wait_gone([pid]) == []
    assert server.proc.poll() is None


async def test_a_client_that_stops_reading_holds_nothing(server: Server) -> None:
    """Output waits on the SSH window (the explorer blocks on its terminal) without growing the
    server; the session ends as usual when the client goes."""
    conn = await connect(server.port)
    chan, term = await open_session(conn, cols=200, rows=60)
    await term.wait_for(READY)
    pid = server.session_pids()[-1]
    before = rss_kib(server.proc.pid)
    chan.pause_reading()
    for _ in range(200):  # every key redraws a large screen the client never reads
        chan.write(b"2345672345")
        await asyncio.sleep(0.01)
    await asyncio.sleep(1.0)
    assert rss_kib(server.proc.pid) - before < 16 * 1024
    async with session(server.port) as (other, other_term):  # the server still serves others
        await other_term.wait_for(READY)
        other.write(b"q")
        assert await other_term.wait_closed() == 0
    conn.abort()
    assert await wait_gone([pid]) == []
    assert await wait_ptmx(server, 0) == 0


async def test_connect_storm(tmp_path: Path) -> None:
    """Sixty connections at once against five slots: refusals, no crash, nothing left behind."""
    with running(tmp_path, "--max-sessions", "5") as srv:

        async def visit() -> int | None:
            try:
                async with session(srv.port) as (chan, term):
                    await term.wait_for(READY, timeout=60)
                    chan.write(b"q")
                    return await term.wait_closed(timeout=30)
            except (asyncssh.Error, OSError):
                return None

        results = await asyncio.gather(*(visit() for _ in range(60)))
        assert results.count(0) >= 5
        assert all(result in (0, None) for result in results)
        assert "server full, try again later" in srv.log()
        assert await wait_gone(srv.session_pids()) == []
        assert await wait_ptmx(srv, 0) == 0
        async with session(srv.port) as (chan, term):  # and it still serves
            await term.wait_for(READY)
            chan.write(b"q")
            assert await term.wait_closed() == 0
    assert "Traceback" not in srv.log()


# ---------------------------------------------------------------------------------------------
# limits


async def test_session_cap_and_rate_limit(tmp_path: Path) -> None:
    with running(tmp_path, "--max-sessions", "1", "--rate-limit", "3") as srv:
        async with session(srv.port) as (chan, term):
            await term.wait_for(READY)
            for _ in range(2):
                with pytest.raises(asyncssh.DisconnectError) as full:
                    await connect(srv.port)
                assert "server full, try again later" in full.value.reason
            with pytest.raises(asyncssh.DisconnectError) as limited:
                await connect(srv.port)
            assert "too many connections" in limited.value.reason
            chan.write(b"q")
            assert await term.wait_closed() == 0


async def test_idle_timeout_and_session_time_limit(tmp_path: Path) -> None:
    with running(
        tmp_path, "--idle-timeout", "2s", "--max-session-time", "3s", "--login-timeout", "2s"
    ) as srv:
        async with (
            session(srv.port) as (_idle_chan, idle),
            session(srv.port) as (busy_chan, busy),
            session(srv.port, command="accessible", pty=False) as (_quiet_chan, quiet),
        ):
            await idle.wait_for(READY)
            await busy.wait_for(READY)
            await quiet.wait_for("Type a number or a pane name.")
            # a connection that never starts a session does not keep its slot
            silent = await connect(srv.port)

            async def keep_typing() -> None:
                while not busy.closed.is_set():
                    busy_chan.write(b"j")
                    await asyncio.sleep(0.3)

            typing = asyncio.create_task(keep_typing())
            assert await idle.wait_closed() == 143
            assert await busy.wait_closed() == 143
            assert await quiet.wait_closed() == 143
            await typing
        assert quiet.output().endswith("\nstargate-tui: session closed: no input for 2 s\n")
        assert "session closed: no input for 2 s" in idle.output()
        assert "session closed: the session reached its time limit (3 s)" in busy.output()
        assert await wait_gone(srv.session_pids()) == []
        srv.wait_log(r"closing #\d+ .*: no session started")
        async with asyncio.timeout(5):
            await silent.wait_closed()


async def test_authorized_keys(tmp_path: Path) -> None:
    allowed = asyncssh.generate_private_key("ssh-ed25519")
    other = asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(allowed.export_public_key())
    with running(tmp_path, "--authorized-keys", str(keys)) as srv:
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(srv.port)
        with pytest.raises(asyncssh.PermissionDenied):
            await connect(srv.port, client_keys=[other])
        async with await connect(srv.port, client_keys=[allowed]) as conn:
            chan, term = await open_session(conn)
            await term.wait_for(READY)
            chan.write(b"q")
            assert await term.wait_closed() == 0
        assert f"key={allowed.get_fingerprint()}" in srv.log()


# ---------------------------------------------------------------------------------------------
# shutdown


async def test_sigterm_closes_sessions_cleanly(tmp_path: Path) -> None:
    srv = Server(tmp_path)
    try:
        srv.wait_listening()
        zygote = srv.zygote_pid()
        conns = [await connect(srv.port) for _ in range(3)]
        terms = [(await open_session(c))[1] for c in conns]
        for term in terms:
            await term.wait_for(READY)
        pids = srv.session_pids()
        assert len(pids) == 3
        srv.proc.send_signal(signal.SIGTERM)
        for term in terms:
            assert await term.wait_closed() == 143
            assert "the server is shutting down" in term.output()
            assert "\x1b[?1049l" in term.output()  # the app left the alternate screen
        assert await asyncio.to_thread(srv.proc.wait, 15) == 0
        assert await wait_gone([*pids, zygote]) == []
        assert descendants_of(srv.proc.pid) == []
        assert "Traceback" not in srv.log()
    finally:
        srv.stop()


PR_SET_CHILD_SUBREAPER = 36


async def test_sigkill_of_the_server_leaves_nothing_behind(tmp_path: Path) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    # orphans (the zygote) are re-parented to us, so we can reap them and see they are gone
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    srv = Server(tmp_path)
    try:
        srv.wait_listening()
        zygote = srv.zygote_pid()
        conn = await connect(srv.port)
        _chan, term = await open_session(conn)
        await term.wait_for(READY)
        pids = srv.session_pids()
        srv.proc.kill()
        srv.proc.wait(10)
        await term.wait_closed()
        conn.abort()
        assert await wait_gone([*pids, zygote]) == []
        for pid in (zygote, *pids):  # reap what was re-parented to us
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        assert descendants_of(srv.proc.pid) == []
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        srv.stop()


async def test_a_dead_zygote_is_replaced(tmp_path: Path) -> None:
    with running(tmp_path) as srv:
        first = srv.zygote_pid()
        async with session(srv.port) as (_chan, term):
            await term.wait_for(READY)
            pid = srv.session_pids()[-1]
            os.kill(first, signal.SIGKILL)
            assert await term.wait_closed() == 255  # the zygote's children die with it
        assert await wait_gone([pid]) == []
        async with session(srv.port) as (chan, term):  # the next session starts a new zygote
            await term.wait_for(READY, timeout=30)
            chan.write(b"q")
            assert await term.wait_closed() == 0
        assert "the zygote is gone; starting another" in srv.log()
        assert [int(z) for z in ZYGOTE_PID.findall(srv.log())][1:] != [first]


# ---------------------------------------------------------------------------------------------
# host key


def test_host_key_is_created_once_and_kept(tmp_path: Path) -> None:
    env = {"XDG_STATE_HOME": str(tmp_path / "state")}
    key = tmp_path / "state" / "stargate-tui" / "ssh_host_ed25519_key"
    prints = []
    for _ in range(2):
        with running(tmp_path, env=env) as srv:
            prints.append(re.search(r"host key (SHA256:\S+)", srv.stdout).group(1))  # type: ignore[union-attr]
        assert key.stat().st_mode & 0o777 == 0o600
    assert prints[0] == prints[1]
    assert asyncssh.read_private_key(str(key)).get_fingerprint() == prints[0]


def test_corrupt_host_key_is_a_hard_error(tmp_path: Path) -> None:
    key = tmp_path / "host_key"
    key.write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n")
    result = subprocess.run(
        [sys.executable, "-m", "stargate_tui", "serve", "ssh", "--port", "0", "--host-key", str(key)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"stargate-tui: serve ssh: host key {key} is not a usable private key")
    assert key.read_bytes() == b"-----BEGIN OPENSSH PRIVATE KEY-----\nnot a key\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--port", "70000"], "out of range"),
        (["--idle-timeout", "soon"], "not a duration"),
        (["--max-sessions", "0"], "at least 1"),
        (["--spares", "1"], "unrecognized arguments"),
        (["--no-zygote"], "unrecognized arguments"),
    ],
)
def test_bad_options_are_usage_errors(args: list[str], message: str) -> None:
    argv = [sys.executable, "-m", "stargate_tui", "serve", "ssh", *args]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert message in result.stderr


# ---------------------------------------------------------------------------------------------
# read-only for real: every palette command in a served session writes nothing


def every_file(*roots: Path) -> set[Path]:
    return {path for root in roots for path in root.rglob("*")}


async def wait_off_screen(term: Terminal, text: str, timeout: float = 15.0) -> None:
    async with asyncio.timeout(timeout):
        while text in term.text():
            term.changed.clear()
            await term.changed.wait()


async def wait_on_screen(term: Terminal, text: str, timeout: float = 15.0) -> None:
    """`text` on the screen now (not anywhere in the output so far, as `wait_for` accepts)."""
    try:
        async with asyncio.timeout(timeout):
            while text not in term.text():
                term.changed.clear()
                await term.changed.wait()
    except TimeoutError:
        raise AssertionError(f"{text!r} not on the screen:\n{term.text()}") from None


async def choose_in_palette(chan: asyncssh.SSHClientChannel[bytes], term: Terminal, text: str) -> None:
    """ctrl+p, type `text`, enter. A palette opened while the explorer is still busy with the last
    command can drop every key typed into it (the explorer's, not the server's: see the report of
    this change); then escape and open it again."""
    for _ in range(5):
        chan.write(b"\x10")  # ctrl+p
        await wait_on_screen(term, "enter · escape")
        await asyncio.sleep(0.2)
        chan.write(text.encode())
        try:
            await wait_on_screen(term, f"▊  {text}", timeout=3)
        except AssertionError:
            chan.write(b"\x1b")
            await wait_off_screen(term, "enter · escape")
            continue
        chan.write(b"\r")
        return
    raise AssertionError(f"{text!r} never reached the palette:\n{term.text()}")


async def test_every_palette_command_writes_nothing(tmp_path: Path) -> None:
    """A served session whose server runs with a home (an empty Downloads) and a working directory of
    its own: ctrl+p, then every command the palette lists, typed and chosen, in English and in
    French; neither directory gains a file, and the session's home is one where nothing can be made."""
    from stargate_tui.app import StargateApp
    from stargate_tui.loader import load_pack
    from stargate_tui.ui.commands import commands

    home, work = tmp_path / "home", tmp_path / "work"
    (home / "Downloads").mkdir(parents=True)
    work.mkdir()
    before = every_file(home, work)
    pack = load_pack()
    themes = sorted(StargateApp(pack).available_themes)
    english = [c for c in commands(pack, "en", themes) if not c.id.startswith("record:")]
    french = [c for c in commands(pack, "fr", themes) if not c.id.startswith(("record:", "theme:"))]
    first_record = next(c for c in commands(pack, "en", themes) if c.id.startswith("record:"))
    by_id = {c.id: c for c in english}
    plan = [
        *(c for c in english if c.id not in ("lang:fr", "quit")),
        first_record,
        by_id["lang:fr"],
        *(c for c in french if c.id not in ("quit", "lang:en")),
        next(c for c in french if c.id == "quit"),
    ]
    env = {"HOME": str(home), "XDG_CONFIG_HOME": "", "XDG_DATA_HOME": "", "XDG_DOWNLOAD_DIR": ""}
    with running(tmp_path / "server", env=env, cwd=work) as srv:
        async with session(srv.port, cols=100, rows=30) as (chan, term):
            await term.wait_for(READY)
            pid = srv.session_pids()[-1]
            # the session's own view of its environment, logged once set up
            srv.wait_log(
                rf"session child {pid}: environment \[.*'XDG_DOWNLOAD_DIR'.*\], HOME='/dev/null', cwd='/'"
            )
            with pytest.raises(NotADirectoryError):  # nothing can be made under it, not even by root
                Path("/dev/null", "Downloads").mkdir()
            assert os.readlink(f"/proc/{pid}/cwd") == "/"
            for command in plan:
                await choose_in_palette(chan, term, command.title)
                if command.id == "quit":
                    break
                await wait_off_screen(term, "enter · escape")  # the palette closed: the command runs
                if command.id == "help":
                    title = "Help — keys" if command.text == "Help" else "Aide — touches"
                    await wait_on_screen(term, title)
                    chan.write(b"?")  # closes the help
                    await wait_off_screen(term, title)
                elif command.id == "pane:money":
                    chart = "Amounts compared" if command.text.startswith("Pane") else "Montants comparés"
                    await wait_on_screen(term, chart)
                elif command.id.startswith("lang:"):
                    await wait_on_screen(term, "1 Aperçu" if command.id == "lang:fr" else "1 Overview")
            assert await term.wait_closed() == 0
        assert await wait_gone([pid]) == []
    assert every_file(home, work) == before
    assert list((home / "Downloads").iterdir()) == []
