"""The money chart: every amount on one linear scale, ranges as ranges, "at least" marked open."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from ..loader import FactPack
from ..views import chart_more, money_bars, overlaps, t

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
        bars, _ = money_bars(self.pack, 10, lang)
        label_width = min(max((len(b.label) for b in bars), default=0), 30)
        bar_width = max(10, width - label_width - 2)
        bars, _ = money_bars(self.pack, bar_width - 1, lang)
        out = Text(no_wrap=False, overflow="fold")
        for bar in bars:
            out.append(bar.label.rjust(label_width)[:label_width], style="bold")
            out.append(" ")
            cells = " " * bar.start
            if bar.is_range:
                span = max(bar.end - bar.start, 2)
                out.append(cells)
                out.append("├" + "━" * (span - 2) + "┤", style=self.get_component_rich_style("chart--range"))
                used = bar.start + span
            else:
                out.append("█" * bar.end, style=self.get_component_rich_style("chart--bar"))
                used = bar.end
                if bar.open_ended:
                    out.append("▏+", style="bold")
                    used += 2
            title = bar.record.label.get(lang)
            room = width - label_width - 1 - used - 1
            if room > 3:
                out.append(" " + (title if len(title) <= room else title[: room - 1] + "…"), style="italic")
            out.append("\n")
        more = chart_more(self.pack, len(bars), lang)
        if more:
            out.append(more + "\n", style="italic")
        out.append(t("chart-note", lang), style="italic")
        notes = overlaps(self.pack, lang)
        for line in notes[:OVERLAP_LIMIT]:
            out.append("\n• " + line)
        if len(notes) > OVERLAP_LIMIT:
            out.append(f"\n• … +{len(notes) - OVERLAP_LIMIT}")
        return out

    def render(self) -> RenderableType:
        return self.chart_text(self.content_size.width or 76)
