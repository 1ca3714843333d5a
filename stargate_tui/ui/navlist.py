"""An OptionList with vim keys, used for every list in the explorer."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import OptionList


class NavList(OptionList):
    """Lists move with arrows, j/k, g/G and the mouse; enter selects."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]

    _lines_width = -1  # the width the cached option lines were wrapped to

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # A list hidden with its pane and shown again is resized to the width it had: OptionList
        # would drop its wrapped lines and paint itself again in a second frame. Keep them.
        width = event.size.width
        if width == 0 or width == self._lines_width:
            event.prevent_default()
            return
        self._lines_width = width

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        # The restyle refreshed the scrollbar, which would report it from its own message loop:
        # often after the screen has drawn the pane switch, in a frame of its own. Report it now.
        scrollbar = self._vertical_scrollbar
        if scrollbar is not None:
            scrollbar._check_refresh()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Every layout of the screen passes the list a virtual size that is not its own (an OptionList
        # measures its lines itself), and ScrollView then refreshes the scrollbars: one more frame after
        # each pane switch for nothing. Nothing to update when the list keeps its size.
        if size == self._size and size - self.styles.gutter.totals == self._container_size:
            return False
        return super()._size_updated(size, virtual_size, container_size, layout)
