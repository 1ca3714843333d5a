"""`check`, the model and the loader never import Textual (it costs ~0.3 s and is only for the explorer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stargate_tui.loader import ENV_CONTENT

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

PROBE = """
import json, sys
import stargate_tui.model, stargate_tui.loader
from stargate_tui import cli
status = cli.main(["check", *sys.argv[1:]])
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"status": status, "textual": loaded}))
"""


def probe(*args: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != ENV_CONTENT}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("args", "status"),
    [
        ((str(TESTS / "data" / "minimal"),), 0),
        ((str(TESTS / "data" / "many_defects"),), 2),
        ((str(TESTS / "data" / "no-such-pack"),), 1),
    ],
)
def test_check_does_not_import_textual(args: tuple[str, ...], status: int) -> None:
    assert probe(*args) == {"status": status, "textual": []}


def test_check_of_the_embedded_pack_does_not_import_textual() -> None:
    assert probe()["textual"] == []


def test_the_probe_would_see_textual() -> None:
    """Guard against a probe that cannot fail: importing the app does load Textual."""
    pytest.importorskip("textual")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    code = "import sys, stargate_tui.app; print('textual' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.stdout.strip() == "True", result.stderr


def test_no_arguments_means_the_parsers_defaults() -> None:
    """The explorer's start skips building the parser; what it uses instead must be what it would give."""
    from stargate_tui.cli import NO_ARGUMENTS, parse
    from stargate_tui.commandline import build_parser

    assert vars(build_parser().parse_args([])) == NO_ARGUMENTS
    assert vars(parse([])) == NO_ARGUMENTS


def test_starting_the_explorer_does_not_import_the_parser() -> None:
    """`stargate-tui` alone (here: not on a terminal, so it prints the overview) never imports argparse;
    with an argument it does."""
    code = (
        "import sys; from stargate_tui.cli import main; status = main(sys.argv[1:]); "
        "print('argparse' in sys.modules, status, file=sys.stderr)"
    )
    env = {k: v for k, v in os.environ.items() if k != ENV_CONTENT}
    env["PYTHONPATH"] = str(REPO)
    for args, expected in (([], "False 0"), (["--lang", "fr"], "True 0")):
        result = subprocess.run(
            [sys.executable, "-c", code, *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert result.stderr.strip().splitlines()[-1] == expected, result.stderr
