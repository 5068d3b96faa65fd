"""The countries layer of the geo maps: modern borders (Natural Earth), shaded by their ruler in 1914.

:func:`countries_1914` reads ``data/geo/countries_1914.geojson``; :func:`add_countries` draws the countries
that reach into a map's frame as ``Scattergeo`` traces, one per 1914 ruler and one neutral trace, and adds
their rows to the text alternative. The shading by ruler is approximate (each country's ``ruler_note``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import plotly.graph_objects as go

from lessonkit.render import theme
from lessonkit.render.geo import concat_labelled, geo_dir, geometry_rings, read_geojson, rings_bbox
from lessonkit.render.maplabels import GeoView, project_to_screen

# ---------------------------------------------------------------- look

NOT_SHADED = "not shaded"


# ---------------------------------------------------------------- the countries and their 1914 rulers


def _countries_trace(
    name: str, outline: tuple[list, list, list], fill: str, border: str, hover: str, rank: int
) -> go.Scattergeo:
    """One legend entry of filled country outlines (``outline``: lon, lat and hover text, gaps between)."""
    lon, lat, text = outline
    return go.Scattergeo(
        name=name,
        lon=lon,
        lat=lat,
        text=text,
        mode="lines",
        fill="toself",
        fillcolor=fill,
        line={"color": border, "width": 0.7},
        hovertemplate=hover,
        legendrank=rank,
    )


def _concat_countries(countries: Iterable) -> tuple[list, list, list]:
    """Several countries' rings in one trace, each vertex's hover text naming its country."""
    return concat_labelled((c.rings, html.escape(c.name)) for c in countries)


@dataclass(frozen=True)
class _Country:
    name: str
    ruler: str
    note: str
    rings: tuple
    bbox: tuple[float, float, float, float]

    @property
    def shaded(self) -> bool:
        return self.note != NOT_SHADED


@cache
def _countries_cached(path: str, mtime: int) -> tuple[_Country, ...]:
    data = read_geojson(path, mtime)
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        rings = geometry_rings(feature["geometry"])
        note = props.get("ruler_note") or ""
        out.append(_Country(props["name"], props["ruler_1914"], note, tuple(rings), rings_bbox(rings)))
    return tuple(out)


def countries_1914() -> tuple[_Country, ...]:
    """The modern countries of ``data/geo/countries_1914.geojson`` with their 1914 rulers."""
    path = geo_dir() / "countries_1914.geojson"
    return _countries_cached(str(path), path.stat().st_mtime_ns)


def _in_view(country: _Country, view: GeoView) -> bool:
    """Whether any vertex of the country falls inside the map's frame (projected as plotly does)."""
    lon_range, lat_range = view.lon_range, view.lat_range
    lon_pad = 0.5 * (lon_range[1] - lon_range[0])
    lat_pad = 0.5 * (lat_range[1] - lat_range[0])
    b = country.bbox
    if (
        b[2] < lon_range[0] - lon_pad
        or b[0] > lon_range[1] + lon_pad
        or b[3] < lat_range[0] - lat_pad
        or b[1] > lat_range[1] + lat_pad
    ):
        return False
    points = [(p[0], p[1]) for ring in country.rings for p in ring]
    pixels, (width, height) = project_to_screen(
        points, view.projection, lon_range, lat_range, view.parallels, view.size
    )
    return any(0 <= x <= width and 0 <= y <= height for x, y in pixels)


def _hover_template(ruler: str | None, shade: bool) -> str:
    """Hover: the country's name (``text``, one per vertex, kept short) and its 1914 ruler.

    The border caveats (``ruler_note``) are in the text alternative's table, not in the hover: the
    hover text repeats on every vertex, and the notes would triple the figure's size.
    """
    if not shade:
        return "<b>%{text}</b><br>modern border<extra></extra>"
    if ruler is None:
        return "<b>%{text}</b><br>not shaded on this map<extra></extra>"
    return f"<b>%{{text}}</b><br>1914: {html.escape(ruler)}<extra></extra>"


def add_countries(
    fig: go.Figure, view: GeoView, shade: bool, rulers: Sequence[str] | None, rows: list[tuple[str, ...]]
) -> list[str]:
    """Country traces: one per 1914 ruler (``shade``) plus one neutral trace. Returns the rulers drawn.

    Only countries that reach into the map's frame are drawn, so the legend lists what is visible.
    """
    visible = [c for c in countries_1914() if _in_view(c, view)]
    known = {c.ruler for c in countries_1914() if c.shaded}
    if rulers is not None:
        if isinstance(rulers, str):
            raise TypeError(f"give a list of rulers, not the string {rulers!r}")
        unknown = [r for r in rulers if r not in known]
        if unknown:
            raise KeyError(
                f"unknown 1914 ruler {unknown[0]!r} (rulers in countries_1914.geojson: {', '.join(sorted(known))})"
            )
    chosen = set(rulers) if rulers is not None else known
    groups: dict[str, list[_Country]] = {}
    neutral: list[_Country] = []
    for c in visible:
        if shade and c.shaded and c.ruler in chosen:
            groups.setdefault(c.ruler, []).append(c)
        else:
            neutral.append(c)
    order = list(theme.RULER_FILLS)
    drawn = sorted(groups, key=lambda r: (order.index(r) if r in order else len(order), r))
    extra = iter(theme.FALLBACK_FILLS * 10)
    for rank, ruler in enumerate(drawn):
        members = groups[ruler]
        lon, lat, text = _concat_countries(members)
        colour = theme.RULER_FILLS.get(ruler) or next(extra)
        hover = _hover_template(ruler, True)
        fig.add_trace(_countries_trace(ruler, (lon, lat, text), colour, theme.COUNTRY_BORDER, hover, 100 + rank))
        notes = "; ".join(f"{c.name}: {c.note}" for c in members if c.note)
        countries = "modern countries: " + ", ".join(c.name for c in members)
        rows.append(("1914 ruler (shaded area)", ruler, "1914", countries, notes or "—"))
    if neutral:
        lon, lat, text = _concat_countries(neutral)
        name = "Not shaded" if shade else "Countries (modern borders)"
        fill, border = (theme.NEUTRAL, theme.COUNTRY_BORDER) if shade else (theme.LAND, theme.UNSHADED_BORDER)
        trace = _countries_trace(name, (lon, lat, text), fill, border, _hover_template(None, shade), 900)
        trace.showlegend = shade
        fig.add_trace(trace)
        what = "Country not shaded (outside the 1914 map's scope or not chosen)" if shade else "Country (modern border)"
        rows.append((what, name, "", "modern countries: " + ", ".join(c.name for c in neutral), "—"))
    return drawn
