"""`stargate-tui serve ssh|web`: argument parsing, loading the pack, and starting a server.

Importing this module is cheap (argparse and the command line's parser): asyncssh, aiohttp and
textual-serve are imported when a server actually starts. Exit status: 0 after a clean shutdown
(SIGTERM/SIGINT), 1 for a failure that is not the content's fault (port in use, unusable host key or
authorized keys file), 2 for invalid content or usage.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from pathlib import Path
from typing import Any

from ..commandline import bounded_int

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2
_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(s|m|min|h)?")
_UNITS = {None: 1.0, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0}


def duration(text: str) -> float:
    """`90`, `90s`, `15m`, `2h` → seconds."""
    match = _DURATION.fullmatch(text.strip())
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 30s, 15m, 2h)")
    return float(match.group(1)) * _UNITS[match.group(2)]


positive = bounded_int(1)
port_number = bounded_int(0, 65535, what="port number", hint="; 0 picks a free port")


def _common(parser: argparse.ArgumentParser) -> None:
    # SUPPRESS: a value given before the command (`stargate-tui --content DIR serve ssh`) still counts
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help="fact pack directory (default: $STARGATE_TUI_CONTENT or the embedded Stargate pack)",
    )
    parser.add_argument(
        "--lang", choices=("en", "fr"), default=argparse.SUPPRESS, help="language of the explorer"
    )
    parser.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="info",
        help="what goes to the log on stderr (default info: connections, sessions, refusals)",
    )


def add_serve_commands(serve: argparse.ArgumentParser) -> None:
    """The `ssh` and `web` commands under an existing `serve` parser."""
    protocols = serve.add_subparsers(dest="serve_command", metavar="PROTOCOL")
    ssh = protocols.add_parser(
        "ssh",
        help="serve the explorer over SSH (anonymous read-only by default)",
        description="Serve the read-only explorer over SSH: `ssh -p PORT HOST` opens it, "
        "`ssh -t -p PORT HOST money` or `... open RECORD_ID` opens a pane or a record, "
        "`ssh -p PORT HOST accessible` the accessible mode. One process per session, forked from a "
        "warm zygote. See docs/serving.md.",
    )
    ssh.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    ssh.add_argument("--port", type=port_number, default=2222, help="port (default 2222; 0 picks a free one)")
    ssh.add_argument(
        "--host-key",
        type=Path,
        metavar="FILE",
        default=None,
        help="host private key, created (ed25519, mode 0600) if missing "
        "(default $XDG_STATE_HOME/stargate-tui/ssh_host_ed25519_key)",
    )
    ssh.add_argument(
        "--authorized-keys",
        type=Path,
        metavar="FILE",
        default=None,
        help="only these public keys may connect (OpenSSH authorized_keys format); default: anyone",
    )
    ssh.add_argument(
        "--max-sessions", type=positive, default=20, metavar="N", help="connections at once (default 20)"
    )
    ssh.add_argument(
        "--rate-limit",
        type=positive,
        default=30,
        metavar="N",
        help="new connections per client address per minute (default 30)",
    )
    ssh.add_argument(
        "--login-timeout",
        type=duration,
        default=30.0,
        metavar="TIME",
        help="time to authenticate and open a session (default 30s)",
    )
    ssh.add_argument(
        "--idle-timeout",
        type=duration,
        default=15 * 60.0,
        metavar="TIME",
        help="close a session after this long without input (default 15m)",
    )
    ssh.add_argument(
        "--max-session-time",
        type=duration,
        default=4 * 3600.0,
        metavar="TIME",
        help="close any session after this long (default 4h)",
    )
    _common(ssh)

    web = protocols.add_parser(
        "web",
        help="serve the explorer to a browser tab (textual-serve)",
        description="Serve the explorer to web browsers: one explorer process per browser tab. "
        "Loopback only by default. See docs/serving.md.",
    )
    web.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    web.add_argument("--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)")
    web.add_argument(
        "--max-sessions", type=positive, default=10, metavar="N", help="browser sessions at once (default 10)"
    )
    web.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another host name (or name:port) the page may be reached by, e.g. behind a reverse "
        "proxy; repeatable",
    )
    web.add_argument(
        "--idle-timeout",
        type=duration,
        default=15 * 60.0,
        metavar="TIME",
        help="end a browser session after this long without input (default 15m)",
    )
    _common(web)


def add_serve_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add `serve` (with `ssh` and `web`) to the main CLI's subparsers; returns the `serve` parser."""
    serve = subparsers.add_parser(
        "serve",
        help="serve the explorer over SSH or to web browsers",
        description="Serve the read-only explorer to others: `serve ssh` or `serve web`.",
    )
    add_serve_commands(serve)
    serve.set_defaults(_serve_parser=serve)
    return serve  # type: ignore[no-any-return]


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        stream=sys.stderr,
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # asyncssh and aiohttp log every packet-level event at info; keep them to warnings unless debugging
    for noisy in ("asyncssh", "aiohttp.access", "textual-serve"):
        logging.getLogger(noisy).setLevel(logging.DEBUG if level == "debug" else logging.WARNING)


def _load(args: argparse.Namespace, command: str) -> Any:
    """The pack (validated here, so that a broken pack fails before listening), or an exit status."""
    from ..commandline import load_or_report

    return load_or_report(getattr(args, "content", None), command=command)


def cmd_serve_ssh(args: argparse.Namespace) -> int:
    import asyncio

    pack = _load(args, "serve ssh")
    if isinstance(pack, int):
        return pack
    _setup_logging(args.log_level)
    import asyncssh

    from .hostkey import HostKeyError, default_host_key_path, load_or_create_host_key
    from .ssh import SSHOptions, serve_ssh

    host_key_path = args.host_key or default_host_key_path()
    try:
        host_key = load_or_create_host_key(host_key_path)
    except HostKeyError as exc:
        print(f"stargate-tui: serve ssh: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    authorized = None
    if args.authorized_keys is not None:
        try:
            authorized = asyncssh.read_authorized_keys(str(args.authorized_keys))
        except (OSError, ValueError, asyncssh.KeyImportError) as exc:
            text = str(exc).strip()
            detail = getattr(exc, "strerror", None) or (text.splitlines()[0] if text else type(exc).__name__)
            print(
                f"stargate-tui: serve ssh: cannot use authorized keys {args.authorized_keys}: {detail}",
                file=sys.stderr,
            )
            return EXIT_FAILURE
    options = SSHOptions(
        host=args.host,
        port=args.port,
        host_key=host_key_path,
        authorized_keys=args.authorized_keys,
        max_sessions=args.max_sessions,
        rate_limit=args.rate_limit,
        login_timeout=args.login_timeout,
        idle_timeout=args.idle_timeout,
        max_session_time=args.max_session_time,
        lang=getattr(args, "lang", None) or "en",
    )
    content = str(pack.directory.resolve())
    try:
        return asyncio.run(serve_ssh(options, content, frozenset(pack.records), host_key, authorized))
    except KeyboardInterrupt:
        return 130


def cmd_serve_web(args: argparse.Namespace) -> int:
    pack = _load(args, "serve web")
    if isinstance(pack, int):
        return pack
    _setup_logging(args.log_level)
    from .web import WebOptions, serve_web

    options = WebOptions(
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        allowed_hosts=tuple(args.allow_host),
        content=str(pack.directory.resolve()),
        lang=getattr(args, "lang", None) or "en",
        idle_timeout=args.idle_timeout,
    )
    try:
        return serve_web(options, pack)
    except KeyboardInterrupt:
        return 130


def cmd_serve(args: argparse.Namespace) -> int:
    """Run `serve ssh` or `serve web` from parsed arguments."""
    command = getattr(args, "serve_command", None)
    if command == "ssh":
        return cmd_serve_ssh(args)
    if command == "web":
        return cmd_serve_web(args)
    parser = getattr(args, "_serve_parser", None)
    if parser is not None:
        parser.print_usage(sys.stderr)
    print("stargate-tui: serve: choose a protocol: ssh or web", file=sys.stderr)
    return EXIT_INVALID
