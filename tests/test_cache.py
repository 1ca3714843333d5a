"""The cache of validated packs: a hit is the same pack, any change is a miss, bad input is never cached."""

from __future__ import annotations

import shutil
from pathlib import Path

import msgspec
import pytest

from stargate_tui import cache, loader
from stargate_tui.cli import main
from stargate_tui.loader import PackInvalid, load_pack

pytestmark = pytest.mark.unit

MINIMAL = Path(__file__).parent / "data" / "minimal"


@pytest.fixture
def pack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_CACHE, str(tmp_path / "cache"))
    target = tmp_path / "pack"
    shutil.copytree(MINIMAL, target)
    return target


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.msgpack"))


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the loader parses as YAML from now on."""
    calls: list[str] = []
    real = loader.parse_yaml

    def counting(text: str) -> object:
        calls.append(text)
        return real(text)

    monkeypatch.setattr(loader, "parse_yaml", counting)
    return calls


def test_a_hit_gives_the_same_pack_without_parsing(pack_dir: Path, tmp_path: Path, parses: list[str]) -> None:
    first = load_pack(pack_dir, cache=True)
    assert len(parses) == 1
    assert len(cached_files(tmp_path)) == 1
    again = load_pack(pack_dir, cache=True)
    assert len(parses) == 1, "a cache hit must not parse YAML"
    assert list(again.records) == list(first.records)
    assert again.records == first.records
    assert again.info == first.info
    assert again.backlinks == first.backlinks
    assert (again.directory, again.files) == (first.directory, first.files)


def test_without_cache_nothing_is_read_or_written(pack_dir: Path, tmp_path: Path, parses: list[str]) -> None:
    load_pack(pack_dir)
    assert not (tmp_path / "cache").exists()
    load_pack(pack_dir, cache=True)
    load_pack(pack_dir)
    assert len(parses) == 3


def test_any_change_is_a_miss_and_invalid_content_is_never_served(pack_dir: Path, tmp_path: Path) -> None:
    load_pack(pack_dir, cache=True)
    yaml_file = next(pack_dir.glob("*.yaml"))
    yaml_file.write_text(yaml_file.read_text() + "\nbogus_section: []\n")
    with pytest.raises(PackInvalid):
        load_pack(pack_dir, cache=True)
    assert len(cached_files(tmp_path)) == 1  # the invalid pack was not stored


def test_a_renamed_file_is_a_miss(pack_dir: Path) -> None:
    first = cache.key_for(sorted(pack_dir.glob("*.yaml")))
    (pack_dir / "pack.yaml").rename(pack_dir / "all.yaml")
    assert first is not None and cache.key_for(sorted(pack_dir.glob("*.yaml"))) not in (None, first)


def test_a_damaged_cache_file_is_ignored_and_replaced(pack_dir: Path, tmp_path: Path) -> None:
    good = load_pack(pack_dir, cache=True)
    (entry,) = cached_files(tmp_path)
    entry.write_bytes(b"\x93not a pack")
    again = load_pack(pack_dir, cache=True)
    assert list(again.records) == list(good.records)
    assert entry.read_bytes() != b"\x93not a pack"


def test_an_entry_that_does_not_hold_its_records_is_ignored(pack_dir: Path, tmp_path: Path) -> None:
    load_pack(pack_dir, cache=True)
    (entry,) = cached_files(tmp_path)
    stored = msgspec.msgpack.decode(entry.read_bytes())
    stored["order"].append("nobody")  # an id without its record
    entry.write_bytes(msgspec.msgpack.encode(stored))
    key = entry.stem
    assert cache.read(key) is None
    stored["order"].pop()
    stored["organisations"][0]["kind"] = "startup"  # a record the model refuses
    entry.write_bytes(msgspec.msgpack.encode(stored))
    assert cache.read(key) is None


def test_off_means_no_cache(pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    load_pack(pack_dir, cache=True)
    assert not (tmp_path / "cache").exists()
    assert cache.cache_dir() is None and cache.key_for([pack_dir / "pack.yaml"]) is None


def test_the_default_folder_is_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(cache.ENV_CACHE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "stargate-tui" / "packs"


def test_only_the_newest_entries_are_kept(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    for n in range(4):
        (pack_dir / "extra.yaml").write_text(f"people: []  # {n}\n")
        load_pack(pack_dir, cache=True)
    assert len(cached_files(tmp_path)) == 2


def test_check_always_validates(pack_dir: Path, tmp_path: Path, parses: list[str]) -> None:
    assert main(["show", "overview", "--content", str(pack_dir), "--format", "json"]) == 0
    assert len(cached_files(tmp_path)) == 1
    parses.clear()
    assert main(["check", str(pack_dir)]) == 0
    assert parses, "check must parse the files even when the cache holds the pack"
