"""Shared test set-up: the cache of validated packs goes to a temporary folder, never the user's; every
test belongs to exactly one layer (`unit`, `tui` or `serve`, see pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

LAYERS = ("unit", "tui", "serve")


@pytest.fixture(autouse=True, scope="session")
def _pack_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("STARGATE_TUI_CACHE", str(tmp_path_factory.mktemp("pack-cache")))
    yield
    mp.undo()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        layers = [name for name in LAYERS if item.get_closest_marker(name)]
        if len(layers) != 1:
            raise pytest.UsageError(
                f"{item.nodeid}: needs exactly one layer marker of {LAYERS}, has {layers}"
            )
