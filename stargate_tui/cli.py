"""Command line: parse arguments, load the pack, then hand it to the explorer or a plain command.

Exit status: 0 success; 1 failure not caused by the content (missing directory, unreadable file,
interrupted); 2 invalid content or a usage error. Textual is imported only when the explorer runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:
    from .loader import FactPack

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2

PANES = ("overview", "partners", "money", "locations", "politics", "people", "timeline")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n(try '{self.prog} --help')\n")


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=None,
        help="fact pack directory (default: $STARGATE_TUI_CONTENT or the embedded Stargate pack)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="stargate-tui",
        description="Explore the facts of the Stargate AI-infrastructure announcement (January 2025).",
        epilog="Exit status: 0 ok, 1 failure (not the content's fault), 2 invalid content or usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _content_option(parser)
    parser.add_argument("--pane", choices=PANES, default=None, help="pane to open first")
    parser.add_argument("--open", metavar="RECORD_ID", default=None, help="record to open first")
    parser.add_argument("--lang", choices=("en", "fr"), default=None, help="language of text (default en)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a fact pack; list every problem as path:line:col")
    check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR")
    check.add_argument("--source", type=Path, metavar="FILE", help="article: verify every quote is verbatim")
    _content_option(check)
    return parser


def load_or_report(directory: Path | None, source: Path | None = None) -> FactPack | int:
    """Load the pack, or print the problems and return the exit status."""
    from .loader import PackInvalid, PackUnavailable, load_pack

    try:
        return load_pack(directory, source=source)
    except PackInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"stargate-tui: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    except PackUnavailable as exc:
        print(f"stargate-tui: {exc}", file=sys.stderr)
        return EXIT_FAILURE


def cmd_check(args: argparse.Namespace) -> int:
    directory = args.directory or args.content
    pack = load_or_report(directory, args.source)
    if isinstance(pack, int):
        return pack
    quotes = " and every quote is verbatim" if args.source else ""
    print(f"{_where(pack.directory)}: {len(pack.records)} records in {len(pack.files)} files, valid{quotes}")
    return EXIT_OK


def _where(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def cmd_explore(args: argparse.Namespace) -> int:
    pack = load_or_report(args.content)
    if isinstance(pack, int):
        return pack
    if args.open and args.open not in pack.records:
        print(f"stargate-tui: --open: unknown record id {args.open!r}", file=sys.stderr)
        return EXIT_INVALID
    from .app import StargateApp

    app = StargateApp(pack, pane=args.pane, open_id=args.open, lang=args.lang or "en")
    app.run()
    return app.return_code or EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        return cmd_explore(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): not an error worth a traceback
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILURE


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
