"""An OptionList with vim keys, used for every list in the explorer."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class NavList(OptionList):
    """Lists move with arrows, j/k, g/G and the mouse; enter selects."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    # OptionList pages by its height, and has no lines to page through while it has no height (a
    # terminal resized to a few cells): a page key then moves nothing instead of failing.
    def action_page_down(self) -> None:
        if self.scrollable_content_region.height > 0:
            super().action_page_down()

    def action_page_up(self) -> None:
        if self.scrollable_content_region.height > 0:
            super().action_page_up()
