"""Shared test set-up: the cache of validated packs goes to a temporary folder, never the user's."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _pack_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("STARGATE_TUI_CACHE", str(tmp_path_factory.mktemp("pack-cache")))
    yield
    mp.undo()
