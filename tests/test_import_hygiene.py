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


def import_graph(package: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports (at the top, inside functions or for type checking)."""
    import ast

    modules = {}
    for path in package.rglob("*.py"):
        name = ".".join(path.relative_to(package.parent).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                parts = here.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1]) if node.level else ""
                target = ".".join(p for p in (base, node.module or "") if p)
                for candidate in (target, *(f"{target}.{alias.name}" for alias in node.names)):
                    if candidate in graph and candidate != name:
                        graph[name].add(candidate)
            elif isinstance(node, ast.Import):
                graph[name] |= {alias.name for alias in node.names if alias.name in graph}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import cycle, as the path that closes it."""
    found = []
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        for target in sorted(graph[node]):
            visit(target, [*path, node])
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    return found


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph(REPO / "stargate_tui")
    assert len(graph) > 20
    assert cycles(graph) == []


def test_the_cycle_check_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
