"""The explorer: seven panes over one fact pack, with links, history, search and a palette.

Built by `cli.py` after the pack is loaded (no widget reads a file). Only the first pane is built at
start-up, in compose so that it is in the first frame; the others are built the first time they are
shown. docs/performance.md has what start-up and a pane switch cost.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container
from textual.filter import Monochrome, NoColor
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static
from textual.worker import WorkerCancelled, get_current_worker

from .history import History, Location
from .loader import FactPack
from .ui.footer import KeyBar
from .ui.messages import OpenRecord, PaneChosen, RecordHighlighted
from .ui.pane import RecordPane
from .ui.panebar import PaneBar
from .views import PANES, pane_of, pane_records, t

if TYPE_CHECKING:
    from textual.command import Provider

    from .search import SearchIndex

MIN_WIDTH, MIN_HEIGHT = 60, 18


def _record_commands() -> type[Provider]:
    """The palette's record provider, imported only when the palette opens."""
    from .ui.commands import RecordCommands

    return RecordCommands


class StargateApp(App[int]):
    """`StargateApp(pack).run()`; tests build it the same way."""

    CSS_PATH = Path(__file__).parent / "ui" / "app.tcss"  # absolute: subclasses live elsewhere
    TITLE = "stargate-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_record_commands}

    BINDINGS = [
        *(
            Binding(str(n), f"show_pane('{pane}')", pane.capitalize(), show=False, id=f"pane-{pane}")
            for n, pane in enumerate(PANES, start=1)
        ),
        # priority: `/` opens the search before the keys typed after it are handed to the pane's list,
        # so that they reach the search box (action_search lets `/` through where text is typed)
        Binding("slash", "search", "Search", id="search", priority=True),
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("backspace,alt+left", "back", "Back", key_display="⌫", id="back"),
        Binding("alt+right", "forward", "Forward", show=False, id="forward"),
        Binding("c", "copy", "Copy", id="copy"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(
        self, pack: FactPack, *, pane: str | None = None, open_id: str | None = None, lang: str = "en"
    ) -> None:
        super().__init__()
        self.pack = pack
        self.lang = lang
        self.initial_pane = pane or "overview"
        self.initial_record = open_id
        self.history = History()
        self.title = pack.info.title.get(lang)  # before mount: no header update after the first frame
        self._name_keys()
        self._first: tuple[str, str | None] = (self.initial_pane, None)  # set by compose
        self._current = self.initial_pane  # the pane shown
        self._search_index: SearchIndex | None = None
        self._search_lock = threading.Lock()
        self._search_wanted = False  # set when the interface waits for the index
        self._heartbeat = time.monotonic()  # the interface's last idle moment, while the index builds
        self._beat_timer: Timer | None = None
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            # no tab-underline or scroll animations unless asked for: a pane switch is then one repaint,
            # which matters over SSH (TEXTUAL_ANIMATIONS=full brings them back)
            self.animation_level = "none"
        if self.no_color:
            # Textual's default NO_COLOR filter still paints greys; ours removes colour entirely.
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]
            self.add_class("-no-color")  # app.tcss marks focus and selection without colour

    # -- building ------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[object]:
        from .ui.screen import MainScreen

        return MainScreen(id="_default")  # type: ignore[return-value]

    def _name_keys(self) -> None:
        """Footer and help names of the keys in the current language (`key-ID` strings in views)."""
        self._bindings.key_to_bindings = {
            key: [
                replace(b, description=t(f"key-{b.id}", self.lang))
                if b.id and not b.id.startswith("pane-")
                else b
                for b in bindings
            ]
            for key, bindings in self._bindings.key_to_bindings.items()
        }

    def _first_location(self) -> tuple[str, str | None]:
        """The pane and record to open on: `--open` wins, in `--pane` when that pane lists it."""
        record = self.pack.get(self.initial_record) if self.initial_record else None
        if record is None:
            return self.initial_pane, None
        if self.initial_pane != "overview" and record in pane_records(self.pack, self.initial_pane):
            return self.initial_pane, record.id
        return pane_of(record), record.id

    def _pane_labels(self) -> dict[str, str]:
        return {pane: t(pane, self.lang) for pane in PANES}

    def compose(self) -> ComposeResult:
        first_pane, first_record = self._first = self._first_location()
        self._current = first_pane
        yield Header(icon="◆")
        yield PaneBar(self._pane_labels(), first_pane, id="pane-bar")
        with Container(id="panes"):
            # only the first pane is built now, so that the first frame shows it; the others are
            # built the first time they are shown
            yield self._make_pane(first_pane, first_record)
        yield Static("", id="too-small")
        yield KeyBar()

    def on_mount(self) -> None:
        self._check_size(self.size.width, self.size.height)
        pane, _ = self._first
        widget = self.pane_widget(pane)
        if widget is not None:
            widget.focus_list()
            self._update_map(widget)
        self.history.visit(Location(pane, self.current_record_id()))
        # build the search index off the UI thread once the first screen is up
        self.set_timer(0.5, self._warm_search)
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        if not gc.isenabled():  # the command line starts with it off (cli.run)
            gc.freeze()  # what start-up built lives as long as the app: never scan it again
            gc.enable()

    def pane_widget(self, pane: str) -> RecordPane | None:
        """The pane's widget, if it has been built."""
        for child in self.query_one("#panes").children:
            if child.id == pane and isinstance(child, RecordPane):
                return child
        return None

    def _make_pane(self, pane: str, record_id: str | None = None) -> RecordPane:
        top: Widget | None = None
        side: Widget | None = None
        if pane == "overview":
            top = Static(self.pack.info.summary.get(self.lang), classes="intro")
        elif pane == "money":
            from .ui.chart import MoneyChart

            top = MoneyChart(self.pack, self.lang, classes="chart")
        elif pane == "locations":
            from .ui.map import MapView

            side = MapView(self.pack, self.lang, classes="map")
        return RecordPane(pane, self.pack, self.lang, top=top, side=side, initial=record_id, id=pane)

    async def build_pane(self, pane: str) -> RecordPane:
        """Mount a pane's widgets on first use (lazy panes keep start-up close to a bare app)."""
        widget = self.pane_widget(pane)
        if widget is not None:
            return widget
        widget = self._make_pane(pane)
        widget.display = pane == self._current  # mounted hidden: shown by show_pane with the bar
        await self.query_one("#panes").mount(widget)
        return widget

    # -- navigation ----------------------------------------------------------------------------

    @property
    def current_pane(self) -> str:
        return self._current

    def current_record_id(self) -> str | None:
        widget = self.pane_widget(self.current_pane)
        record = widget.record if widget is not None else None
        return record.id if record is not None else None

    async def show_pane(self, pane: str, record_id: str | None = None, *, remember: bool = True) -> None:
        """Switch to a pane (building it if needed), optionally on a record; records history."""
        if pane not in PANES:
            return
        widget = await self.build_pane(pane)
        if pane != self._current:
            previous = self.pane_widget(self._current)
            self._current = pane
            with self.batch_update():
                if previous is not None:
                    previous.display = False
                widget.display = True
                self.query_one(PaneBar).active = pane
        if record_id is not None:
            widget.select(record_id)
        widget.focus_list()
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
        widget = await self.build_pane(target)
        if not widget.has_record(record_id):
            target = pane_of(record)
        await self.show_pane(target, record_id)

    async def action_show_pane(self, pane: str) -> None:
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
        if message.pane != self._current:
            self._remember_cursor()
            await self.show_pane(message.pane)

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

    def _update_map(self, widget: RecordPane) -> None:
        """Mark the selected place on the Locations map."""
        if widget.pane != "locations":
            return
        from .ui.map import MapView

        record = widget.record
        for view in widget.query(MapView):
            view.selected = record.id if record is not None else None

    # -- actions -------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if self.lang == "fr":
            yield SystemCommand("Language: English", "Show the interface and facts in English", self._english)
        else:
            yield SystemCommand("Langue : français", "Interface et faits en français", self._french)

    async def _english(self) -> None:
        await self.set_language("en")

    async def _french(self) -> None:
        await self.set_language("fr")

    async def set_language(self, lang: str) -> None:
        """Rebuild the explorer in another language, keeping the pane, the record and the history."""
        if lang == self.lang:
            return
        pane, record_id = self.current_pane, self.current_record_id()
        self.lang = lang
        self.title = self.pack.info.title.get(lang)
        self._name_keys()
        self.screen.refresh_bindings()
        self.query_one(PaneBar).set_labels(self._pane_labels())
        await self.query_one("#panes").remove_children()
        await self.show_pane(pane, record_id, remember=False)

    def search_index(self) -> SearchIndex:
        """Built once, by the warm-up thread after the first frame or by the first `/`."""
        self._search_wanted = True  # a paused warm-up goes on at full speed
        return self._build_search_index()

    def _build_search_index(self, pause: Callable[[], None] | None = None) -> SearchIndex:
        with self._search_lock:
            if self._search_index is None:
                from .search import SearchIndex

                self._search_index = SearchIndex(self.pack, pause)
            return self._search_index

    def _warm_search(self) -> None:
        # The index is built in a thread, but threads share one interpreter: on a 10,000-record pack
        # its 1–2 s of work slowed the panes opened meanwhile (Money's first visit 0.5 → 0.9 s). A
        # timer on the interface's loop beats while that loop is free; the build waits whenever the
        # beat is late.
        self._beat_timer = self.set_interval(0.02, self._beat)
        self._beat()
        self._warm_search_thread()

    def _beat(self) -> None:
        self._heartbeat = time.monotonic()
        if self._search_index is not None and self._beat_timer is not None:
            self._beat_timer.stop()
            self._beat_timer = None

    @work(thread=True, exclusive=True, group="search-index")
    def _warm_search_thread(self) -> None:
        worker = get_current_worker()

        def pause() -> None:
            while time.monotonic() - self._heartbeat > 0.05 and not self._search_wanted:
                if worker.is_cancelled:
                    raise WorkerCancelled()
                time.sleep(0.01)

        self._build_search_index(pause)

    def action_search(self) -> None:
        from textual.actions import SkipAction
        from textual.widgets import Input, TextArea

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

    def action_copy(self) -> None:
        from .views import citation

        record_id = self.current_record_id()
        record = self.pack.get(record_id) if record_id else None
        if record is None:
            self.bell()
            return
        text = citation(record, self.pack, self.lang)
        self.copy_to_clipboard(text)
        self.notify(text, title="Copié" if self.lang == "fr" else "Copied", timeout=6)

    # -- size ----------------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        self.screen.set_class(small, "-too-small")
        self.screen.set_class(width < 80, "-narrow")
        if small:
            need = f"{MIN_WIDTH}×{MIN_HEIGHT}"
            if self.lang == "fr":
                msg = f"Terminal trop petit : {width}×{height} (il faut {need}).\n"
                msg += "Agrandissez la fenêtre, ou q pour quitter."
            else:
                msg = f"Terminal too small: {width}×{height} (need {need}).\n"
                msg += "Enlarge the window, or press q to quit."
            self.query_one("#too-small", Static).update(msg)
