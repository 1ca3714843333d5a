"""A cache of validated packs, so that opening a large pack does not read its YAML every time.

Reading and validating a pack's YAML costs about 0.4 ms per record (a 10,000-record pack: seconds
before the first frame); reading the same pack back from msgpack costs a few hundredths of that. A
pack that validated is stored keyed by a hash of every file's name and bytes: any change to any file
is a miss, and the pack is validated again. Invalid packs are never stored. Decoding goes through the
typed model, so a damaged or foreign cache file cannot construct anything but records; it is ignored
(and replaced by the next write).

`check` never uses the cache: it is the validator. `STARGATE_TUI_CACHE=off` turns it off;
`STARGATE_TUI_CACHE=DIR` puts it elsewhere (default `$XDG_CACHE_HOME/stargate-tui/packs`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import msgspec

from . import __version__
from .model import SECTIONS, Event, Figure, Organisation, PackInfo, Person, Place, Record, Statement
from .pack import FactPack

ENV_CACHE = "STARGATE_TUI_CACHE"
#: Bump when the model or the loader changes what a valid pack is.
FORMAT = 4
KEEP = 16  # newest cache files kept


class _Entry(msgspec.Struct, frozen=True):
    """A validated pack: its info, and its records by kind (msgspec decodes each list to its type),
    with the ids in the pack's order."""

    info: PackInfo
    order: list[str]
    organisations: list[Organisation]
    people: list[Person]
    places: list[Place]
    figures: list[Figure]
    statements: list[Statement]
    events: list[Event]


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off."""
    setting = os.environ.get(ENV_CACHE, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stargate-tui" / "packs"


def key_for(files: list[Path]) -> str | None:
    """A hash of every file's name and bytes; None when the cache is off or a file cannot be read
    (validation says why)."""
    if cache_dir() is None:
        return None
    digest = hashlib.blake2b(f"stargate-tui {__version__} cache {FORMAT}\0".encode(), digest_size=32)
    try:
        for path in files:
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def read(key: str) -> tuple[PackInfo, dict[str, Record]] | None:
    """The pack's info and records stored under `key`, or None (not there, or not an entry)."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        entry = msgspec.msgpack.decode((folder / f"{key}.msgpack").read_bytes(), type=_Entry)
    except (OSError, msgspec.DecodeError):  # missing, unreadable, damaged, or of another format
        return None
    groups = (entry.organisations, entry.people, entry.places, entry.figures, entry.statements, entry.events)
    by_id: dict[str, Record] = {record.id: record for group in groups for record in group}
    if sorted(by_id) != sorted(entry.order):
        return None
    return entry.info, {record_id: by_id[record_id] for record_id in entry.order}


def write(key: str, pack: FactPack) -> None:
    """Store a validated pack atomically; any failure just leaves no cache."""
    folder = cache_dir()
    if folder is None:
        return
    groups: dict[str, list[Record]] = {section: [] for section in SECTIONS}
    for record in pack.records.values():
        groups[record.SECTION].append(record)
    entry = _Entry(info=pack.info, order=list(pack.records), **groups)  # type: ignore[arg-type]
    import tempfile  # only to write (6 ms to import)

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".msgpack")
        try:  # written whole, then renamed: an entry is never read half-written
            with os.fdopen(fd, "wb") as handle:
                handle.write(msgspec.msgpack.encode(entry))
            os.replace(tmp, folder / f"{key}.msgpack")
        finally:
            Path(tmp).unlink(missing_ok=True)
        entries = sorted(folder.glob("*.msgpack"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        return
