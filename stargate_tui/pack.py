"""A fact pack: where its files are, what a validated pack holds, and what can be wrong with one.

A leaf of the data layer (it imports only the model): the loader builds these, the cache stores them,
and the rest of the program reads them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .model import PackInfo, Record

ENV_CONTENT = "STARGATE_TUI_CONTENT"

#: More files than this and the pack is not read at all.
MAX_FILES = 500


class Problem(NamedTuple):
    """One thing wrong with a pack, printed as `path:line:col: message` (1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class PackInvalid(Exception):
    """The content is invalid; `problems` lists every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__("\n".join(map(str, self.problems)))


class PackUnavailable(Exception):
    """The pack could not be read at all (missing directory, permissions): not a content problem."""


@dataclass
class FactPack:
    """A validated pack: its records by id, in file order, with the back-links computed once."""

    info: PackInfo
    records: dict[str, Record]
    directory: Path
    files: list[Path]
    #: target id -> every (record id, field) that links to it, in record order
    backlinks: dict[str, list[tuple[str, str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.backlinks = {}
        for record in self.records.values():
            for fld, target in record.ref_ids():
                self.backlinks.setdefault(target, []).append((record.id, fld))

    def of_kind(self, kind: str) -> list[Record]:
        return [r for r in self.records.values() if kind == r.KIND]

    def get(self, record_id: str) -> Record | None:
        return self.records.get(record_id)


def pack_files(directory: Path) -> list[Path]:
    """The YAML files of a pack, in a stable order, `pack.yaml` first."""
    return sorted(
        (p for p in directory.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file()),
        key=lambda p: (p.stem != "pack", p.name),
    )


def _embedded_content() -> Path:
    here = Path(__file__).resolve().parent
    embedded = here / "content"
    return embedded if embedded.is_dir() else here.parent / "content"


#: The pack shipped in the wheel, else the source tree's `content/`.
EMBEDDED_CONTENT = _embedded_content()


def default_content_dir() -> Path:
    """`$STARGATE_TUI_CONTENT`, else the embedded pack."""
    env = os.environ.get(ENV_CONTENT)
    return Path(env) if env else EMBEDDED_CONTENT


def locate(directory: Path | str | None) -> tuple[Path, list[Path]]:
    """The pack's directory (None: the default one) and its YAML files. Raises PackUnavailable."""
    directory = Path(directory) if directory is not None else default_content_dir()
    if not directory.exists():
        raise PackUnavailable(f"{directory}: no such directory")
    if not directory.is_dir():
        raise PackUnavailable(f"{directory}: not a directory")
    try:
        files = pack_files(directory)
    except OSError as exc:
        raise PackUnavailable(f"{directory}: cannot list: {exc.strerror or exc}") from exc
    if not files:
        raise PackUnavailable(f"{directory}: no .yaml files (is this a fact pack?)")
    if len(files) > MAX_FILES:
        raise PackUnavailable(f"{directory}: {len(files)} files; the limit is {MAX_FILES}")
    return directory, files
