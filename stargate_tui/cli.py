"""Command line: parse arguments, load the pack, then hand it to the explorer or a plain command.

Exit status: 0 success; 1 failure not caused by the content (missing directory, unreadable file,
interrupted); 2 invalid content or a usage error. Textual is imported only when the explorer runs.
`--accessible` (or ACCESSIBLE=1) runs the linear, screen-reader-friendly mode (accessible.py) instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .commandline import (
    EXIT_FAILURE,
    EXIT_INVALID,
    EXIT_OK,
    Parser,
    bounded_int,
    content_option,
    load_or_report,
)
from .views import PANES

if TYPE_CHECKING:
    from .article import ArticleText
    from .pack import FactPack

__all__ = ["EXIT_FAILURE", "EXIT_INVALID", "EXIT_OK", "build_parser", "load_or_report", "main", "run"]


def cmd_check(args: argparse.Namespace) -> int:
    directory = args.directory or args.content
    pack = load_or_report(directory, args.source, cache=False)  # check always validates
    if isinstance(pack, int):
        return pack
    if args.source is None and pack.info.article.text_file:
        # the pack ships its text: every quote is checked against it as against --source
        from .article import TextFileError, text_file_path

        try:
            args.source = text_file_path(pack)
        except TextFileError as exc:
            print(f"{_where(pack.files[0])}: {exc}", file=sys.stderr)
            return EXIT_INVALID
        pack = load_or_report(directory, args.source, cache=False)
        if isinstance(pack, int):
            return pack
    quotes = " and every quote is verbatim" if args.source else ""
    records, files = len(pack.records), len(pack.files)
    counted = f"{records} record{'' if records == 1 else 's'} in {files} file{'' if files == 1 else 's'}"
    print(f"{_where(pack.directory)}: {counted}, valid{quotes}")
    if args.coverage:
        return _coverage(pack, args)
    return EXIT_OK


def _coverage(pack: FactPack, args: argparse.Namespace) -> int:
    """`check --coverage`: per paragraph, the share of its text that records cite and the sentences
    none cites (for pack authors: what the pack has not covered yet)."""
    from .article import ArticleMap

    text = article_text(pack, args.source)
    if isinstance(text, int):
        return text
    if text is None:
        print("stargate-tui: check: --coverage needs the article's text (--source FILE)", file=sys.stderr)
        return EXIT_INVALID
    article = ArticleMap(pack, text)
    for n in range(1, article.count + 1):
        coverage = article.coverage(n)
        paragraph = article.paragraph_text(n) or ""
        if coverage is None:
            continue
        spans = len(article.in_paragraph(n))
        print(f"¶{n}: {coverage.share:.0%} cited ({spans} span{'' if spans == 1 else 's'})")
        for start, end in coverage.uncited:
            print(f"  not cited: {paragraph[start:end]}")
    return EXIT_OK


def article_text(pack: FactPack, source: Path | None) -> ArticleText | int | None:
    """The article's text: `--source FILE`, else the file the pack names (`article.text_file`), else
    None. A `--source` that cannot be read is an error (exit 1); a pack's text_file that cannot be read
    or leaves the pack's directory is reported in one line and the explorer goes on without it."""
    from .article import TextFileError, article_text_for, read_article

    if source is not None:
        try:
            return read_article(Path(source))
        except TextFileError as exc:
            print(f"stargate-tui: --source: {exc}", file=sys.stderr)
            return EXIT_FAILURE
    try:
        return article_text_for(pack)
    except TextFileError as exc:
        print(
            f"stargate-tui: {exc}; the Article pane shows the paragraphs rebuilt from the quotes",
            file=sys.stderr,
        )
        return None


def _where(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def cmd_explore(args: argparse.Namespace) -> int:
    from .plain import plain_reason

    reason = plain_reason(sys.stdin, sys.stdout, os.environ)
    pack = load_or_report(args.content)
    if isinstance(pack, int):
        return pack
    if args.open and args.open not in pack.records:
        from .plain import close_matches

        ids = [m for m in close_matches(pack, args.open) if m in pack.records]
        hint = f"; did you mean {', '.join(ids)}?" if ids else ""
        print(f"stargate-tui: --open: unknown record id {args.open!r}{hint}", file=sys.stderr)
        return EXIT_INVALID
    text = article_text(pack, args.source)
    if isinstance(text, int):
        return text
    if args.accessible or os.environ.get("ACCESSIBLE", "0") not in ("", "0"):
        from .accessible import run_accessible

        paragraphs = text.paragraphs if text is not None else ()
        return run_accessible(
            pack, pane=args.pane, open_id=args.open, lang=args.lang or "en", paragraphs=paragraphs
        )
    if reason is not None:  # no terminal to run the explorer in: print instead (Textual never loads)
        return _explore_plain(pack, args, reason, text)
    from .app import StargateApp

    app = StargateApp(pack, pane=args.pane, open_id=args.open, lang=args.lang or "en", article_text=text)
    app.run()
    return app.return_code or EXIT_OK


def _explore_plain(pack: FactPack, args: argparse.Namespace, reason: str, text: ArticleText | None) -> int:
    """The explorer's fallback: the overview (or `--pane`, `--open`) as text, and a hint on stderr."""
    from .plain import Target, output_width, render, use_color

    record = pack.get(args.open) if args.open else None
    target = Target(record=record) if record is not None else Target(pane=args.pane or "overview")
    lang = args.lang or "en"
    width = output_width(None, sys.stdout)
    _emit(render(pack, target, "text", lang, width, color=use_color(sys.stdout, os.environ), article=text))
    sys.stdout.flush()
    print(
        f"stargate-tui: {reason}: printed the {target.describe(lang)}; "
        "run `stargate-tui show PANE|RECORD_ID` for more",
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from .plain import UnknownTarget, can_encode, output_width, render, resolve, use_color

    pack = load_or_report(getattr(args, "content", None))
    if isinstance(pack, int):
        return pack
    try:
        target = resolve(pack, args.target)
    except UnknownTarget as exc:
        print(f"stargate-tui: show: {exc}", file=sys.stderr)
        return EXIT_INVALID
    lang = getattr(args, "lang", None) or "en"
    width = output_width(args.width, sys.stdout)
    color = use_color(sys.stdout, os.environ)
    article = article_text(pack, getattr(args, "source", None))
    if isinstance(article, int):
        return article
    text = render(pack, target, args.format, lang, width, color=color, article=article)
    if not can_encode(sys.stdout, text) and args.format in ("json", "yaml"):
        text = render(pack, target, args.format, lang, width, ascii_only=True, article=article)
    _emit(text)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from .plain import can_encode, output_width, render, use_color, write_atomic

    pack = load_or_report(getattr(args, "content", None))
    if isinstance(pack, int):
        return pack
    lang = getattr(args, "lang", None) or "en"
    to_file = args.output not in (None, "-")
    if not to_file:
        width = output_width(args.width, sys.stdout)
        text = render(pack, None, args.format, lang, width, color=use_color(sys.stdout, os.environ))
        if not can_encode(sys.stdout, text) and args.format in ("json", "yaml"):
            text = render(pack, None, args.format, lang, width, ascii_only=True)
        _emit(text)
        return EXIT_OK
    text = render(pack, None, args.format, lang, args.width or 100)
    try:
        write_atomic(Path(args.output), text)
    except OSError as exc:
        print(f"stargate-tui: export: cannot write {args.output}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILURE
    return EXIT_OK


def _emit(text: str) -> None:
    """Write to stdout; characters the stream cannot encode are replaced, never a traceback."""
    from .plain import can_encode

    stream = sys.stdout
    if not can_encode(stream, text):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    stream.write(text)
    stream.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="stargate-tui",
        description="Explore the facts of the Stargate AI-infrastructure announcement (January 2025).",
        epilog="Exit status: 0 ok, 1 failure (not the content's fault), 2 invalid content or usage.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    content_option(parser)
    parser.add_argument("--pane", choices=PANES, default=None, help="pane to open first")
    parser.add_argument("--open", metavar="RECORD_ID", default=None, help="record to open first")
    parser.add_argument("--lang", choices=("en", "fr"), default=None, help="language of text (default en)")
    parser.add_argument(
        "--source",
        type=Path,
        metavar="FILE",
        default=None,
        help="the article's text, for the Article pane (default: the file the pack names, if any)",
    )
    parser.add_argument(
        "--accessible",
        action="store_true",
        help="linear mode for screen readers and braille displays: typed commands, plain lines "
        "(also ACCESSIBLE=1); see docs/accessibility.md",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser("check", help="validate a fact pack; list every problem as path:line:col")
    check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR")
    check.add_argument("--source", type=Path, metavar="FILE", help="article: verify every quote is verbatim")
    check.add_argument(
        "--coverage",
        action="store_true",
        help="with the article's text: per paragraph, the share records cite and the sentences none cites",
    )
    content_option(check, in_command=True)

    formats = ("text", "markdown", "json", "yaml")
    show = sub.add_parser(
        "show",
        help="print a pane or a record (text, markdown, json or yaml) for scripts and pipes",
        description="Print a pane (overview, partners, money, locations, politics, people, timeline, "
        "article) or one record with its detail. JSON and YAML are described by docs/record.schema.json.",
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
        "--source",
        type=Path,
        metavar="FILE",
        default=argparse.SUPPRESS,
        help="the article's text: `show article` shows it whole, json and yaml give each span's offsets",
    )
    parser.add_argument(
        "--width",
        type=_width,
        metavar="N",
        default=None,
        help="columns for text (default: the terminal's width, or 100 when not a terminal)",
    )
    content_option(parser, in_command=True)


_width = bounded_int(20, 1000)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "show":
            return cmd_show(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "serve":
            from .serve.cli import cmd_serve

            return cmd_serve(args)
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
