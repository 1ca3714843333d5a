"""The command line's parser, imported only when there are arguments to parse (see cli.parse)."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .cli import EXIT_INVALID

PANES = ("overview", "partners", "money", "locations", "politics", "people", "timeline")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n(try '{self.prog} --help')\n")


def _content_option(parser: argparse.ArgumentParser, *, in_command: bool = False) -> None:
    # in a command, SUPPRESS keeps a value given before it (`stargate-tui --content X check`)
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS if in_command else None,
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
    _content_option(check, in_command=True)

    formats = ("text", "markdown", "json", "yaml")
    show = sub.add_parser(
        "show",
        help="print a pane or a record (text, markdown, json or yaml) for scripts and pipes",
        description="Print a pane (overview, partners, money, locations, politics, people, timeline) "
        "or one record with its detail. JSON and YAML are described by docs/record.schema.json.",
    )
    show.add_argument("target", metavar="PANE|RECORD_ID", help="a pane name or a record id")
    _plain_options(show, formats)

    export = sub.add_parser(
        "export",
        help="print or write the whole pack (text, markdown, json or yaml)",
        description="The whole pack. JSON and YAML exports are themselves a valid one-file fact pack.",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", default=None, help="write to FILE (atomically) instead of stdout"
    )
    _plain_options(export, formats)
    from .serve.cli import add_serve_parser

    add_serve_parser(sub)
    return parser


def _plain_options(parser: argparse.ArgumentParser, formats: tuple[str, ...]) -> None:
    parser.add_argument(
        "-f", "--format", choices=formats, default="text", help="output format (default text)"
    )
    # SUPPRESS: the value given before the command (`stargate-tui --lang fr show money`) still counts
    parser.add_argument("--lang", choices=("en", "fr"), default=argparse.SUPPRESS, help="language of text")
    parser.add_argument(
        "--width",
        type=_width,
        metavar="N",
        default=None,
        help="columns for text (default: the terminal's width, or 100 when not a terminal)",
    )
    _content_option(parser, in_command=True)


def bounded_int(
    low: int, high: int | None = None, *, what: str = "number", hint: str = ""
) -> Callable[[str], int]:
    """An argparse `type`: an integer from `low` to `high` (no upper bound when None); `hint` ends the
    out-of-range message ("; 0 picks a free port")."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a {what}: {text!r}") from None
        if high is None and value < low:
            raise argparse.ArgumentTypeError(f"must be at least {low}: {value}")
        if high is not None and not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is out of range ({low} to {high}{hint})")
        return value

    return parse


_width = bounded_int(20, 1000)
