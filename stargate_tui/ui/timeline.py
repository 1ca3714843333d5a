"""The visual timeline (at 100 columns and more): the events on a time axis with proportional
spacing, ranges drawn as ranges, the selected event highlighted. It scrolls when it does not fit,
and says "more below" on its frame until the end is in view."""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widget import Widget

from ..model import Event
from ..pack import FactPack
from ..views import pane_records, t, timeline_rows


class TimelineBody(Widget):
    DEFAULT_CSS = """
    TimelineBody {
        height: auto;
    }
    """

    def __init__(self, chart: TimelineChart) -> None:
        super().__init__()
        self.chart = chart

    def render(self) -> RenderableType:
        return self.chart.chart_text(self.content_size.width or 96)


class TimelineChart(VerticalScroll):
    """The events of the Timeline pane on a time axis."""

    COMPONENT_CLASSES = {"timeline--mark", "timeline--selected"}

    selected: reactive[str | None] = reactive(None)

    def __init__(self, pack: FactPack, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lang = lang
        self.events = [r for r in pane_records(pack, "timeline") if isinstance(r, Event)]
        self.border_title = t("timeline", lang)

    def compose(self) -> ComposeResult:
        yield TimelineBody(self)

    def chart_text(self, width: int) -> Text:
        mark = self.get_component_rich_style("timeline--mark")
        chosen = self.get_component_rich_style("timeline--selected")
        styles: dict[str, str | Style] = {
            "point": mark,
            "range": mark,
            "undated": "italic",
            "title": "",
            "axis": "dim",
            "tick": "dim",
            "selected-point": chosen,
            "selected-range": chosen,
            "selected-undated": chosen,
            "selected-title": "bold",
        }
        out = Text(no_wrap=True, overflow="ellipsis")
        rows = timeline_rows(self.events, width, self.lang, self.selected)
        for index, row in enumerate(rows):
            for text, part in row:
                out.append(text, style=styles.get(part, ""))
            if index < len(rows) - 1:
                out.append("\n")
        return out

    def watch_selected(self) -> None:
        for body in self.query(TimelineBody):
            body.refresh()

    def _sign(self) -> None:
        self.border_subtitle = t("more-below", self.lang) if self.scroll_y < self.max_scroll_y else ""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._sign()

    def on_resize(self) -> None:
        self.call_after_refresh(self._sign)
