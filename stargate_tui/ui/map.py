"""A map of the pack's places in braille, with the selected place marked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ..model import Place
from ..pack import FactPack
from ..views import map_area, t

if TYPE_CHECKING:
    from ..worldmap import Bounds, Marker


class MapView(Widget):
    """Equirectangular map of the places that have coordinates, fitted to them or to the selected place's
    surroundings."""

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

    def view(self, width: int, height: int) -> tuple[Bounds, str | None]:
        """The part of the globe to draw and, when the map is zoomed on an area, that area's name.
        Nothing selected: fitted to every place of the pack (a world view when they are far apart);
        a place selected: fitted to its surroundings (its state or country), so that neighbours are
        distinct cells."""
        from ..worldmap import DEFAULT_BOUNDS, Marker, bounds_for

        area, group = map_area(self.pack, self.selected)
        if not group:
            return DEFAULT_BOUNDS, None
        markers = [Marker(lat=c.lat, lon=c.lon, symbol="•", id=p.id) for p in group if (c := p.coordinates)]
        margin = 12.0 if len(markers) == 1 else 1.5  # a lone country with its neighbours; a group tight
        bounds = bounds_for(markers, margin, aspect=width / (2 * max(height, 1)))
        return bounds, area.title(self.lang) if area is not None else None

    def watch_selected(self, selected: str | None) -> None:
        """The frame names the area shown, or says that the selected place has no coordinates."""
        record = self.pack.get(selected) if selected else None
        if isinstance(record, Place) and record.coordinates is None:
            self.border_subtitle = t("no-coordinates", self.lang).format(place=record.title(self.lang))
        else:
            self.border_subtitle = ""
        area, _ = map_area(self.pack, selected)
        self.border_title = (
            f"{t('map', self.lang)} · {area.title(self.lang)}" if area else t("map", self.lang)
        )

    def render(self) -> RenderableType:
        from ..worldmap import render_map

        width, height = self.content_size.width or 40, self.content_size.height or 10
        bounds, _ = self.view(width, height)
        drawn = render_map(width, height, self.markers(), bounds=bounds)
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
