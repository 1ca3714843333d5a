"""The explorer: panes over one fact pack, with links, history, search and a palette.

Built by `cli.py` after the pack is loaded (no widget reads a file). The panes live on the main screen
(`ui/screen.py`), one screen class per language; the app keeps what outlives a change of language:
the pack, the history and the search index.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from textual import events, work
from textual.actions import SkipAction
from textual.app import App
from textual.binding import Binding
from textual.errors import NoWidget
from textual.screen import Screen
from textual.widgets import Input, TextArea

from .article import ArticleText
from .history import History, Location
from .pack import FactPack
from .search import SearchIndex
from .ui.messages import OpenRecord, PaneChosen, RecordHighlighted
from .ui.screen import MIN_HEIGHT, MIN_WIDTH, SCREENS, MainScreen, PaneWidget
from .views import PANES, pane_of, pane_records

__all__ = ["MIN_HEIGHT", "MIN_WIDTH", "StargateApp"]


class StargateApp(App[int]):
    """`StargateApp(pack).run()`; tests build it the same way."""

    CSS_PATH = Path(__file__).parent / "ui" / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "stargate-tui"
    ENABLE_COMMAND_PALETTE = False  # the explorer's own palette: ui/commands.py says why
    BINDINGS = [Binding("pageup,pagedown", "page_guard", show=False, priority=True)]

    def __init__(
        self,
        pack: FactPack,
        *,
        pane: str | None = None,
        open_id: str | None = None,
        lang: str = "en",
        article_text: ArticleText | None = None,
    ) -> None:
        # NO_COLOR: with ANSI colours allowed, Textual removes every colour (NoColor) instead of
        # painting in greys (Monochrome); app.tcss then marks focus and selection without colour
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.pack = pack
        self.lang = lang
        self.article_text = article_text  # the Article pane's text (`--source`), else its rebuilt form
        self.initial_pane = pane or "overview"
        self.initial_record = open_id
        self.history = History()
        self.title = pack.info.title.get(lang)
        self._search_index: SearchIndex | None = None
        self._search_lock = threading.Lock()
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # no tab or scroll animations unless asked for (TEXTUAL_ANIMATIONS=full): a pane switch
            # is one repaint, which matters over SSH
            self.animation_level = "none"
        if self.no_color:
            self.add_class("-no-color")

    # -- building ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[object]:
        pane, record_id = self._first_location()
        return SCREENS[self.lang](self.pack, pane, record_id)  # type: ignore[return-value]

    def _first_location(self) -> tuple[str, str | None]:
        """The pane and record to open on: `--open` wins, in `--pane` when that pane lists it."""
        record = self.pack.get(self.initial_record) if self.initial_record else None
        if record is None:
            return self.initial_pane, None
        if self.initial_pane != "overview" and record in pane_records(self.pack, self.initial_pane):
            return self.initial_pane, record.id
        return pane_of(record), record.id

    def on_mount(self) -> None:
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        """After the first frame: the first place in history; the search index, off the UI thread."""
        self.history.visit(Location(self.current_pane, self.current_record_id()))
        self._build_search_index()

    @work(thread=True, exclusive=True, group="search-index")
    def _build_search_index(self) -> None:
        self.search_index()

    def search_index(self) -> SearchIndex:
        """Built once, by a worker after the first frame or by the first search, whichever is first."""
        with self._search_lock:
            if self._search_index is None:
                from .article import ArticleMap

                text = self.article_text
                self._search_index = SearchIndex(self.pack, ArticleMap(self.pack, text) if text else None)
            return self._search_index

    # -- navigation ----------------------------------------------------------------------------

    @property
    def main_screen(self) -> MainScreen:
        """The screen with the panes (under any dialog)."""
        for screen in reversed(self.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        raise LookupError("no main screen")

    @property
    def current_pane(self) -> str:
        return self.main_screen.current_pane

    def pane_widget(self, pane: str) -> PaneWidget | None:
        """The pane's widget, if it has been built."""
        return self.main_screen.pane_widget(pane)

    def current_record_id(self) -> str | None:
        widget = self.pane_widget(self.current_pane)
        record = widget.record if widget is not None else None
        return record.id if record is not None else None

    async def show_pane(self, pane: str, record_id: str | None = None, *, remember: bool = True) -> None:
        """Switch to a pane (building it if needed), optionally on a record; records history."""
        if pane not in PANES:
            return
        if not self.main_screen.ready:  # a key right after a language switch: once it is built
            self.call_after_refresh(self.show_pane, pane, record_id, remember=remember)
            return
        widget = await self.main_screen.show_pane(pane, record_id)
        self._update_map(widget)
        if remember:
            self.history.visit(Location(pane, self.current_record_id()))

    async def open_record(self, record_id: str, pane: str | None = None) -> None:
        """Show a record in its own pane (or in `pane` when that pane lists it)."""
        record = self.pack.get(record_id)
        if record is None:
            self.notify(f"Unknown record {record_id!r}", severity="error")
            return
        target = pane if pane is not None else pane_of(record)
        if not self.main_screen.ready:
            self.call_after_refresh(self.open_record, record_id, pane)
            return
        widget = await self.main_screen.build_pane(target)
        if not widget.has_record(record_id):
            target = pane_of(record)
        await self.show_pane(target, record_id)

    async def action_show_pane(self, pane: str) -> None:
        if pane != self.current_pane:
            self._remember_cursor()
        await self.show_pane(pane)

    async def action_back(self) -> None:
        self._remember_cursor()
        location = self.history.back()
        if location is None:
            self.bell()
            return
        await self.show_pane(location.pane, location.record_id, remember=False)

    async def action_forward(self) -> None:
        self._remember_cursor()
        location = self.history.forward()
        if location is None:
            self.bell()
            return
        await self.show_pane(location.pane, location.record_id, remember=False)

    def _remember_cursor(self) -> None:
        current = self.history.current
        if current is not None and current.pane == self.current_pane:
            self.history.replace(Location(current.pane, self.current_record_id()))

    async def on_pane_chosen(self, message: PaneChosen) -> None:
        """A pane's name was clicked in the pane bar."""
        await self.action_show_pane(message.pane)

    def on_record_highlighted(self, message: RecordHighlighted) -> None:
        if message.pane == self.current_pane:
            current = self.history.current
            if current is not None and current.pane == message.pane:
                self.history.replace(Location(message.pane, message.record_id))
            widget = self.pane_widget(message.pane)
            if widget is not None:
                self._update_map(widget)

    async def on_open_record(self, message: OpenRecord) -> None:
        self._remember_cursor()
        await self.open_record(message.record_id)

    def _update_map(self, widget: PaneWidget) -> None:
        """Mark the selected place on the Locations map, the selected event on the timeline."""
        if widget.pane not in ("locations", "timeline"):
            return
        from .ui.map import MapView
        from .ui.timeline import TimelineChart

        record = widget.record
        for view in widget.query(MapView):
            view.selected = record.id if record is not None else None
        for chart in widget.query(TimelineChart):
            chart.selected = record.id if record is not None else None

    async def on_event(self, event: events.Event) -> None:
        # A press on a notification that is going away (its time is up, or a first click closed it)
        # finds a widget still drawn but already out of the screen, and Textual's text selection
        # fails on it: the press is dropped (a double click on a notification did this).
        if isinstance(event, events.MouseDown):
            try:
                widget, _ = self.screen.get_widget_at(event.x, event.y)
            except NoWidget:
                pass
            else:
                if not widget.is_attached:
                    return
        await super().on_event(event)

    # -- actions -------------------------------------------------------------------------------

    def action_palette(self) -> None:
        from .ui.commands import commands
        from .ui.screens import PaletteScreen

        if not isinstance(self.screen, MainScreen):
            return
        every = commands(self.pack, self.lang, sorted(self.available_themes))
        self.push_screen(PaletteScreen(every, self.lang), self._run_command)

    def _run_command(self, command_id: str | None) -> None:
        """Carry out what the palette chose (`ui/commands.py` lists the ids)."""
        kind, _, argument = (command_id or "").partition(":")
        if kind == "pane":
            self.call_later(self.action_show_pane, argument)
        elif kind == "record":
            self._remember_cursor()
            self.call_later(self.open_record, argument)
        elif kind == "lang":
            self.call_after_refresh(self.set_language, argument)
        elif kind == "theme":
            self.theme = argument
        elif kind == "help":
            self.action_help()
        elif kind == "quit":
            self.exit()

    async def set_language(self, lang: str) -> None:
        """Show the explorer in another language, keeping the pane, the record and the history.

        The screen of the language shown at start stays at the bottom of the stack: the other
        language's screen is pushed over it, and popped to come back."""
        if lang == self.lang:
            return
        pane, record_id = self.current_pane, self.current_record_id()
        self.lang = lang
        self.title = self.pack.info.title.get(lang)
        while len(self.screen_stack) > 1 and not self._is_main(self.screen, lang):
            # dialogs, and the screen of the other language; not awaited: from a handler of the
            # app's own loop, waiting for the screen's removal would wait for this very handler
            self.pop_screen()
        if self._is_main(self.screen, lang):
            await self.show_pane(pane, record_id, remember=False)
        else:
            await self.push_screen(SCREENS[lang](self.pack, pane, record_id))
            widget = self.pane_widget(pane)
            if widget is not None:
                self._update_map(widget)

    @staticmethod
    def _is_main(screen: Screen[object], lang: str) -> bool:
        return isinstance(screen, MainScreen) and lang == screen.LANG

    def action_page_guard(self) -> None:
        """Page keys do their usual work, except in a terminal too small for the explorer: there a
        list (the palette's among them) may have no height, and Textual's OptionList cannot page
        through a list it has not laid out."""
        width, height = self.size
        if width >= MIN_WIDTH and height >= MIN_HEIGHT:
            raise SkipAction()

    def action_search(self) -> None:
        from .ui.screens import SearchScreen

        if isinstance(self.screen, SearchScreen) or isinstance(self.focused, Input | TextArea):
            raise SkipAction()  # a `/` typed into a text box (the search's own, the palette's)

        def chosen(record_id: str | None) -> None:
            if record_id:
                self._remember_cursor()
                self.call_later(self.open_record, record_id)

        self.push_screen(SearchScreen(self.pack, self.search_index(), self.lang), chosen)

    def action_help(self) -> None:
        from .ui.screens import HelpScreen

        self.push_screen(HelpScreen(self.lang))

    async def action_show_source(self) -> None:
        """`s`: the selected record's first cited span, in the Article pane."""
        record_id = self.current_record_id()
        if record_id is None or self.current_pane == "article":
            self.bell()
            return
        self._remember_cursor()
        await self.show_pane("article", record_id)

    def action_step_span(self, direction: int) -> None:
        """`n` / `N`: the next or previous span of the same record, in the Article pane."""
        from .ui.article import ArticlePane

        widget = self.pane_widget(self.current_pane)
        if not isinstance(widget, ArticlePane) or not widget.step(direction):
            self.bell()

    def action_copy(self) -> None:
        from .views import citation

        widget = self.pane_widget(self.current_pane)
        span = getattr(widget, "span", None) if self.current_pane == "article" else None
        if span is not None:
            from .article import span_citation

            text = span_citation(span, self.pack, self.lang)
            self.copy_to_clipboard(text)
            self.notify(text, title="Copié" if self.lang == "fr" else "Copied", timeout=6)
            return
        record_id = self.current_record_id()
        record = self.pack.get(record_id) if record_id else None
        if record is None:
            self.bell()
            return
        text = citation(record, self.pack, self.lang)
        self.copy_to_clipboard(text)
        self.notify(text, title="Copié" if self.lang == "fr" else "Copied", timeout=6)
