"""Back/forward history of places visited, like a browser's. Plain Python, no Textual."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    pane: str
    record_id: str | None = None


class History:
    """A list of locations and a cursor. Visiting drops the forward part, as browsers do."""

    def __init__(self, limit: int = 500) -> None:
        self._items: list[Location] = []
        self._index = -1
        self._limit = limit

    @property
    def current(self) -> Location | None:
        return self._items[self._index] if self._items else None

    def visit(self, location: Location) -> None:
        if self.current == location:
            return
        del self._items[self._index + 1 :]
        self._items.append(location)
        if len(self._items) > self._limit:
            del self._items[0]
        self._index = len(self._items) - 1

    def replace(self, location: Location) -> None:
        """Update where we are now without adding a step (the cursor moved within a pane)."""
        if self._items:
            self._items[self._index] = location
        else:
            self.visit(location)

    def back(self) -> Location | None:
        if self._index <= 0:
            return None
        self._index -= 1
        return self._items[self._index]

    def forward(self) -> Location | None:
        if self._index >= len(self._items) - 1:
            return None
        self._index += 1
        return self._items[self._index]

    @property
    def can_go_back(self) -> bool:
        return self._index > 0

    @property
    def can_go_forward(self) -> bool:
        return self._index < len(self._items) - 1
