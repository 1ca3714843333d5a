#!/usr/bin/env python3
"""Regenerate ``stargate_tui/data/world-land.txt``, the world land bitmap.

Source data
-----------
The input is ``land-50m.json`` from the npm package ``world-atlas`` version 2.0.2
(by Mike Bostock, https://github.com/topojson/world-atlas).  It is a TopoJSON
conversion of Natural Earth's 1:50m "land" physical vectors (``ne_50m_land``),
Natural Earth version 4.1.0, in unprojected longitude/latitude degrees.

* Natural Earth data is in the public domain
  (https://www.naturalearthdata.com/about/terms-of-use/).
* The ``world-atlas`` package itself is distributed under the ISC licence,
  Copyright 2013-2019 Michael Bostock; its notice is reproduced in
  ``docs/map-data.md``.

Get the file (it is not committed to this repository) with npm, then run
this script on it::

    cd "$(mktemp -d)" && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/make_world_bitmap.py package/land-50m.json

The SHA-256 of the ``land-50m.json`` used for the committed bitmap is
``619477ff690c086885e45cb91707d783805561bd75ae8e437b7d4694b0204e0f``.

Method
------
The land polygons are rasterised onto a 720 x 360 grid of half-degree cells
(twice the 1-degree grid in each direction) with the even-odd (crossing
number) point-in-polygon test, in pure Python.  Each cell is sampled at
``SUB x SUB`` points; a cell counts as land when at least half of its samples
are inside the land polygons.  To keep that fast, the crossing test is run
per sample latitude: the x positions where polygon edges cross that latitude
are collected and sorted once, and a sample point is inside when an odd number
of crossings lies to its west.  That is exactly the ray casting test for each
point, shared along a row.  Rings that cross the antimeridian, and Antarctica,
which world-atlas stores as a ring around the South Pole, are first made
planar (see ``unwrap_ring``).

Output format (read by ``stargate_tui.worldmap``): ``#`` comment lines, then a
line ``720 360`` (columns, rows), then one line per row, north to south: row 0
is the band 90N..89.5N, the last one 89.5S..90S.  A row is run-length encoded
from west to east, starting at 180W: decimal run lengths separated by spaces,
alternately sea and land, always starting with sea (so a row that starts with
land starts with ``0``).  The runs of a row add up to the number of columns.

Only the standard library is used.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import itertools
import json
import math
from pathlib import Path
from typing import Any

COLUMNS = 720
ROWS = 360
SUB = 4  # samples per cell along each axis
THRESHOLD = 0.5  # fraction of samples that must be land

DEFAULT_OUTPUT = Path(__file__).resolve().parent.parent / "stargate_tui" / "data" / "world-land.txt"

Ring = list[tuple[float, float]]


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Decode the quantized, delta-encoded arcs of a TopoJSON topology to degrees."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        points: Ring = []
        if transform is None:
            points = [(float(p[0]), float(p[1])) for p in arc]
        else:
            sx, sy = transform["scale"]
            tx, ty = transform["translate"]
            x = y = 0
            for p in arc:
                x += p[0]
                y += p[1]
                points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_from_arcs(indices: list[int], arcs: list[Ring]) -> Ring:
    """Join the arcs of one ring; a negative index ``~i`` means arc ``i`` reversed."""
    ring: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def collect_rings(geometry: dict[str, Any], arcs: list[Ring]) -> list[Ring]:
    """All rings (outer and holes) of a Polygon, MultiPolygon or GeometryCollection."""
    kind = geometry["type"]
    if kind == "GeometryCollection":
        return [ring for child in geometry["geometries"] for ring in collect_rings(child, arcs)]
    if kind == "Polygon":
        return [ring_from_arcs(r, arcs) for r in geometry["arcs"]]
    if kind == "MultiPolygon":
        return [ring_from_arcs(r, arcs) for polygon in geometry["arcs"] for r in polygon]
    return []


def unwrap_ring(ring: Ring) -> list[Ring]:
    """Planar rings that cover the same area as ``ring`` does on the sphere.

    world-atlas merges the Natural Earth polygons across the antimeridian, so a
    ring may jump from +180 to -180 (Chukotka, Fiji), and Antarctica is a ring
    around the South Pole.  Such a ring is unwrapped into continuous longitudes;
    a ring that then goes once around the globe is closed along the pole; and
    copies shifted by 360 degrees bring the parts beyond +-180 back into range.
    """
    n = len(ring)
    jumps = [j for j in range(n) if abs(ring[(j + 1) % n][0] - ring[j][0]) > 180]
    if not jumps:
        return [ring]
    start = (jumps[0] + 1) % n
    rotated = ring[start:] + ring[:start]
    unwrapped: Ring = [rotated[0]]
    offset = 0.0
    for (px, _), (x, y) in itertools.pairwise(rotated):
        if x - px > 180:
            offset -= 360.0
        elif x - px < -180:
            offset += 360.0
        unwrapped.append((x + offset, y))
    closing = rotated[0][0] - rotated[-1][0]
    end_offset = offset - 360.0 if closing > 180 else offset + 360.0 if closing < -180 else offset
    if end_offset != 0:
        pole = -90.0 if sum(y for _, y in ring) < 0 else 90.0
        x0 = rotated[0][0]
        unwrapped += [(x0 + end_offset, pole), (x0, pole)]
    pieces = [unwrapped]
    if min(x for x, _ in unwrapped) < -180:
        pieces.append([(x + 360.0, y) for x, y in unwrapped])
    if max(x for x, _ in unwrapped) > 180:
        pieces.append([(x - 360.0, y) for x, y in unwrapped])
    return pieces


def rasterise(rings: list[Ring], columns: int, rows: int, sub: int, threshold: float) -> list[list[bool]]:
    """Land mask, ``rows`` x ``columns``, north to south and west to east."""
    edges: list[tuple[float, float, float, float]] = []
    for ring in rings:
        for piece in unwrap_ring(ring):
            for (x1, y1), (x2, y2) in zip(piece, piece[1:] + piece[:1], strict=True):
                if y1 != y2:
                    edges.append((x1, y1, x2, y2))

    cell_w = 360.0 / columns
    cell_h = 180.0 / rows
    # Bucket edges by the sample rows they can cross, so each scanline sees few edges.
    sample_rows = rows * sub
    buckets: list[list[tuple[float, float, float, float]]] = [[] for _ in range(sample_rows)]
    step = cell_h / sub
    for edge in edges:
        lo, hi = min(edge[1], edge[3]), max(edge[1], edge[3])
        first = max(0, math.floor((90.0 - hi) / step - 0.5))
        last = min(sample_rows - 1, math.ceil((90.0 - lo) / step - 0.5))
        for k in range(first, last + 1):
            buckets[k].append(edge)

    sample_lons = [-180.0 + (i + 0.5) * cell_w / sub for i in range(columns * sub)]
    needed = threshold * sub * sub
    mask: list[list[bool]] = []
    for row in range(rows):
        counts = [0] * columns
        for s in range(sub):
            k = row * sub + s
            lat = 90.0 - (k + 0.5) * step
            crossings = sorted(
                x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
                for x1, y1, x2, y2 in buckets[k]
                if (y1 > lat) != (y2 > lat)
            )
            for i, lon in enumerate(sample_lons):
                if bisect.bisect_left(crossings, lon) % 2 == 1:
                    counts[i // sub] += 1
        mask.append([c >= needed for c in counts])
    return mask


def runs(row: list[bool]) -> list[int]:
    """Run lengths of a row, alternately sea and land, starting with sea."""
    out: list[int] = []
    current = False
    length = 0
    for land in row:
        if land == current:
            length += 1
        else:
            out.append(length)
            current, length = land, 1
    out.append(length)
    return out


def encode(mask: list[list[bool]], source: str, digest: str) -> str:
    columns = len(mask[0])
    lines = [
        f"# World land mask, {360 / columns:g} degree cells, run-length encoded; see docs/map-data.md.",
        "# Derived from Natural Earth 1:50m land (public domain), v4.1.0,",
        "# via land-50m.json of the npm package world-atlas 2.0.2",
        "# (ISC licence, Copyright 2013-2019 Michael Bostock).",
        f"# Source file sha256: {digest} ({source})",
        "# Regenerate with scripts/make_world_bitmap.py.",
        "# One line per row, north to south; runs west to east from 180W, alternately sea and land,",
        "# starting with sea. First line: columns rows.",
        f"{columns} {len(mask)}",
    ]
    lines += [" ".join(str(n) for n in runs(row)) for row in mask]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("source", type=Path, help="path to land-50m.json from the world-atlas npm package")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT, help="bitmap file to write")
    args = parser.parse_args(argv)

    raw = args.source.read_bytes()
    topology = json.loads(raw)
    arcs = decode_arcs(topology)
    rings = collect_rings(topology["objects"]["land"], arcs)
    mask = rasterise(rings, COLUMNS, ROWS, SUB, THRESHOLD)
    text = encode(mask, args.source.name, hashlib.sha256(raw).hexdigest())
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="ascii")
    land = sum(sum(row) for row in mask)
    print(
        f"wrote {args.output}: {len(rings)} rings, {land} of {COLUMNS * ROWS} cells land, {len(text)} bytes"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
