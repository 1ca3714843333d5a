"""A world map drawn in terminal cells with braille characters, and markers on it.

The land comes from ``data/world-land.txt``, a half-degree land mask derived from
Natural Earth (public domain); see ``docs/map-data.md``.  The projection is
equirectangular: longitude and latitude map linearly to x and y over the chosen
bounds.  Each terminal cell is one braille character holding 2 x 4 dots; a dot is
land when at least half of the mask cells under it are land.

Only the standard library is used, so this module can be tested and reused
without the user interface.
"""

from __future__ import annotations

import math
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from itertools import accumulate

__all__ = [
    "DEFAULT_BOUNDS",
    "WORLD_BOUNDS",
    "Bounds",
    "LandMask",
    "MapRender",
    "Marker",
    "bounds_for",
    "land_mask",
    "parse_land_mask",
    "render_map",
]

Bounds = tuple[float, float, float, float]
"""(lon_min, lat_min, lon_max, lat_max) in degrees."""

WORLD_BOUNDS: Bounds = (-180.0, -90.0, 180.0, 90.0)
DEFAULT_BOUNDS: Bounds = (-180.0, -60.0, 180.0, 85.0)
"""The whole world without Antarctica."""

DATA_FILE = "world-land.txt"

# Braille dot bits by (column, row) inside a cell: dots 1-3 and 7 on the left, 4-6 and 8 on the right.
_BRAILLE_BITS = ((0x01, 0x02, 0x04, 0x40), (0x08, 0x10, 0x20, 0x80))
_BRAILLE_BASE = 0x2800
_BLANK = " "


@dataclass(frozen=True)
class Marker:
    """A point to draw on the map: ``symbol`` is one narrow character; ``id`` is the caller's key."""

    lat: float
    lon: float
    symbol: str
    id: str

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            raise ValueError(f"marker {self.id!r}: latitude {self.lat} is outside -90..90")
        if not -180.0 <= self.lon <= 180.0:
            raise ValueError(f"marker {self.id!r}: longitude {self.lon} is outside -180..180")
        if len(self.symbol) != 1 or not self.symbol.isprintable():
            raise ValueError(
                f"marker {self.id!r}: symbol must be one printable character, got {self.symbol!r}"
            )
        if unicodedata.combining(self.symbol) or unicodedata.east_asian_width(self.symbol) in ("W", "F"):
            raise ValueError(f"marker {self.id!r}: symbol {self.symbol!r} does not take exactly one cell")


@dataclass(frozen=True)
class MapRender:
    """The drawn map.

    ``lines`` has ``height`` strings of exactly ``width`` characters.  ``placed``
    holds every marker inside the bounds with its cell (x, y), in input order;
    ``hidden`` the markers outside them.  When several markers share a cell, the
    first one in input order is drawn, and ``collisions`` maps that cell to all
    of its markers.
    """

    lines: list[str]
    placed: list[tuple[Marker, int, int]]
    hidden: list[Marker]
    collisions: dict[tuple[int, int], list[Marker]]
    bounds: Bounds


@dataclass(frozen=True)
class LandMask:
    """A land mask over the whole globe: ``rows`` bands north to south, ``columns`` west to east.

    ``prefix[r][c]`` is the number of land cells in row ``r`` west of column ``c``.
    """

    columns: int
    rows: int
    prefix: tuple[array[int], ...]

    def is_land(self, lat: float, lon: float) -> bool:
        """Whether the mask cell containing (lat, lon) is land."""
        row = min(self.rows - 1, max(0, math.floor((90.0 - lat) * self.rows / 180.0)))
        col = min(self.columns - 1, max(0, math.floor((lon + 180.0) * self.columns / 360.0)))
        return self.prefix[row][col + 1] > self.prefix[row][col]

    def count(self, row0: int, row1: int, col0: int, col1: int) -> int:
        """Land cells in rows row0..row1-1 and columns col0..col1-1."""
        return sum(self.prefix[r][col1] - self.prefix[r][col0] for r in range(row0, row1))


def parse_land_mask(text: str) -> LandMask:
    """Read the run-length format written by ``scripts/make_world_bitmap.py``.

    After ``#`` comments: a line ``columns rows``, then one line per row (north
    to south) of run lengths from 180W eastwards, alternately sea and land,
    starting with sea.
    """
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    if not lines:
        raise ValueError("land mask: no data")
    try:
        columns, rows = (int(part) for part in lines[0].split())
    except ValueError as exc:
        raise ValueError(f"land mask: bad size line {lines[0]!r}") from exc
    body = lines[1:]
    if columns <= 0 or rows <= 0 or len(body) != rows:
        raise ValueError(f"land mask: expected {rows} rows, got {len(body)}")
    prefix: list[array[int]] = []
    for number, line in enumerate(body, start=1):
        cells = bytearray()
        for index, run in enumerate(int(part) for part in line.split()):
            if run < 0:
                raise ValueError(f"land mask: negative run in row {number}")
            cells += (b"\x01" if index % 2 else b"\x00") * run
        if len(cells) != columns:
            raise ValueError(f"land mask: row {number} covers {len(cells)} columns, expected {columns}")
        prefix.append(array("i", accumulate(cells, initial=0)))
    return LandMask(columns, rows, tuple(prefix))


@cache
def land_mask() -> LandMask:
    """The packaged land mask, read on first use."""
    text = (
        resources.files(__package__ or "stargate_tui").joinpath("data").joinpath(DATA_FILE).read_text("ascii")
    )
    return parse_land_mask(text)


def _check_bounds(bounds: Bounds) -> None:
    lon_min, lat_min, lon_max, lat_max = bounds
    if not (-180.0 <= lon_min < lon_max <= 180.0 and -90.0 <= lat_min < lat_max <= 90.0):
        raise ValueError(
            f"bad map bounds {bounds}: need -180 <= lon_min < lon_max <= 180, -90 <= lat_min < lat_max <= 90"
        )


def _spans(lo: float, hi: float, n: int, size: int, origin: float, per_cell: float) -> list[tuple[int, int]]:
    """For n equal steps over lo..hi, the mask index range [a, b) whose cell centres fall in each step.

    ``origin`` is the coordinate of the edge of mask index 0 and ``per_cell`` the
    signed width of one mask cell.  When a step is narrower than a cell, it gets
    the one cell that holds its middle.
    """
    out: list[tuple[int, int]] = []
    step = (hi - lo) / n
    for i in range(n):
        a = (lo + i * step - origin) / per_cell
        b = (lo + (i + 1) * step - origin) / per_cell
        a, b = min(a, b), max(a, b)
        first, last = math.ceil(a - 0.5), math.ceil(b - 0.5)
        if last <= first:
            first = math.floor((a + b) / 2)
            last = first + 1
        first = max(0, min(size - 1, first))
        out.append((first, max(first + 1, min(size, last))))
    return out


def _cell_of(marker: Marker, width: int, height: int, bounds: Bounds) -> tuple[int, int] | None:
    lon_min, lat_min, lon_max, lat_max = bounds
    if not (lon_min <= marker.lon <= lon_max and lat_min <= marker.lat <= lat_max):
        return None
    x = math.floor((marker.lon - lon_min) / (lon_max - lon_min) * width)
    y = math.floor((lat_max - marker.lat) / (lat_max - lat_min) * height)
    return min(x, width - 1), min(y, height - 1)


@lru_cache(maxsize=32)
def _land_lines(width: int, height: int, bounds: Bounds) -> tuple[str, ...]:
    """The land of a map without markers; cached, as a view redraws the same map often."""
    if not (width and height):
        return (_BLANK * width,) * height
    lon_min, lat_min, lon_max, lat_max = bounds
    mask = land_mask()
    col_spans = _spans(lon_min, lon_max, 2 * width, mask.columns, -180.0, 360.0 / mask.columns)
    row_spans = _spans(lat_max, lat_min, 4 * height, mask.rows, 90.0, -180.0 / mask.rows)
    lines: list[str] = []
    for y in range(height):
        codes = [0] * width
        for dy in range(4):
            r0, r1 = row_spans[4 * y + dy]
            for x in range(width):
                for dx in range(2):
                    c0, c1 = col_spans[2 * x + dx]
                    if 2 * mask.count(r0, r1, c0, c1) >= (r1 - r0) * (c1 - c0):
                        codes[x] |= _BRAILLE_BITS[dx][dy]
        lines.append("".join(chr(_BRAILLE_BASE + code) if code else _BLANK for code in codes))
    return tuple(lines)


def render_map(
    width: int,
    height: int,
    markers: Sequence[Marker] = (),
    *,
    bounds: Bounds | None = None,
) -> MapRender:
    """Draw the land within ``bounds`` (default :data:`DEFAULT_BOUNDS`) in ``width`` x ``height`` cells.

    Land is drawn with braille characters, sea as spaces, and each marker's
    symbol replaces the character of its cell.
    """
    if width < 0 or height < 0:
        raise ValueError(f"map size must not be negative, got {width}x{height}")
    lon_min, lat_min, lon_max, lat_max = (float(v) for v in (DEFAULT_BOUNDS if bounds is None else bounds))
    box: Bounds = (lon_min, lat_min, lon_max, lat_max)
    _check_bounds(box)

    grid = [list(line) for line in _land_lines(width, height, box)]
    placed: list[tuple[Marker, int, int]] = []
    hidden: list[Marker] = []
    by_cell: dict[tuple[int, int], list[Marker]] = {}
    for marker in markers:
        cell = _cell_of(marker, width, height, box) if width and height else None
        if cell is None:
            hidden.append(marker)
            continue
        placed.append((marker, *cell))
        by_cell.setdefault(cell, []).append(marker)
    for (x, y), here in by_cell.items():
        grid[y][x] = here[0].symbol
    collisions = {cell: here for cell, here in by_cell.items() if len(here) > 1}
    return MapRender(["".join(row) for row in grid], placed, hidden, collisions, box)


def bounds_for(markers: Sequence[Marker], margin: float = 5.0, *, aspect: float = 2.0) -> Bounds:
    """Bounds that fit all markers with ``margin`` degrees around them, for :func:`render_map`.

    ``aspect`` is the wanted width:height of the map as drawn; for a map of
    ``w`` x ``h`` terminal cells (cells about twice as tall as wide) pass
    ``w / (2 * h)``.  The longitude span is scaled by the cosine of the middle
    latitude so that shapes look right there.  The latitude span is at least
    10 degrees, and the result is clamped to the globe (where it then may not
    keep the aspect).  Without markers the result is :data:`DEFAULT_BOUNDS`.
    Longitudes do not wrap: markers on both sides of the antimeridian get a box
    spanning everything between them.
    """
    if not markers:
        return DEFAULT_BOUNDS
    if margin < 0 or aspect <= 0:
        raise ValueError("margin must be >= 0 and aspect > 0")
    lat_lo = max(-90.0, min(m.lat for m in markers) - margin)
    lat_hi = min(90.0, max(m.lat for m in markers) + margin)
    lon_lo = max(-180.0, min(m.lon for m in markers) - margin)
    lon_hi = min(180.0, max(m.lon for m in markers) + margin)

    lat_span = max(lat_hi - lat_lo, 10.0)
    lon_span = lon_hi - lon_lo
    squash = max(0.2, math.cos(math.radians((lat_lo + lat_hi) / 2)))
    if lon_span * squash < aspect * lat_span:
        lon_span = aspect * lat_span / squash
    else:
        lat_span = lon_span * squash / aspect

    def fit(lo: float, hi: float, span: float, floor: float, ceil: float) -> tuple[float, float]:
        if span >= ceil - floor:
            return floor, ceil
        centre = (lo + hi) / 2
        start, end = min(lo, centre - span / 2), max(hi, centre + span / 2)
        if start < floor:
            start, end = floor, min(ceil, end + (floor - start))
        elif end > ceil:
            start, end = max(floor, start - (end - ceil)), ceil
        return start, end

    lat_min, lat_max = fit(lat_lo, lat_hi, lat_span, -90.0, 90.0)
    lon_min, lon_max = fit(lon_lo, lon_hi, lon_span, -180.0, 180.0)
    return (lon_min, lat_min, lon_max, lat_max)
