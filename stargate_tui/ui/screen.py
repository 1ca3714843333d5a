"""The explorer's main screen: the pane bar, the panes, and the footer with the keys.

Key bindings live here, as data, named in the screen's language: `EnglishScreen` and `FrenchScreen`
differ only in their `BINDINGS`, and changing language swaps one screen for the other. Only the first
pane is built with the screen; the others are built the first time they are shown.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Static

from ..pack import FactPack
from ..views import PANES, t
from .article import ArticlePane
from .pane import RecordPane
from .panebar import PaneBar

#: What a pane is: a master–detail RecordPane, or the Article pane.
PaneWidget = RecordPane | ArticlePane

#: Below this size the panes are replaced by a message that says so.
MIN_WIDTH, MIN_HEIGHT = 60, 18


class KeysFooter(Footer):
    """Textual's Footer, recomposed only when the keys it shows change, and in its own time.

    The stock footer recomposes whenever its screen's bindings are refreshed, which every change of
    focus does: a pane switch rebuilt the same keys several times over. And it schedules that with
    `call_after_refresh`, which runs on whichever screen is current: a dialog opened at that moment
    ran it, and closing the dialog then waited on it for ever (keys typed together, such as ^p and
    escape after a change of focus, froze the explorer). Once composed, this footer compares the keys
    it would show and, when they differ, asks for its recompose with `refresh(recompose=True)`."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: tuple[tuple[str, str, bool], ...] = ()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        shown = tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )
        if not self.children:  # the first time: the stock path, which also marks the keys ready
            super().bindings_changed(screen)
        elif shown != self.shown:
            self.refresh(recompose=True)
        self.shown = shown


def main_bindings(lang: str) -> list[BindingType]:
    """The explorer's keys, described in `lang` (PRODUCT.md lists them; the help screen too)."""
    return [
        *(
            Binding(str(n), f"app.show_pane('{pane}')", t(pane, lang), show=False, id=f"pane-{pane}")
            for n, pane in enumerate(PANES, start=1)
        ),
        # priority: `/` and ^p open their box before the keys typed after them reach the pane's list
        Binding("slash", "app.search", t("key-search", lang), id="search", priority=True),
        Binding("question_mark,f1", "app.help", t("key-help", lang), key_display="?", id="help"),
        Binding("backspace,alt+left", "app.back", t("key-back", lang), key_display="⌫", id="back"),
        Binding("alt+right", "app.forward", t("key-forward", lang), show=False, id="forward"),
        Binding("c", "app.copy", t("key-copy", lang), id="copy"),
        Binding("s", "app.show_source", t("key-source", lang), id="show-source"),
        # one id for both: the help shows them on one row, "n N"
        Binding("n", "app.step_span(1)", t("key-next-span", lang), show=False, id="next-span"),
        Binding("N", "app.step_span(-1)", t("key-previous-span", lang), show=False, id="next-span"),
        Binding(
            "ctrl+p", "app.palette", t("key-palette", lang), key_display="^p", id="palette", priority=True
        ),
        Binding("q", "app.quit", t("key-quit", lang), id="quit"),
    ]


class MainScreen(Screen[None]):
    """Header, pane bar, the panes (built on first use) and the footer."""

    LANG = "en"

    def __init__(self, pack: FactPack, pane: str, record_id: str | None = None) -> None:
        super().__init__()
        self.pack = pack
        self.current_pane = pane
        self._first_record = record_id

    def compose(self) -> ComposeResult:
        yield Header(icon="◆")
        yield PaneBar({pane: t(pane, self.LANG) for pane in PANES}, self.current_pane, id="pane-bar")
        with Container(id="panes"):
            yield self._make_pane(self.current_pane, self._first_record)
        yield Static("", id="too-small")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._check_size(self.size.width, self.size.height)
        self.focus_pane()

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def on_screen_resume(self) -> None:
        self._check_size(self.size.width, self.size.height)

    # -- panes -----------------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """Whether panes can be built: for a moment after the screen is pushed (a language
        switch), a key may arrive before its container of panes is mounted."""
        return any(panes.is_mounted for panes in self.query("#panes"))

    def pane_widget(self, pane: str) -> PaneWidget | None:
        """The pane's widget, if it has been built."""
        for panes in self.query("#panes"):
            for child in panes.children:
                if child.id == pane and isinstance(child, PaneWidget):
                    return child
        return None

    def _make_pane(self, pane: str, record_id: str | None = None) -> PaneWidget:
        top: Widget | None = None
        side: Widget | None = None
        if pane == "overview":
            top = Static(self.pack.info.summary.get(self.LANG), classes="intro")
        elif pane == "money":
            from .chart import MoneyChart

            top = MoneyChart(self.pack, self.LANG, classes="chart")
        elif pane == "timeline":
            from .timeline import TimelineChart

            top = TimelineChart(self.pack, self.LANG, classes="timeline-chart")
        elif pane == "locations":
            from .map import MapView

            side = MapView(self.pack, self.LANG, classes="map")
        elif pane == "article":
            text = getattr(self.app, "article_text", None)
            return ArticlePane(self.pack, self.LANG, text, initial=record_id, id=pane)
        return RecordPane(pane, self.pack, self.LANG, top=top, side=side, initial=record_id, id=pane)

    async def build_pane(self, pane: str) -> PaneWidget:
        """The pane's widget, built and mounted (hidden) on first use."""
        widget = self.pane_widget(pane)
        if widget is None:
            widget = self._make_pane(pane)
            widget.display = False
            await self.query_one("#panes").mount(widget)
        return widget

    async def show_pane(self, pane: str, record_id: str | None = None) -> PaneWidget:
        """Show a pane (building it on first use), optionally on a record, and focus its list."""
        widget = await self.build_pane(pane)
        if pane != self.current_pane:
            previous = self.pane_widget(self.current_pane)
            if previous is not None:
                previous.display = False
            self.current_pane = pane
        widget.display = True
        self.query_one(PaneBar).active = pane
        if record_id is not None:
            widget.select(record_id)
        self.focus_pane()
        return widget

    def focus_pane(self) -> None:
        """Give the shown pane's list the focus (unless a dialog is open over the screen)."""
        widget = self.pane_widget(self.current_pane)
        if widget is not None and self.is_current:
            widget.master.focus(scroll_visible=False)

    # -- size ------------------------------------------------------------------------------------

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        was_small = self.has_class("-too-small")
        self.set_class(small, "-too-small")
        self.set_class(width < 80, "-narrow")
        self.set_class(width >= 100, "-wide")  # room for the visual timeline
        if small:
            need = f"{MIN_WIDTH}×{MIN_HEIGHT}"
            if self.LANG == "fr":
                msg = f"Terminal trop petit : {width}×{height} (il faut {need}).\n"
                msg += "Agrandissez la fenêtre, ou q pour quitter."
            else:
                msg = f"Terminal too small: {width}×{height} (need {need}).\n"
                msg += "Enlarge the window, or press q to quit."
            self.query_one("#too-small", Static).update(msg)
        elif was_small:
            self.call_after_refresh(self.focus_pane)  # the list was hidden and lost the focus


class EnglishScreen(MainScreen):
    LANG = "en"
    BINDINGS = main_bindings("en")


class FrenchScreen(MainScreen):
    LANG = "fr"
    BINDINGS = main_bindings("fr")


SCREENS: dict[str, type[MainScreen]] = {"en": EnglishScreen, "fr": FrenchScreen}
