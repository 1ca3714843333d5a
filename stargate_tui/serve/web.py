"""`stargate-tui serve web`: the explorer in a browser tab, through textual-serve's public surface.

textual-serve's `AppService` runs one explorer per browser session and relays it over a websocket.
It starts its command through `/bin/sh -c`; ours is `exec python -m stargate_tui.serve.webapp ...`
(arguments quoted with shlex.join), so the shell replaces itself with the explorer at once and the
process textual-serve holds is the explorer. `webapp.py` makes that process the leader of its own
session and process group.

This module uses `Server`'s handlers and `AppService`'s public methods, builds the aiohttp
application itself (a page and a websocket, no download route, no directory listing), relays the
browser's messages itself (validated, sizes clamped), and hardens the page:

- loopback by default, a warning when bound elsewhere;
- the Host header checked (defeats DNS rebinding), the websocket's Origin must be this same host:port;
- a cap on concurrent sessions ("server full" before any process starts), an idle timeout;
- a page that references no other host and a Content-Security-Policy that only allows this origin.

`/?accessible=1` serves the accessible mode instead (`accessible.py`), which textual-serve cannot
carry: a small page of its own (a `role="log"` region, a labelled input, one script of ours; the
strictest CSP) whose commands go over a websocket to a `Session` run in this process, one per tab,
with bounded messages, an idle timeout, and its state dropped when the tab's websocket closes.

One private contact remains, in `session_process`: textual-serve does not expose the process it
starts, and ending a session for sure (its process group: SIGTERM, then SIGKILL after a grace) when
the tab closes, the websocket drops, the idle timeout fires or the server stops needs its pid.
`AppService.stop()` only asks the app to quit and waits for it forever. tests/test_serve_web.py
checks that contact.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import os
import shlex
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .session import clamp_size, spoken_duration

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from ..pack import FactPack

log = logging.getLogger("stargate_tui.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
ACCESSIBLE_STATIC = Path(__file__).resolve().parent / "accessible_static"
#: One command of the accessible mode (the mode reads 1000 characters of it); the websocket's limit.
ACCESSIBLE_MAX_MESSAGE = 4096
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_MESSAGE = 64 * 1024
QUIT_GRACE = 2.0  # after the app is asked to quit, before SIGTERM
KILL_GRACE = 3.0  # after SIGTERM, before SIGKILL


@dataclass(frozen=True)
class WebOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    max_sessions: int = 10
    allowed_hosts: tuple[str, ...] = ()
    content: str = ""
    lang: str = "en"
    title: str = "stargate-tui"
    idle_timeout: float = 15 * 60.0


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::", "[::]")


def split_host(value: str) -> tuple[str, int | None]:
    """`name:port`, `[v6]:port`, or a bare name → (lower-case name without brackets, port or None)."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif value.count(":") == 1:
        name, _, port = value.partition(":")
    else:
        name, port = value, ""
    return name, (int(port) if port.isdigit() else None)


def session_command(options: WebOptions) -> str:
    """The shell command textual-serve runs: `exec` the explorer, every argument quoted."""
    argv = [sys.executable, "-m", "stargate_tui.serve.webapp", "--content", options.content]
    return "exec " + shlex.join([*argv, "--lang", options.lang])


def session_process(app_service: AppService) -> asyncio.subprocess.Process | None:
    """The explorer process of a started session (textual-serve keeps it in a private attribute)."""
    process = getattr(app_service, "_process", None)
    return process if isinstance(process, asyncio.subprocess.Process) else None


async def end_session(app_service: AppService) -> None:
    """Ask the app to quit; then SIGTERM its process group, then SIGKILL: nothing outlives a session."""
    process = session_process(app_service)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(app_service.stop(), QUIT_GRACE)
    if process is None:
        return
    for sig, grace in ((signal.SIGTERM, KILL_GRACE), (signal.SIGKILL, KILL_GRACE)):
        if process.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:  # not yet the leader of its own group
                process.send_signal(sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(process.wait(), grace)


class StargateWebServer(Server):
    """textual-serve's Server with an Origin/Host check, a session cap and a self-contained page."""

    def __init__(self, options: WebOptions, pack: FactPack | None = None) -> None:
        super().__init__(
            session_command(options),
            host=options.host,
            port=options.port,
            title=options.title,
            templates_path=TEMPLATES,
        )
        self.options = options
        self.pack = pack  # for the accessible mode, run in this process; loaded when first needed
        self.sockets: set[web.WebSocketResponse] = set()
        self.sessions: set[asyncio.Task[None]] = set()

    def application(self) -> web.Application:
        """The page, its static files (no listing) and the websocket: nothing else."""
        app = web.Application(client_max_size=64 * 1024)
        aiohttp_jinja2.setup(
            app,
            loader=jinja2.FileSystemLoader(self.templates_path),
            autoescape=jinja2.select_autoescape(["html"]),
        )
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/ws/accessible", self.handle_accessible_websocket, name="accessible-websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
                web.static("/accessible", ACCESSIBLE_STATIC, show_index=False, name="accessible-static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")
        if self.sessions:
            await asyncio.wait(self.sessions, timeout=QUIT_GRACE + 2 * KILL_GRACE + 1)

    # -- checks --------------------------------------------------------------------------------

    def host_allowed(self, host_header: str) -> bool:
        """Is the Host header one this server answers to (DNS rebinding defence)?"""
        name, port = split_host(host_header)
        for allowed in self.options.allowed_hosts:
            allowed_name, allowed_port = split_host(allowed)
            if name == allowed_name and (allowed_port is None or allowed_port == port):
                return True
        if port != self.port:
            return False
        bound = self.options.host.strip("[]").lower()
        if is_wildcard(self.options.host):
            return not self.options.allowed_hosts or name in LOOPBACK_NAMES
        if is_loopback(bound):
            return name in LOOPBACK_NAMES
        return name == bound

    def origin_allowed(self, request: web.Request) -> bool:
        """The websocket must be opened by a page of this very server (same host:port)."""
        origin = request.headers.get("Origin")
        if not origin:
            return False
        parts = urlsplit(origin)
        return parts.scheme in ("http", "https") and parts.netloc.lower() == request.host.lower()

    # -- handlers ------------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request.host):
            log.warning("refused page for Host %r from %s", request.host, request.remote)
            raise web.HTTPForbidden(text="unknown host name\n")
        if len(self.sessions) >= self.options.max_sessions:
            raise web.HTTPServiceUnavailable(text="server full, try again later\n")
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        ws_url = f"{'wss' if secure else 'ws'}://{request.host}/ws"
        if request.query.get("accessible", "0") not in ("", "0"):
            return self.accessible_page(request, f"{ws_url}/accessible")
        font_size = max(8, min(40, _to_int(request.query.get("fontsize", "16"), 16)))
        context = {
            "font_size": font_size,
            "app_websocket_url": ws_url,
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
            "ping_url": "",
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers.update(
            {
                "Content-Security-Policy": (
                    f"default-src 'self'; connect-src 'self' {ws_url}; img-src 'self' data:; "
                    "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
                    "font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                ),
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-store",
            }
        )
        return response

    def accessible_page(self, request: web.Request, ws_url: str) -> web.StreamResponse:
        """The accessible mode's page: no asset but our own script and style sheet, no inline code."""
        lang = request.query.get("lang")
        lang = lang if lang in ("en", "fr") else self.options.lang
        context = {"lang": lang, "title": self.options.title, "websocket_url": ws_url}
        response = aiohttp_jinja2.render_template("accessible.html", request, context)
        response.headers.update(
            {
                "Content-Security-Policy": (
                    f"default-src 'none'; connect-src {ws_url}; script-src 'self'; style-src 'self'; "
                    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                ),
                "X-Frame-Options": "DENY",
                "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer",
                "Cache-Control": "no-store",
            }
        )
        return response

    def admit_websocket(self, request: web.Request, peer: str) -> None:
        """Raise the HTTP refusal for a websocket from another origin, or beyond the session cap."""
        if not self.host_allowed(request.host) or not self.origin_allowed(request):
            origin = request.headers.get("Origin")
            log.warning("refused websocket from %s: Host %r Origin %r", peer, request.host, origin)
            raise web.HTTPForbidden(text="forbidden origin\n")
        if len(self.sessions) >= self.options.max_sessions:
            log.warning("refused websocket from %s: server full (%d sessions)", peer, len(self.sessions))
            raise web.HTTPServiceUnavailable(text="server full, try again later\n")

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self.websocket_session(request, MAX_MESSAGE, self.run_session)

    async def handle_accessible_websocket(self, request: web.Request) -> web.WebSocketResponse:
        return await self.websocket_session(request, ACCESSIBLE_MAX_MESSAGE, self.run_accessible)

    async def websocket_session(
        self,
        request: web.Request,
        max_message: int,
        run: Callable[[web.WebSocketResponse, web.Request, str], Awaitable[None]],
    ) -> web.WebSocketResponse:
        """A visitor's websocket, admitted and counted as a session while `run` serves it."""
        peer = str(request.remote)
        self.admit_websocket(request, peer)
        task = asyncio.current_task()
        assert task is not None
        self.sessions.add(task)
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=max_message)
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            await run(websocket, request, peer)
        finally:
            self.sockets.discard(websocket)
            self.sessions.discard(task)
        return websocket

    async def run_accessible(self, websocket: web.WebSocketResponse, request: web.Request, peer: str) -> None:
        """One tab of the accessible mode: each text message is a command, answered by
        `{"lines": [...]}` (plain text: the page shows it as text, never as HTML)."""
        from ..accessible import Session
        from ..views import PANES

        if self.pack is None:
            from ..loader import load_pack

            self.pack = load_pack(self.options.content, cache=True)
        pack = self.pack
        started = time.monotonic()
        query = request.query
        lang = query.get("lang") if query.get("lang") in ("en", "fr") else self.options.lang
        pane = query.get("pane") if query.get("pane") in PANES else None
        open_id = query.get("open") if query.get("open", "") in pack.records else None
        lines: list[str] = []
        session = Session(pack, lines.append, lang=lang or "en")
        log.info("accessible session from %s started", peer)
        reason = "the tab closed"
        try:
            session.start(pane=pane, open_id=open_id)
            await websocket.send_json({"lines": lines})
            last_input = time.monotonic()
            while True:
                remaining = last_input + self.options.idle_timeout - time.monotonic()
                if remaining <= 0:
                    reason = "idle timeout"
                    idle = f"no input for {spoken_duration(self.options.idle_timeout)}"
                    await websocket.send_json({"lines": [f"stargate-tui: session closed: {idle}"]})
                    await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"idle timeout")
                    break
                try:
                    message = await websocket.receive(timeout=remaining)
                except TimeoutError:
                    continue
                if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                    break
                if message.type != WSMsgType.TEXT:
                    continue
                last_input = time.monotonic()
                lines.clear()
                going_on = session.handle(message.data)
                await websocket.send_json({"lines": lines})
                if not going_on:
                    reason = "quit"
                    await websocket.close(code=WSCloseCode.OK, message=b"quit")
                    break
        except (ConnectionError, RuntimeError) as exc:  # the tab went away while an answer was sent
            reason = f"{type(exc).__name__}: {exc}"
        finally:
            log.info(
                "accessible session from %s ended after %.1f s (%s)", peer, time.monotonic() - started, reason
            )

    async def run_session(self, websocket: web.WebSocketResponse, request: web.Request, peer: str) -> None:
        started = time.monotonic()
        size = clamp_size(_to_int(request.query.get("width"), 80), _to_int(request.query.get("height"), 24))

        async def close() -> None:
            await websocket.close()

        app_service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
        )
        reason = "the tab closed"
        try:
            await app_service.start(*size)
            process = session_process(app_service)
            log.info("web session from %s: pid %s", peer, process.pid if process else "-")
            if await relay(websocket, app_service, self.options.idle_timeout):
                reason = "idle timeout"
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"idle timeout")
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}"
            log.warning("web session from %s failed: %s", peer, reason)
        finally:
            await asyncio.shield(end_session(app_service))
            log.info("web session from %s ended after %.1f s (%s)", peer, time.monotonic() - started, reason)


async def relay(websocket: web.WebSocketResponse, app_service: AppService, idle_timeout: float) -> bool:
    """Browser → app until the websocket closes (False) or stays without input too long (True).

    Malformed messages are ignored and sizes clamped; only keys and resizes count as input."""
    last_input = time.monotonic()
    while True:
        remaining = last_input + idle_timeout - time.monotonic()
        if remaining <= 0:
            return True
        try:
            message = await websocket.receive(timeout=remaining)
        except TimeoutError:
            continue
        if message.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
            return False
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            last_input = time.monotonic()
            await app_service.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = data.get("width"), data.get("height")
            if isinstance(width, int) and isinstance(height, int):
                last_input = time.monotonic()
                await app_service.set_terminal_size(*clamp_size(width, height))
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data[:32]])
        elif kind == "blur":
            await app_service.blur()
        elif kind == "focus":
            await app_service.focus()


def _to_int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def _serve(options: WebOptions, pack: FactPack | None = None) -> int:
    server = StargateWebServer(options, pack)
    runner = web.AppRunner(server.application(), handle_signals=False, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    site = web.TCPSite(runner, options.host or None, options.port, reuse_address=True)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        where = f"cannot listen on {_address(options.host, options.port)}"
        print(f"stargate-tui: serve web: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    sockets = runner.addresses
    port = int(sockets[0][1]) if sockets else options.port
    server.port = port
    server.public_url = f"http://{_address(options.host, port)}"
    if not is_loopback(options.host):
        print(
            f"stargate-tui: serve web: warning: listening on {options.host!r}, reachable from other "
            "machines; the page is plain HTTP (put it behind a TLS reverse proxy and use --allow-host)",
            file=sys.stderr,
        )
    print(f"listening on {_address(options.host, port)}", flush=True)
    log.info("serving the explorer at %s (at most %d sessions)", server.public_url, options.max_sessions)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("shutting down: %d sessions", len(server.sessions))
    await runner.cleanup()  # on_shutdown closes every websocket; each session then ends its process
    log.info("stopped")
    return 0


def serve_web(options: WebOptions, pack: FactPack | None = None) -> int:
    """Serve until SIGTERM/SIGINT/SIGHUP; `pack` (already loaded from `options.content`) serves the
    accessible mode, which runs in this process."""
    return asyncio.run(_serve(options, pack))
