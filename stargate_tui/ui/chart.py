"""The money chart: every amount on one linear scale, ranges as ranges, "at least" marked open."""

from __future__ import annotations

from functools import cached_property

from rich.console import RenderableType
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from ..pack import FactPack
from ..views import chart_more, chart_rows, overlaps, t

OVERLAP_LIMIT = 4


class MoneyChart(Widget):
    """Draws at whatever width it gets; re-renders on resize."""

    COMPONENT_CLASSES = {"chart--bar", "chart--range"}

    def __init__(self, pack: FactPack, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lang = lang
        self.border_title = t("chart", lang)

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
        out.append(t("chart-note", lang), style="italic")
        notes = self._overlaps
        for line in notes[:OVERLAP_LIMIT]:
            out.append("\n• " + line)
        if len(notes) > OVERLAP_LIMIT:
            out.append(f"\n• … +{len(notes) - OVERLAP_LIMIT}")
        return out

    @cached_property
    def _overlaps(self) -> list[str]:
        """Depend on the pack and the language only (a widget has one of each): found once, not on every
        render (a big pack's figures and names are scanned to find them)."""
        return overlaps(self.pack, self.lang)

    def render(self) -> RenderableType:
        return self.chart_text(self.content_size.width or 76)
