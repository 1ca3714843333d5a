"""The explorer's main screen."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget


class MainScreen(Screen[None]):
    """A Screen whose focus changes do not repaint the whole terminal.

    Textual's `Screen.focused` is a repainting reactive: every focus change redraws all 80×24 cells,
    and a pane switch moves focus to the new pane's list. The widgets whose look depends on focus
    restyle and repaint themselves, so the full repaint only cost bytes (one extra screenful per
    switch, which is felt over SSH).
    """

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
