"""One browser session's explorer: run by textual-serve with Textual's web driver on its pipes.

`python -m stargate_tui.serve.webapp --content DIR --lang en` (the server passes the pack it has
already validated). Separate from the main CLI, which would print plain text when stdout is a pipe.
The process leads its own session and process group (the server ends the group), dies with the
server (PR_SET_PDEATHSIG), and runs with no writable home, in "/".
"""

from __future__ import annotations

import argparse
import os
import signal
import sys

from .child import READ_ONLY_ENVIRONMENT, set_parent_death_signal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stargate_tui.serve.webapp")
    parser.add_argument("--content", required=True, help="fact pack directory")
    parser.add_argument("--lang", choices=("en", "fr"), default="en")
    args = parser.parse_args(argv)
    if os.getsid(0) != os.getpid():
        os.setsid()
    set_parent_death_signal(signal.SIGTERM)

    from ..app import StargateApp
    from ..loader import load_pack

    pack = load_pack(args.content, cache=True)  # the server's cache of the pack it validated
    os.environ.update(READ_ONLY_ENVIRONMENT)
    os.chdir("/")  # not the server's directory
    app = StargateApp(pack, lang=args.lang)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
