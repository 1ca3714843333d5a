"""The key bar at the bottom: the keys of the screen shown, drawn as one line by one widget.

Textual's Footer is a container of one FooterKey widget per key, composed only once the bindings are
known, i.e. after the first frame: the first screen came without its keys, and composing, styling and
laying out the keys cost two more layouts and two more frames. This bar draws the same line (key,
description, the palette key on the right) in the first frame, and repaints one line when the keys
change.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

#: (start column, end column, key) of each key drawn, for clicks.
_Span = tuple[int, int, str]


class KeyBar(Widget):
    """`/ Search  ? Help  ⌫ Back  c Copy  q Quit          ▏^p palette`; a click presses the key."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--separator"}

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self, **kwargs: str) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._shown: tuple[object, ...] | None = None
        self._spans: list[_Span] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _keys(
        self, screen: Screen[object]
    ) -> tuple[list[tuple[str, str, str, bool]], tuple[str, str, str] | None]:
        """([(key, shown as, description, enabled)], palette key or None) for `screen`."""
        app = self.app
        keys: list[tuple[str, str, str, bool]] = []
        actions: set[str] = set()
        palette: tuple[str, str, str] | None = None
        for key, (_, binding, enabled, _tooltip) in screen.active_bindings.items():
            if key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = (binding.key, app.get_key_display(binding), binding.description)
            elif binding.show and binding.action not in actions:  # one entry per action, like Footer
                actions.add(binding.action)
                keys.append((binding.key, app.get_key_display(binding), binding.description, enabled))
        return keys, palette

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is not self.screen:
            return
        keys, palette = self._keys(screen)
        if (tuple(keys), palette) != self._shown:
            self.refresh()

    def render(self) -> Text:
        keys, palette = self._keys(self.screen)
        self._shown = tuple(keys), palette
        key_style = self.get_component_rich_style("key-bar--key")
        description_style = self.get_component_rich_style("key-bar--description")
        width = self.size.width or 80

        right = Text(no_wrap=True, end="")
        right_spans: list[_Span] = []
        if palette is not None:
            key, shown, description = palette
            right.append("▏", style=self.get_component_rich_style("key-bar--separator"))
            start = right.cell_len
            right.append(shown, style=key_style)
            right.append(f" {description} ", style=description_style)
            right_spans.append((start, right.cell_len, key))

        room = max(width - right.cell_len, 0)
        left = Text(no_wrap=True, end="")
        self._spans = []
        for key, shown, description, enabled in keys:
            if left.cell_len + len(shown) + len(description) + 3 > room:
                break  # the keys that do not fit whole are left out, not cut mid-word
            start = left.cell_len
            dim = Style(dim=not enabled)  # a key that does nothing here is shown dimmed, like Footer's
            left.append(f" {shown} ", style=key_style + dim)
            left.append(f"{description} ", style=description_style + dim)
            self._spans.append((start, left.cell_len, key))
        left.pad_right(room - left.cell_len)
        self._spans += [(s + room, e + room, k) for s, e, k in right_spans]
        return Text.assemble(left, right, no_wrap=True, end="")

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
