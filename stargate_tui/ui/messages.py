"""Messages that widgets post upward; the app coordinates navigation."""

from __future__ import annotations

from textual.message import Message


class OpenRecord(Message):
    """Ask the app to show a record in its own pane (a link was followed)."""

    def __init__(self, record_id: str) -> None:
        super().__init__()
        self.record_id = record_id


class RecordHighlighted(Message):
    """A pane's list moved to another record; the app may remember it for history and copy."""

    def __init__(self, pane: str, record_id: str) -> None:
        super().__init__()
        self.pane = pane
        self.record_id = record_id


class PaneChosen(Message):
    """A pane's name was clicked in the pane bar."""

    def __init__(self, pane: str) -> None:
        super().__init__()
        self.pane = pane
