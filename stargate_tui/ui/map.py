"""A map of the pack's places in braille, with the selected place marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..model import Place
from ..pack import FactPack
from ..views import t

if TYPE_CHECKING:
    from ..worldmap import Marker


class MapView(Widget):
    """Equirectangular world map fitted to the places that have coordinates."""

    COMPONENT_CLASSES = {"map--land", "map--marker", "map--selected"}

    selected: reactive[str | None] = reactive(None)

    def __init__(self, pack: FactPack, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.pack = pack
        self.lang = lang
        self.border_title = t("map", lang)

    def markers(self) -> list[Marker]:
        from ..worldmap import Marker

        out: list[Marker] = []
        for record in self.pack.of_kind("place"):
            if isinstance(record, Place) and record.coordinates is not None:
                c = record.coordinates
                out.append(Marker(lat=c.lat, lon=c.lon, symbol="•", id=record.id))
        return out

    def render(self) -> RenderableType:
        from ..worldmap import render_map

        width, height = self.content_size.width or 40, self.content_size.height or 10
        drawn = render_map(width, height, self.markers())
        land, dot, chosen = (
            self.get_component_rich_style(name) for name in ("map--land", "map--marker", "map--selected")
        )
        text = Text(no_wrap=True, overflow="crop")
        spots: dict[tuple[int, int], Marker] = {}
        for placed, x, y in drawn.placed:  # the selected place wins a shared cell
            if (x, y) not in spots or placed.id == self.selected:
                spots[(x, y)] = placed
        for y, line in enumerate(drawn.lines):
            for x, char in enumerate(line):
                marker = spots.get((x, y))
                if marker is None:
                    text.append(char, style=land)
                elif marker.id == self.selected:
                    text.append("◆", style=chosen)
                else:
                    text.append(char, style=dot)
            if y < len(drawn.lines) - 1:
                text.append("\n")
        return text
