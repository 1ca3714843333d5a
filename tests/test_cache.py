"""The cache of validated packs: a hit is the same pack, any change is a miss, bad input is never cached."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stargate_tui import cache, loader
from stargate_tui.cli import main
from stargate_tui.loader import EMBEDDED_CONTENT, PackInvalid, load_pack

MINIMAL = Path(__file__).parent / "data" / "minimal"


@pytest.fixture
def pack_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(cache.ENV_CACHE, str(tmp_path / "cache"))
    target = tmp_path / "pack"
    shutil.copytree(MINIMAL, target)
    return target


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.msgpack"))


def test_a_hit_gives_the_same_pack_without_parsing(
    pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_pack(pack_dir, cache=True)
    assert len(cached_files(tmp_path)) == 1

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("a cache hit must not parse YAML")

    monkeypatch.setattr("stargate_tui.loader.read_yaml", no_parsing)
    again = load_pack(pack_dir, cache=True)
    assert list(again.records) == list(first.records)
    assert all(again.records[k] == first.records[k] for k in first.records)
    assert again.info == first.info
    assert again.backlinks == first.backlinks


def test_any_change_is_a_miss_and_invalid_content_is_never_served(pack_dir: Path, tmp_path: Path) -> None:
    load_pack(pack_dir, cache=True)
    yaml_file = next(pack_dir.glob("*.yaml"))
    yaml_file.write_text(yaml_file.read_text() + "\nbogus_section: []\n")
    with pytest.raises(PackInvalid):
        load_pack(pack_dir, cache=True)
    assert len(cached_files(tmp_path)) == 1  # the invalid pack was not stored


def test_a_damaged_cache_file_is_ignored_and_replaced(pack_dir: Path, tmp_path: Path) -> None:
    good = load_pack(pack_dir, cache=True)
    (entry,) = cached_files(tmp_path)
    entry.write_bytes(b"\x93not a pack")
    again = load_pack(pack_dir, cache=True)
    assert list(again.records) == list(good.records)
    assert entry.read_bytes() != b"\x93not a pack"


def test_off_means_no_cache(pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    load_pack(pack_dir, cache=True)
    assert not (tmp_path / "cache").exists()


def test_check_always_validates(pack_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["show", "overview", "--content", str(pack_dir), "--format", "json"]) == 0
    assert len(cached_files(tmp_path)) == 1
    calls: list[int] = []
    real = load_pack.__globals__["read_yaml"]

    def counting(text: str, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(text, **kwargs)

    monkeypatch.setattr("stargate_tui.loader.read_yaml", counting)
    assert main(["check", str(pack_dir)]) == 0
    assert calls, "check must parse the files even when the cache holds the pack"


def test_the_shipped_entry_is_the_embedded_pack_as_validated_now() -> None:
    key = cache.key_for(cache.embedded_files())
    assert key is not None
    shipped = cache.SHIPPED / f"{key}.json"
    assert shipped.is_file(), "content/ changed: run `make validated` (python -m stargate_tui.cache)"
    assert sorted(cache.SHIPPED.glob("*.json")) == [shipped], "an old shipped entry is left over"
    stored = cache._decode(shipped)
    assert stored is not None
    parsed = load_pack(EMBEDDED_CONTENT)
    assert stored == cache._stored(parsed)


def test_the_embedded_packs_first_launch_reads_no_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, str(tmp_path / "empty"))
    parsed = load_pack(EMBEDDED_CONTENT)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the shipped entry must spare the first launch its YAML")

    monkeypatch.setattr("stargate_tui.loader.read_yaml", no_parsing)
    first = load_pack(EMBEDDED_CONTENT, cache=True)
    assert first.records == parsed.records
    assert first.info == parsed.info
    assert first.backlinks == parsed.backlinks


def test_a_copy_of_the_embedded_pack_with_one_byte_changed_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, str(tmp_path / "empty"))
    copy = tmp_path / "pack"
    shutil.copytree(EMBEDDED_CONTENT, copy)
    events = copy / "events.yaml"
    events.write_bytes(events.read_bytes() + b"\n")
    calls: list[object] = []
    real = loader.read_yaml

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr("stargate_tui.loader.read_yaml", counting)
    load_pack(copy, cache=True)
    assert calls, "a pack that is not byte for byte the embedded one must be parsed"


def test_off_turns_the_shipped_entry_off_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_CACHE, "off")
    key = cache.key_for(cache.embedded_files())
    assert key is not None and (cache.SHIPPED / f"{key}.json").is_file()
    assert cache.read(key) is None


def test_the_pack_just_stored_is_sent_as_the_bytes_stored(pack_dir: Path, tmp_path: Path) -> None:
    pack = load_pack(pack_dir, cache=True)
    (entry,) = cached_files(tmp_path)
    sent = cache.encode(pack)  # what the forked validation sends: not encoded a second time
    assert sent is cache.encode(pack)
    assert sent == entry.read_bytes()
    other = load_pack(pack_dir)  # an equal pack, another object: encoded afresh, to the same bytes
    again = cache.encode(other)
    assert again is not sent and again == sent
