"""The money chart: every amount on one linear scale, ranges as ranges, "at least" marked open.

The chart scrolls (and can be focused) when its notes do not fit; its frame says "more below" until
the end is in view, so nothing is ever cut without a sign."""

from __future__ import annotations

from functools import cached_property

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.widget import Widget

from ..pack import FactPack
from ..views import chart_legend, chart_more, chart_rows, overlaps, t

OVERLAP_LIMIT = 4


class ChartBody(Widget):
    """The chart's lines, drawn at whatever width they get."""

    DEFAULT_CSS = """
    ChartBody {
        height: auto;
    }
    """

    def __init__(self, chart: MoneyChart) -> None:
        super().__init__()
        self.chart = chart

    def render(self) -> RenderableType:
        return self.chart.chart_text(self.content_size.width or 76)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The lines of the chart drawn at `width` (the width it will get, which may not be its size
        yet: measured at another width, the chart would leave blank lines or be cut)."""
        return len(self.chart.chart_text(width).wrap(self.app.console, width))


class MoneyChart(VerticalScroll):
    """The chart in a frame that scrolls when it must."""

    COMPONENT_CLASSES = {"chart--bar", "chart--range"}

    def __init__(self, pack: FactPack, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lang = lang
        self.border_title = t("chart", lang)

    def compose(self) -> ComposeResult:
        yield ChartBody(self)

    def chart_text(self, width: int) -> Text:
        lang = self.lang
        styles: dict[str, str | Style] = {
            "label": "bold",
            "bar": self.get_component_rich_style("chart--bar"),
            "range": self.get_component_rich_style("chart--range"),
            "open": "bold",
            "title": "italic",
        }
        rows = chart_rows(self.pack, width, lang)
        out = Text(no_wrap=False, overflow="fold")
        for row in rows:
            for text, part in row:
                out.append(text, style=styles.get(part, ""))
            out.append("\n")
        more = chart_more(self.pack, len(rows), lang)
        if more:
            out.append(more + "\n", style="italic")
        legend = chart_legend(rows, lang)
        if legend:
            out.append(legend + "\n", style="italic")
        notes = self._overlaps
        for line in notes[:OVERLAP_LIMIT]:
            out.append("• " + line + "\n")
        if len(notes) > OVERLAP_LIMIT:
            out.append(f"• … +{len(notes) - OVERLAP_LIMIT}\n")
        out.rstrip()
        return out

    @cached_property
    def _overlaps(self) -> list[str]:
        """Depend on the pack and the language only (a widget has one of each): found once, not on every
        render (a big pack's figures and names are scanned to find them)."""
        return overlaps(self.pack, self.lang)

    @property
    def hides_more(self) -> bool:
        """Part of the chart is below the frame."""
        return self.scroll_y < self.max_scroll_y

    def _sign(self) -> None:
        self.border_subtitle = t("more-below", self.lang) if self.hides_more else ""

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._sign()

    def on_resize(self) -> None:
        self.call_after_refresh(self._sign)

    def on_mount(self) -> None:
        self.call_after_refresh(self._sign)
