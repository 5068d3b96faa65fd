"""Maps that work offline: Europe in 1914, the wider world, Petrograd in 1917, and a route.

Every map is drawn from geometry shipped in ``data/geo/`` as ordinary plotly traces:

- **Geo maps** (:func:`europe_1914`, :func:`world_map`, :func:`route_map`) are ``Scattergeo``
  traces with every plotly base layer switched off (``show*=False``), no ``locationmode``,
  ``fitbounds=False`` and explicit longitude/latitude ranges, so plotly.js never fetches its
  topojson from the internet.
- **The city map** (:func:`petrograd_map`, :class:`InsurrectionMap`) is a plain cartesian
  ``Scatter`` (longitude on x, latitude on y, ``scaleanchor`` with ratio 1/cos(latitude)).

Builders are pure: they take ids (of ``data/places.csv`` and the event tables), return a
``plotly.graph_objects.Figure`` with the lessonkit theme, a title, a visible credit line and a text
alternative (:mod:`lessonkit.alt`), and never display anything. An unknown id raises ``KeyError``
naming the id. Credits: Natural Earth (public domain); GeoNames (geonames.org), CC BY 4.0;
© OpenStreetMap contributors, ODbL 1.0 (the Petrograd layers).
"""

from __future__ import annotations

import html
import json
import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from . import theme
from .alt import TextAlternative, attach, drawn_traces
from .calendar import DualDate
from .data import Dataset, Event, Place, data_dir, dataset
from .figures import sentence
from .figureview import FigureView
from .timeline import event_label, sorted_events

__all__ = [
    "GEO_BASE_LAYERS_OFF",
    "InsurrectionMap",
    "Step",
    "europe_1914",
    "events_by_step",
    "insurrection_events",
    "insurrection_steps",
    "petrograd_map",
    "route_map",
    "world_map",
]

# ---------------------------------------------------------------- look

SEA = "#B9D5EA"  # sea, rivers and canals: one colour, so water reads as water everywhere
LAND = "#F1EEE6"  # Petrograd land
NEUTRAL = "#DADADA"  # countries outside the 1914 map's scope (not shaded)
BORDER = "#FFFFFF"  # modern borders between shaded countries
BRIDGE = "#4D4D4D"
MARKER = "#1F1F1F"  # city markers
EVENT = theme.ARTICLE  # event markers (vermilion)
PLACE = "#0B4F8A"  # Petrograd places
HAPPENED = "#B8340B"
NOT_YET = "#7A7A7A"

#: Every plotly geo base layer, switched off: with these and no ``locationmode`` plotly.js
#: fetches nothing (stack notes §3).
GEO_BASE_LAYERS_OFF: dict[str, bool] = {
    "showland": False,
    "showcoastlines": False,
    "showcountries": False,
    "showlakes": False,
    "showocean": False,
    "showrivers": False,
    "showsubunits": False,
    "showframe": False,
}

# Fill colours for the 1914 rulers: pastel, so markers stay readable, and chosen so that
# neighbours differ. Legend order follows this dict (the great powers first).
RULER_COLOURS: dict[str, str] = {
    "Russian Empire": "#F4A08A",
    "German Empire": "#8FB9DA",
    "Austria-Hungary": "#B5D98A",
    "Ottoman Empire": "#F7C878",
    "United Kingdom": "#C3B9DD",
    "French Republic": "#9FD8CF",
    "Kingdom of Italy": "#F1E28A",
    "Empire of Japan": "#F4C6DA",
    "Republic of China": "#B5D98A",
    "Spain": "#E6C7A6",
    "Portuguese Republic": "#C6E3A4",
    "Swiss Confederation": "#F4C6DA",
    "Kingdom of Belgium": "#F4C6DA",
    "Kingdom of the Netherlands": "#F7C878",
    "Grand Duchy of Luxembourg": "#C3B9DD",
    "Kingdom of Denmark": "#F4C6DA",
    "Kingdom of Norway": "#B5D98A",
    "Kingdom of Sweden": "#F1E28A",
    "Kingdom of Romania": "#F1E28A",
    "Kingdom of Bulgaria": "#C3B9DD",
    "Kingdom of Serbia": "#9FD8CF",
    "Kingdom of Montenegro": "#F7C878",
    "Principality of Albania": "#F4C6DA",
    "Kingdom of Greece": "#8FB9DA",
    "Outer Mongolia (autonomous)": "#E6C7A6",
}
FALLBACK_COLOURS = ("#E6C7A6", "#C6E3A4", "#F4C6DA", "#9FD8CF", "#F1E28A", "#C3B9DD")

APPROXIMATE_LABEL = "Modern borders shaded by the 1914 ruler: approximate"
MODERN_LABEL = "Modern borders (Natural Earth), not the borders of the time"
NATURAL_EARTH = "Natural Earth (public domain)"
GEONAMES = "GeoNames (geonames.org), CC BY 4.0"
OSM = "© OpenStreetMap contributors (ODbL 1.0)"
NOT_SHADED = "not shaded"

COLUMNS = ("Map item", "Name", "Date", "Where", "Notes")

# Petrograd: the box the OpenStreetMap layers are clipped to (lon, lat).
PETROGRAD_BOX = ((30.15, 30.50), (59.85, 60.00))
PETROGRAD_DEFAULT_VIEW = ((30.23, 30.45), (59.875, 59.975))
PETROGRAD_LAT = 59.93
PETROGRAD_RATIO = 1 / math.cos(math.radians(PETROGRAD_LAT))

# The insurrection: 22-26 Oct 1917, as Russia dated it (Julian).
INSURRECTION_WINDOW = ("1917-10-22", "1917-10-26")
END_OF_DAY = "24:00"


# ---------------------------------------------------------------- geometry files


def geo_dir() -> Path:
    """The folder with the shipped GeoJSON (``data/geo``)."""
    return data_dir() / "geo"


@cache
def _read_geojson(path: str, _mtime: int) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_geojson(relative: str) -> dict:
    """A GeoJSON file under ``data/geo`` (parsed once per process and modification time)."""
    path = geo_dir() / relative
    return _read_geojson(str(path), path.stat().st_mtime_ns)


def _rings(geometry: dict) -> list[list[list[float]]]:
    """Every ring or line of a (Multi)Polygon or (Multi)LineString, as lists of [lon, lat]."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    if kind == "LineString":
        return [coords]
    if kind == "MultiLineString":
        return list(coords)
    raise ValueError(f"unsupported geometry type {kind!r}")


def _bbox(rings: Iterable[list[list[float]]]) -> tuple[float, float, float, float]:
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def _concat(rings: Iterable[list[list[float]]], text: str | None = None) -> tuple[list, list, list]:
    """Rings joined into one trace's x/y (lon/lat) with ``None`` between them; ``text`` per vertex."""
    return _concat_labelled([(rings, text)])


def _concat_labelled(groups: Iterable[tuple[Iterable[list[list[float]]], str | None]]) -> tuple[list, list, list]:
    """Several labelled groups of rings in one trace (``None`` between rings); each vertex's text is its label."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    texts: list[str | None] = []
    for rings, text in groups:
        for ring in rings:
            if xs:
                xs.append(None)
                ys.append(None)
                texts.append(None)
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
            texts.extend([text] * len(ring))
    return xs, ys, texts


def _concat_countries(countries: Iterable) -> tuple[list, list, list]:
    """Several countries' rings in one trace, each vertex's hover text naming its country."""
    return _concat_labelled((c.rings, html.escape(c.name)) for c in countries)


# ---------------------------------------------------------------- shared helpers


def _places(ids: Sequence[str], ds: Dataset) -> list[Place]:
    if isinstance(ids, str):
        raise TypeError(f"give a list of place ids, not the string {ids!r}")
    return [ds.place(i) for i in ids]


def _events(ids: Sequence[str | Event], ds: Dataset) -> list[Event]:
    if isinstance(ids, str):
        raise TypeError(f"give a list of event ids, not the string {ids!r}")
    return [e if isinstance(e, Event) else ds.event(e) for e in ids]


def _located(events: Sequence[Event], ds: Dataset, builder: str) -> list[tuple[Event, Place]]:
    out = []
    for e in events:
        if not e.place:
            raise ValueError(f"event {e.id!r} has no place, so {builder} cannot draw it "
                             "(give it a place in data/events/)")
        out.append((e, ds.place(e.place)))
    return out


def place_name(place: Place) -> str:
    """'Helsinki (1917: Helsingfors)' or 'Winter Palace'."""
    if place.name_1917 and place.name_1917 != place.name:
        return f"{place.name} (1917: {place.name_1917})"
    return place.name


def city_name(place: Place) -> str:
    """The 1917 name first on the city map: 'Nikolaevsky Bridge (now Blagoveshchensky Bridge)'."""
    if place.name_1917 and place.name_1917 != place.name and place.kind != "city":
        return f"{place.name_1917} (now {place.name})"
    return place.name


def _where(place: Place) -> str:
    ns = "N" if place.lat >= 0 else "S"
    ew = "E" if place.lon >= 0 else "W"
    approx = ", approximate" if place.approximate else ""
    return f"{place.name} ({abs(place.lat):.4f}° {ns}, {abs(place.lon):.4f}° {ew}{approx})"


def _wrap(text: str, width: int = 110) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def _source_shorts(events: Sequence[Event], ds: Dataset) -> list[str]:
    return list(dict.fromkeys(ds.source(s).short for e in events for s in e.sources))


MAX_LISTED_SOURCES = 4


def _events_credit(events: Sequence[Event], ds: Dataset) -> str:
    """'Events: A; B.' or, for many sources, a pointer to the text description (the credit line stays short)."""
    shorts = _source_shorts(events, ds)
    if len(shorts) <= MAX_LISTED_SOURCES:
        return "Events: " + "; ".join(shorts) + "."
    return f"Events: {len(shorts)} sources, listed in the text description."


def _citations(ids: Iterable[str], ds: Dataset) -> list[str]:
    return [ds.source(s).citation() for s in dict.fromkeys(ids)]


def _event_row(event: Event, place: Place | None, ds: Dataset) -> tuple[str, ...]:
    sources = "; ".join(ds.source(s).labelled for s in event.sources)
    return (
        "Event",
        event.title,
        event_label(event),
        _where(place) if place else "not on the map (no place)",
        f"{event.description} Source: {sources} ({event.confidence} confidence).",
    )


def _place_row(kind: str, place: Place, ds: Dataset, number: int | None = None) -> tuple[str, ...]:
    name = place_name(place)
    if number is not None:
        name = f"{number}. {name}"
    note = f"Position: {ds.source(place.source).short}, {place.confidence} confidence"
    if place.approximate:
        note += "; approximate"
    return (kind, name, "", _where(place), note + ".")


# Label placement. plotly draws text labels where it is told, overlapping or not, so the geo
# builders place them here: points are projected as plotly.js (d3-geo) does, scaled to the
# expected plot size, and each label takes the first of eight positions that stays inside the frame
# and clears every marker and every label placed before it. Labels that find no room shrink to the
# place name, then to nothing (hover and the text alternative still name them).
CHAR_PX = 7.3  # average character width at 13-14 px
LINE_PX = 17
POSITIONS = ("middle right", "middle left", "top center", "bottom center", "top right", "top left", "bottom right",
             "bottom left")


def _project(lon: float, lat: float, projection: str, centre_lon: float,
             parallels: Sequence[float]) -> tuple[float, float]:
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


def _screen(points: Sequence[tuple[float, float]], projection: str, lon_range, lat_range, parallels,
            size: tuple[float, float]) -> tuple[list[tuple[float, float]], tuple[float, float]]:
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
class _View:
    """What the label placer needs to know about a geo map's view."""

    projection: str
    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    size: tuple[float, float]  # the expected plot area in px (the frame is fitted into it)

    @property
    def parallels(self) -> tuple[float, float]:
        span = self.lat_range[1] - self.lat_range[0]
        return round(self.lat_range[0] + span / 4, 2), round(self.lat_range[1] - span / 4, 2)


def place_labels(points: Sequence[tuple[float, float]], labels: Sequence[Sequence[str]], radii: Sequence[float],
                 view: _View) -> list[tuple[str, str]]:
    """(textposition, text) per point: labels in priority order, each clear of markers and earlier labels.

    ``labels[i]`` lists the texts to try for point i, longest first; an empty result means no room.
    """
    pixels, (width, height) = _screen(points, view.projection, view.lon_range, view.lat_range, view.parallels,
                                      view.size)
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


def _finish(fig: go.Figure, title: str, figure_id: str, summary: str, rows: list[tuple[str, ...]],
            sources: list[str]) -> go.Figure:
    alt = TextAlternative(
        figure_id=figure_id,
        title=title,
        summary=summary,
        columns=COLUMNS,
        rows=tuple(rows),
        sources=tuple(dict.fromkeys(sources)),
        traces=len(fig.data),
    )
    return attach(fig, alt)


# ---------------------------------------------------------------- geo maps (Europe, world, route)


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
    data = _read_geojson(path, mtime)
    out = []
    for feature in data["features"]:
        props = feature["properties"]
        rings = _rings(feature["geometry"])
        note = props.get("ruler_note") or ""
        out.append(_Country(props["name"], props["ruler_1914"], note, tuple(rings), _bbox(rings)))
    return tuple(out)


def countries_1914() -> tuple[_Country, ...]:
    """The modern countries of ``data/geo/countries_1914.geojson`` with their 1914 rulers."""
    path = geo_dir() / "countries_1914.geojson"
    return _countries_cached(str(path), path.stat().st_mtime_ns)


def _in_view(country: _Country, view: _View) -> bool:
    """Whether any vertex of the country falls inside the map's frame (projected as plotly does)."""
    lon_range, lat_range = view.lon_range, view.lat_range
    lon_pad = 0.5 * (lon_range[1] - lon_range[0])
    lat_pad = 0.5 * (lat_range[1] - lat_range[0])
    b = country.bbox
    if b[2] < lon_range[0] - lon_pad or b[0] > lon_range[1] + lon_pad or b[3] < lat_range[0] - lat_pad \
            or b[1] > lat_range[1] + lat_pad:
        return False
    points = [(p[0], p[1]) for ring in country.rings for p in ring]
    pixels, (width, height) = _screen(points, view.projection, lon_range, lat_range, view.parallels, view.size)
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


def _add_countries(fig: go.Figure, view: _View, shade: bool, rulers: Sequence[str] | None,
                   rows: list[tuple[str, ...]]) -> list[str]:
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
            raise KeyError(f"unknown 1914 ruler {unknown[0]!r} "
                           f"(rulers in countries_1914.geojson: {', '.join(sorted(known))})")
    chosen = set(rulers) if rulers is not None else known
    groups: dict[str, list[_Country]] = {}
    neutral: list[_Country] = []
    for c in visible:
        if shade and c.shaded and c.ruler in chosen:
            groups.setdefault(c.ruler, []).append(c)
        else:
            neutral.append(c)
    order = list(RULER_COLOURS)
    drawn = sorted(groups, key=lambda r: (order.index(r) if r in order else len(order), r))
    extra = iter(FALLBACK_COLOURS * 10)
    for rank, ruler in enumerate(drawn):
        members = groups[ruler]
        lon, lat, text = _concat_countries(members)
        colour = RULER_COLOURS.get(ruler) or next(extra)
        fig.add_trace(go.Scattergeo(
            name=ruler, lon=lon, lat=lat, text=text, mode="lines", fill="toself", fillcolor=colour,
            line={"color": BORDER, "width": 0.7}, hovertemplate=_hover_template(ruler, True), legendrank=100 + rank,
        ))
        notes = "; ".join(f"{c.name}: {c.note}" for c in members if c.note)
        countries = "modern countries: " + ", ".join(c.name for c in members)
        rows.append(("1914 ruler (shaded area)", ruler, "1914", countries, notes or "—"))
    if neutral:
        lon, lat, text = _concat_countries(neutral)
        name = "Not shaded" if shade else "Countries (modern borders)"
        fig.add_trace(go.Scattergeo(
            name=name, lon=lon, lat=lat, text=text, mode="lines", fill="toself", fillcolor=NEUTRAL if shade else LAND,
            line={"color": BORDER if shade else "#A8A8A8", "width": 0.7}, hovertemplate=_hover_template(None, shade),
            legendrank=900, showlegend=shade,
        ))
        what = "Country not shaded (outside the 1914 map's scope or not chosen)" if shade else "Country (modern border)"
        rows.append((what, name, "", "modern countries: " + ", ".join(c.name for c in neutral), "—"))
    return drawn


def _geo_layout(fig: go.Figure, view: _View) -> None:
    lon_range, lat_range = list(view.lon_range), list(view.lat_range)
    centre_lon = (lon_range[0] + lon_range[1]) / 2
    proj: dict[str, Any] = {"type": view.projection, "rotation": {"lon": centre_lon}}
    if view.projection.startswith("conic"):
        proj["parallels"] = list(view.parallels)
    fig.update_geos(
        **GEO_BASE_LAYERS_OFF,
        fitbounds=False,
        projection=proj,
        lonaxis={"range": lon_range, "showgrid": False},
        lataxis={"range": lat_range, "showgrid": False},
        center={"lon": centre_lon, "lat": (lat_range[0] + lat_range[1]) / 2},
        bgcolor=SEA,
    )


def _geo_figure(title: str, subtitle: str) -> go.Figure:
    fig = go.Figure(layout={"template": theme.ensure_template()})
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle, "font": {"size": 15, "color": "#333333"}}},
        hovermode="closest",
    )
    return fig


def _geo_finish(fig: go.Figure, view: _View, credit: str) -> None:
    """Legend in columns under the map, the credit line under the legend, and a height that fits the map."""
    items = [t for t in fig.data if t.showlegend is not False]
    shaded = any(t.fill == "toself" for t in items)
    columns = max(1, int(view.size[0] // (LEGEND_COLUMN_PX + LEGEND_SYMBOL_PX)))
    rows = math.ceil(len(items) / columns) + (1 if shaded else 0)
    legend_h = rows * LEGEND_ROW_PX + 14
    credit_text = _wrap(credit, CREDIT_CHARS)
    credit_h = (credit_text.count("<br>") + 1) * CREDIT_LINE_PX
    bottom = 10 + legend_h + 10 + credit_h + 10
    fig.update_layout(
        height=int(GEO_MARGIN["t"] + view.size[1] + bottom),
        margin={**GEO_MARGIN, "b": bottom},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 0, "yanchor": "top", "yref": "paper",
                "entrywidth": LEGEND_COLUMN_PX, "entrywidthmode": "pixels", "font": {"size": 13},
                "itemclick": "toggle", "tracegroupgap": 4, "bgcolor": "rgba(255,255,255,0)",
                "title": {"text": "Shading: ruler in 1914 (click to hide or show)" if shaded else "",
                          "side": "top", "font": {"size": 13}}},
        annotations=[theme.source_note(credit_text, shift=10 + legend_h + 10)],
    )


def _add_points(fig: go.Figure, cities: list[Place], located: list[tuple[Event, Place]], view: _View,
                rows: list[tuple[str, ...]], ds: Dataset, stops: Sequence[Place] = ()) -> None:
    """Route stops, city markers and event markers (one trace each, one event marker per place).

    Labels are placed together (events first, then stops, then cities) so none overlaps another.
    """
    event_places: dict[str, list[Event]] = {}
    where: dict[str, Place] = {}
    for event, place in located:
        event_places.setdefault(place.id, []).append(event)
        where[place.id] = place
    keys = list(event_places)
    event_labels = []
    for k in keys:
        years = sorted({DualDate.parse(e.date).year for e in event_places[k]})
        event_labels.append([f"{where[k].name} ({', '.join(str(y) for y in years)})", where[k].name])
    items: list[tuple[tuple[float, float], list[str], float]] = []
    items += [((where[k].lon, where[k].lat), labels, 8.0) for k, labels in zip(keys, event_labels, strict=True)]
    items += [((p.lon, p.lat), [f"{i}. {p.name}", str(i)], 6.0) for i, p in enumerate(stops, start=1)]
    items += [((p.lon, p.lat), [] if p.id in event_places else [p.name], 5.0) for p in cities]
    placed = place_labels([i[0] for i in items], [i[1] for i in items], [i[2] for i in items], view) if items else []
    n_events, n_stops = len(keys), len(stops)
    event_pos = placed[:n_events]
    stop_pos = placed[n_events:n_events + n_stops]
    city_pos = placed[n_events + n_stops:]
    if stops:
        fig.add_trace(go.Scattergeo(
            name="Stops (in order)", lon=[p.lon for p in stops], lat=[p.lat for p in stops], mode="markers+text",
            text=[t for _, t in stop_pos], textposition=[pos for pos, _ in stop_pos],
            textfont={"size": 14, "color": "#1A1A1A"},
            marker={"size": 11, "color": MARKER, "line": {"color": "#FFFFFF", "width": 1.5}},
            customdata=[[i, place_name(p)] for i, p in enumerate(stops, start=1)],
            hovertemplate="<b>%{customdata[0]}. %{customdata[1]}</b><extra></extra>", legendrank=2,
        ))
        rows += [_place_row("Stop", p, ds, number=i) for i, p in enumerate(stops, start=1)]
    if cities:
        fig.add_trace(go.Scattergeo(
            name="Cities", lon=[p.lon for p in cities], lat=[p.lat for p in cities], mode="markers+text",
            text=[t for _, t in city_pos], textposition=[pos for pos, _ in city_pos],
            textfont={"size": 13, "color": "#1A1A1A"},
            marker={"size": 8, "color": MARKER, "line": {"color": "#FFFFFF", "width": 1}},
            customdata=[[place_name(p)] for p in cities], hovertemplate="<b>%{customdata[0]}</b><extra></extra>",
            legendrank=3,
        ))
        rows += [_place_row("City", p, ds) for p in cities]
    if keys:
        hover = []
        for k in keys:
            lines = [f"{html.escape(event_label(e))}: {html.escape(e.title)}" for e in sorted_events(event_places[k])]
            hover.append(f"<b>{html.escape(place_name(where[k]))}</b><br>" + "<br>".join(lines))
        fig.add_trace(go.Scattergeo(
            name="Events", lon=[where[k].lon for k in keys], lat=[where[k].lat for k in keys], mode="markers+text",
            text=[t for _, t in event_pos], textposition=[pos for pos, _ in event_pos],
            textfont={"size": 13, "color": "#1A1A1A"},
            marker={"size": 13, "symbol": "diamond", "color": EVENT, "line": {"color": "#FFFFFF", "width": 1.2}},
            hovertext=hover, hovertemplate="%{hovertext}<extra></extra>", legendrank=4,
        ))
        place_of = {e.id: p for e, p in located}
        rows += [_event_row(e, place_of[e.id], ds) for e in sorted_events([e for e, _ in located])]


def _map_credit(base: str, places: Iterable[Place], events: Sequence[Event], ds: Dataset) -> tuple[str, list[str]]:
    """The visible credit line and the alternative's source list."""
    places = list(places)
    parts = [f"Map: {base}."]
    citations = [ds.source("natural_earth").citation() + " — public domain"]
    if any(p.source == "geonames" for p in places):
        parts.append(f"Cities: {GEONAMES}.")
        citations.append(ds.source("geonames").citation() + " — CC BY 4.0")
    other = [p for p in places if p.source != "geonames"]
    if other:
        parts.append("Sites: " + "; ".join(dict.fromkeys(ds.source(p.source).short for p in other)) + ".")
        citations += _citations((p.source for p in other), ds)
    if events:
        parts.append(_events_credit(events, ds))
        citations += _citations((s for e in events for s in e.sources), ds)
    return " ".join(parts), citations


# The geo layout assumes a notebook cell about 830 px wide (JupyterLab with the file browser open);
# the map keeps its shape on wider screens. The plot height follows the map's shape.
GEO_WIDTH = 830
GEO_MARGIN = {"l": 10, "r": 10, "t": 100}
LEGEND_COLUMN_PX = 195  # text width of one legend column
LEGEND_SYMBOL_PX = 45  # the symbol before it
LEGEND_ROW_PX = 22
CREDIT_LINE_PX = 17
CREDIT_CHARS = 105


def _view(projection: str, lon_range, lat_range) -> _View:
    lon_range = (float(lon_range[0]), float(lon_range[1]))
    lat_range = (float(lat_range[0]), float(lat_range[1]))
    if not (lon_range[0] < lon_range[1] and lat_range[0] < lat_range[1]):
        raise ValueError(f"empty view: lon_range {lon_range}, lat_range {lat_range} (give (low, high))")
    width = GEO_WIDTH - GEO_MARGIN["l"] - GEO_MARGIN["r"]
    probe = _View(projection, lon_range, lat_range, (1000.0, 1000.0))
    _, (fw, fh) = _screen([], projection, lon_range, lat_range, probe.parallels, probe.size)
    height = min(max(width * fh / fw, 340.0), 640.0)
    return _View(projection, lon_range, lat_range, (float(width), float(height)))


def _geo_map(title: str, figure_id: str, cities: Sequence[str], events: Sequence[str | Event], lon_range, lat_range,
             rulers: Sequence[str] | None, shade: bool, projection: str, ds: Dataset | None) -> go.Figure:
    ds = ds or dataset()
    view = _view(projection, lon_range, lat_range)
    city_places = _places(cities, ds)
    located = _located(_events(events, ds), ds, "this map")
    ev = [e for e, _ in located]
    subtitle = APPROXIMATE_LABEL if shade else MODERN_LABEL
    credit, citations = _map_credit(NATURAL_EARTH, city_places + [p for _, p in located], ev, ds)
    fig = _geo_figure(title, subtitle)
    rows: list[tuple[str, ...]] = []
    drawn = _add_countries(fig, view, shade, rulers, rows)
    _add_points(fig, city_places, located, view, rows, ds)
    _geo_layout(fig, view)
    _geo_finish(fig, view, credit)
    what = (f"modern borders shaded by the 1914 ruler (approximate): {', '.join(drawn)}" if shade
            else "modern borders (not those of the time)")
    summary = (f"{sentence(title)} A map from {view.lon_range[0]:g}° to {view.lon_range[1]:g}° longitude and "
               f"{view.lat_range[0]:g}° to {view.lat_range[1]:g}° latitude, with {what}.")
    if city_places:
        summary += f" {len(city_places)} cities: {', '.join(p.name for p in city_places)}."
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return _finish(fig, title, figure_id, summary, rows, citations)


def europe_1914(
    title: str,
    figure_id: str,
    cities: Sequence[str] = (),
    events: Sequence[str] = (),
    lon_range: Sequence[float] = (-12, 62),
    lat_range: Sequence[float] = (34, 71),
    rulers: Sequence[str] | None = None,
    ds: Dataset | None = None,
) -> go.Figure:
    """Europe in 1914: modern countries shaded by their 1914 ruler (approximate), cities and events.

    One ``Scattergeo`` trace per ruler (hover: country, ruler, the border caveat), one neutral trace
    for countries not shaded, one trace of city markers (``data/places.csv`` ids) and one of event
    markers (event ids; each event needs a place; hover gives both calendars). ``rulers`` limits
    the shading to those rulers (the rest are drawn neutral). Conic conformal projection.
    """
    return _geo_map(title, figure_id, cities, events, lon_range, lat_range, rulers, True, "conic conformal", ds)


def world_map(
    title: str,
    figure_id: str,
    cities: Sequence[str] = (),
    events: Sequence[str] = (),
    lon_range: Sequence[float] = (-15, 130),
    lat_range: Sequence[float] = (15, 72),
    shade_1914: bool = False,
    ds: Dataset | None = None,
) -> go.Figure:
    """The wider world (Europe to China) with cities and events, for the revolutions abroad.

    Countries are drawn with their modern borders in one neutral colour (the events are from 1918
    to 1937, so 1914 rulers would mislead); ``shade_1914=True`` shades them by the 1914 ruler as
    :func:`europe_1914` does. Miller projection.
    """
    return _geo_map(title, figure_id, cities, events, lon_range, lat_range, None, shade_1914, "miller", ds)


EARTH_RADIUS_KM = 6371.0  # the Earth's mean radius
KM_PER_MILE = 1.609344


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The distance between two points on the Earth's surface along a great circle, in km."""
    p1, p2, dlon = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    cos = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dlon)
    return EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, cos)))


def route_km(place_ids: Sequence[str], ds: Dataset | None = None) -> float:
    """The length of the straight (great-circle) lines joining ``place_ids`` in order, in km."""
    places = _places(place_ids, ds or dataset())
    return sum(great_circle_km(a.lat, a.lon, b.lat, b.lon) for a, b in zip(places, places[1:], strict=False))


def route_map(
    title: str,
    figure_id: str,
    place_ids: Sequence[str],
    lon_range: Sequence[float] | None = None,
    lat_range: Sequence[float] | None = None,
    events: Sequence[str] = (),
    route_name: str = "Route",
    rulers: Sequence[str] | None = None,
    ds: Dataset | None = None,
) -> go.Figure:
    """A line through ``place_ids`` in order, with numbered stops, on the Europe-1914 base.

    Unknown ids raise ``KeyError`` naming the id. Without ranges the view fits the stops.
    Traces: the country traces, the route line, the stops, and the events (if any).
    """
    ds = ds or dataset()
    if isinstance(place_ids, str):
        raise TypeError(f"give a list of place ids, not the string {place_ids!r}")
    stops = _places(place_ids, ds)
    if len(stops) < 2:
        raise ValueError("a route needs at least two places")
    if lon_range is None or lat_range is None:
        lon_range, lat_range = _fit(stops)
    view = _view("conic conformal", lon_range, lat_range)
    located = _located(_events(events, ds), ds, "route_map")
    ev = [e for e, _ in located]
    credit, citations = _map_credit(NATURAL_EARTH, stops + [p for _, p in located], ev, ds)
    fig = _geo_figure(title, APPROXIMATE_LABEL)
    rows: list[tuple[str, ...]] = []
    drawn = _add_countries(fig, view, True, rulers, rows)
    fig.add_trace(go.Scattergeo(
        name=route_name, lon=[p.lon for p in stops], lat=[p.lat for p in stops], mode="lines",
        line={"color": EVENT, "width": 3.5}, hoverinfo="skip", legendrank=1,
    ))
    _add_points(fig, [], located, view, rows, ds, stops=stops)
    _geo_layout(fig, view)
    _geo_finish(fig, view, credit)
    summary = (f"{sentence(title)} {route_name}: " + " → ".join(p.name for p in stops)
               + f", drawn on modern borders shaded by the 1914 ruler (approximate): {', '.join(drawn)}.")
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return _finish(fig, title, figure_id, summary, rows, citations)


def _fit(places: Sequence[Place]) -> tuple[tuple[float, float], tuple[float, float]]:
    """A view around ``places``: padded, at least 30° by 16°, inside the countries' coverage."""
    lons = [p.lon for p in places]
    lats = [p.lat for p in places]
    lon0, lon1 = min(lons) - 7, max(lons) + 7
    lat0, lat1 = min(lats) - 4, max(lats) + 4
    if lon1 - lon0 < 30:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - 15, mid + 15
    if lat1 - lat0 < 16:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - 8, mid + 8
    return (round(max(lon0, -30), 1), round(min(lon1, 180), 1)), (round(max(lat0, 5), 1), round(min(lat1, 82), 1))


# ---------------------------------------------------------------- Petrograd


def _petrograd_layers(show_districts: bool) -> list[go.Scatter]:
    """The city base as a few merged traces: land, river mid-lines, water, [districts], bridges."""
    land = load_geojson("petrograd/spb_land_bbox.geojson")
    mid = load_geojson("petrograd/spb_river_midlines_bbox.geojson")
    water = load_geojson("petrograd/spb_water_bbox.geojson")
    bridges = load_geojson("petrograd/spb_1917_bridges_nevsky.geojson")
    traces = []
    x, y, _ = _concat(r for f in land["features"] for r in _rings(f["geometry"]))
    traces.append(go.Scatter(name="Land (modern shoreline)", x=x, y=y, mode="lines", fill="toself", fillcolor=LAND,
                             line={"width": 0, "color": LAND}, hoverinfo="skip", showlegend=False))
    x, y, _ = _concat(r for f in mid["features"] for r in _rings(f["geometry"]))
    traces.append(go.Scatter(name="River channels", x=x, y=y, mode="lines", line={"width": 6, "color": SEA},
                             hoverinfo="skip", showlegend=False))
    # Every water polygon (holes too) in one path: with the even-odd/non-zero rule of one SVG path,
    # the two island holes stay land.
    x, y, _ = _concat(r for f in water["features"] for r in _rings(f["geometry"]))
    traces.append(go.Scatter(name="Rivers and canals", x=x, y=y, mode="lines", fill="toself", fillcolor=SEA,
                             line={"width": 0.6, "color": SEA}, hoverinfo="skip", showlegend=False))
    if show_districts:
        districts = load_geojson("petrograd/spb_districts_bbox.geojson")
        xs, ys, texts = _concat_labelled(
            (_rings(f["geometry"]), f"{f['properties'].get('name_en', '')} district (modern, post-1991)")
            for f in districts["features"]
        )
        traces.append(go.Scatter(name=DISTRICTS_NAME, x=xs, y=ys, mode="lines", text=texts,
                                 line={"width": 1.2, "color": "#8C8C8C", "dash": "dot"},
                                 hovertemplate="%{text}<extra></extra>"))
    xs, ys, texts = _concat_labelled(
        (_rings(f["geometry"]), html.escape(f["properties"].get("name_en", ""))) for f in bridges["features"]
    )
    traces.append(go.Scatter(name=BRIDGES_NAME, x=xs, y=ys, mode="lines",
                             text=texts, line={"width": 2.2, "color": BRIDGE}, hovertemplate="%{text}<extra></extra>"))
    return traces


def _petrograd_view(points: Sequence[tuple[float, float]]) -> tuple[list[float], list[float]]:
    """Axis ranges around the points (padded, at least ~6 km across), inside the OSM box."""
    if not points:
        return list(PETROGRAD_DEFAULT_VIEW[0]), list(PETROGRAD_DEFAULT_VIEW[1])
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    lon0, lon1 = min(lons) - 0.02, max(lons) + 0.02
    lat0, lat1 = min(lats) - 0.01, max(lats) + 0.01
    min_lon, min_lat = 0.11, 0.05
    if lon1 - lon0 < min_lon:
        mid = (lon0 + lon1) / 2
        lon0, lon1 = mid - min_lon / 2, mid + min_lon / 2
    if lat1 - lat0 < min_lat:
        mid = (lat0 + lat1) / 2
        lat0, lat1 = mid - min_lat / 2, mid + min_lat / 2
    (blon0, blon1), (blat0, blat1) = PETROGRAD_BOX
    return [max(lon0, blon0), min(lon1, blon1)], [max(lat0, blat0), min(lat1, blat1)]


def _check_in_box(place: Place) -> None:
    (lon0, lon1), (lat0, lat1) = PETROGRAD_BOX
    if not (lon0 <= place.lon <= lon1 and lat0 <= place.lat <= lat1):
        raise ValueError(
            f"place {place.id!r} ({place.name}) lies outside the Petrograd map (lon {lon0}-{lon1}, lat {lat0}-{lat1}); "
            "draw it on europe_1914() instead"
        )


PETROGRAD_MARGIN = {"l": 10, "r": 260, "t": 80, "b": 80}
# Legend entries sit in the right-hand column under the key, so long names break.
DISTRICTS_NAME = "Modern districts<br>(not those of 1917)"
BRIDGES_NAME = "Neva bridges of 1917 and<br>Nevsky Prospekt (modern lines)"
APPROX_PLACE_NAME = "Place, approximate<br>position"
PETROGRAD_MAP_WIDTH = 580  # px the map takes beside the key in a ~850 px notebook cell
OUTSIDE = "#E4E4E4"  # beyond the OpenStreetMap box (no data), if a wide screen shows that far
MARKER_PX = 24
NOW_PX = 30  # the insurrection map enlarges the markers of the current step
MIN_GAP_PX = MARKER_PX + 3


@dataclass(frozen=True)
class _CityView:
    """The Petrograd view: axis ranges, the figure height that suits them, and px per degree of longitude."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    height: int
    px_per_lon: float

    @classmethod
    def around(cls, points: Sequence[tuple[float, float]]) -> _CityView:
        lon_range, lat_range = _petrograd_view(points)
        dlon = lon_range[1] - lon_range[0]
        dlat = (lat_range[1] - lat_range[0]) * PETROGRAD_RATIO
        map_h = min(max(PETROGRAD_MAP_WIDTH * dlat / dlon, 440), 660)
        px = min(PETROGRAD_MAP_WIDTH / dlon, map_h / dlat)
        height = int(map_h + PETROGRAD_MARGIN["t"] + PETROGRAD_MARGIN["b"])
        return cls((lon_range[0], lon_range[1]), (lat_range[0], lat_range[1]), height, px)


def spread_markers(points: Sequence[tuple[float, float]], view: _CityView, min_gap: float = MIN_GAP_PX
                   ) -> list[tuple[float, float]]:
    """Marker positions (lon, lat) nudged apart so numbered markers do not overlap at the default zoom.

    Points closer than ``min_gap`` pixels push each other apart (a few relaxation rounds); a moved
    marker is joined to its true position by a leader line (see :func:`_leader_trace`).
    """
    sx = view.px_per_lon
    sy = sx * PETROGRAD_RATIO
    pos = [[lon * sx, -lat * sy] for lon, lat in points]
    for _ in range(80):
        moved = False
        for i in range(len(pos)):
            for j in range(i + 1, len(pos)):
                dx, dy = pos[j][0] - pos[i][0], pos[j][1] - pos[i][1]
                d = math.hypot(dx, dy)
                if d >= min_gap:
                    continue
                if d < 1e-6:
                    angle = 2.4 * j
                    dx, dy, d = math.cos(angle), math.sin(angle), 1.0
                push = (min_gap - d) / 2 + 0.5
                pos[i][0] -= dx / d * push
                pos[i][1] -= dy / d * push
                pos[j][0] += dx / d * push
                pos[j][1] += dy / d * push
                moved = True
        if not moved:
            break
    return [(x / sx, -y / sy) for x, y in pos]


def _leader_trace(true: Sequence[tuple[float, float]], shown: Sequence[tuple[float, float]]) -> go.Scatter | None:
    """Thin lines from each moved marker to the true position, with a dot at the true position."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (lon, lat), (mlon, mlat) in zip(true, shown, strict=True):
        if abs(lon - mlon) < 1e-7 and abs(lat - mlat) < 1e-7:
            continue
        xs += [lon, mlon, None]
        ys += [lat, mlat, None]
    if not xs:
        return None
    return go.Scatter(name="Leader lines (marker moved aside; the line ends at the true position)", x=xs, y=ys,
                      mode="lines+markers", line={"color": "#333333", "width": 1.2},
                      marker={"size": [5, 0, 0] * (len(xs) // 3), "color": "#333333"}, hoverinfo="skip",
                      showlegend=False)


def _petrograd_figure(title: str, credit: str, show_districts: bool, view: _CityView) -> go.Figure:
    fig = go.Figure(layout={"template": theme.ensure_template(), "height": view.height})
    for trace in _petrograd_layers(show_districts):
        fig.add_trace(trace)
    (lon0, lon1), (lat0, lat1) = PETROGRAD_BOX
    # The axis ranges stretch to fill the plot (scaleanchor keeps the shape), so the sea is a
    # rectangle over the OSM box, and anything beyond the box shows as "no data" grey.
    fig.add_shape(type="rect", x0=lon0, x1=lon1, y0=lat0, y1=lat1, layer="below", fillcolor=SEA,
                  line={"width": 0})
    fig.update_layout(
        title={"text": title},
        plot_bgcolor=OUTSIDE,
        margin=dict(PETROGRAD_MARGIN),
        xaxis={"range": list(view.lon_range), "visible": False, "showgrid": False, "zeroline": False},
        yaxis={"range": list(view.lat_range), "visible": False, "showgrid": False, "zeroline": False,
               "scaleanchor": "x", "scaleratio": PETROGRAD_RATIO},
        legend={"x": 1.02, "xanchor": "left", "y": 0, "yanchor": "bottom", "font": {"size": 13},
                "tracegroupgap": 2},
        hovermode="closest",
        annotations=[theme.source_note(_wrap(credit, 100), shift=10)],
        dragmode="pan",
    )
    _scale_bar(fig, view)
    return fig


def _scale_bar(fig: go.Figure, view: _CityView) -> None:
    """A 1 km bar in the lower right corner (a shape and a label; no trace)."""
    km = 1 / (111.32 * math.cos(math.radians(PETROGRAD_LAT)))
    (lon0, lon1), (lat0, lat1) = view.lon_range, view.lat_range
    x1 = lon1 - 0.04 * (lon1 - lon0)
    y0 = lat0 + 0.04 * (lat1 - lat0)
    fig.add_shape(type="line", x0=x1 - km, x1=x1, y0=y0, y1=y0, line={"color": "#1A1A1A", "width": 3})
    fig.add_annotation(x=x1 - km / 2, y=y0, text="1 km", showarrow=False, yanchor="bottom", yshift=2,
                       font={"size": 13, "color": "#1A1A1A"}, bgcolor="rgba(255,255,255,0.7)")


def _key_annotation(lines: Sequence[str], heading: str = "Key") -> dict:
    """The numbered key beside the map (right margin)."""
    body = "<br>".join(lines) if lines else "(no places)"
    return {
        "text": f"<b>{html.escape(heading)}</b><br>{body}",
        "xref": "paper", "yref": "paper", "x": 1.02, "y": 1.0, "xanchor": "left", "yanchor": "top",
        "align": "left", "showarrow": False, "font": {"size": 13, "color": "#1A1A1A"},
        "bgcolor": "rgba(255,255,255,0.95)", "bordercolor": "#BBBBBB", "borderwidth": 1, "borderpad": 6,
    }


def _key_line(number: int, name: str, approximate: bool) -> str:
    text = f"{number}  {name}" + (" (approx.)" if approximate else "")
    wrapped = textwrap.wrap(text, 30, subsequent_indent="     ")
    return "<br>".join(html.escape(w) for w in wrapped)


def _petrograd_credit(places: Sequence[Place], events: Sequence[Event], ds: Dataset) -> tuple[str, list[str]]:
    parts = [f"Map data {OSM}: modern shoreline and river banks; 1917 bridges on their modern lines."]
    citations = [ds.source("osm").citation() + " — ODbL 1.0, © OpenStreetMap contributors"]
    if places:
        parts.append("Points: " + "; ".join(dict.fromkeys(ds.source(p.source).short for p in places)) + ".")
        citations += _citations((p.source for p in places), ds)
        if any(p.source == "geonames" for p in places):
            parts.append(f"{GEONAMES}.")
    if events:
        parts.append(_events_credit(events, ds))
        citations += _citations((s for e in events for s in e.sources), ds)
    return " ".join(parts), citations


def _numbered(place_ids: Sequence[str], events: Sequence[Event],
              ds: Dataset) -> tuple[list[Place], dict[str, list[Event]]]:
    """Places to number: the given ones first, then the events' places, each once, in the events' order."""
    order: list[str] = list(dict.fromkeys(place_ids))
    at: dict[str, list[Event]] = {}
    for e in events:
        if not e.place:
            raise ValueError(f"event {e.id!r} has no place, so petrograd_map cannot draw it")
        at.setdefault(e.place, []).append(e)
        if e.place not in order:
            order.append(e.place)
    places = [ds.place(i) for i in order]
    for p in places:
        _check_in_box(p)
    return places, at


def _place_hover(number: int, place: Place, events: Sequence[Event], status: str = "") -> str:
    text = f"<b>{number}. {html.escape(city_name(place))}</b>"
    if place.approximate:
        text += "<br>(approximate)"
    if status:
        text += f"<br><i>{html.escape(status)}</i>"
    for e in events:
        text += f"<br>{html.escape(event_label(e))}: {html.escape(e.title)}"
    return text


def petrograd_map(
    title: str,
    figure_id: str,
    places: Sequence[str] = (),
    events: Sequence[str] = (),
    show_districts: bool = False,
    ds: Dataset | None = None,
) -> go.Figure:
    """Petrograd in 1917 on an offline city base, with numbered places and events.

    Base: land, river mid-lines, rivers and canals, [modern districts], the 1917 Neva bridges and
    Nevsky Prospekt, each one merged trace (OpenStreetMap-derived; the credit is on the map).
    Points: one numbered marker per place (``places`` first, then the places of ``events``), in a
    trace for exact positions and one for approximate ones (hollow); the numbers are explained in a
    key beside the map and in the text alternative; hover gives each place's events in both calendars.
    """
    ds = ds or dataset()
    if isinstance(places, str):
        raise TypeError(f"give a list of place ids, not the string {places!r}")
    ev = sorted_events(_events(events, ds))
    numbered, at = _numbered(places, ev, ds)
    credit, citations = _petrograd_credit(numbered, ev, ds)
    view = _CityView.around([(p.lon, p.lat) for p in numbered])
    fig = _petrograd_figure(title, credit, show_districts, view)
    rows: list[tuple[str, ...]] = []
    numbers = {p.id: i for i, p in enumerate(numbered, start=1)}
    true = [(p.lon, p.lat) for p in numbered]
    shown = dict(zip([p.id for p in numbered], spread_markers(true, view), strict=True))
    leaders = _leader_trace(true, [shown[p.id] for p in numbered])
    if leaders is not None:
        fig.add_trace(leaders)
    for approximate in (False, True):
        chosen = [p for p in numbered if p.approximate == approximate]
        if not chosen:
            continue
        fig.add_trace(go.Scatter(
            name=APPROX_PLACE_NAME if approximate else "Place",
            x=[shown[p.id][0] for p in chosen], y=[shown[p.id][1] for p in chosen], mode="markers+text",
            text=[str(numbers[p.id]) for p in chosen], textposition="middle center",
            textfont={"size": 12, "color": PLACE if approximate else "#FFFFFF", "family": theme.FONT},
            marker={"size": MARKER_PX, "color": "#FFFFFF" if approximate else PLACE,
                    "line": {"color": PLACE, "width": 2.5}},
            customdata=[[p.id, p.lon, p.lat] for p in chosen],
            hovertext=[_place_hover(numbers[p.id], p, at.get(p.id, [])) for p in chosen],
            hovertemplate="%{hovertext}<extra></extra>",
        ))
    for p in numbered:
        rows.append(_place_row("Place", p, ds, number=numbers[p.id]))
    for e in sorted_events(ev):
        rows.append(_event_row(e, ds.place(e.place), ds))
    fig.add_annotation(_key_annotation([_key_line(numbers[p.id], city_name(p), p.approximate) for p in numbered]))
    summary = f"{sentence(title)} A map of central Petrograd (modern shoreline)"
    if numbered:
        summary += " with numbered places: " + "; ".join(
            f"{numbers[p.id]} {p.name}" + (" (approximate)" if p.approximate else "") for p in numbered)
    summary += "."
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return _finish(fig, title, figure_id, summary, rows, citations)


# ---------------------------------------------------------------- the insurrection, step by step


@dataclass(frozen=True)
class Step:
    """One position of the insurrection slider: a day (as Russia dated it) and a time.

    ``time`` None means "by the end of the day": events with no recorded time of day show there.
    """

    date: str
    time: str | None

    @property
    def key(self) -> tuple[int, str]:
        return DualDate.parse(self.date).sort_key, self.time or END_OF_DAY

    @property
    def label(self) -> str:
        """'25 Oct [7 Nov] 1917, 21:40' or '25 Oct [7 Nov] 1917, by the end of the day'."""
        day = DualDate.parse(self.date).label
        return f"{day}, {self.time}" if self.time else f"{day}, by the end of the day"


def _event_key(event: Event) -> tuple[int, str]:
    return DualDate.parse(event.date).sort_key, event.time or END_OF_DAY


def insurrection_events(ds: Dataset | None = None, window: tuple[str, str] = INSURRECTION_WINDOW) -> list[Event]:
    """Lesson 08's events dated day by day inside ``window`` (ISO, Julian), in order."""
    ds = ds or dataset()
    lo, hi = (DualDate.parse(d).sort_key for d in window)
    chosen = [
        e for e in ds.events_for_lesson("08")
        if DualDate.parse(e.date).precision == "day" and lo <= DualDate.parse(e.date).sort_key <= hi
    ]
    return sorted(chosen, key=_event_key)


def insurrection_steps(events: Sequence[Event]) -> list[Step]:
    """One step per distinct (day, time) of the events; untimed events make a step at the end of their day."""
    keys = sorted({(e.date, e.time) for e in events}, key=lambda dt: Step(*dt).key)
    return [Step(d, t) for d, t in keys]


def events_by_step(events: Sequence[Event], steps: Sequence[Step]) -> list[list[str]]:
    """For each step, the ids of the events that have happened by then (cumulative, in order).

    An event happens at its day and time; an event with no time counts at the end of its day.
    """
    ordered = sorted(events, key=_event_key)
    return [[e.id for e in ordered if _event_key(e) <= step.key] for step in steps]


class InsurrectionMap(widgets.VBox):
    """Petrograd, 22-26 Oct [4-8 Nov] 1917: a slider walks through the insurrection step by step.

    The map (``figure``, shown in ``view``, a :class:`~lessonkit.figureview.FigureView`) has the
    Petrograd base traces plus two marker traces, "Happened by this step" and "Not yet", one numbered
    marker per place. Below it: a ``SelectionSlider`` (class ``lk-slider``) whose steps are labelled
    in both calendars, a caption listing what happened at this step (events without a map place are
    listed too), and the ``lk-alt`` text alternative. :meth:`update` redraws the map for a step.
    """

    def __init__(
        self,
        events: Sequence[Event] | None = None,
        title: str = "The insurrection in Petrograd, 22-26 Oct [4-8 Nov] 1917",
        figure_id: str = "insurrection_map",
        show_districts: bool = False,
        ds: Dataset | None = None,
    ):
        self.ds = ds or dataset()
        self.title = title
        self.figure_id = figure_id
        chosen = insurrection_events(self.ds) if events is None else _events(list(events), self.ds)
        if not chosen:
            raise ValueError("the insurrection map needs at least one event")
        self.events: list[Event] = sorted(chosen, key=_event_key)
        self.steps: list[Step] = insurrection_steps(self.events)
        self.happened: list[list[str]] = events_by_step(self.events, self.steps)
        mapped = [e for e in self.events if e.place]
        self.places, self.at = _numbered((), mapped, self.ds)
        self.numbers = {p.id: i for i, p in enumerate(self.places, start=1)}
        credit, self.citations = _petrograd_credit(self.places, self.events, self.ds)
        view = _CityView.around([(p.lon, p.lat) for p in self.places])
        fig = _petrograd_figure(title, credit, show_districts, view)
        true = [(p.lon, p.lat) for p in self.places]
        self.shown = dict(zip([p.id for p in self.places], spread_markers(true, view, min_gap=NOW_PX + 2), strict=True))
        leaders = _leader_trace(true, [self.shown[p.id] for p in self.places])
        if leaders is not None:
            fig.add_trace(leaders)
        self.base_traces = len(fig.data)
        fig.add_trace(go.Scatter(
            name="Happened by this step", x=[], y=[], mode="markers+text", textposition="middle center",
            textfont={"size": 12, "color": "#FFFFFF"}, hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": 24, "color": HAPPENED, "line": {"color": "#FFFFFF", "width": 1.5}},
        ))
        fig.add_trace(go.Scatter(
            name="Not yet", x=[], y=[], mode="markers+text", textposition="middle center",
            textfont={"size": 12, "color": NOT_YET}, hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": 24, "color": "#FFFFFF", "line": {"color": NOT_YET, "width": 2}},
        ))
        fig.add_annotation(_key_annotation(
            [_key_line(self.numbers[p.id], city_name(p), p.approximate) for p in self.places], "Places on the map"))
        self.figure = fig
        self.view = FigureView(fig, changing=(self.base_traces, self.base_traces + 1))
        self.slider = widgets.SelectionSlider(
            options=[(s.label, i) for i, s in enumerate(self.steps)],
            value=0,
            description="Time step",
            readout=False,  # the step label is long: the caption below shows it in full (aria-live)
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.slider.add_class("lk-slider")
        self.caption = widgets.HTML()
        self.caption.add_class("lk-map-caption")
        self.alt = widgets.HTML()
        self.slider.observe(self._on_step, names="value")
        self.update(0)
        super().__init__(children=[self.view, self.slider, self.caption, self.alt])
        self.add_class("lk-insurrection-map")

    # ------------------------------------------------------------ updates

    def _on_step(self, change: dict) -> None:
        self.update(int(change["new"]))

    def update(self, step_index: int) -> list[str]:
        """Show the map at step ``step_index``; return the ids of the events happened by then, in order."""
        if not 0 <= step_index < len(self.steps):
            raise IndexError(f"step {step_index} is outside 0..{len(self.steps) - 1}")
        happened = self.happened[step_index]
        done = set(happened)
        now = set(happened) - set(self.happened[step_index - 1] if step_index else [])
        groups: dict[bool, dict[str, list]] = {
            flag: {"x": [], "y": [], "text": [], "hovertext": [], "size": [], "opacity": [], "customdata": []}
            for flag in (True, False)
        }
        for p in self.places:
            evs = self.at[p.id]
            flag = any(e.id in done for e in evs)
            g = groups[flag]
            g["x"].append(self.shown[p.id][0])
            g["y"].append(self.shown[p.id][1])
            g["customdata"].append([p.id, p.lon, p.lat])
            g["text"].append(str(self.numbers[p.id]))
            marks = [("✔ " if e.id in done else "… ") + ("(now) " if e.id in now else "") for e in evs]
            hover = f"<b>{self.numbers[p.id]}. {html.escape(city_name(p))}</b>" + (
                "<br>(approximate)" if p.approximate else "")
            for mark, e in zip(marks, evs, strict=True):
                hover += f"<br>{mark}{html.escape(event_label(e))}: {html.escape(e.title)}"
            g["hovertext"].append(hover)
            g["size"].append(NOW_PX if any(e.id in now for e in evs) else MARKER_PX)
            g["opacity"].append(0.6 if p.approximate else 1.0)
        with self.figure.batch_update():
            traces = self.figure.data[self.base_traces], self.figure.data[self.base_traces + 1]
            for flag, trace in zip((True, False), traces, strict=True):
                g = groups[flag]
                trace.x, trace.y = g["x"], g["y"]
                trace.text, trace.hovertext, trace.customdata = g["text"], g["hovertext"], g["customdata"]
                trace.marker.size = g["size"] or MARKER_PX
                trace.marker.opacity = g["opacity"] or 1
        self.view.show(self.figure)
        self.caption.value = self._caption(step_index, now)
        self.alt.value = self.text_alternative(step_index).to_html()
        if self.slider.value != step_index:
            self.slider.value = step_index
        return list(happened)

    def _caption(self, step_index: int, now: set[str]) -> str:
        step = self.steps[step_index]
        items = []
        for e in self.events:
            if e.id not in now:
                continue
            sources = "; ".join(self.ds.source(s).labelled for s in e.sources)
            where = (f"{self.numbers[e.place]}. {self.ds.place(e.place).name}" if e.place else "no place on the map")
            claim = " <em>(the article's claim)</em>" if e.sources == ("spark1977",) else ""
            items.append(
                f"<li><strong>{html.escape(e.title)}</strong>{claim} — {html.escape(e.description)} "
                f"<span style='color:#555'>[{html.escape(where)}; {html.escape(sources)}, "
                f"{e.confidence} confidence]</span></li>"
            )
        return (f'<div class="lk-step" role="status" aria-live="polite"><p><strong>Step {step_index + 1} of '
                f"{len(self.steps)}: {html.escape(step.label)}</strong></p><ul>{''.join(items)}</ul></div>")

    def text_alternative(self, step_index: int) -> TextAlternative:
        """The alternative for the map at one step: every event with its status."""
        done = set(self.happened[step_index])
        step = self.steps[step_index]
        rows = []
        for e in self.events:
            place = self.ds.place(e.place) if e.place else None
            where = f"{self.numbers[e.place]}. {_where(place)}" if place else "not on the map (no place)"
            status = "happened" if e.id in done else "not yet"
            sources = "; ".join(self.ds.source(s).labelled for s in e.sources)
            notes = f"{e.description} Source: {sources} ({e.confidence})."
            rows.append((status, e.title, event_label(e), where, notes))
        summary = (f"{sentence(self.title)} Step {step_index + 1} of {len(self.steps)}: {step.label}. "
                   f"{len(done)} of {len(self.events)} events have happened. Numbered places: "
                   + "; ".join(f"{self.numbers[p.id]} {p.name}" for p in self.places) + ".")
        return TextAlternative(
            figure_id=self.figure_id,
            title=f"{self.title} — {step.label}",
            summary=summary,
            columns=("Status", "Event", "Date", "Where", "Notes"),
            rows=tuple(rows),
            sources=tuple(dict.fromkeys(self.citations)),
            traces=drawn_traces(self.figure),
        )
