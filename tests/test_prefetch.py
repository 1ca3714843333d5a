"""The explorer's forked validation: the same pack as loading it, or nothing (and the parent says why)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stargate_tui import cache, cli, prefetch
from stargate_tui.loader import EMBEDDED_CONTENT, PackInvalid, load_pack

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_CACHE, str(folder))
    return folder


def test_a_pack_the_cache_lacks_comes_back_whole_from_the_child(tmp_path: Path, cache_folder: Path) -> None:
    pack_dir = tmp_path / "pack"
    shutil.copytree(EMBEDDED_CONTENT, pack_dir)
    (pack_dir / "events.yaml").write_bytes(
        (pack_dir / "events.yaml").read_bytes() + b"\n"
    )  # not the shipped one
    child = prefetch.start(pack_dir)
    assert child is not None
    got = child.result()
    expected = load_pack(pack_dir)
    assert got is not None
    assert (got.info, got.records, got.backlinks) == (expected.info, expected.records, expected.backlinks)
    assert (got.directory, got.files) == (expected.directory, expected.files)
    assert len(list(cache_folder.glob("*.msgpack"))) == 1  # the child filled the cache, as a load does


def test_with_the_cache_off_the_embedded_pack_is_validated_by_the_child(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    child = prefetch.start(None)
    assert child is not None
    got = child.result()
    assert got is not None and got.records == load_pack().records


def test_nothing_is_forked_for_a_pack_the_cache_holds(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stargate_tui.app import StargateApp

    started: list[object] = []
    opened = []
    monkeypatch.setattr(prefetch, "start", started.append)
    monkeypatch.setattr("stargate_tui.plain.plain_reason", lambda *args: None)  # as in a terminal
    monkeypatch.setattr(StargateApp, "run", lambda self: opened.append(self.pack))
    # the embedded pack: its validated copy ships with the package
    assert cli.main([]) == cli.EXIT_OK
    assert started == []
    assert [pack.records for pack in opened] == [load_pack().records]


def test_an_invalid_pack_gives_nothing_and_the_explorer_reports_it(
    cache_folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = TESTS / "data" / "many_defects"
    child = prefetch.start(bad)
    assert child is not None and child.result() is None
    with pytest.raises(PackInvalid) as problems:
        load_pack(bad)
    monkeypatch.setattr("stargate_tui.plain.plain_reason", lambda *args: None)  # as in a terminal
    assert cli.main(["--content", str(bad)]) == cli.EXIT_INVALID
    err = capsys.readouterr().err.splitlines()
    assert err == [str(p) for p in problems.value.problems] + [f"stargate-tui: {len(err) - 1} problems found"]


def test_the_explorer_opens_on_the_pack_the_child_validated(
    tmp_path: Path, cache_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stargate_tui.app import StargateApp

    pack_dir = tmp_path / "pack"
    shutil.copytree(TESTS / "data" / "minimal", pack_dir)
    opened = []
    monkeypatch.setattr("stargate_tui.plain.plain_reason", lambda *args: None)
    monkeypatch.setattr(StargateApp, "run", lambda self: opened.append(self.pack))
    results = []
    real_result = prefetch.Prefetch.result

    def result(self: prefetch.Prefetch) -> object:
        results.append(real_result(self))
        return results[-1]

    monkeypatch.setattr(prefetch.Prefetch, "result", result)
    assert cli.main(["--content", str(pack_dir)]) == cli.EXIT_OK
    (from_child,) = results
    (pack,) = opened
    assert pack is from_child  # the explorer got the child's pack, not one loaded again
    assert pack.records == load_pack(pack_dir).records
