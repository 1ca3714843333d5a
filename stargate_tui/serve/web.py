"""`stargate-tui serve web`: the explorer in a browser tab, through textual-serve.

textual-serve runs one explorer process per browser session (`python -m stargate_tui.serve.webapp`,
the Textual web driver on pipes) and relays it over a websocket. This subclass hardens it:

- loopback by default, a warning when bound elsewhere;
- the Host header checked (defeats DNS rebinding), the websocket's Origin must be this same host:port;
- a cap on concurrent sessions ("server full" before any process starts);
- a page that references no other host: textual-serve's template loads a Google font; ours serves the
  font bundled with textual-serve, and every URL in the page is relative to the server itself;
- client messages validated (sizes clamped, malformed messages ignored), no download route, no
  directory listings, a Content-Security-Policy that only allows this origin.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import shlex
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .session import clamp_size

log = logging.getLogger("stargate_tui.serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
MAX_MESSAGE = 64 * 1024


@dataclass(frozen=True)
class WebOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    max_sessions: int = 10
    allowed_hosts: tuple[str, ...] = ()
    content: str = ""
    lang: str = "en"
    title: str = "stargate-tui"


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
    argv = [sys.executable, "-m", "stargate_tui.serve.webapp", "--content", options.content]
    return shlex.join([*argv, "--lang", options.lang])


class StargateWebServer(Server):
    """textual-serve's Server with an Origin/Host check, a session cap and a self-contained page."""

    def __init__(self, options: WebOptions) -> None:
        super().__init__(
            session_command(options),
            host=options.host,
            port=options.port,
            title=options.title,
            templates_path=TEMPLATES,
        )
        self.options = options
        self.active = 0
        self.sockets: set[web.WebSocketResponse] = set()
        self.services: set[AppService] = set()

    # -- textual-serve hooks -------------------------------------------------------------------

    def initialize_logging(self) -> None:
        """Logging is set up by the CLI (plain lines on stderr)."""

    async def on_startup(self, app: web.Application) -> None:
        """No banner: the CLI prints the address."""

    async def on_shutdown(self, app: web.Application) -> None:
        for websocket in list(self.sockets):
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server shutting down")

    async def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024)
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
        app.add_routes(
            [
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

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

    def _peer(self, request: web.Request) -> str:
        return str(request.remote)

    # -- handlers ------------------------------------------------------------------------------

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if not self.host_allowed(request.host):
            log.warning("refused page for Host %r from %s", request.host, self._peer(request))
            raise web.HTTPForbidden(text="unknown host name\n")
        if self.active >= self.options.max_sessions:
            raise web.HTTPServiceUnavailable(text="server full, try again later\n")
        secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
        ws_url = f"{'wss' if secure else 'ws'}://{request.host}/ws"
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

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        peer = self._peer(request)
        if not self.host_allowed(request.host) or not self.origin_allowed(request):
            log.warning(
                "refused websocket from %s: Host %r Origin %r",
                peer,
                request.host,
                request.headers.get("Origin"),
            )
            raise web.HTTPForbidden(text="forbidden origin\n")
        if self.active >= self.options.max_sessions:
            log.warning("refused websocket from %s: server full (%d sessions)", peer, self.active)
            raise web.HTTPServiceUnavailable(text="server full, try again later\n")
        width, height = clamp_size(
            _to_int(request.query.get("width", "80"), 80), _to_int(request.query.get("height", "24"), 24)
        )
        self.active += 1
        started = time.monotonic()
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)
        app_service: AppService | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            log.info("web session from %s (%d active)", peer, self.active)
            app_service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=_closer(websocket),
                download_manager=self.download_manager,
                debug=False,
            )
            self.services.add(app_service)
            await app_service.start(width, height)
            process = app_service._process
            log.info("web session from %s: pid %s", peer, process.pid if process else "-")
            await self._process_messages(websocket, app_service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:
            log.exception("web session from %s failed", peer)
        finally:
            if app_service is not None:
                await _stop_service(app_service)
                self.services.discard(app_service)
            self.sockets.discard(websocket)
            self.active -= 1
            log.info("web session from %s ended after %.1f s", peer, time.monotonic() - started)
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """Client messages, validated: anything malformed is ignored, sizes are clamped."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
            except ValueError:
                continue
            if not isinstance(envelope, list) or not envelope:
                continue
            kind = envelope[0]
            data = envelope[1] if len(envelope) > 1 else None
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                width, height = data.get("width"), data.get("height")
                if isinstance(width, int) and isinstance(height, int):
                    await app_service.set_terminal_size(*clamp_size(width, height))
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data[:32]])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()


async def _stop_service(app_service: AppService) -> None:
    """Ask the app to quit; if its process is still there after a moment, kill it."""
    with contextlib.suppress(Exception):
        await asyncio.wait_for(app_service.stop(), 5.0)
    process = app_service._process
    if process is not None and process.returncode is None:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(process.wait(), 5.0)


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        await websocket.close()

    return close


def _to_int(value: str, default: int) -> int:
    try:
        return int(value)
    except ValueError:
        return default


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


async def _serve(options: WebOptions) -> int:
    server = StargateWebServer(options)
    app = await server._make_app()
    runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    site = web.TCPSite(runner, options.host or None, options.port, reuse_address=True)
    try:
        await site.start()
    except OSError as exc:
        await runner.cleanup()
        print(
            f"stargate-tui: serve web: cannot listen on {_address(options.host, options.port)}: "
            f"{exc.strerror or exc}",
            file=sys.stderr,
        )
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
    log.info("shutting down: %d sessions", server.active)
    await runner.cleanup()
    for service in list(server.services):
        await _stop_service(service)
    log.info("stopped")
    return 0


def serve_web(options: WebOptions) -> int:
    return asyncio.run(_serve(options))
