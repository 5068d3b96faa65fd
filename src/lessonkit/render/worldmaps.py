"""Geo maps that work offline: Europe in 1914, the wider world, and routes (with their great-circle lengths).

:func:`europe_1914`, :func:`world_map` and :func:`route_map` draw the Natural Earth countries
(:mod:`lessonkit.render.countries`) as ``Scattergeo`` traces with every plotly base layer switched off
(``show*=False``), no ``locationmode``, ``fitbounds=False`` and explicit longitude/latitude ranges, so
plotly.js never fetches its topojson from the internet. Builders are pure: they take ids (of
``data/places.csv`` and the event tables), return a ``plotly.graph_objects.Figure`` with the lessonkit
theme, a title, a visible credit line and a text alternative, and never display anything. Credits:
Natural Earth (public domain); GeoNames (geonames.org), CC BY 4.0.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate
from lessonkit.model.data import Dataset, Event, Place, Source, dataset
from lessonkit.render import theme
from lessonkit.render.countries import add_countries
from lessonkit.render.figures import sentence
from lessonkit.render.geo import (
    GEONAMES,
    event_row,
    events_credit,
    finish_map,
    lookup_events,
    lookup_places,
    place_name,
    place_row,
    wrap_credit,
)
from lessonkit.render.maplabels import GeoView, place_labels, project_to_screen
from lessonkit.render.timeline import event_label, sorted_events

__all__ = ["GEO_BASE_LAYERS_OFF", "KM_PER_MILE", "europe_1914", "great_circle_km", "route_km", "route_map", "world_map"]

# ---------------------------------------------------------------- look


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

APPROXIMATE_LABEL = "Modern borders shaded by the 1914 ruler: approximate"
MODERN_LABEL = "Modern borders (Natural Earth), not the borders of the time"
NATURAL_EARTH = "Natural Earth (public domain)"


# ---------------------------------------------------------------- the geo figure: layout, points and credits


def _geo_layout(fig: go.Figure, view: GeoView) -> None:
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
        bgcolor=theme.SEA,
    )


def _geo_figure(title: str, subtitle: str) -> go.Figure:
    fig = go.Figure(layout={"template": theme.ensure_template()})
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle, "font": {"size": 15, "color": theme.DARK_TEXT}}},
        hovermode="closest",
    )
    return fig


def _geo_finish(fig: go.Figure, view: GeoView, credit: str) -> None:
    """Legend in columns under the map, the credit line under the legend, and a height that fits the map."""
    items = [t for t in fig.data if t.showlegend is not False]
    shaded = any(t.fill == "toself" for t in items)
    columns = max(1, int(view.size[0] // (LEGEND_COLUMN_PX + LEGEND_SYMBOL_PX)))
    for trace in items:  # a name wider than its column would run into the next entry: wrap it
        if trace.name and "<br>" not in trace.name:
            trace.name = "<br>".join(textwrap.wrap(trace.name, LEGEND_COLUMN_CHARS))
    lines = [(t.name or "").count("<br>") + 1 for t in items]
    rows = sum(max(lines[i : i + columns]) for i in range(0, len(lines), columns)) + (1 if shaded else 0)
    legend_h = rows * LEGEND_ROW_PX + 14
    credit_text = wrap_credit(credit, CREDIT_CHARS)
    credit_h = (credit_text.count("<br>") + 1) * CREDIT_LINE_PX
    bottom = 10 + legend_h + 10 + credit_h + 10
    fig.update_layout(
        height=int(GEO_MARGIN["t"] + view.size[1] + bottom),
        margin={**GEO_MARGIN, "b": bottom},
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": 0,
            "yanchor": "top",
            "yref": "paper",
            "entrywidth": LEGEND_COLUMN_PX,
            "entrywidthmode": "pixels",
            "font": {"size": 13},
            "itemclick": "toggle",
            "tracegroupgap": 4,
            "bgcolor": theme.NO_BG,
            "title": {
                "text": "Shading: ruler in 1914 (click to hide or show)" if shaded else "",
                "side": "top",
                "font": {"size": 13},
            },
        },
        annotations=[theme.source_note(credit_text, shift=10 + legend_h + 10)],
    )


def _located(events: Sequence[Event], ds: Dataset, builder: str) -> list[tuple[Event, Place]]:
    out = []
    for e in events:
        if not e.place:
            raise ValueError(
                f"event {e.id!r} has no place, so {builder} cannot draw it (give it a place in data/events/)"
            )
        out.append((e, ds.place(e.place)))
    return out


def _add_points(
    fig: go.Figure,
    cities: list[Place],
    located: list[tuple[Event, Place]],
    view: GeoView,
    rows: list[tuple[str, ...]],
    ds: Dataset,
    stops: Sequence[Place] = (),
) -> None:
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
    stop_pos = placed[n_events : n_events + n_stops]
    city_pos = placed[n_events + n_stops :]
    if stops:
        numbered = [[i, place_name(p)] for i, p in enumerate(stops, start=1)]
        stop_hover = "%{customdata[0]}. %{customdata[1]}"
        fig.add_trace(_places_trace("Stops (in order)", stops, stop_pos, (14, 11, 1.5), numbered, stop_hover, 2))
        rows += [place_row("Stop", p, number=i) for i, p in enumerate(stops, start=1)]
    if cities:
        names = [[place_name(p)] for p in cities]
        fig.add_trace(_places_trace("Cities", cities, city_pos, (13, 8, 1), names, "%{customdata[0]}", 3))
        rows += [place_row("City", p) for p in cities]
    if keys:
        hover = []
        for k in keys:
            lines = [f"{html.escape(event_label(e))}: {html.escape(e.title)}" for e in sorted_events(event_places[k])]
            hover.append(f"<b>{html.escape(place_name(where[k]))}</b><br>" + "<br>".join(lines))
        fig.add_trace(
            go.Scattergeo(
                name="Events",
                lon=[where[k].lon for k in keys],
                lat=[where[k].lat for k in keys],
                mode="markers+text",
                text=[t for _, t in event_pos],
                textposition=[pos for pos, _ in event_pos],
                textfont={"size": 13, "color": theme.INK},
                marker={
                    "size": 13,
                    "symbol": "diamond",
                    "color": theme.MAP_EVENT,
                    "line": {"color": theme.PAPER, "width": 1.2},
                },
                hovertext=hover,
                hovertemplate="%{hovertext}<extra></extra>",
                legendrank=4,
            )
        )
        place_of = {e.id: p for e, p in located}
        rows += [event_row(e, place_of[e.id]) for e in sorted_events([e for e, _ in located])]


def _places_trace(
    name: str,
    places: Sequence[Place],
    positions: Sequence[tuple[str, str]],
    sizes: tuple[float, float, float],
    customdata: list[list[Any]],
    hover: str,
    rank: int,
) -> go.Scattergeo:
    """City markers with their placed labels; ``sizes`` are (label font, marker, outline) and ``hover``
    shows ``customdata`` in bold."""
    font, marker, outline = sizes
    return go.Scattergeo(
        name=name,
        lon=[p.lon for p in places],
        lat=[p.lat for p in places],
        mode="markers+text",
        text=[t for _, t in positions],
        textposition=[pos for pos, _ in positions],
        textfont={"size": font, "color": theme.INK},
        marker={"size": marker, "color": theme.CITY_MARKER, "line": {"color": theme.PAPER, "width": outline}},
        customdata=customdata,
        hovertemplate=f"<b>{hover}</b><extra></extra>",
        legendrank=rank,
    )


def _map_credit(base: str, places: Iterable[Place], events: Sequence[Event], ds: Dataset) -> tuple[str, list[Source]]:
    """The visible credit line and the alternative's sources."""
    places = list(places)
    parts = [f"Map: {base}."]
    cited = [ds.source("natural_earth")]
    if any(p.source == "geonames" for p in places):
        parts.append(f"Cities: {GEONAMES}.")
        cited.append(ds.source("geonames"))
    other = [p for p in places if p.source != "geonames"]
    if other:
        parts.append("Sites: " + "; ".join(dict.fromkeys(p.cited.short for p in other)) + ".")
        cited += [p.cited for p in other]
    if events:
        parts.append(events_credit(events))
        cited += [s for e in events for s in e.cited]
    return " ".join(parts), cited


# The geo layout assumes a notebook cell about 830 px wide (JupyterLab with the file browser open);
# the map keeps its shape on wider screens. The plot height follows the map's shape.
GEO_WIDTH = 830
GEO_MARGIN = {"l": 10, "r": 10, "t": 100}
LEGEND_COLUMN_PX = 195  # text width of one legend column
LEGEND_COLUMN_CHARS = int(LEGEND_COLUMN_PX // theme.CHAR_PX)  # the characters of 13 px text that fit in it
LEGEND_SYMBOL_PX = 45  # the symbol before it
LEGEND_ROW_PX = 22
CREDIT_LINE_PX = 17
CREDIT_CHARS = 105


def _view(projection: str, lon_range, lat_range) -> GeoView:
    lon_range = (float(lon_range[0]), float(lon_range[1]))
    lat_range = (float(lat_range[0]), float(lat_range[1]))
    if not (lon_range[0] < lon_range[1] and lat_range[0] < lat_range[1]):
        raise ValueError(f"empty view: lon_range {lon_range}, lat_range {lat_range} (give (low, high))")
    width = GEO_WIDTH - GEO_MARGIN["l"] - GEO_MARGIN["r"]
    probe = GeoView(projection, lon_range, lat_range, (1000.0, 1000.0))
    _, (fw, fh) = project_to_screen([], projection, lon_range, lat_range, probe.parallels, probe.size)
    height = min(max(width * fh / fw, 340.0), 640.0)
    return GeoView(projection, lon_range, lat_range, (float(width), float(height)))


def _geo_map(
    title: str,
    figure_id: str,
    cities: Sequence[str],
    events: Sequence[str | Event],
    lon_range,
    lat_range,
    rulers: Sequence[str] | None,
    shade: bool,
    projection: str,
    ds: Dataset | None,
) -> go.Figure:
    ds = ds or dataset()
    view = _view(projection, lon_range, lat_range)
    city_places = lookup_places(cities, ds)
    located = _located(lookup_events(events, ds), ds, "this map")
    ev = [e for e, _ in located]
    subtitle = APPROXIMATE_LABEL if shade else MODERN_LABEL
    credit, citations = _map_credit(NATURAL_EARTH, city_places + [p for _, p in located], ev, ds)
    fig = _geo_figure(title, subtitle)
    rows: list[tuple[str, ...]] = []
    drawn = add_countries(fig, view, shade, rulers, rows)
    _add_points(fig, city_places, located, view, rows, ds)
    _geo_layout(fig, view)
    _geo_finish(fig, view, credit)
    what = (
        f"modern borders shaded by the 1914 ruler (approximate): {', '.join(drawn)}"
        if shade
        else "modern borders (not those of the time)"
    )
    summary = (
        f"{sentence(title)} A map from {view.lon_range[0]:g}° to {view.lon_range[1]:g}° longitude and "
        f"{view.lat_range[0]:g}° to {view.lat_range[1]:g}° latitude, with {what}."
    )
    if city_places:
        summary += f" {len(city_places)} cities: {', '.join(p.name for p in city_places)}."
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return finish_map(fig, title, figure_id, summary, rows, citations)


# ---------------------------------------------------------------- the builders


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
    places = lookup_places(place_ids, ds or dataset())
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
    stops = lookup_places(place_ids, ds)
    if len(stops) < 2:
        raise ValueError("a route needs at least two places")
    if lon_range is None or lat_range is None:
        lon_range, lat_range = _fit(stops)
    view = _view("conic conformal", lon_range, lat_range)
    located = _located(lookup_events(events, ds), ds, "route_map")
    ev = [e for e, _ in located]
    credit, citations = _map_credit(NATURAL_EARTH, stops + [p for _, p in located], ev, ds)
    fig = _geo_figure(title, APPROXIMATE_LABEL)
    rows: list[tuple[str, ...]] = []
    drawn = add_countries(fig, view, True, rulers, rows)
    fig.add_trace(
        go.Scattergeo(
            name=route_name,
            lon=[p.lon for p in stops],
            lat=[p.lat for p in stops],
            mode="lines",
            line={"color": theme.MAP_EVENT, "width": 3.5},
            hoverinfo="skip",
            legendrank=1,
        )
    )
    _add_points(fig, [], located, view, rows, ds, stops=stops)
    _geo_layout(fig, view)
    _geo_finish(fig, view, credit)
    summary = (
        f"{sentence(title)} {route_name}: "
        + " → ".join(p.name for p in stops)
        + f", drawn on modern borders shaded by the 1914 ruler (approximate): {', '.join(drawn)}."
    )
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return finish_map(fig, title, figure_id, summary, rows, citations)


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
