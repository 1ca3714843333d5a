"""A cache of validated packs, so that opening a large pack does not parse its YAML every time.

Parsing and validating YAML costs about half a millisecond per record; a 10,000-record pack took
seconds before the first frame. A pack that validated is stored as msgpack, keyed by a hash of the
loader's version and every file's name and bytes: any change to any file is a miss, and the pack is
validated again. Invalid packs are never stored. Decoding goes through the same typed msgspec model,
so a damaged or foreign cache file cannot construct anything but records; it is ignored and replaced.

The embedded pack's entry also ships with the package (`SHIPPED`, written by `python -m
stargate_tui.cache`; a test fails when it no longer matches `content/`): the explorer's very first
launch reads it instead of importing PyYAML and parsing the pack (about 45 ms of the first frame).

`check` never uses the cache: it is the validator. `STARGATE_TUI_CACHE=off` turns it off, the shipped
entry included; `STARGATE_TUI_CACHE=DIR` puts it elsewhere (default `$XDG_CACHE_HOME/stargate-tui/packs`).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import msgspec

from . import __version__
from .model import Event, Figure, Organisation, PackInfo, Person, Place, Record, Statement

if TYPE_CHECKING:
    from .loader import FactPack

ENV_CACHE = "STARGATE_TUI_CACHE"
#: Bump when the model or the loader changes what a valid pack is.
FORMAT = 3  # 2: finite span amounts, no id twice in one link list; 3: back-links stored
KEEP = 16  # newest cache files kept
#: The embedded pack's entry, as JSON (readable in a diff), named by its key like the others.
SHIPPED = Path(__file__).resolve().parent / "data" / "validated"


class _Stored(msgspec.Struct, frozen=True):
    info: PackInfo
    order: list[str]
    organisations: list[Organisation]
    people: list[Person]
    places: list[Place]
    figures: list[Figure]
    statements: list[Statement]
    events: list[Event]
    #: FactPack.backlinks, stored rather than computed again (a scan of every link of every record)
    backlinks: dict[str, list[tuple[str, str]]] = msgspec.field(default_factory=dict)


def cache_dir() -> Path | None:
    setting = os.environ.get(ENV_CACHE, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stargate-tui" / "packs"


def key_for(files: list[Path]) -> str | None:
    """A hash of every file's name and bytes, or None when a file cannot be read (validation says why)."""
    digest = hashlib.blake2b(f"stargate-tui {__version__} cache {FORMAT}\0".encode(), digest_size=32)
    try:
        for path in files:
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def read(key: str) -> tuple[PackInfo, dict[str, Record], dict[str, list[tuple[str, str]]]] | None:
    folder = cache_dir()
    if folder is None:
        return None
    stored = _decode(folder / f"{key}.msgpack") or _decode(SHIPPED / f"{key}.json")
    return _unpack(stored) if stored is not None else None


#: The last pack encoded and its bytes: the forked validation sends the pack that the cache write has
#: just encoded (10,000 records: 70 ms).
_last: tuple[weakref.ref[FactPack], bytes] | None = None


def encode(pack: FactPack) -> bytes:
    """A validated pack as msgpack bytes (what the cache stores)."""
    global _last
    if _last is not None and _last[0]() is pack:
        return _last[1]
    data = msgspec.msgpack.encode(_stored(pack))
    _last = (weakref.ref(pack), data)
    return data


def decode(data: bytes) -> tuple[PackInfo, dict[str, Record], dict[str, list[tuple[str, str]]]] | None:
    """The pack `encode` gave, or None when `data` is not one."""
    stored = _decode_bytes(data, msgspec.msgpack)
    return _unpack(stored) if stored is not None else None


def _unpack(stored: _Stored) -> tuple[PackInfo, dict[str, Record], dict[str, list[tuple[str, str]]]] | None:
    by_id: dict[str, Record] = {}
    for group in (
        stored.organisations,
        stored.people,
        stored.places,
        stored.figures,
        stored.statements,
        stored.events,
    ):
        for record in group:
            by_id[record.id] = record
    if set(by_id) != set(stored.order) or len(stored.order) != len(by_id):
        return None
    return stored.info, {record_id: by_id[record_id] for record_id in stored.order}, stored.backlinks


def _decode(path: Path) -> _Stored | None:
    """A cache file (`.msgpack`, or the shipped `.json`), or None when it is missing or not an entry."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return _decode_bytes(data, msgspec.json if path.suffix == ".json" else msgspec.msgpack)


def _decode_bytes(data: bytes, codec: Any) -> _Stored | None:
    try:
        return cast(_Stored, codec.decode(data, type=_Stored))
    except (msgspec.DecodeError, ValueError):
        return None


def _stored(pack: FactPack) -> _Stored:
    groups: dict[str, list[Record]] = {
        "organisations": [],
        "people": [],
        "places": [],
        "figures": [],
        "statements": [],
        "events": [],
    }
    for record in pack.records.values():
        groups[record.SECTION].append(record)
    return _Stored(
        info=pack.info,
        order=list(pack.records),
        backlinks=pack.backlinks,
        **groups,  # type: ignore[arg-type]
    )


def write(key: str, pack: FactPack) -> None:
    """Store a validated pack atomically; any failure just leaves no cache."""
    folder = cache_dir()
    if folder is None:
        return
    data = encode(pack)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".msgpack")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, folder / f"{key}.msgpack")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(folder)
    except OSError:
        return


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*.msgpack"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


def embedded_files() -> list[Path]:
    """The files of the pack shipped with the explorer (the source tree's or the wheel's)."""
    from .loader import EMBEDDED_CONTENT, pack_files

    return pack_files(EMBEDDED_CONTENT)


def ship() -> Path:
    """Validate the embedded pack (never from a cache) and write its shipped entry; drop older ones."""
    from .loader import EMBEDDED_CONTENT, load_pack

    files = embedded_files()
    key = key_for(files)
    if key is None:
        raise OSError(f"{EMBEDDED_CONTENT}: cannot read the embedded pack")
    pack = load_pack(EMBEDDED_CONTENT)
    SHIPPED.mkdir(parents=True, exist_ok=True)
    target = SHIPPED / f"{key}.json"
    target.write_bytes(msgspec.json.format(msgspec.json.encode(_stored(pack)), indent=1) + b"\n")
    for old in SHIPPED.glob("*.json"):
        if old != target:
            old.unlink()
    return target


if __name__ == "__main__":
    print(ship())
