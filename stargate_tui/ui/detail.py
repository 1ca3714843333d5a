"""The detail half of every pane: facts, text, provenance and background, then the record's links."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static
from textual.widgets.option_list import Option

from ..model import Record
from ..pack import FactPack
from ..views import Detail, citation_lines, colon, detail, t
from .messages import OpenRecord
from .navlist import NavList


def render_detail(d: Detail, lang: str) -> RenderableType:
    """The body of a detail view. Provenance is always part of it: no record is shown without it.
    Labels stand in a column of their own, so that a value that wraps hangs under itself."""
    parts: list[RenderableType] = [Text(d.title, style="bold")]
    facts = Table.grid(padding=(0, 1))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column(ratio=1)
    for label, value in d.facts:
        facts.add_row(label, value)
    # provenance comes straight after the key facts, so it is on screen even at 80×24
    for line in citation_lines(d.sources, lang):
        facts.add_row(Text(t("provenance", lang), style="italic"), Text(line, style="italic"))
    parts.append(facts)
    for paragraph in d.body:
        parts.append(Text(""))
        parts.append(Text(paragraph))
    if d.background:
        parts.append(Text(""))
        parts.append(Text(t("background", lang), style="bold underline"))
        notes = Table.grid(padding=(0, 1))
        notes.add_column(no_wrap=True)
        notes.add_column(ratio=1)
        for note, basis in d.background:
            notes.add_row("•", Text(note))
            based = Table.grid(padding=(0, 1))
            based.add_column(no_wrap=True, style="italic")
            based.add_column(ratio=1, style="italic")
            based.add_row(f"{t('basis', lang)}{colon(lang)}", basis)
            notes.add_row("", based)
        parts.append(notes)
    return Group(*parts)


class DetailView(Vertical):
    """Shows one record; its links list posts OpenRecord when a link is chosen."""

    def __init__(self, pack: FactPack, lang: str, record: Record | None = None, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lang = lang
        self.record: Record | None = record

    def compose(self) -> ComposeResult:
        # the first record is drawn in the first layout pass, not one refresh later
        d = detail(self.record, self.pack, self.lang) if self.record is not None else None
        with VerticalScroll(classes="detail-scroll") as scroll:
            if d is not None:
                scroll.border_subtitle = self._subtitle(d)
            yield Static(render_detail(d, self.lang) if d else t("nothing", self.lang), classes="detail-body")
        links = NavList(*(self._options(d) if d else []), classes="links")
        links.border_title = t("links", self.lang)
        links.display = bool(d and d.links)
        yield links

    def _subtitle(self, d: Detail) -> str:
        """The first citation, kept on the frame so it stays visible however far the text scrolls."""
        first = citation_lines(d.sources[:1], self.lang)[0]
        more = f" +{len(d.sources) - 1}" if len(d.sources) > 1 else ""
        return f"{first}{more}"

    def _options(self, d: Detail) -> list[Option]:
        return [Option(link.label(self.lang), id=link.target.id) for link in d.links]

    def show(self, record: Record) -> None:
        if self.record is record:
            return
        self.record = record
        d = detail(record, self.pack, self.lang)
        self.query_one(".detail-body", Static).update(render_detail(d, self.lang))
        scroll = self.query_one(".detail-scroll", VerticalScroll)
        scroll.scroll_home(animate=False)
        scroll.border_subtitle = self._subtitle(d)
        links = self.query_one(".links", NavList)
        links.clear_options()
        links.add_options(self._options(d))
        links.display = bool(d.links)
        if d.links:
            links.highlighted = 0

    def focus_links(self) -> bool:
        links = self.query_one(".links", NavList)
        if links.display and links.option_count:
            links.focus()
            return True
        return False

    def on_option_list_option_selected(self, event: NavList.OptionSelected) -> None:
        if event.option_list.has_class("links") and event.option.id:
            event.stop()
            self.post_message(OpenRecord(event.option.id))
