"""`check`, the model and the loader never import Textual (it costs ~0.3 s and is only for the explorer)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from stargate_tui.loader import ENV_CONTENT

pytestmark = pytest.mark.unit

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
