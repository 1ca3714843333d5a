"""Master–detail pane: a list of records (in titled sections) beside the selected record's detail."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets.option_list import Option, OptionDoesNotExist

from ..model import Record
from ..pack import FactPack
from ..views import PANES, list_label, pane_sections, t
from .detail import DetailView
from .messages import RecordHighlighted
from .navlist import NavList

#: How many items each Overview section lists, and the pane that lists them all.
OVERVIEW_LIMIT = 12
OVERVIEW_SECTION_PANE = {
    "headline": "money",
    "who": "partners",
    "where": "locations",
    "when": "timeline",
    "frame": "politics",
}


class RecordPane(Vertical):
    """One pane. `top` spans the width above the columns (chart, summary); `side` sits above the detail."""

    def __init__(
        self,
        name: str,
        pack: FactPack,
        lang: str,
        *,
        top: Widget | None = None,
        side: Widget | None = None,
        initial: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(classes=f"record-pane pane-{name}", id=id)
        self.pane = name
        self.pack = pack
        self.lang = lang
        self._top = top
        self._side = side
        self._initial = initial

    def compose(self) -> ComposeResult:
        if self._top is not None:
            yield self._top
        options = self._options()
        first = self._initial or next((o.id for o in options if o.id is not None), None)
        record = self.pack.get(first) if first else None
        detail = DetailView(self.pack, self.lang, record, classes="detail")
        with Horizontal(classes="columns"):
            yield NavList(*options, classes="master")
            if self._side is None:
                yield detail
            else:
                with Vertical(classes="detail-column"):
                    yield self._side
                    yield detail

    def _options(self) -> list[Option]:
        options: list[Option] = []
        seen: set[str] = set()
        for section in pane_sections(self.pack, self.pane):
            records = [r for r in section.records if r.id not in seen]
            if not records:
                continue
            options.append(Option(Text(section.title(self.lang).upper(), style="bold"), disabled=True))
            hidden = 0
            if self.pane == "overview" and len(records) > OVERVIEW_LIMIT:
                # the overview is one screen of the story; a big pack's full lists live in their panes
                records, hidden = records[:OVERVIEW_LIMIT], len(records) - OVERVIEW_LIMIT
            for record in records:
                seen.add(record.id)
                label = Text(list_label(record, self.lang), no_wrap=True, overflow="ellipsis")
                options.append(Option(label, id=record.id))
            if hidden:
                pane = OVERVIEW_SECTION_PANE.get(section.key, "overview")
                key = PANES.index(pane) + 1
                more = f"… +{hidden} ({key} {t(pane, self.lang)})"
                options.append(Option(Text(more, style="italic"), disabled=True))
        return options

    def on_mount(self) -> None:
        record = self.detail_view.record
        if record is not None:
            self.master.highlighted = self.master.get_option_index(record.id)

    @property
    def master(self) -> NavList:
        return self.query_one(".master", NavList)

    @property
    def detail_view(self) -> DetailView:
        return self.query_one(DetailView)

    @property
    def record(self) -> Record | None:
        return self.detail_view.record

    def has_record(self, record_id: str) -> bool:
        try:
            self.master.get_option(record_id)
        except OptionDoesNotExist:
            return False
        return True

    def select(self, record_id: str) -> bool:
        """Highlight a record in the list and show it. False when this pane does not list it."""
        if not self.has_record(record_id):
            return False
        master = self.master
        master.highlighted = master.get_option_index(record_id)
        record = self.pack.get(record_id)
        if record is not None:
            self.detail_view.show(record)
        return True

    def on_option_list_option_highlighted(self, event: NavList.OptionHighlighted) -> None:
        if not event.option_list.has_class("master") or event.option.id is None:
            return
        event.stop()
        record = self.pack.get(event.option.id)
        if record is not None:
            self.detail_view.show(record)
            self.post_message(RecordHighlighted(self.pane, record.id))

    def on_option_list_option_selected(self, event: NavList.OptionSelected) -> None:
        if event.option_list.has_class("master"):
            event.stop()
            self.detail_view.focus_links()
