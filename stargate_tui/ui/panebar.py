"""The row of pane names under the header: one line, every pane with its key.

Textual's `Tabs` scrolls the tabs that do not fit out of sight: at 80 columns two of the eight pane
names and their keys would be hidden. This bar keeps every pane on screen, shortening the names of
the panes not shown when it must; a click on a name shows that pane.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.reactive import reactive
from textual.widget import Widget

from .messages import PaneChosen


class PaneBar(Widget):
    """`1 Overview  2 Partners  …` with the shown pane marked; a click chooses a pane."""

    COMPONENT_CLASSES = {"pane-bar--active", "pane-bar--key"}

    DEFAULT_CSS = """
    PaneBar {
        height: 1;
        width: 1fr;
        color: $foreground 60%;
    }
    PaneBar > .pane-bar--active {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: bold;
    }
    PaneBar > .pane-bar--key {
        color: $accent;
        text-style: bold;
    }
    """

    active: reactive[str] = reactive("")  # the pane shown; setting it repaints the bar

    def __init__(self, labels: dict[str, str], active: str, **kwargs: str) -> None:
        """`labels`: pane → name shown after its number, in the order of the number keys."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._labels = dict(labels)
        self.set_reactive(PaneBar.active, active)
        self._spans: list[tuple[int, int, str]] = []  # (start, end, pane) of each name, for clicks

    def set_labels(self, labels: dict[str, str]) -> None:
        self._labels = dict(labels)
        self.refresh()

    def render(self) -> Text:
        width = self.size.width or 80
        names = dict(self._labels)
        numbers = {pane: str(n) for n, pane in enumerate(names, start=1)}

        def total(limit: int | None) -> int:
            lengths = [
                len(numbers[p]) + 1 + (len(n) if limit is None or p == self.active else min(len(n), limit))
                for p, n in names.items()
            ]
            return sum(lengths) + 2 * len(lengths)  # each name is padded by a space on both sides

        # too narrow for every name: shorten the names of the panes not shown, evenly
        limit: int | None = None
        if total(None) > width:
            limit = max((len(n) for n in names.values()), default=0)
            while limit > 1 and total(limit) > width:
                limit -= 1

        active_style = self.get_component_rich_style("pane-bar--active")
        key_style = self.get_component_rich_style("pane-bar--key")
        text = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for pane, name in names.items():
            if limit is not None and pane != self.active and len(name) > limit:
                name = name[: max(limit - 1, 0)] + "…"
            start = text.cell_len
            if pane == self.active:
                text.append(f" {numbers[pane]} {name} ", style=active_style)
            else:
                text.append(" ")
                text.append(numbers[pane], style=key_style)
                text.append(f" {name} ")
            self._spans.append((start, text.cell_len, pane))
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, pane in self._spans:
            if start <= event.x < end:
                event.stop()
                self.post_message(PaneChosen(pane))
                return
