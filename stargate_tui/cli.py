"""Command line: parse arguments, load the pack, then hand it to the explorer or a plain command.

Exit status: 0 success; 1 failure not caused by the content (missing directory, unreadable file,
interrupted); 2 invalid content or a usage error. Textual is imported only when the explorer runs.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import argparse

    from .loader import FactPack

EXIT_OK, EXIT_FAILURE, EXIT_INVALID = 0, 1, 2

#: What the parser gives for no arguments: the explorer with every default (see parse()).
NO_ARGUMENTS: dict[str, object] = {"content": None, "pane": None, "open": None, "lang": None, "command": None}


def load_or_report(
    directory: Path | None, source: Path | None = None, *, cache: bool = True, command: str = ""
) -> FactPack | int:
    """Load the pack, or print the problems and return the exit status (every command goes here)."""
    from .loader import PackInvalid, PackUnavailable, load_pack

    try:
        return load_pack(directory, source=source, cache=cache)
    except PackInvalid as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        count = len(exc.problems)
        print(f"stargate-tui: {count} problem{'s' if count != 1 else ''} found", file=sys.stderr)
        return EXIT_INVALID
    except PackUnavailable as exc:
        print(f"stargate-tui: {command + ': ' if command else ''}{exc}", file=sys.stderr)
        return EXIT_FAILURE


def cmd_check(args: argparse.Namespace) -> int:
    directory = args.directory or args.content
    pack = load_or_report(directory, args.source, cache=False)  # check always validates
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
    from .plain import plain_reason

    reason = plain_reason(sys.stdin, sys.stdout, os.environ)
    pack: FactPack | int | None = None
    if reason is None:
        from .loader import cached_pack

        pack = cached_pack(args.content)  # most launches: the cache holds the pack
        if pack is None:
            from . import prefetch

            child = prefetch.start(args.content)  # a pack the cache lacks is validated by a child
            if child is not None:
                from .app import StargateApp  # while Textual is imported here

                pack = child.result()
    if pack is None:
        pack = load_or_report(args.content)
    if isinstance(pack, int):
        return pack
    if args.open and args.open not in pack.records:
        from .plain import close_matches

        ids = [m for m in close_matches(pack, args.open) if m in pack.records]
        hint = f"; did you mean {', '.join(ids)}?" if ids else ""
        print(f"stargate-tui: --open: unknown record id {args.open!r}{hint}", file=sys.stderr)
        return EXIT_INVALID
    if reason is not None:  # no terminal to run the explorer in: print instead (Textual never loads)
        return _explore_plain(pack, args, reason)
    from .app import StargateApp

    app = StargateApp(pack, pane=args.pane, open_id=args.open, lang=args.lang or "en")
    app.run()
    return app.return_code or EXIT_OK


def _explore_plain(pack: FactPack, args: argparse.Namespace, reason: str) -> int:
    """The explorer's fallback: the overview (or `--pane`, `--open`) as text, and a hint on stderr."""
    from .plain import Target, output_width, render, use_color

    record = pack.get(args.open) if args.open else None
    target = Target(record=record) if record is not None else Target(pane=args.pane or "overview")
    lang = args.lang or "en"
    width = output_width(None, sys.stdout)
    _emit(render(pack, target, "text", lang, width, color=use_color(sys.stdout, os.environ)))
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
    text = render(pack, target, args.format, lang, width, color=color)
    if not can_encode(sys.stdout, text) and args.format in ("json", "yaml"):
        text = render(pack, target, args.format, lang, width, ascii_only=True)
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


def parse(argv: list[str]) -> argparse.Namespace:
    """The parsed command line. Without arguments (the explorer, its most common use) the parser is
    neither imported nor built: what it would give is NO_ARGUMENTS (a test checks they agree)."""
    if not argv:
        return cast("argparse.Namespace", SimpleNamespace(**NO_ARGUMENTS))
    from .commandline import build_parser

    return build_parser().parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        if args.command == "check":
            return cmd_check(args)
        if args.command == "show":
            return cmd_show(args)
        if args.command == "export":
            return cmd_export(args)
        if args.command == "serve":
            from .serve.cli import cmd_serve

            gc.enable()  # a long-running server (see run())
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
    """Console-script entry point.

    The cyclic garbage collector is off while the program starts: importing Textual and building the
    first screen allocate hundreds of thousands of objects that all stay alive, and the collections they
    trigger only walk them (≈ 50 ms of a ≈ 450 ms start). The explorer turns it back on after its first
    frame, `serve` as it starts; the one-shot commands end before it would matter."""
    gc.disable()
    sys.exit(main())
