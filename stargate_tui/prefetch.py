"""Validate a pack in a forked child while the explorer imports Textual.

A pack that the cache does not hold (its first launch, or any launch with the cache off) is parsed
and validated before the explorer can start; importing Textual takes about as long again. On a
machine with two cores or more the two can overlap: when `loader.cached_pack` finds nothing, the
command line forks a child that loads the pack (filling the cache as usual) and sends it back,
msgpack-encoded, through a pipe, while the parent imports Textual. Whatever goes wrong in the child
(an invalid pack, an unreadable file, no fork) leaves the parent to load the pack itself, which
reports the problems exactly as before.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .loader import FactPack


class Prefetch:
    """A child validating one pack; `result()` waits for it."""

    def __init__(self, pid: int, fd: int, directory: Path) -> None:
        self.pid, self.fd, self.directory = pid, fd, directory

    def result(self) -> FactPack | None:
        """The pack the child validated, or None when it could not (load it here to learn why)."""
        from .readahead import child_output

        data = child_output(self.pid, self.fd)
        if data is None:
            return None
        from . import cache
        from .loader import FactPack, pack_files

        got = cache.decode(data)
        if got is None:
            return None
        info, records, backlinks = got
        return FactPack(info, records, self.directory, pack_files(self.directory), backlinks)


def start(directory: Path | None) -> Prefetch | None:
    """Fork a child to validate a pack the cache does not hold; None where forking is not worth it."""
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2:
        return None
    from . import cache
    from .loader import default_content_dir

    directory = Path(directory) if directory is not None else default_content_dir()
    if not directory.is_dir():
        return None  # the parent's own load says what is wrong
    from .readahead import fork_child

    def work() -> bytes:
        from .loader import load_pack

        return cache.encode(load_pack(directory, cache=True))

    # any failure: the parent loads the pack itself and says why
    return Prefetch(*fork_child(work), directory)
