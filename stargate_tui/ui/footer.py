"""A Footer that redraws only when the keys it shows change.

Textual's Footer recomposes on every bindings signal, and moving focus sends several per pane switch;
our footer shows the same app-level keys everywhere, so each of those recomposes was a full layout and
a repaint for nothing.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    _shown: tuple[object, ...] | None = None

    def _signature(self, screen: Screen[object]) -> tuple[object, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        signature = self._signature(screen)
        if self._bindings_ready and signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)
