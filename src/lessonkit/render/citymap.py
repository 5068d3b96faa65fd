"""The Petrograd city map that works offline: the 1917 city on OpenStreetMap layers, with numbered places.

:func:`petrograd_map` is a plain cartesian ``Scatter`` figure (longitude on x, latitude on y,
``scaleanchor`` with ratio 1/cos(latitude)) over the layers in ``data/geo/petrograd/``. It is pure: it
takes ids, returns a themed figure with a title, a visible credit line and a text alternative, and displays
nothing. The base, the marker spreading and the numbered key are also used by the insurrection map
(:mod:`lessonkit.explorers.insurrection`). Credits: © OpenStreetMap contributors, ODbL 1.0.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import cast

import plotly.graph_objects as go

from lessonkit.model.data import Dataset, Event, Place, Source, dataset
from lessonkit.render import theme
from lessonkit.render.figures import sentence
from lessonkit.render.geo import (
    GEONAMES,
    city_name,
    concat_labelled,
    concat_rings,
    event_row,
    events_credit,
    finish_map,
    geometry_rings,
    load_geojson,
    lookup_events,
    place_row,
    wrap_credit,
)
from lessonkit.render.timeline import event_label, sorted_events

__all__ = ["petrograd_map", "spread_markers"]

# ---------------------------------------------------------------- look

OSM = "© OpenStreetMap contributors (ODbL 1.0)"

# Petrograd: the box the OpenStreetMap layers are clipped to (lon, lat).
PETROGRAD_BOX = ((30.15, 30.50), (59.85, 60.00))
PETROGRAD_DEFAULT_VIEW = ((30.23, 30.45), (59.875, 59.975))
PETROGRAD_LAT = 59.93
PETROGRAD_RATIO = 1 / math.cos(math.radians(PETROGRAD_LAT))


# ---------------------------------------------------------------- the city base


def _area(name: str, geojson: dict, colour: str, edge: float) -> go.Scatter:
    """Every polygon of a GeoJSON file (holes too) as one filled path, in one colour, not in the legend."""
    x, y, _ = concat_rings(r for f in geojson["features"] for r in geometry_rings(f["geometry"]))
    return go.Scatter(
        name=name,
        x=x,
        y=y,
        mode="lines",
        fill="toself",
        fillcolor=colour,
        line={"width": edge, "color": colour},
        hoverinfo="skip",
        showlegend=False,
    )


def _lines(name: str, path: tuple[list, list, list], line: dict) -> go.Scatter:
    """Labelled lines (``path``: x, y and the hover text of each point, gaps between the lines)."""
    xs, ys, texts = path
    hover = "%{text}<extra></extra>"
    return go.Scatter(name=name, x=xs, y=ys, mode="lines", text=texts, line=line, hovertemplate=hover)


def _petrograd_layers(show_districts: bool) -> list[go.Scatter]:
    """The city base as a few merged traces: land, river mid-lines, water, [districts], bridges."""
    land = load_geojson("petrograd/spb_land_bbox.geojson")
    mid = load_geojson("petrograd/spb_river_midlines_bbox.geojson")
    water = load_geojson("petrograd/spb_water_bbox.geojson")
    bridges = load_geojson("petrograd/spb_1917_bridges_nevsky.geojson")
    traces = []
    traces.append(_area("Land (modern shoreline)", land, theme.LAND, 0))
    x, y, _ = concat_rings(r for f in mid["features"] for r in geometry_rings(f["geometry"]))
    traces.append(
        go.Scatter(
            name="River channels",
            x=x,
            y=y,
            mode="lines",
            line={"width": 6, "color": theme.SEA},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    # Every water polygon (holes too) in one path: with the even-odd/non-zero rule of one SVG path,
    # the two island holes stay land.
    traces.append(_area("Rivers and canals", water, theme.SEA, 0.6))
    if show_districts:
        districts = load_geojson("petrograd/spb_districts_bbox.geojson")
        xs, ys, texts = concat_labelled(
            (geometry_rings(f["geometry"]), f"{f['properties'].get('name_en', '')} district (modern, post-1991)")
            for f in districts["features"]
        )
        dotted = {"width": 1.2, "color": theme.DISTRICT_LINE, "dash": "dot"}
        traces.append(_lines(DISTRICTS_NAME, (xs, ys, texts), dotted))
    xs, ys, texts = concat_labelled(
        (geometry_rings(f["geometry"]), html.escape(f["properties"].get("name_en", ""))) for f in bridges["features"]
    )
    traces.append(_lines(BRIDGES_NAME, (xs, ys, texts), {"width": 2.2, "color": theme.BRIDGE}))
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
MARKER_PX = 24
MIN_GAP_PX = MARKER_PX + 3


@dataclass(frozen=True)
class CityView:
    """The Petrograd view: axis ranges, the figure height that suits them, and px per degree of longitude."""

    lon_range: tuple[float, float]
    lat_range: tuple[float, float]
    height: int
    px_per_lon: float

    @classmethod
    def around(cls, points: Sequence[tuple[float, float]]) -> CityView:
        lon_range, lat_range = _petrograd_view(points)
        dlon = lon_range[1] - lon_range[0]
        dlat = (lat_range[1] - lat_range[0]) * PETROGRAD_RATIO
        map_h = min(max(PETROGRAD_MAP_WIDTH * dlat / dlon, 440), 660)
        px = min(PETROGRAD_MAP_WIDTH / dlon, map_h / dlat)
        height = int(map_h + PETROGRAD_MARGIN["t"] + PETROGRAD_MARGIN["b"])
        return cls((lon_range[0], lon_range[1]), (lat_range[0], lat_range[1]), height, px)


def spread_markers(
    points: Sequence[tuple[float, float]], view: CityView, min_gap: float = MIN_GAP_PX
) -> list[tuple[float, float]]:
    """Marker positions (lon, lat) nudged apart so numbered markers do not overlap at the default zoom.

    Points closer than ``min_gap`` pixels push each other apart (a few relaxation rounds); a moved
    marker is joined to its true position by a leader line (see :func:`leader_trace`).
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


def leader_trace(true: Sequence[tuple[float, float]], shown: Sequence[tuple[float, float]]) -> go.Scatter | None:
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
    return go.Scatter(
        name="Leader lines (marker moved aside; the line ends at the true position)",
        x=xs,
        y=ys,
        mode="lines+markers",
        line={"color": theme.DARK_TEXT, "width": 1.2},
        marker={"size": [5, 0, 0] * (len(xs) // 3), "color": theme.DARK_TEXT},
        hoverinfo="skip",
        showlegend=False,
    )


def petrograd_base(title: str, credit: str, show_districts: bool, view: CityView) -> go.Figure:
    """The city base: the layers, the sea, the layout for ``view``, the credit line and a scale bar (no places)."""
    fig = go.Figure(layout={"template": theme.ensure_template(), "height": view.height})
    for trace in _petrograd_layers(show_districts):
        fig.add_trace(trace)
    (lon0, lon1), (lat0, lat1) = PETROGRAD_BOX
    # The axis ranges stretch to fill the plot (scaleanchor keeps the shape), so the sea is a
    # rectangle over the OSM box, and anything beyond the box shows as "no data" grey.
    fig.add_shape(
        type="rect", x0=lon0, x1=lon1, y0=lat0, y1=lat1, layer="below", fillcolor=theme.SEA, line={"width": 0}
    )
    fig.update_layout(
        title={"text": title},
        plot_bgcolor=theme.OUTSIDE,
        margin=dict(PETROGRAD_MARGIN),
        xaxis={"range": list(view.lon_range), "visible": False, "showgrid": False, "zeroline": False},
        yaxis={
            "range": list(view.lat_range),
            "visible": False,
            "showgrid": False,
            "zeroline": False,
            "scaleanchor": "x",
            "scaleratio": PETROGRAD_RATIO,
        },
        legend={"x": 1.02, "xanchor": "left", "y": 0, "yanchor": "bottom", "font": {"size": 13}, "tracegroupgap": 2},
        hovermode="closest",
        annotations=[theme.source_note(wrap_credit(credit, 100), shift=10)],
        dragmode="pan",
    )
    _scale_bar(fig, view)
    return fig


def _scale_bar(fig: go.Figure, view: CityView) -> None:
    """A 1 km bar in the lower right corner (a shape and a label; no trace)."""
    km = 1 / (111.32 * math.cos(math.radians(PETROGRAD_LAT)))
    (lon0, lon1), (lat0, lat1) = view.lon_range, view.lat_range
    x1 = lon1 - 0.04 * (lon1 - lon0)
    y0 = lat0 + 0.04 * (lat1 - lat0)
    fig.add_shape(type="line", x0=x1 - km, x1=x1, y0=y0, y1=y0, line={"color": theme.INK, "width": 3})
    fig.add_annotation(
        x=x1 - km / 2,
        y=y0,
        text="1 km",
        showarrow=False,
        yanchor="bottom",
        yshift=2,
        font={"size": 13, "color": theme.INK},
        bgcolor=theme.SCALE_BG,
    )


# ---------------------------------------------------------------- places, key and credits


def key_annotation(lines: Sequence[str], heading: str = "Key") -> dict:
    """The numbered key beside the map (right margin)."""
    body = "<br>".join(lines) if lines else "(no places)"
    return {
        "text": f"<b>{html.escape(heading)}</b><br>{body}",
        "xref": "paper",
        "yref": "paper",
        "x": 1.02,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "font": {"size": 13, "color": theme.INK},
        "bgcolor": theme.KEY_BG,
        "bordercolor": theme.KEY_BORDER,
        "borderwidth": 1,
        "borderpad": 6,
    }


def key_line(number: int, name: str, approximate: bool) -> str:
    """One numbered entry of the key, wrapped to fit the right margin."""
    text = f"{number}  {name}" + (" (approx.)" if approximate else "")
    wrapped = textwrap.wrap(text, 30, subsequent_indent="     ")
    return "<br>".join(html.escape(w) for w in wrapped)


def petrograd_credit(places: Sequence[Place], events: Sequence[Event], ds: Dataset) -> tuple[str, list[Source]]:
    """The city map's visible credit line and the alternative's sources."""
    parts = [f"Map data {OSM}: modern shoreline and river banks; 1917 bridges on their modern lines."]
    cited = [ds.source("osm")]
    if places:
        parts.append("Points: " + "; ".join(dict.fromkeys(p.cited.short for p in places)) + ".")
        cited += [p.cited for p in places]
        if any(p.source == "geonames" for p in places):
            parts.append(f"{GEONAMES}.")
    if events:
        parts.append(events_credit(events))
        cited += [s for e in events for s in e.cited]
    return " ".join(parts), cited


def numbered_places(
    place_ids: Sequence[str], events: Sequence[Event], ds: Dataset
) -> tuple[list[Place], dict[str, list[Event]]]:
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
    ev = sorted_events(lookup_events(events, ds))
    numbered, at = numbered_places(places, ev, ds)
    credit, citations = petrograd_credit(numbered, ev, ds)
    view = CityView.around([(p.lon, p.lat) for p in numbered])
    fig = petrograd_base(title, credit, show_districts, view)
    rows: list[tuple[str, ...]] = []
    numbers = {p.id: i for i, p in enumerate(numbered, start=1)}
    true = [(p.lon, p.lat) for p in numbered]
    shown = dict(zip([p.id for p in numbered], spread_markers(true, view), strict=True))
    leaders = leader_trace(true, [shown[p.id] for p in numbered])
    if leaders is not None:
        fig.add_trace(leaders)
    for approximate in (False, True):
        chosen = [p for p in numbered if p.approximate == approximate]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                name=APPROX_PLACE_NAME if approximate else "Place",
                x=[shown[p.id][0] for p in chosen],
                y=[shown[p.id][1] for p in chosen],
                mode="markers+text",
                text=[str(numbers[p.id]) for p in chosen],
                textposition="middle center",
                textfont={"size": 12, "color": theme.PLACE if approximate else theme.PAPER, "family": theme.FONT},
                marker={
                    "size": MARKER_PX,
                    "color": theme.PAPER if approximate else theme.PLACE,
                    "line": {"color": theme.PLACE, "width": 2.5},
                },
                customdata=[[p.id, p.lon, p.lat] for p in chosen],
                hovertext=[_place_hover(numbers[p.id], p, at.get(p.id, [])) for p in chosen],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    for p in numbered:
        rows.append(place_row("Place", p, number=numbers[p.id]))
    for e in sorted_events(ev):
        # numbered_places() has refused any event without a place
        rows.append(event_row(e, ds.place(cast(str, e.place))))
    fig.add_annotation(key_annotation([key_line(numbers[p.id], city_name(p), p.approximate) for p in numbered]))
    summary = f"{sentence(title)} A map of central Petrograd (modern shoreline)"
    if numbered:
        summary += " with numbered places: " + "; ".join(
            f"{numbers[p.id]} {p.name}" + (" (approximate)" if p.approximate else "") for p in numbered
        )
    summary += "."
    if ev:
        summary += f" {len(ev)} events: " + "; ".join(f"{event_label(e)} {e.title}" for e in sorted_events(ev)) + "."
    return finish_map(fig, title, figure_id, summary, rows, citations)
