"""What every offline map shares: the geometry files, place and event look-ups, names, table rows and credits.

The shipped GeoJSON (``data/geo/``) is parsed once per process and modification time. The builders of
:mod:`lessonkit.render.worldmaps` and :mod:`lessonkit.render.citymap` look their ids up here (an unknown
id raises ``KeyError`` naming the id) and finish each figure with :func:`finish_map`, the figure core's
:func:`~lessonkit.render.core.finish` for a map (its credit line is its own; its citations carry the
map data's licences, ``LICENCES``).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import plotly.graph_objects as go

from lessonkit.model.data import Dataset, Event, Place, Source, data_dir
from lessonkit.render.core import finish
from lessonkit.render.timeline import event_label

# ---------------------------------------------------------------- look and credits

GEONAMES = "GeoNames (geonames.org), CC BY 4.0"
LICENCES = {
    "natural_earth": "public domain",
    "geonames": "CC BY 4.0",
    "osm": "ODbL 1.0, © OpenStreetMap contributors",
}
"""The licence of each map data source, added to its citation in a map's text alternative."""

COLUMNS = ("Map item", "Name", "Date", "Where", "Notes")


# ---------------------------------------------------------------- geometry files


def geo_dir() -> Path:
    """The folder with the shipped GeoJSON (``data/geo``)."""
    return data_dir() / "geo"


@cache
def read_geojson(path: str, _mtime: int) -> dict:
    """The parsed file at ``path``, cached by path and modification time (``_mtime``)."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_geojson(relative: str) -> dict:
    """A GeoJSON file under ``data/geo`` (parsed once per process and modification time)."""
    path = geo_dir() / relative
    return read_geojson(str(path), path.stat().st_mtime_ns)


def geometry_rings(geometry: dict) -> list[list[list[float]]]:
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


def rings_bbox(rings: Iterable[list[list[float]]]) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat) of the rings."""
    lons = [p[0] for ring in rings for p in ring]
    lats = [p[1] for ring in rings for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def concat_rings(rings: Iterable[list[list[float]]], text: str | None = None) -> tuple[list, list, list]:
    """Rings joined into one trace's x/y (lon/lat) with ``None`` between them; ``text`` per vertex."""
    return concat_labelled([(rings, text)])


def concat_labelled(groups: Iterable[tuple[Iterable[list[list[float]]], str | None]]) -> tuple[list, list, list]:
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


# ---------------------------------------------------------------- look-ups, names, rows and credits


def lookup_places(ids: Sequence[str], ds: Dataset) -> list[Place]:
    """The places of ``data/places.csv`` with these ids (``KeyError`` names an unknown id)."""
    if isinstance(ids, str):
        raise TypeError(f"give a list of place ids, not the string {ids!r}")
    return [ds.place(i) for i in ids]


def lookup_events(ids: Sequence[str | Event], ds: Dataset) -> list[Event]:
    """The events with these ids (an ``Event`` is taken as it is; ``KeyError`` names an unknown id)."""
    if isinstance(ids, str):
        raise TypeError(f"give a list of event ids, not the string {ids!r}")
    return [e if isinstance(e, Event) else ds.event(e) for e in ids]


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


def position_text(place: Place) -> str:
    """'Helsinki (60.1695° N, 24.9354° E)', with ', approximate' for an approximate position."""
    ns = "N" if place.lat >= 0 else "S"
    ew = "E" if place.lon >= 0 else "W"
    approx = ", approximate" if place.approximate else ""
    return f"{place.name} ({abs(place.lat):.4f}° {ns}, {abs(place.lon):.4f}° {ew}{approx})"


def wrap_credit(text: str, width: int = 110) -> str:
    """A credit line wrapped to ``width`` characters with ``<br>``."""
    return "<br>".join(textwrap.wrap(text, width))


def _source_shorts(events: Sequence[Event]) -> list[str]:
    return list(dict.fromkeys(s.short for e in events for s in e.cited))


MAX_LISTED_SOURCES = 4


def events_credit(events: Sequence[Event]) -> str:
    """'Events: A; B.' or, for many sources, a pointer to the text description (the credit line stays short)."""
    shorts = _source_shorts(events)
    if len(shorts) <= MAX_LISTED_SOURCES:
        return "Events: " + "; ".join(shorts) + "."
    return f"Events: {len(shorts)} sources, listed in the text description."


def event_row(event: Event, place: Place | None) -> tuple[str, ...]:
    """An event's row of the text alternative (``COLUMNS``)."""
    sources = "; ".join(s.labelled for s in event.cited)
    return (
        "Event",
        event.title,
        event_label(event),
        position_text(place) if place else "not on the map (no place)",
        f"{event.description} Source: {sources} ({event.confidence} confidence).",
    )


def place_row(kind: str, place: Place, number: int | None = None) -> tuple[str, ...]:
    """A place's row of the text alternative (``COLUMNS``), numbered if ``number`` is given."""
    name = place_name(place)
    if number is not None:
        name = f"{number}. {name}"
    note = f"Position: {place.cited.short}, {place.confidence} confidence"
    if place.approximate:
        note += "; approximate"
    return (kind, name, "", position_text(place), note + ".")


def finish_map(
    fig: go.Figure, title: str, figure_id: str, summary: str, rows: list[tuple[str, ...]], sources: Iterable[Source]
) -> go.Figure:
    """Attach the map's text alternative (``COLUMNS``; ``traces`` is ``len(fig.data)``) and return the figure."""
    return finish(
        fig, figure_id=figure_id, title=title, summary=summary, columns=COLUMNS, rows=rows, sources=sources,
        line=False, licences=LICENCES, traces=len(fig.data),
    )
