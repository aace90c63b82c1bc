"""Draw the outline of the Netherlands from real data and write ``static/map/nl.svg``.

The outline is derived from the GeoNames postcode coordinates (``data/geonames/NL.txt``,
CC BY 4.0): every four-digit postcode area is a point; the land is the union of discs
around the points, closed morphologically (dilate, then erode a little less), so gaps
between villages fill in while the IJsselmeer, the Wadden Sea and the estuaries stay open.
The boundary cells are traced into rings, smoothed and simplified. The result is a
recognisable outline, islands included, at a few kilometres' accuracy: enough to show
where a hospital is, not a survey map.

Run from the project root:  .venv/bin/python scripts/make_map.py
The output is deterministic; commit it with the code.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from web.map import ATTRIBUTION, HEIGHT, WIDTH, project  # noqa: E402  # after sys.path setup

CELL = 1.0  # grid cell, SVG units (1 unit = 1/100 degree latitude, about 1.1 km)
DILATE = 5.0  # radius around each postcode point, in units
ERODE = 1.5  # erosion radius after dilation, in units (smaller: the land grows a little)
MIN_RING_AREA = 12.0  # drop specks smaller than this (units²); one lone village stays
MIN_HOLE_AREA = 150.0  # holes smaller than this are sparse countryside, not water
SIMPLIFY = 0.45  # Douglas-Peucker tolerance, units

Point = tuple[float, float]
Cell = tuple[int, int]


def read_points(path: Path) -> list[Point]:
    points: set[Point] = set()
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.reader(f, delimiter="\t"):
            if len(row) < 11 or not row[9] or not row[10]:
                continue
            points.add(project(float(row[9]), float(row[10])))
    return sorted(points)


def _disc(radius: float) -> list[Cell]:
    r = math.ceil(radius / CELL)
    return [
        (dx, dy)
        for dx in range(-r, r + 1)
        for dy in range(-r, r + 1)
        if (dx * CELL) ** 2 + (dy * CELL) ** 2 <= radius**2
    ]


def land_cells(points: list[Point], cols: int, rows: int) -> set[Cell]:
    dilated: set[Cell] = set()
    disc = _disc(DILATE)
    for x, y in points:
        cx, cy = int(x // CELL), int(y // CELL)
        for dx, dy in disc:
            c = (cx + dx, cy + dy)
            if 0 <= c[0] < cols and 0 <= c[1] < rows:
                dilated.add(c)
    erode = _disc(ERODE)
    return {
        (cx, cy) for cx, cy in dilated if all((cx + dx, cy + dy) in dilated for dx, dy in erode)
    }


def trace_rings(cells: set[Cell]) -> list[list[Point]]:
    """Boundary edges with land on the left, chained into closed rings."""
    # Directed edges between grid corners; for a land cell (x, y) walking counter-clockwise
    # in screen coordinates (y down) keeps the land on the left.
    nexts: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for x, y in cells:
        if (x, y - 1) not in cells:  # top edge, going left
            nexts[(x + 1, y)].append((x, y))
        if (x - 1, y) not in cells:  # left edge, going down
            nexts[(x, y)].append((x, y + 1))
        if (x, y + 1) not in cells:  # bottom edge, going right
            nexts[(x, y + 1)].append((x + 1, y + 1))
        if (x + 1, y) not in cells:  # right edge, going up
            nexts[(x + 1, y + 1)].append((x + 1, y))
    rings: list[list[Point]] = []
    while nexts:
        start = min(nexts)
        ring = [start]
        prev = start
        cur = nexts[start].pop()
        if not nexts[start]:
            del nexts[start]
        while cur != start:
            ring.append(cur)
            options = nexts[cur]
            if len(options) > 1:
                # Two land cells touch only at a corner: keep the sharpest left turn so
                # rings never cross.
                d = (cur[0] - prev[0], cur[1] - prev[1])
                options.sort(key=lambda n: d[0] * (n[1] - cur[1]) - d[1] * (n[0] - cur[0]))
            nxt = options.pop()
            if not options:
                del nexts[cur]
            prev, cur = cur, nxt
        rings.append([(float(px) * CELL, float(py) * CELL) for px, py in ring])
    return rings


def area(ring: list[Point]) -> float:
    return 0.5 * sum(
        ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1]
        for i in range(len(ring))
    )


def smooth(ring: list[Point]) -> list[Point]:
    """Midpoints of the edges: takes the staircase off the grid."""
    n = len(ring)
    return [
        ((ring[i][0] + ring[(i + 1) % n][0]) / 2, (ring[i][1] + ring[(i + 1) % n][1]) / 2)
        for i in range(n)
    ]


def simplify(points: list[Point], tol: float) -> list[Point]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = math.hypot(dx, dy) or 1.0
    far, index = 0.0, 0
    for i in range(1, len(points) - 1):
        px, py = points[i]
        d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
        if d > far:
            far, index = d, i
    if far <= tol:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tol)[:-1] + simplify(points[index:], tol)


def ring_path(ring: list[Point]) -> str:
    # Split the closed ring at two far-apart vertices so Douglas-Peucker has fixed ends.
    half = len(ring) // 2
    pts = simplify(ring[: half + 1], SIMPLIFY)[:-1] + simplify(ring[half:] + ring[:1], SIMPLIFY)
    pts = pts[:-1]
    coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
    return f"M{coords}Z"


def build_svg(points: list[Point]) -> str:
    cols, rows = math.ceil(WIDTH / CELL), math.ceil(HEIGHT / CELL)
    rings = [smooth(smooth(r)) for r in trace_rings(land_cells(points, cols, rows))]
    # Land rings and holes turn opposite ways; the largest ring is land.
    land_sign = math.copysign(1.0, area(max(rings, key=lambda r: abs(area(r)))))
    kept = [
        r
        for r in rings
        if abs(area(r)) >= (MIN_RING_AREA if area(r) * land_sign > 0 else MIN_HOLE_AREA)
    ]
    kept.sort(key=lambda r: -abs(area(r)))
    d = "".join(ring_path(r) for r in kept)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}">\n'
        f"<!-- Outline of the Netherlands derived by scripts/make_map.py from postcode "
        f"coordinates: {ATTRIBUTION}. -->\n"
        f'<path fill="#dfe7ef" stroke="#4a5461" stroke-width="0.6" stroke-linejoin="round" '
        f'fill-rule="evenodd" d="{d}"/>\n'
        f"</svg>\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=ROOT / "data" / "geonames" / "NL.txt")
    parser.add_argument("--out", type=Path, default=ROOT / "static" / "map" / "nl.svg")
    args = parser.parse_args()
    points = read_points(args.source)
    svg = build_svg(points)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg, encoding="utf-8")
    print(f"{args.out}: {len(points)} postcode points, {len(svg)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
