"""An OptionList with vim keys, used for every list in the explorer."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.dom import DOMNode
from textual.geometry import Size
from textual.widget import Widget
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

    # The focus state the list's styles were last computed for. Textual restyles a widget whenever its
    # focus changes (OptionList: ~2.5 ms, its component classes included); a pane switch blurs the list
    # of the pane it hides and focuses the one it shows, which was focused when it was hidden. A list
    # that is not on screen keeps its styles until it is shown again (`sync_focus_style`), so a switch
    # back and forth restyles nothing.
    _styled_focus: bool | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styled_focus = self.has_focus

    def watch_has_focus(self, has_focus: bool) -> None:
        if has_focus != self._styled_focus and self._on_screen():
            self._restyle()

    def _on_focus(self, event: events.Focus) -> None:
        # Widget._on_focus also repaints the whole list (~4 ms): its look follows the focus through its
        # styles alone, and a restyle repaints what changed. The rest is Widget's.
        event.prevent_default()
        self.has_focus = True
        if self.parent is not None:
            self.parent.post_message(events.DescendantFocus(self))

    def _on_blur(self, event: events.Blur) -> None:
        event.prevent_default()
        self.has_focus = False
        if self.parent is not None:
            self.parent.post_message(events.DescendantBlur(self))

    def sync_focus_style(self) -> None:
        """Restyle the list if its focus changed while it was hidden (call when showing it)."""
        if self.has_focus != self._styled_focus:
            self._restyle()

    def _on_screen(self) -> bool:
        node: DOMNode | None = self
        while isinstance(node, Widget):
            if not node.display:
                return False
            node = node.parent
        return True

    def _restyle(self) -> None:
        self.update_node_styles()
        # The restyle refreshed the scrollbar, which would report it from its own message loop:
        # often after the screen has drawn the pane switch, in a frame of its own. Report it now.
        scrollbar = self._vertical_scrollbar
        if scrollbar is not None:
            scrollbar._check_refresh()

    def _update_lines(self) -> None:
        # OptionList measures every new option by laying its text out (2,200 options: ~0.2 s on a
        # pane's first visit). In a list that does not wrap, a one-line label is one line: record
        # those directly and leave OptionList to measure from the first option that is not.
        if self.scrollable_content_region.width > 0 and self.styles.text_wrap == "nowrap":
            cache = self._line_cache
            start = cache.lines[-1][0] + 1 if cache.lines else 0
            for index in range(start, len(self.options)):
                option = self.options[index]
                if option._divider or not _one_line(option.prompt):
                    break
                cache.index_to_line[index] = len(cache.lines)
                cache.heights[index] = 1
                cache.lines.append((index, 0))
        super()._update_lines()

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Every layout of the screen passes the list a virtual size that is not its own (an OptionList
        # measures its lines itself), and ScrollView then refreshes the scrollbars: one more frame after
        # each pane switch for nothing. Nothing to update when the list keeps its size.
        if size == self._size and size - self.styles.gutter.totals == self._container_size:
            return False
        return super()._size_updated(size, virtual_size, container_size, layout)


def _one_line(prompt: object) -> bool:
    """A label that lays out as one line when not wrapped."""
    if isinstance(prompt, Text | Content):
        plain = prompt.plain
    elif isinstance(prompt, str):
        plain = prompt
    else:
        return False  # another renderable: let OptionList measure it
    return bool(plain) and "\n" not in plain and "\r" not in plain
