"""An OptionList with vim keys, used for every list in the explorer.

The terminal's cursor follows the highlighted option of the focused list (hidden, as Textual keeps
it, but where braille displays and screen readers' review cursors look for the selection).
"""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Offset
from textual.widgets import OptionList


class NavList(OptionList):
    """Lists move with arrows, j/k, g/G and the mouse; enter selects."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    # Paging moves by options, one line each (lists here do not wrap), so it needs nothing of the
    # list's layout: OptionList's own paging fails on a list it has not laid out (no height yet, or
    # options replaced since it was last drawn).
    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def _page(self, direction: int) -> None:
        count = self.option_count
        if count == 0:
            return
        start = self.highlighted if self.highlighted is not None else (0 if direction > 0 else count - 1)
        page = max(self.scrollable_content_region.height, 1)
        target = min(max(start + direction * page, 0), count - 1)
        # the first enabled option at or past the target, else the nearest one back towards the start
        onward = range(target, count if direction > 0 else -1, direction)
        back = range(target - direction, start - direction, -direction)
        for index in (*onward, *back):
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return

    def place_cursor(self) -> None:
        """Put the terminal's cursor on the highlighted option (one line per option: lists here do
        not wrap)."""
        if not self.has_focus or self.highlighted is None:
            return
        region = self.content_region
        y = region.y + self.highlighted - round(self.scroll_offset.y)
        if region.y <= y < region.bottom:
            self.app.cursor_position = Offset(region.x, y)

    def on_focus(self) -> None:
        self.call_after_refresh(self.place_cursor)  # once laid out (focus may come first)

    def on_option_list_option_highlighted(self) -> None:
        self.place_cursor()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.place_cursor()

    def on_click(self, event: events.Click) -> None:
        # A click names the option drawn under the pointer; when the list has changed since it was
        # drawn (results that follow typing), that option may no longer exist: the click does nothing.
        option = event.style.meta.get("option")
        if isinstance(option, int) and option >= self.option_count:
            event.prevent_default()
