"""Pieces every command shares: exit statuses, the parser class, `bounded_int`, `load_or_report`.

A leaf: it imports nothing of the package at import time, so `cli.py` and `serve/cli.py` both build
on it without importing each other.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pack import FactPack

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2


class Parser(argparse.ArgumentParser):
    """Usage errors exit with EXIT_INVALID and a hint, as the other invalid input does."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_INVALID, f"{self.prog}: error: {message}\n(try '{self.prog} --help')\n")


def content_option(parser: argparse.ArgumentParser, *, in_command: bool = False) -> None:
    # in a command, SUPPRESS keeps a value given before it (`stargate-tui --content X check`)
    parser.add_argument(
        "--content",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS if in_command else None,
        help="fact pack directory (default: $STARGATE_TUI_CONTENT or the embedded Stargate pack)",
    )


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


def load_or_report(
    directory: Path | None, source: Path | None = None, *, cache: bool = True, command: str = ""
) -> FactPack | int:
    """Load the pack, or print the problems and return the exit status (every command goes here).
    A slow load (a large pack the cache does not hold) shows a progress bar on a terminal."""
    from .pack import PackInvalid, PackUnavailable
    from .progress import load_with_progress

    try:
        return load_with_progress(directory, source=source, cache=cache)
    except PackInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"stargate-tui: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    except PackUnavailable as exc:
        print(f"stargate-tui: {command + ': ' if command else ''}{exc}", file=sys.stderr)
        return EXIT_FAILURE
