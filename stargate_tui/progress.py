"""A progress bar on stderr while a slow pack loads (a large pack that the cache does not hold).

The bar shows only when stderr is a terminal and only once the load has taken more than half a
second, so that a quick load prints nothing; it is transient (gone when the load ends). It moves
after each file of the pack. Rich is imported only when the bar shows; Textual never.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from .loader import load_pack
from .pack import FactPack

#: Seconds a load may take before the bar shows.
DELAY = 0.5


def load_with_progress(
    directory: Path | str | None, *, source: Path | str | None = None, cache: bool = False
) -> FactPack:
    """`load_pack`, with a progress bar on stderr when the load is slow. Raises what it raises."""
    if not sys.stderr.isatty():
        return load_pack(directory, source=source, cache=cache)
    bar = _Bar()
    try:
        return load_pack(directory, source=source, cache=cache, progress=bar)
    finally:
        bar.close()


class _Bar:
    """The progress callback of one load: a Rich bar that starts once DELAY has passed."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if time.monotonic() - self.started < DELAY:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn

            self.progress = Progress(
                TextColumn("Reading the fact pack"),
                BarColumn(),
                TaskProgressColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task("pack", total=total)
        self.progress.update(self.task, completed=done)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
