"""`serve web` end to end on 127.0.0.1 (port 0): the page is self-contained, the websocket runs the
explorer for a same-origin page only, the session cap holds, and no explorer outlives its websocket
(closed, dropped without a close frame, idle) or the server.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pyte
import pytest
from serving import ServerProcess, alive
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from stargate_tui.serve.web import WebOptions, end_session, session_command, session_process

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc: Linux"),
]

URL = re.compile(r"""(?:https?|wss?)://[^\s"'<>)]+""")
SESSION_PID = re.compile(r"web session from \S+: pid (\d+)")


class WebServer(ServerProcess):
    grace = 20.0

    def __init__(self, tmp: Path, *args: str) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        super().__init__(
            [sys.executable, "-m", "stargate_tui", "serve", "web", "--port", "0", *args], tmp / "web.log"
        )

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def running(tmp: Path, *args: str) -> WebServer:
    return WebServer(tmp, *args)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebServer]:
    with running(tmp_path_factory.mktemp("web"), "--max-sessions", "2") as server:
        yield server


async def read_screen(ws: aiohttp.ClientWebSocketResponse, needle: str, timeout: float = 20.0) -> pyte.Screen:
    """Feed the session's output into a terminal until `needle` is on it."""
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    async with asyncio.timeout(timeout):
        while needle not in "\n".join(screen.display):
            message = await ws.receive()
            if message.type == aiohttp.WSMsgType.BINARY:
                stream.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise AssertionError(f"closed before {needle!r}:\n" + "\n".join(screen.display))
    return screen


async def test_the_page_references_no_other_host(web: WebServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(web.origin + "/") as response:
            assert response.status == 200
            assert response.content_type == "text/html"
            page = await response.text()
            csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "googleapis" not in page
        assert [
            url for url in URL.findall(page) if not url.startswith(("http://127.0.0.1", "ws://127.0.0.1"))
        ] == []
        assert f'data-session-websocket-url="ws://127.0.0.1:{web.port}/ws"' in page
        # every asset the page names is served from here
        assets = re.findall(r"""(?:href|src)=["'](/static/[^"']+)["']|url\(["']?(/static/[^"')]+)""", page)
        paths = {a or b for a, b in assets}
        assert {"/static/js/textual.js", "/static/css/xterm.css"} <= paths
        assert any(p.endswith(".ttf") for p in paths)
        for path in paths:
            async with http.get(web.origin + path) as asset:
                assert asset.status == 200, path
        async with http.get(web.origin + "/static/") as listing:
            assert listing.status in (403, 404)


async def test_a_foreign_host_name_is_refused(web: WebServer) -> None:
    """DNS rebinding: a page reached through another name must not be served."""
    headers = {"Host": f"attacker.example:{web.port}"}
    async with aiohttp.ClientSession() as http, http.get(web.origin + "/", headers=headers) as response:
        assert response.status == 403


async def test_the_websocket_runs_the_explorer_for_a_same_origin_page(web: WebServer) -> None:
    async with aiohttp.ClientSession() as http:
        url = f"{web.origin}/ws?width=100&height=30"
        async with http.ws_connect(url, headers={"Origin": web.origin}) as ws:
            await read_screen(ws, "Overview")
            pid = int(re.findall(SESSION_PID, web.log())[-1])
            assert alive(pid)
            await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
            await ws.send_str("not json")  # ignored
            await ws.send_str(json.dumps(["resize", {"width": 10**9, "height": -5}]))  # clamped
            await ws.send_str(json.dumps(["stdin", "q"]))
            async with asyncio.timeout(20):
                while (await ws.receive()).type == aiohttp.WSMsgType.BINARY:
                    pass
        deadline = time.monotonic() + 10
        while alive(pid) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert not alive(pid)


@pytest.mark.parametrize(
    "origin",
    ["http://attacker.example", "http://127.0.0.1:1", "null", "file://", None],
)
async def test_a_foreign_origin_is_refused(web: WebServer, origin: str | None) -> None:
    headers = {"Origin": origin} if origin is not None else {}
    async with aiohttp.ClientSession() as http:
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(f"{web.origin}/ws", headers=headers)
        assert refused.value.status == 403


async def test_session_cap(tmp_path: Path) -> None:
    with running(tmp_path, "--max-sessions", "1") as server:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{server.origin}/ws", headers={"Origin": server.origin}) as ws,
        ):
            await read_screen(ws, "Overview")
            with pytest.raises(aiohttp.WSServerHandshakeError) as full:
                await http.ws_connect(f"{server.origin}/ws", headers={"Origin": server.origin})
            assert full.value.status == 503
            async with http.get(server.origin + "/") as page:
                assert page.status == 503
                assert "server full" in await page.text()
            pid = int(re.findall(SESSION_PID, server.log())[-1])
            # SIGTERM with a session open: the server ends it and exits cleanly
            server.proc.send_signal(signal.SIGTERM)
            assert await asyncio.to_thread(server.proc.wait, 20) == 0
        assert not alive(pid)
        assert "Traceback" not in server.log()


def test_binding_beyond_loopback_warns(tmp_path: Path) -> None:
    server = WebServer(tmp_path, "--host", "0.0.0.0")
    try:
        assert server.proc.stdout is not None
        line = server.proc.stdout.readline().decode()
        assert line.startswith("listening on 0.0.0.0:")
    finally:
        server.stop()
    assert "warning: listening on '0.0.0.0', reachable from other machines" in server.log()


def session_pid(server: WebServer, timeout: float = 20.0) -> int:
    return int(server.wait_log(SESSION_PID.pattern, timeout).group(1))


async def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return not alive(pid)


def open_raw_websocket(server: WebServer) -> socket.socket:
    """A websocket handshake by hand, so that the client can vanish without a close frame."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall(
        (
            f"GET /ws?width=80&height=24 HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n"
            f"Origin: {server.origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    received = b""
    deadline = time.monotonic() + 20
    while b"Overview" not in received and time.monotonic() < deadline:
        received += sock.recv(65536)
    assert received.startswith(b"HTTP/1.1 101"), received[:200]
    assert b"Overview" in received
    return sock


@pytest.mark.parametrize("stopped", [False, True], ids=["running", "stopped-app"])
async def test_an_explorer_dies_with_a_dropped_websocket(tmp_path: Path, stopped: bool) -> None:
    """The client vanishes (TCP reset, no close frame). The explorer is ended even when it cannot
    answer (stopped with SIGSTOP, as a busy or hung app): SIGTERM to its group, then SIGKILL."""
    with running(tmp_path) as server:
        sock = await asyncio.to_thread(open_raw_websocket, server)
        pid = session_pid(server)
        assert os.getpgid(pid) == pid  # the explorer leads its own process group
        assert Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[1:3] == [
            b"-m",
            b"stargate_tui.serve.webapp",
        ]
        if stopped:
            os.kill(pid, signal.SIGSTOP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\1\0\0\0\0\0\0\0")  # close → RST
        sock.close()
        assert await wait_gone(pid, 15.0)
        server.wait_log(r"web session from \S+ ended after")
    assert "Traceback" not in server.log()


async def test_an_idle_session_is_ended(tmp_path: Path) -> None:
    with running(tmp_path, "--idle-timeout", "2s") as server:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{server.origin}/ws", headers={"Origin": server.origin}) as ws,
        ):
            await read_screen(ws, "Overview")
            pid = session_pid(server)
            async with asyncio.timeout(15):
                while (await ws.receive()).type not in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    pass
        assert await wait_gone(pid, 10.0)
        server.wait_log(r"ended after [\d.]+ s \(idle timeout\)")


async def test_the_session_process_is_the_explorer_itself() -> None:
    """The one contact with textual-serve's internals: the process its AppService started. The
    command `exec`s, so that process is the program itself, not a shell in front of it."""
    closed = asyncio.Event()

    async def ignore(data: object) -> None:
        return None

    async def close() -> None:
        closed.set()

    command = session_command(WebOptions(content="/no/such/pack"))
    assert command.startswith("exec ") and "stargate_tui.serve.webapp" in command
    service = AppService(
        "exec sleep 60", write_bytes=ignore, write_str=ignore, close=close, download_manager=DownloadManager()
    )
    await service.start(80, 24)
    process = session_process(service)
    assert process is not None
    cmdline = Path(f"/proc/{process.pid}/cmdline")
    async with asyncio.timeout(5):  # the shell execs: same pid, then the program's own command line
        while cmdline.read_bytes().split(b"\0")[0] != b"sleep":
            await asyncio.sleep(0.01)
    await end_session(service)  # sleep ignores the quit request: SIGTERM ends it
    assert process.returncode == -signal.SIGTERM


async def test_sigkill_of_the_server_ends_its_explorers(tmp_path: Path) -> None:
    server = running(tmp_path)
    try:
        server.wait_listening()
        sock = await asyncio.to_thread(open_raw_websocket, server)
        pid = session_pid(server)
        server.proc.kill()  # no shutdown at all: the explorer's parent-death signal ends it
        assert await wait_gone(pid, 10.0)
        sock.close()
    finally:
        server.stop()


def test_no_class_overrides_a_private_member_of_its_library_base() -> None:
    """Public API only: the server classes override public hooks of asyncssh and textual-serve."""
    from stargate_tui.serve.ssh import Gate
    from stargate_tui.serve.web import StargateWebServer

    for cls in (Gate, StargateWebServer):
        own = {name for name in vars(cls) if name.startswith("_") and not name.startswith("__")}
        inherited = {name for base in cls.__mro__[1:] for name in vars(base)}
        assert own & inherited == set(), cls


# ---------------------------------------------------------------------------------------------
# the accessible mode: `/?accessible=1`


async def test_the_accessible_page_is_self_contained_and_labelled(web: WebServer) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(web.origin + "/?accessible=1") as response:
            assert response.status == 200
            page = await response.text()
            csp = response.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert f"connect-src ws://127.0.0.1:{web.port}/ws/accessible" in csp
        assert 'role="log"' in page and 'aria-live="polite"' in page
        assert '<label for="command">Command</label>' in page and 'id="command"' in page
        assert "<script>" not in page and "xterm" not in page
        assert [url for url in URL.findall(page) if not url.startswith("ws://127.0.0.1")] == []
        for path in ("/accessible/accessible.js", "/accessible/accessible.css"):
            async with http.get(web.origin + path) as asset:
                assert asset.status == 200, path
        async with http.get(web.origin + "/accessible/") as listing:
            assert listing.status in (403, 404)
        async with http.get(web.origin + "/?accessible=1&lang=fr") as response:
            assert '<label for="command">Commande</label>' in await response.text()


async def answer(ws: aiohttp.ClientWebSocketResponse, command: str | None = None) -> list[str]:
    if command is not None:
        await ws.send_str(command)
    async with asyncio.timeout(10):
        message = await ws.receive()
    assert message.type == aiohttp.WSMsgType.TEXT, message
    lines: list[str] = json.loads(message.data)["lines"]
    assert all(isinstance(line, str) for line in lines)
    return lines


async def test_the_accessible_mode_answers_commands(web: WebServer) -> None:
    from stargate_tui.accessible import citation_words
    from stargate_tui.loader import load_pack
    from stargate_tui.views import citation, pane_records

    pack = load_pack()
    record = pane_records(pack, "money")[0]
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{web.origin}/ws/accessible", headers={"Origin": web.origin}) as ws,
    ):
        welcome = await answer(ws)
        assert welcome[0].endswith("Accessible mode. Type help for the commands, quit to leave.")
        assert "Panes, 8:" in welcome
        money = await answer(ws, "money")
        assert money[0] == "Money pane, 8 items."
        opened = await answer(ws, "1")
        assert f"Source: {citation_words(record, 'en')[0]}" in opened
        assert opened[-1] == "Item 1 of 8 in Money."
        [unknown] = await answer(ws, "<b>" + "x" * 3000)  # a long line, cut; said as text
        assert unknown.startswith("Unknown command: <b>xxx") and len(unknown) < 120
        assert await answer(ws, "copy clipboard") == [  # no OSC 52: the page is not a terminal
            f"Citation: {citation(record, pack, 'en')}",
            "Output is not a terminal, so nothing was sent to a clipboard.",
        ]
        assert await answer(ws, "quit") == ["Goodbye."]
        async with asyncio.timeout(10):
            assert (await ws.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
    web.wait_log(r"accessible session from \S+ ended after [\d.]+ s \(quit\)")
    assert "Traceback" not in web.log()


async def test_the_accessible_mode_deep_link_limits_and_origin(web: WebServer) -> None:
    headers = {"Origin": web.origin}
    async with aiohttp.ClientSession() as http:
        url = f"{web.origin}/ws/accessible?open=abilene&lang=fr"
        async with http.ws_connect(url, headers=headers) as ws:
            lines = await answer(ws)
            assert lines[0].endswith("Mode accessible. Tapez aide pour les commandes, quitter pour sortir.")
            assert lines[1].startswith("Abilene")
            await ws.send_str("x" * 10_000)  # beyond the message limit: the tab's session is closed
            async with asyncio.timeout(10):
                closing = await ws.receive()
            assert closing.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(
                f"{web.origin}/ws/accessible", headers={"Origin": "http://attacker.example"}
            )
        assert refused.value.status == 403
    web.wait_log(r"accessible session from \S+ ended after")
    assert "Traceback" not in web.log()


async def test_an_idle_accessible_session_is_ended(tmp_path: Path) -> None:
    with running(tmp_path, "--idle-timeout", "2s") as server:
        async with (
            aiohttp.ClientSession() as http,
            http.ws_connect(f"{server.origin}/ws/accessible", headers={"Origin": server.origin}) as ws,
        ):
            await answer(ws)
            assert await answer(ws) == ["stargate-tui: session closed: no input for 2 s"]
            async with asyncio.timeout(10):
                assert (await ws.receive()).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        server.wait_log(r"accessible session from \S+ ended after [\d.]+ s \(idle timeout\)")
