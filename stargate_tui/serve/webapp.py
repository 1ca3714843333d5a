"""One browser session's explorer: run by textual-serve with Textual's web driver on its pipes.

`python -m stargate_tui.serve.webapp --content DIR --lang en` (the server passes the pack it has
already validated). Separate from the main CLI, which would print plain text when stdout is a pipe.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stargate_tui.serve.webapp")
    parser.add_argument("--content", required=True, help="fact pack directory")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    args = parser.parse_args(argv)

    from ..app import StargateApp
    from ..loader import load_pack

    app = StargateApp(load_pack(args.content, cache=True), lang=args.lang)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
