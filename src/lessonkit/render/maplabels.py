"""Where the geo maps' labels go: points projected as plotly.js (d3-geo) draws them, labels that overlap nothing."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Label placement. plotly draws text labels where it is told, overlapping or not, so the geo
# builders place them here: points are projected as plotly.js (d3-geo) does, scaled to the
# expected plot size, and each label takes the first of eight positions that stays inside the frame
# and clears every marker and every label placed before it. Labels that find no room shrink to the
# place name, then to nothing (hover and the text alternative still name them).
CHAR_PX = 7.3  # average character width at 13-14 px
LINE_PX = 17
POSITIONS = (
    "middle right",
    "middle left",
    "top center",
    "bottom center",
    "top right",
    "top left",
    "bottom right",
    "bottom left",
)


def _project(
    lon: float, lat: float, projection: str, centre_lon: float, parallels: Sequence[float]
) -> tuple[float, float]:
    """x, y (y up) in projection units for the projections the geo builders use."""
    lam = math.radians(((lon - centre_lon + 180) % 360) - 180)
    phi = math.radians(lat)
    if projection == "miller":
        return lam, 1.25 * math.log(math.tan(math.pi / 4 + 0.4 * phi))
    if projection == "conic conformal":
        p1, p2 = (math.radians(v) for v in parallels)
        t = lambda f: math.tan(math.pi / 4 + f / 2)  # noqa: E731
        n = math.log(math.cos(p1) / math.cos(p2)) / math.log(t(p2) / t(p1)) if p1 != p2 else math.sin(p1)
        f = math.cos(p1) * t(p1) ** n / n
        rho = f / t(phi) ** n
        return rho * math.sin(n * lam), -rho * math.cos(n * lam)
    return lam, phi


def project_to_screen(
    points: Sequence[tuple[float, float]], projection: str, lon_range, lat_range, parallels, size: tuple[float, float]
) -> tuple[list[tuple[float, float]], tuple[float, float]]:
    """Pixel positions (y down) of the points, and the frame size, as plotly fits the ranges into ``size``."""
    centre = (lon_range[0] + lon_range[1]) / 2
    edge = [(lon_range[0] + (lon_range[1] - lon_range[0]) * i / 20, lat) for i in range(21) for lat in lat_range]
    edge += [(lon, lat_range[0] + (lat_range[1] - lat_range[0]) * i / 20) for i in range(21) for lon in lon_range]
    frame = [_project(lo, la, projection, centre, parallels) for lo, la in edge]
    x0, x1 = min(p[0] for p in frame), max(p[0] for p in frame)
    y0, y1 = min(p[1] for p in frame), max(p[1] for p in frame)
    scale = min(size[0] / (x1 - x0), size[1] / (y1 - y0))
    out = []
    for lon, lat in points:
        x, y = _project(lon, lat, projection, centre, parallels)
        out.append(((x - x0) * scale, (y1 - y) * scale))
    return out, ((x1 - x0) * scale, (y1 - y0) * scale)


def _label_box(position: str, x: float, y: float, width: float, radius: float) -> tuple[float, float, float, float]:
    gap = radius + 3
    vertical, horizontal = position.split()
    if horizontal == "center":
        left = x - width / 2
    elif horizontal == "right":
        left = x + (gap if vertical == "middle" else gap * 0.6)
    else:
        left = x - width - (gap if vertical == "middle" else gap * 0.6)
    if vertical == "middle":
        top = y - LINE_PX / 2
    elif vertical == "top":
        top = y - (gap if horizontal == "center" else gap * 0.6) - LINE_PX
    else:
        top = y + (gap if horizontal == "center" else gap * 0.6)
    return left, top, left + width, top + LINE_PX


def _overlaps(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class GeoView:
    """What the label placer needs to know about a geo map's view."""

    projection: str
    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    size: tuple[float, float]  # the expected plot area in px (the frame is fitted into it)

    @property
    def parallels(self) -> tuple[float, float]:
        span = self.lat_range[1] - self.lat_range[0]
        return round(self.lat_range[0] + span / 4, 2), round(self.lat_range[1] - span / 4, 2)


def place_labels(
    points: Sequence[tuple[float, float]], labels: Sequence[Sequence[str]], radii: Sequence[float], view: GeoView
) -> list[tuple[str, str]]:
    """(textposition, text) per point: labels in priority order, each clear of markers and earlier labels.

    ``labels[i]`` lists the texts to try for point i, longest first; an empty result means no room.
    """
    pixels, (width, height) = project_to_screen(
        points, view.projection, view.lon_range, view.lat_range, view.parallels, view.size
    )
    obstacles = [(x - r, y - r, x + r, y + r) for (x, y), r in zip(pixels, radii, strict=True)]
    placed: list[tuple[float, float, float, float]] = []
    out = []
    for i, ((x, y), options) in enumerate(zip(pixels, labels, strict=True)):
        choice = ("top center", "")
        for text in options:
            if not text:
                continue
            w = len(text) * CHAR_PX + 4
            for position in POSITIONS:
                box = _label_box(position, x, y, w, radii[i])
                if box[0] < 2 or box[1] < 2 or box[2] > width - 2 or box[3] > height - 2:
                    continue
                if any(_overlaps(box, o) for j, o in enumerate(obstacles) if j != i):
                    continue
                if any(_overlaps(box, o) for o in placed):
                    continue
                choice = (position, text)
                placed.append(box)
                break
            if choice[1]:
                break
        out.append(choice)
    return out
