"""Pane 8, Article: the article paragraph by paragraph with every cited span marked, linked both ways.

Left, a list of the cited spans under their paragraph (¶1 … ¶10), each named by the record that cites
it; right, the whole article (or, without its text, each paragraph rebuilt from the pack's quotes),
the highlighted span marked in its paragraph and scrolled into view. `enter` opens the span's record;
`n`/`N` (app actions) step through the spans of the same record; `s` from any other pane lands here.

The pane answers what the app asks of a RecordPane (`pane`, `record`, `has_record`, `select`,
`master`), so history, copy and `--open` work on it as on every other pane.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from ..article import ArticleMap, ArticleText, Span
from ..model import Record
from ..pack import FactPack
from ..views import t
from .messages import OpenRecord, RecordHighlighted
from .navlist import NavList

#: A paragraph rebuilt from more quotes than this (a generated pack) shows this many and a count; its
#: "Cited by" line names this many records and counts the rest, and so do its flags.
PIECES_SHOWN = 60
NAMES_SHOWN = 12


def span_label(pack: FactPack, span: Span, lang: str) -> Text:
    """A span in the list: the citing record's title (flagged when the span was not found in place)."""
    record = pack.get(span.record_id)
    title = record.title(lang) if record is not None else span.record_id
    flag = "! " if span.state in ("elsewhere", "approximate", "missing") else ""
    return Text(flag + title, no_wrap=True, overflow="ellipsis")


def flag_text(span: Span, lang: str) -> str | None:
    """What is wrong with a span's place, in words; None when it was found as cited."""
    if span.state in ("exact", "unplaced"):
        return None
    return t(f"span-flag-{span.state}", lang).replace("{n}", str(span.found_in))


class ParagraphView(Static):
    """One paragraph: its number, its text with the spans marked, the records citing it."""

    COMPONENT_CLASSES = {
        "paragraph--number",
        "paragraph--span",
        "paragraph--current",
        "paragraph--uncited",
        "paragraph--flag",
        "paragraph--cited-by",
    }

    def __init__(self, pack: FactPack, article: ArticleMap, number: int, lang: str) -> None:
        super().__init__(classes="paragraph")
        self.pack = pack
        self.article = article
        self.number = number
        self.lang = lang
        self.current: str | None = None  # the key of the highlighted span, when it is in here

    def on_mount(self) -> None:
        self.update(self.body())

    def mark(self, key: str | None) -> None:
        if key != self.current:
            self.current = key
            self.update(self.body())

    def body(self) -> Text:
        style = self.get_component_rich_style
        number, lang = self.number, self.lang
        out = Text()  # (a style given here would be the base style of the whole paragraph)
        out.append(f"¶{number}", style=style("paragraph--number"))
        text, placed = self.article.shown(number, PIECES_SHOWN)
        hidden = 0 if self.article.has_text else len(self.article.pieces(number)) - PIECES_SHOWN
        out.append("\n")
        paragraph = Text(text or "…")
        coverage = self.article.coverage(number)
        if coverage is not None:
            for start, end in coverage.uncited:
                paragraph.stylize(style("paragraph--uncited"), start, end)
        for _, start, end in placed:
            paragraph.stylize(style("paragraph--span"), start, end)
        for span, start, end in placed:
            if span.key == self.current:
                paragraph.stylize(style("paragraph--current"), start, end)
        out.append_text(paragraph)
        if hidden > 0:
            out.append(f" … (+{hidden})", style=style("paragraph--cited-by"))
        flags = 0
        for span in self.article.in_paragraph(number):
            flag = flag_text(span, lang)
            flags += flag is not None
            if flags > NAMES_SHOWN and span.key != self.current:
                continue
            if flag is not None:
                mark = "▶ " if span.key == self.current else "! "
                out.append(f"\n{mark}“{span.quote}” — {flag}", style=style("paragraph--flag"))
        ids = self.article.records_in(number)
        records = [self.pack.get(i) for i in ids[:NAMES_SHOWN]]
        names = " · ".join(r.title(lang) for r in records if r is not None)
        if len(ids) > NAMES_SHOWN:
            names += f" · +{len(ids) - NAMES_SHOWN}"
        out.append("\n")
        if names:
            colon = " :" if lang == "fr" else ":"
            out.append(f"{t('cited-by', lang)}{colon} {names}", style=style("paragraph--cited-by"))
        else:
            out.append(t("no-spans", lang), style=style("paragraph--cited-by"))
        return out


class ArticlePane(Vertical):
    """The Article pane; `text` is the article's text, or None for the rebuilt paragraphs."""

    def __init__(
        self,
        pack: FactPack,
        lang: str,
        text: ArticleText | None = None,
        *,
        initial: str | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(classes="record-pane pane-article", id=id)
        self.pane = "article"
        self.pack = pack
        self.lang = lang
        self.text = text
        self._initial = initial
        self.article = ArticleMap(pack, text)
        self._span: Span | None = None

    # -- building ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        note = (
            t("with-text", self.lang).replace("{origin}", self.text.origin)
            if self.text
            else t("no-text", self.lang)
        )
        yield Static(note, classes="article-note")
        with Horizontal(classes="columns"):
            yield NavList(*self._span_options(), classes="master")
            with VerticalScroll(classes="article-scroll") as scroll:
                scroll.can_focus = False  # the list keeps the focus; the text follows it
                for n in range(1, self.article.count + 1):
                    yield ParagraphView(self.pack, self.article, n, self.lang)

    def _span_options(self) -> list[Option]:
        options: list[Option] = []
        for n in range(1, self.article.count + 1):
            spans = self.article.in_paragraph(n)
            options.append(Option(Text(f"¶{n} · {len(spans)}", style="bold"), disabled=True))
            options += [Option(span_label(self.pack, s, self.lang), id=s.key) for s in spans]
        return options

    def on_mount(self) -> None:
        first = (
            self.article.of_record(self._initial)[0]
            if self._initial and self.has_record(self._initial)
            else None
        )
        if first is None:
            first = next(
                (s for n in range(1, self.article.count + 1) for s in self.article.in_paragraph(n)), None
            )
        if first is not None:
            self.select_span(first)

    # -- what the app asks of a pane -----------------------------------------------------------

    @property
    def master(self) -> NavList:
        return self.query_one(".master", NavList)

    @property
    def record(self) -> Record | None:
        return self.pack.get(self._span.record_id) if self._span is not None else None

    @property
    def span(self) -> Span | None:
        return self._span

    def has_record(self, record_id: str) -> bool:
        return bool(self.article.of_record(record_id))

    def select(self, record_id: str) -> bool:
        """Highlight the record's first span (its first cited paragraph)."""
        spans = self.article.of_record(record_id)
        if not spans:
            return False
        if self._span is None or self._span.record_id != record_id:
            self.select_span(spans[0])
        return True

    def select_span(self, span: Span) -> None:
        master = self.master
        try:
            index = master.get_option_index(span.key)
        except OptionDoesNotExist:
            return
        if master.highlighted != index:
            master.highlighted = index  # the highlight event shows it
        self._show(span)

    def step(self, direction: int) -> bool:
        """To the next (1) or previous (-1) span of the same record, round; False when it has one."""
        if self._span is None:
            return False
        spans = self.article.of_record(self._span.record_id)
        if len(spans) < 2:
            return False
        index = next(i for i, s in enumerate(spans) if s.key == self._span.key)
        self.select_span(spans[(index + direction) % len(spans)])
        return True

    def position(self) -> tuple[int, int]:
        """Which of its record's spans is highlighted (1-based) and how many the record has."""
        if self._span is None:
            return 0, 0
        spans = self.article.of_record(self._span.record_id)
        return next(i for i, s in enumerate(spans, 1) if s.key == self._span.key), len(spans)

    # -- showing -------------------------------------------------------------------------------

    def _show(self, span: Span) -> None:
        previous, self._span = self._span, span
        shown_in = span.found_in or span.paragraph
        for view in self.query(ParagraphView):
            view.mark(span.key if view.number == shown_in else None)
            view.set_class(view.number == shown_in, "-current")
        scroll = self.query_one(".article-scroll", VerticalScroll)
        at, count = self.position()
        record = self.record
        title = record.title(self.lang) if record is not None else span.record_id
        scroll.border_title = f"¶{shown_in}/{self.article.count}"
        more = f"n/N {at}/{count} · " if count > 1 else ""
        scroll.border_subtitle = f"{more}{title}"
        target = next((v for v in self.query(ParagraphView) if v.number == shown_in), None)
        if target is not None and (previous is None or previous.key != span.key):
            self.call_after_refresh(scroll.scroll_to_widget, target, animate=False, top=True)

    def on_option_list_option_highlighted(self, event: NavList.OptionHighlighted) -> None:
        if not event.option_list.has_class("master") or event.option.id is None:
            return
        event.stop()
        span = next((s for s in self.article.spans if s.key == event.option.id), None)
        if span is not None and (self._span is None or span.key != self._span.key):
            self._show(span)
            self.post_message(RecordHighlighted(self.pane, span.record_id))

    def on_option_list_option_selected(self, event: NavList.OptionSelected) -> None:
        if event.option_list.has_class("master") and event.option.id:
            event.stop()
            self.post_message(OpenRecord(event.option.id.partition("#")[0]))
