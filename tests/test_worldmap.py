"""The world land mask and the braille map renderer."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stargate_tui.worldmap import (
    DEFAULT_BOUNDS,
    Marker,
    bounds_for,
    land_mask,
    parse_land_mask,
    render_map,
)

pytestmark = pytest.mark.unit

BRAILLE = range(0x2800, 0x2900)


def expected_cell(
    lat: float, lon: float, width: int, height: int, bounds: tuple[float, float, float, float]
) -> tuple[int, int]:
    """The equirectangular projection, written out independently of the module."""
    lon_min, lat_min, lon_max, lat_max = bounds
    x = int((lon - lon_min) / (lon_max - lon_min) * width)
    y = int((lat_max - lat) / (lat_max - lat_min) * height)
    return x, y


def test_mask_dimensions() -> None:
    mask = land_mask()
    assert (mask.columns, mask.rows) == (720, 360)
    assert mask.columns % 360 == 0 and mask.rows % 180 == 0
    assert len(mask.prefix) == mask.rows
    assert all(len(row) == mask.columns + 1 for row in mask.prefix)


def test_mask_is_loaded_once() -> None:
    assert land_mask() is land_mask()


def test_land_share_of_globe_is_plausible() -> None:
    # Land is about 29% of the Earth's surface; unweighted by area, the
    # equirectangular grid over-counts polar land (Antarctica), so expect 25-40%.
    mask = land_mask()
    land = sum(row[-1] for row in mask.prefix)
    assert 0.25 < land / (mask.columns * mask.rows) < 0.40


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("Texas", 32.0, -100.0),
        ("central China", 35.0, 105.0),
        ("Sahara", 23.0, 10.0),
        ("central Australia", -25.0, 134.0),
        ("Amazon", -10.0, -55.0),
        ("Siberia", 65.0, 100.0),
        ("Greenland", 75.0, -40.0),
        ("Chukotka, west of 180", 67.0, -175.0),
        ("Chukotka, east of 180", 67.0, 175.0),
        ("Antarctica", -85.0, 0.0),
        ("Antarctica at the antimeridian (west)", -88.0, -179.75),
        ("Antarctica at the antimeridian (east)", -88.0, 179.75),
    ],
)
def test_known_land(name: str, lat: float, lon: float) -> None:
    assert land_mask().is_land(lat, lon), name


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [
        ("mid-Pacific", 0.0, -160.0),
        ("mid-Atlantic", 30.0, -40.0),
        ("Indian Ocean", -30.0, 80.0),
        ("South Atlantic", -30.0, -15.0),
        ("South Pacific", -40.0, -120.0),
        ("Gulf of Mexico", 25.0, -90.0),
        ("Caspian Sea", 42.0, 50.5),
        ("near the North Pole", 88.0, 0.0),
    ],
)
def test_known_sea(name: str, lat: float, lon: float) -> None:
    assert not land_mask().is_land(lat, lon), name


def test_parse_small_mask() -> None:
    mask = parse_land_mask("# comment\n4 2\n2 2\n1 1 1 1\n")
    assert (mask.columns, mask.rows) == (4, 2)
    # Row 0 (north): sea sea land land; row 1: sea land sea land.
    assert [mask.is_land(45, lon) for lon in (-135, -45, 45, 135)] == [False, False, True, True]
    assert [mask.is_land(-45, lon) for lon in (-135, -45, 45, 135)] == [False, True, False, True]
    assert mask.count(0, 2, 0, 4) == 4
    assert mask.count(0, 1, 1, 3) == 1


@pytest.mark.parametrize(
    "text",
    ["", "4 2\n4\n", "4 1\n1 2\n", "4 1\n1 2 3\n", "x y\n4\n", "4 1\n-1 5\n"],
)
def test_parse_rejects_bad_masks(text: str) -> None:
    with pytest.raises(ValueError):
        parse_land_mask(text)


@pytest.mark.parametrize(("width", "height"), [(1, 1), (7, 3), (60, 15), (76, 18), (200, 50)])
def test_render_dimensions_are_exact(width: int, height: int) -> None:
    drawn = render_map(width, height, [])
    assert len(drawn.lines) == height
    assert all(len(line) == width for line in drawn.lines)
    assert all(ch == " " or ord(ch) in BRAILLE for line in drawn.lines for ch in line)
    assert drawn.bounds == DEFAULT_BOUNDS


def test_render_empty_sizes() -> None:
    marker = Marker(0.0, 0.0, "x", "a")
    assert render_map(0, 0, [marker]).lines == []
    zero_width = render_map(0, 3, [marker])
    assert zero_width.lines == ["", "", ""]
    assert zero_width.hidden == [marker] and zero_width.placed == []
    with pytest.raises(ValueError):
        render_map(-1, 5, [])


def test_world_has_a_plausible_amount_of_land() -> None:
    drawn = render_map(60, 15, [])
    cells = [ch for line in drawn.lines for ch in line]
    share = sum(ch != " " for ch in cells) / len(cells)
    assert 0.15 < share < 0.50


def test_land_and_sea_cells_in_a_render() -> None:
    bounds = (-180.0, -60.0, 180.0, 85.0)
    drawn = render_map(72, 29, [], bounds=bounds)  # 5 degrees per cell both ways
    x, y = expected_cell(32.5, -97.5, 72, 29, bounds)  # Texas
    assert drawn.lines[y][x] == chr(0x28FF)  # every dot is land
    x, y = expected_cell(2.5, -142.5, 72, 29, bounds)  # mid-Pacific
    assert drawn.lines[y][x] == " "
    x, y = expected_cell(22.5, 12.5, 72, 29, bounds)  # Sahara
    assert drawn.lines[y][x] == chr(0x28FF)


def test_markers_land_in_the_right_cells() -> None:
    bounds = (-130.0, 20.0, -60.0, 55.0)
    width, height = 53, 21
    markers = [
        Marker(32.45, -99.73, "A", "abilene"),
        Marker(38.9, -77.04, "W", "washington"),
        Marker(47.61, -122.33, "S", "seattle"),
        Marker(25.76, -80.19, "M", "miami"),
    ]
    drawn = render_map(width, height, markers, bounds=bounds)
    assert drawn.hidden == [] and drawn.collisions == {}
    assert [m.id for m, _, _ in drawn.placed] == [m.id for m in markers]
    for marker, x, y in drawn.placed:
        assert (x, y) == expected_cell(marker.lat, marker.lon, width, height, bounds), marker.id
        assert drawn.lines[y][x] == marker.symbol
    assert len(drawn.lines) == height and all(len(line) == width for line in drawn.lines)


def test_markers_do_not_stick_to_later_renders() -> None:
    with_marker = render_map(30, 8, [Marker(0.0, 0.0, "@", "x")])
    without = render_map(30, 8, [])
    assert "@" in "".join(with_marker.lines)
    assert "@" not in "".join(without.lines)


@st.composite
def maps(draw: st.DrawFn) -> tuple[int, int, tuple[float, float, float, float], list[Marker]]:
    width = draw(st.integers(1, 40))
    height = draw(st.integers(1, 12))
    lon_a, lon_b = sorted(draw(st.lists(st.integers(-180, 180), min_size=2, max_size=2, unique=True)))
    lat_a, lat_b = sorted(draw(st.lists(st.integers(-90, 90), min_size=2, max_size=2, unique=True)))
    points = st.tuples(st.floats(-90, 90), st.floats(-180, 180))
    markers = [
        Marker(lat, lon, "*", f"m{i}") for i, (lat, lon) in enumerate(draw(st.lists(points, max_size=8)))
    ]
    return width, height, (float(lon_a), float(lat_a), float(lon_b), float(lat_b)), markers


@settings(max_examples=60, deadline=None)
@given(maps())
def test_every_marker_is_placed_by_the_projection_or_hidden(
    case: tuple[int, int, tuple[float, float, float, float], list[Marker]],
) -> None:
    width, height, bounds, markers = case
    drawn = render_map(width, height, markers, bounds=bounds)
    assert len(drawn.lines) == height and all(len(line) == width for line in drawn.lines)
    lon_min, lat_min, lon_max, lat_max = bounds
    placed = {m.id: (x, y) for m, x, y in drawn.placed}
    assert len(placed) + len(drawn.hidden) == len(markers)
    for marker in markers:
        inside = lon_min <= marker.lon <= lon_max and lat_min <= marker.lat <= lat_max
        if not inside:
            assert marker in drawn.hidden
            continue
        x, y = expected_cell(marker.lat, marker.lon, width, height, bounds)
        assert placed[marker.id] == (min(x, width - 1), min(y, height - 1))
        assert drawn.lines[placed[marker.id][1]][placed[marker.id][0]] == "*"


def test_markers_on_the_far_edges_stay_inside() -> None:
    bounds = (-10.0, -10.0, 10.0, 10.0)
    corners = [Marker(10.0, 10.0, "a", "ne"), Marker(-10.0, -10.0, "b", "sw")]
    drawn = render_map(8, 4, corners, bounds=bounds)
    assert [(m.id, x, y) for m, x, y in drawn.placed] == [("ne", 7, 0), ("sw", 0, 3)]


def test_markers_outside_bounds_are_hidden() -> None:
    bounds = (-130.0, 20.0, -60.0, 55.0)
    inside = Marker(40.0, -100.0, "I", "inside")
    tokyo = Marker(35.68, 139.69, "T", "tokyo")
    south = Marker(10.0, -100.0, "S", "south")
    drawn = render_map(40, 12, [tokyo, inside, south], bounds=bounds)
    assert drawn.hidden == [tokyo, south]
    assert [m for m, _, _ in drawn.placed] == [inside]
    assert sum(line.count("T") + line.count("S") for line in drawn.lines) == 0


def test_markers_sharing_a_cell() -> None:
    first = Marker(39.9, 116.4, "B", "beijing")
    second = Marker(39.1, 117.2, "J", "tianjin")
    drawn = render_map(20, 6, [first, second])
    assert len(drawn.placed) == 2
    (_, x1, y1), (_, x2, y2) = drawn.placed
    assert (x1, y1) == (x2, y2)
    assert drawn.lines[y1][x1] == "B"
    assert drawn.collisions == {(x1, y1): [first, second]}
    assert "J" not in "".join(drawn.lines)


def test_bad_bounds_and_markers_are_rejected() -> None:
    with pytest.raises(ValueError):
        render_map(10, 5, [], bounds=(10.0, 0.0, -10.0, 20.0))
    with pytest.raises(ValueError):
        render_map(10, 5, [], bounds=(-200.0, 0.0, 10.0, 20.0))
    for bad in [(91.0, 0.0, "x"), (0.0, 181.0, "x"), (0.0, 0.0, "xy"), (0.0, 0.0, ""), (0.0, 0.0, "東")]:
        with pytest.raises(ValueError):
            Marker(bad[0], bad[1], bad[2], "bad")


def test_bounds_for_fits_markers_with_margin_and_aspect() -> None:
    markers = [Marker(32.45, -99.73, "A", "abilene"), Marker(38.9, -77.04, "W", "washington")]
    lon_min, lat_min, lon_max, lat_max = bounds_for(markers, 5.0, aspect=2.0)
    for m in markers:
        assert lon_min <= m.lon - 5.0 and m.lon + 5.0 <= lon_max
        assert lat_min <= m.lat - 5.0 and m.lat + 5.0 <= lat_max
    squash = math.cos(math.radians((lat_min + lat_max) / 2))
    assert (lon_max - lon_min) * squash / (lat_max - lat_min) == pytest.approx(2.0)
    drawn = render_map(40, 10, markers, bounds=(lon_min, lat_min, lon_max, lat_max))
    assert drawn.hidden == []


def test_bounds_for_edge_cases() -> None:
    assert bounds_for([]) == DEFAULT_BOUNDS
    lon_min, lat_min, lon_max, lat_max = bounds_for([Marker(0.0, 0.0, "x", "a")], 0.0)
    assert lat_max - lat_min >= 10.0 and lon_min < 0.0 < lon_max
    # Near the pole and the antimeridian the box is clamped to the globe.
    lon_min, lat_min, lon_max, lat_max = bounds_for(
        [Marker(89.0, 179.0, "x", "n"), Marker(-89.0, -179.0, "y", "s")]
    )
    assert (lon_min, lat_min, lon_max, lat_max) == (-180.0, -90.0, 180.0, 90.0)
    box = bounds_for([Marker(80.0, 170.0, "x", "a")], 5.0)
    assert -180.0 <= box[0] < box[2] <= 180.0 and -90.0 <= box[1] < box[3] <= 90.0
    assert box[0] <= 165.0 and box[2] >= 175.0
    assert box[1] <= 75.0 and box[3] >= 85.0


def test_module_needs_no_user_interface_libraries() -> None:
    code = (
        "import sys, stargate_tui.worldmap as w; w.render_map(10, 4, []); "
        "print(sorted(m for m in ('textual', 'rich') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
