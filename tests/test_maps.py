"""The offline maps (render.worldmaps, render.citymap, explorers.insurrection): built from their data, never online.

The data files are read again here with the csv/json modules, independently of lessonkit, so a
test compares a figure with the rows it was built from.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import pytest
from plotly.basedatatypes import BaseFigure

from lessonkit.explorers import insurrection
from lessonkit.explorers.calculators import RotationCalculator
from lessonkit.lesson import Lesson
from lessonkit.model.data import dataset
from lessonkit.render import citymap, maplabels, worldmaps
from lessonkit.render.alt import TextAlternative, drawn_traces
from lessonkit.render.figures import estimates_figure, quantity_figure
from lessonkit.render.timeline import event_label, timeline_figure
from lessonkit.widgets.timeline_explorer import TimelineExplorer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

FORBIDDEN_TRACES = {"choropleth", "scattermap", "choroplethmap", "densitymap", "scattermapbox",
                    "choroplethmapbox", "densitymapbox"}
GEO_LAYERS = ("showland", "showcoastlines", "showcountries", "showlakes", "showocean", "showrivers",
              "showsubunits", "showframe")

# Events of data/events/08_insurrection.csv, given explicitly so other files' rows do not change the steps.
INSURRECTION_IDS = [
    "decree_on_peace", "congress_opens", "aurora_article_22oct", "print_shops_closed", "aurora_to_bridge",
    "soviet_special_session", "aurora_blank_shot", "telegraph_taken",
]


# ------------------------------------------------------------------ independent readers


def places_csv() -> dict[str, dict[str, str]]:
    with open(DATA / "places.csv", encoding="utf-8", newline="") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


def events_csv(name: str) -> list[dict[str, str]]:
    with open(DATA / "events" / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def geojson(relative: str) -> dict:
    return json.loads((DATA / "geo" / relative).read_text(encoding="utf-8"))


def rings_of(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    if geometry["type"] == "MultiPolygon":
        return [r for poly in geometry["coordinates"] for r in poly]
    if geometry["type"] == "MultiLineString":
        return geometry["coordinates"]
    return [geometry["coordinates"]]


def alt_of(fig: go.Figure) -> TextAlternative:
    return TextAlternative.from_figure(fig)


def annotations_text(fig: go.Figure) -> str:
    return " ".join(a.text or "" for a in fig.layout.annotations)


def trace(fig: go.Figure, name: str) -> Any:
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace named {name!r}: {[t.name for t in fig.data]}"
    return found[0]


# ------------------------------------------------------------------ the offline walk


def offline_problems(fig: BaseFigure | dict) -> list[str]:
    """Everything in a figure (or FigureWidget, or its JSON) that would make plotly.js fetch a base map or tiles."""
    spec = fig.to_plotly_json() if isinstance(fig, BaseFigure) else fig
    layout = spec.get("layout", {})
    problems = []
    used_geos = {t.get("geo", "geo") for t in spec["data"] if t.get("type") == "scattergeo"}
    for t in spec["data"]:
        kind = t.get("type", "scatter")
        if kind in FORBIDDEN_TRACES:
            problems.append(f"trace type {kind}")
        if t.get("locationmode") is not None:
            problems.append(f"{kind} trace has locationmode={t['locationmode']!r}")
    for key, value in layout.items():
        if key.startswith("geo"):
            for layer in GEO_LAYERS:
                flag = value.get(layer)
                if flag or (key in used_geos and flag is not False):
                    problems.append(f"layout.{key}.{layer} is {flag!r} (must be False)")
            if value.get("fitbounds") is not False:
                problems.append(f"layout.{key}.fitbounds is {value.get('fitbounds')!r} (must be False)")
        if key.startswith(("map", "mapbox")) and isinstance(value, dict) and value.get("style"):
            problems.append(f"layout.{key}.style is {value['style']!r}")
    for geo in used_geos:
        if geo not in layout:
            problems.append(f"{geo} is used but has no layout (plotly defaults switch base layers on)")
    return problems


def every_builder_output() -> dict[str, BaseFigure]:
    ds = dataset()
    rg = [f for f in ds.quantity("rg_petrograd_october")]
    figures: dict[str, BaseFigure] = {
        "europe_1914": worldmaps.europe_1914("Europe", "eu", cities=["petrograd", "berlin"], events=["bloody_sunday"]),
        "europe_1914_rulers": worldmaps.europe_1914("Europe", "eu2", rulers=["Russian Empire"]),
        "world_map": worldmaps.world_map("World", "w", events=["hungarian_soviet_republic", "shanghai_massacre"]),
        "world_map_1914": worldmaps.world_map("World", "w2", cities=["london"], shade_1914=True),
        "route_map": worldmaps.route_map("Route", "r", ["berlin", "helsinki", "petrograd"], events=["lenin_returns"]),
        "petrograd_map": citymap.petrograd_map("City", "c", places=["smolny"], events=["congress_opens"],
                                            show_districts=True),
        "insurrection_widget": Lesson("08").explorer("insurrection_map").figure,
        "timeline_explorer": TimelineExplorer(ds.events_for_lesson("00"), "Overview", "tl").figure,
        "timeline_figure": timeline_figure(ds.events_for_lesson("07"), "Red Guard", "tl07"),
        "estimates_figure": estimates_figure(rg, "Red Guard", "People", "rg"),
        "quantity_figure": quantity_figure("rg_petrograd_october", "Red Guard", "People"),
        "calculator_widget": RotationCalculator().figure,
    }
    return figures


def test_every_builder_stays_offline() -> None:
    for name, fig in every_builder_output().items():
        assert offline_problems(fig) == [], name


def test_the_offline_walk_catches_each_fault() -> None:
    ok = worldmaps.europe_1914("Europe", "eu")
    assert offline_problems(ok) == []
    spec = ok.to_plotly_json()
    bad = json.loads(json.dumps(spec, default=str))
    bad["layout"]["geo"]["showland"] = True
    assert any("showland" in p for p in offline_problems(bad))
    bad = json.loads(json.dumps(spec, default=str))
    bad["layout"]["geo"]["fitbounds"] = "locations"
    assert any("fitbounds" in p for p in offline_problems(bad))
    bad = json.loads(json.dumps(spec, default=str))
    del bad["layout"]["geo"]["showcoastlines"]
    assert any("showcoastlines" in p for p in offline_problems(bad))
    assert offline_problems(go.Figure(go.Choropleth(locations=["RUS"], z=[1]))) != []
    assert offline_problems(go.Figure(go.Scattergeo(lon=[30], lat=[60], locationmode="country names"))) != []
    assert offline_problems(go.Figure(go.Scattermap(lon=[30], lat=[60]), layout={"map": {"style": "open-street-map"}}))


# ------------------------------------------------------------------ common contract


@pytest.mark.parametrize("name", ["europe_1914", "europe_1914_rulers", "world_map", "world_map_1914", "route_map",
                                  "petrograd_map"])
def test_map_builders_carry_title_theme_credit_and_alternative(name: str) -> None:
    fig = every_builder_output()[name]
    assert fig.layout.title.text
    assert fig.layout.template.layout.colorway  # the lessonkit theme
    alt = alt_of(fig)
    assert alt.traces == len(fig.data)
    assert alt.rows and alt.summary and alt.sources
    text = annotations_text(fig)
    if name == "petrograd_map":
        assert "© OpenStreetMap contributors" in text
        assert "Modern shoreline" in text or "modern shoreline" in text
    else:
        assert "Natural Earth (public domain)" in text


# ------------------------------------------------------------------ Europe 1914


def test_europe_1914_city_markers_are_the_places_rows() -> None:
    rows = places_csv()
    ids = ["petrograd", "moscow", "warsaw", "helsinki", "berlin"]
    fig = worldmaps.europe_1914("Europe", "eu", cities=ids)
    cities = trace(fig, "Cities")
    assert list(cities.lon) == [float(rows[i]["lon"]) for i in ids]
    assert list(cities.lat) == [float(rows[i]["lat"]) for i in ids]
    alt = alt_of(fig)
    city_rows = [r for r in alt.rows if r[0] == "City"]
    assert [r[1].split(" (1917")[0] for r in city_rows] == [rows[i]["name"] for i in ids]
    assert "GeoNames (geonames.org), CC BY 4.0" in annotations_text(fig)
    assert fig.layout.geo.projection.type == "conic conformal"


def test_europe_1914_shades_each_ruler_from_the_geojson() -> None:
    data = geojson("countries_1914.geojson")
    fig = worldmaps.europe_1914("Europe", "eu")
    by_ruler: dict[str, set[tuple[float, float]]] = {}
    for f in data["features"]:
        p = f["properties"]
        key = "Not shaded" if p["ruler_note"] == "not shaded" else p["ruler_1914"]
        by_ruler.setdefault(key, set()).update((x, y) for ring in rings_of(f["geometry"]) for x, y in ring)
    rulers = [t for t in fig.data if t.type == "scattergeo" and t.fill == "toself"]
    assert len({t.name for t in rulers}) == len(rulers), "one trace per ruler"
    expected = {"Russian Empire", "German Empire", "Austria-Hungary", "Ottoman Empire", "Not shaded"}
    assert expected <= {t.name for t in rulers}
    for t in rulers:
        points = {(x, y) for x, y in zip(t.lon, t.lat, strict=True) if x is not None}
        assert points <= by_ruler[t.name], t.name
        assert t.hovertemplate and (t.name in t.hovertemplate or t.name == "Not shaded")
    alt = alt_of(fig)
    shaded = [r for r in alt.rows if r[0] == "1914 ruler (shaded area)"]
    assert {r[1] for r in shaded} == {t.name for t in rulers} - {"Not shaded"}
    assert fig.layout.title.subtitle.text == "Modern borders shaded by the 1914 ruler: approximate"


def test_europe_1914_draws_only_countries_in_view() -> None:
    fig = worldmaps.europe_1914("Europe", "eu")
    names = {t.name for t in fig.data}
    assert "Empire of Japan" not in names and "Republic of China" not in names
    world = worldmaps.world_map("World", "w", shade_1914=True)
    assert "Republic of China" in {t.name for t in world.data}


def test_europe_1914_rulers_filter() -> None:
    fig = worldmaps.europe_1914("Europe", "eu", rulers=["Russian Empire", "German Empire"])
    shaded = [t.name for t in fig.data if t.fill == "toself"]
    assert shaded == ["Russian Empire", "German Empire", "Not shaded"]
    with pytest.raises(KeyError, match="Atlantis"):
        worldmaps.europe_1914("Europe", "eu", rulers=["Atlantis"])


def test_europe_1914_events_use_the_event_place_and_both_calendars() -> None:
    ds = dataset()
    rows = places_csv()
    fig = worldmaps.europe_1914("1905", "m", events=["bloody_sunday", "ivanovo_soviet", "petersburg_soviet_1905"])
    ev = trace(fig, "Events")
    # Bloody Sunday and the St Petersburg Soviet share one marker at the city.
    assert list(ev.lon) == [float(rows["petrograd"]["lon"]), float(rows["ivanovo"]["lon"])]
    assert list(ev.lat) == [float(rows["petrograd"]["lat"]), float(rows["ivanovo"]["lat"])]
    assert "9 Jan [22 Jan] 1905" in ev.hovertext[0] and "13 Oct [26 Oct] 1905" in ev.hovertext[0]
    event_rows = [r for r in alt_of(fig).rows if r[0] == "Event"]
    assert [r[1] for r in event_rows] == [ds.event(i).title for i in
                                          ("bloody_sunday", "ivanovo_soviet", "petersburg_soviet_1905")]
    assert event_rows[0][2] == event_label(ds.event("bloody_sunday"))


def test_labels_do_not_overlap_in_the_layout_model() -> None:
    view = worldmaps._view("conic conformal", (-12, 62), (34, 71))
    ids = ["helsinki", "tallinn", "riga", "petrograd", "vilnius", "minsk", "warsaw", "berlin", "kyiv", "moscow"]
    ds = dataset()
    pts = [(ds.place(i).lon, ds.place(i).lat) for i in ids]
    labels = maplabels.place_labels(pts, [[ds.place(i).name] for i in ids], [5.0] * len(ids), view)
    pixels, _ = maplabels.project_to_screen(pts, view.projection, view.lon_range, view.lat_range, view.parallels,
                                            view.size)
    boxes = [maplabels._label_box(pos, x, y, len(text) * maplabels.CHAR_PX + 4, 5.0)
             for (pos, text), (x, y) in zip(labels, pixels, strict=True) if text]
    assert len(boxes) >= 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not maplabels._overlaps(a, b)


def test_unknown_ids_raise_key_error_naming_the_id() -> None:
    with pytest.raises(KeyError, match="atlantis"):
        worldmaps.europe_1914("x", "x", cities=["atlantis"])
    with pytest.raises(KeyError, match="no_such_event"):
        worldmaps.europe_1914("x", "x", events=["no_such_event"])
    with pytest.raises(KeyError, match="el_dorado"):
        worldmaps.world_map("x", "x", cities=["el_dorado"])
    with pytest.raises(KeyError, match="lilliput"):
        worldmaps.route_map("x", "x", ["petrograd", "lilliput"])
    with pytest.raises(KeyError, match="shangri_la"):
        citymap.petrograd_map("x", "x", places=["shangri_la"])
    with pytest.raises(KeyError, match="no_such_event"):
        citymap.petrograd_map("x", "x", events=["no_such_event"])


def test_events_without_a_place_and_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="tsar_abdicates"):
        worldmaps.europe_1914("x", "x", events=["tsar_abdicates"])
    with pytest.raises(TypeError):
        worldmaps.europe_1914("x", "x", cities="petrograd")
    with pytest.raises(ValueError, match="kronstadt"):
        citymap.petrograd_map("x", "x", places=["kronstadt"])


# ------------------------------------------------------------------ world and route


def test_world_map_draws_modern_borders_and_event_markers() -> None:
    rows = places_csv()
    fig = worldmaps.world_map("Abroad", "w", events=["hungarian_soviet_republic", "shanghai_massacre"])
    assert [t.name for t in fig.data] == ["Countries (modern borders)", "Events"]
    ev = trace(fig, "Events")
    assert list(ev.lon) == [float(rows["budapest"]["lon"]), float(rows["shanghai"]["lon"])]
    assert fig.layout.geo.projection.type == "miller"
    assert list(fig.layout.geo.lonaxis.range) == [-15, 130]
    assert "not the borders of the time" in fig.layout.title.subtitle.text


def test_route_map_draws_the_places_in_order() -> None:
    rows = places_csv()
    ids = ["helsinki", "tampere", "petrograd"]
    fig = worldmaps.route_map("Route", "r", ids, route_name="Test route")
    line = trace(fig, "Test route")
    assert list(line.lon) == [float(rows[i]["lon"]) for i in ids]
    assert list(line.lat) == [float(rows[i]["lat"]) for i in ids]
    stops = trace(fig, "Stops (in order)")
    assert [c[0] for c in stops.customdata] == [1, 2, 3]
    stop_rows = [r for r in alt_of(fig).rows if r[0] == "Stop"]
    assert [r[1] for r in stop_rows] == ["1. Helsinki (1917: Helsingfors)", "2. Tampere (1917: Tammerfors)",
                                         "3. St Petersburg (1917: St Petersburg / Petrograd)"]
    lon0, lon1 = fig.layout.geo.lonaxis.range
    assert lon0 < min(float(rows[i]["lon"]) for i in ids) and lon1 > max(float(rows[i]["lon"]) for i in ids)
    with pytest.raises(ValueError):
        worldmaps.route_map("Route", "r", ["petrograd"])


# ------------------------------------------------------------------ Petrograd


def test_petrograd_base_is_few_merged_cartesian_traces() -> None:
    fig = citymap.petrograd_map("City", "c")
    assert all(t.type == "scatter" for t in fig.data)
    assert len(fig.data) <= 5
    water = trace(fig, "Rivers and canals")
    rings = [r for f in geojson("petrograd/spb_water_bbox.geojson")["features"] for r in rings_of(f["geometry"])]
    assert water.fill == "toself"
    assert list(water.x).count(None) == len(rings) - 1
    assert {(x, y) for x, y in zip(water.x, water.y, strict=True) if x is not None} == {
        (p[0], p[1]) for r in rings for p in r}
    bridges = trace(fig, citymap.BRIDGES_NAME)
    features = geojson("petrograd/spb_1917_bridges_nevsky.geojson")["features"]
    lines = [r for f in features for r in rings_of(f["geometry"])]
    assert list(bridges.x).count(None) == len(lines) - 1
    assert fig.layout.yaxis.scaleanchor == "x"
    assert fig.layout.yaxis.scaleratio == pytest.approx(1 / math.cos(math.radians(60)), rel=0.01)
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert fig.layout.shapes[0].fillcolor == water.fillcolor  # water and sea share one colour
    assert (fig.layout.shapes[0].x0, fig.layout.shapes[0].x1) == citymap.PETROGRAD_BOX[0]
    with_districts = citymap.petrograd_map("City", "c", show_districts=True)
    assert len(with_districts.data) == len(fig.data) + 1


def test_petrograd_places_are_numbered_markers_from_the_places_rows() -> None:
    rows = places_csv()
    ids = ["winter_palace", "smolny", "telephone_exchange", "state_bank", "warsaw_station", "baltic_station"]
    fig = citymap.petrograd_map("City", "c", places=ids)
    exact, approx = trace(fig, "Place"), trace(fig, citymap.APPROX_PLACE_NAME)
    shown = {c[0]: (c[1], c[2], x, y, n) for t in (exact, approx)
             for c, x, y, n in zip(t.customdata, t.x, t.y, t.text, strict=True)}
    assert set(shown) == set(ids)
    for i in ids:
        lon, lat, x, y, _ = shown[i]
        assert (lon, lat) == (float(rows[i]["lon"]), float(rows[i]["lat"]))
        # a crowded marker may be nudged aside (with a leader line), but by well under 300 m
        assert abs(x - lon) * 55.6 < 0.3 and abs(y - lat) * 111.3 < 0.3
    assert {c[0] for c in approx.customdata} == {i for i in ids if rows[i]["approximate"] == "yes"}
    assert approx.marker.color == "#FFFFFF"  # hollow
    assert all("(approximate)" in h for h in approx.hovertext)
    assert sorted(int(shown[i][4]) for i in ids) == list(range(1, len(ids) + 1))
    key = annotations_text(fig)
    for n, i in enumerate(ids, start=1):
        assert f"{n}  {rows[i]['name']}" in key.replace("<br>     ", " ")
    place_rows = [r for r in alt_of(fig).rows if r[0] == "Place"]
    assert [r[1] for r in place_rows] == [f"{n}. {rows[i]['name']}" for n, i in enumerate(ids, start=1)]


def test_petrograd_events_add_their_places_and_both_calendars() -> None:
    fig = citymap.petrograd_map("City", "c", places=["smolny"], events=["congress_opens", "aurora_to_bridge"])
    exact = trace(fig, "Place")
    ids = [c[0] for c in exact.customdata]
    assert ids == ["smolny", "nikolaevsky_bridge"]
    assert "25 Oct [7 Nov] 1917, 22:40" in exact.hovertext[0]
    assert "Nikolaevsky Bridge (now Blagoveshchensky Bridge)" in annotations_text(fig).replace("<br>     ", " ")


def test_spread_markers_separates_crowded_points_only() -> None:
    view = citymap.CityView.around([(30.30, 59.93), (30.40, 59.95)])
    far = [(30.30, 59.93), (30.40, 59.95)]
    spread = citymap.spread_markers(far, view)
    assert [c for p in spread for c in p] == pytest.approx([c for p in far for c in p])
    same = [(30.31, 59.94), (30.31, 59.94), (30.3101, 59.9401)]
    moved = citymap.spread_markers(same, view)
    sx = view.px_per_lon
    sy = sx * citymap.PETROGRAD_RATIO
    for i in range(3):
        for j in range(i + 1, 3):
            d = math.hypot((moved[i][0] - moved[j][0]) * sx, (moved[i][1] - moved[j][1]) * sy)
            assert d >= citymap.MIN_GAP_PX - 0.5


# ------------------------------------------------------------------ the insurrection


def test_events_by_step_is_cumulative_and_puts_untimed_events_at_the_end_of_the_day() -> None:
    ds = dataset()
    events = [ds.event(i) for i in ("telegraph_taken", "aurora_blank_shot", "print_shops_closed", "decree_on_peace")]
    steps = insurrection.insurrection_steps(events)
    assert [s.label for s in steps] == [
        "24 Oct [6 Nov] 1917, 05:30",
        "25 Oct [7 Nov] 1917, 21:40",
        "25 Oct [7 Nov] 1917, by the end of the day",
        "26 Oct [8 Nov] 1917, by the end of the day",
    ]
    assert insurrection.events_by_step(events, steps) == [
        ["print_shops_closed"],
        ["print_shops_closed", "aurora_blank_shot"],
        ["print_shops_closed", "aurora_blank_shot", "telegraph_taken"],
        ["print_shops_closed", "aurora_blank_shot", "telegraph_taken", "decree_on_peace"],
    ]


def test_insurrection_map_shows_the_right_events_at_each_step() -> None:
    ds = dataset()
    m = insurrection.InsurrectionMap([ds.event(i) for i in INSURRECTION_IDS], "Test map")
    assert len(m.steps) == 8
    first = m.update(0)
    assert first == ["aurora_article_22oct"]
    middle = m.update(3)
    assert m.steps[3].label == "25 Oct [7 Nov] 1917, 14:35"
    assert middle == ["aurora_article_22oct", "print_shops_closed", "aurora_to_bridge", "soviet_special_session"]
    last = m.update(len(m.steps) - 1)
    assert last == ["aurora_article_22oct", "print_shops_closed", "aurora_to_bridge", "soviet_special_session",
                    "aurora_blank_shot", "congress_opens", "telegraph_taken", "decree_on_peace"]
    with pytest.raises(IndexError):
        m.update(len(m.steps))


def test_insurrection_markers_follow_the_step() -> None:
    ds = dataset()
    rows = places_csv()
    m = insurrection.InsurrectionMap([ds.event(i) for i in INSURRECTION_IDS], "Test map")
    happened, not_yet = m.figure.data[m.base_traces], m.figure.data[m.base_traces + 1]
    assert (happened.name, not_yet.name) == ("Happened by this step", "Not yet")
    m.update(0)  # the article's Aurora row has no place: nothing on the map has happened yet
    assert list(happened.x) == []
    assert f'data-lk-traces="{len(m.figure.data) - 1}"' in m.alt.value  # an empty trace is not drawn
    assert {c[0] for c in not_yet.customdata} == {"smolny", "nikolaevsky_bridge", "telegraph_office"}
    m.update(3)
    assert {c[0] for c in happened.customdata} == {"nikolaevsky_bridge", "smolny"}
    assert {c[0] for c in not_yet.customdata} == {"telegraph_office"}
    for c in happened.customdata:
        assert (c[1], c[2]) == (float(rows[c[0]]["lon"]), float(rows[c[0]]["lat"]))
    m.update(len(m.steps) - 1)
    assert {c[0] for c in happened.customdata} == {"smolny", "nikolaevsky_bridge", "telegraph_office"}
    assert list(not_yet.x) == []
    assert f'data-lk-traces="{len(m.figure.data) - 1}"' in m.alt.value
    assert len(m.figure.data) == m.base_traces + 2


def test_insurrection_widget_wiring() -> None:
    m = Lesson("08").explorer("insurrection_map")
    assert "lk-figure-widget" in m.view._dom_classes
    assert "lk-slider" in m.slider._dom_classes
    assert m.slider.description
    assert [label for label, _ in m.slider.options] == [s.label for s in m.steps]
    assert all("[" in s.label and "]" in s.label for s in m.steps), "both calendars in every step label"
    ds = dataset()
    assert all("08" in e.lessons and "1917-10-22" <= e.date <= "1917-10-26" for e in m.events)
    assert set(m.happened[-1]) == {e.id for e in m.events}
    m.slider.value = 4  # the observer calls update()
    assert f"Step 5 of {len(m.steps)}" in m.caption.value
    assert f'data-lk-traces="{drawn_traces(m.figure)}"' in m.alt.value
    assert 'class="lk-alt"' in m.alt.value
    article = [e for e in m.events if e.sources == ("spark1977",)]
    assert {"aurora_article_22oct", "print_shops_article_23oct"} <= {e.id for e in article}
    assert ds.event("print_shops_closed").time == "05:30"


# ------------------------------------------------------------------ the events files


def test_overview_and_insurrection_events_are_sourced() -> None:
    ds = dataset()
    for name in ("00_overview.csv", "08_insurrection.csv"):
        for row in events_csv(name):
            event = ds.event(row["id"])
            assert event.sources, row["id"]
            for s in event.sources:
                ds.source(s)
            if event.confidence == "unverified":
                assert event.note, f"{row['id']}: an unverified event needs a note"
            if event.place:
                ds.place(event.place)


def test_article_dates_are_separate_rows_pointing_to_the_conflict() -> None:
    ds = dataset()
    aurora = ds.event("aurora_article_22oct")
    shops = ds.event("print_shops_article_23oct")
    assert (aurora.date, aurora.sources) == ("1917-10-22", ("spark1977",))
    assert (shops.date, shops.sources) == ("1917-10-23", ("spark1977",))
    assert "aurora_to_bridge" in aurora.note and "print_shops_closed" in shops.note
    assert ds.event("print_shops_closed").sources == ("mrc_order_1917",)


def test_finnish_civil_war_is_stored_as_russia_dated_it() -> None:
    event = dataset().event("finnish_civil_war")
    assert event.date == "1918-01-14"
    assert event_label(event) == "14 Jan [27 Jan] 1918"
    assert "27 Jan" in event.note and "Julian" in event.note


def test_great_circle_and_route_lengths() -> None:
    from lessonkit.render.worldmaps import EARTH_RADIUS_KM, great_circle_km, route_km

    quarter = math.pi / 2 * EARTH_RADIUS_KM
    assert great_circle_km(0, 0, 90, 0) == pytest.approx(quarter)  # equator to pole
    assert great_circle_km(0, 0, 0, 90) == pytest.approx(quarter)  # a quarter of the equator
    assert great_circle_km(59.9, 30.3, 59.9, 30.3) == 0
    stops = ["zurich", "berlin", "stockholm"]
    legs = [route_km(stops[i : i + 2]) for i in range(2)]
    assert route_km(stops) == pytest.approx(sum(legs)) and all(leg > 0 for leg in legs)
    assert route_km(stops[:1]) == 0


def test_every_map_legend_entry_fits_its_column() -> None:
    """A legend name wider than its column ran into the next entry (lesson 05's route, seen on the site):
    every name is wrapped to the column, and the legend's height counts the wrapped lines."""
    from lessonkit.render.theme import CHAR_PX
    from lessonkit.render.worldmaps import LEGEND_COLUMN_PX, route_map

    fig = route_map("Lenin's journey", "route_test", ["zurich", "berlin", "stockholm", "haparanda", "finland_station"],
                    lon_range=(4, 36), lat_range=(45, 68), route_name="Lenin's route (straight lines between stops)")
    names = [t.name for t in fig.data if t.showlegend is not False and t.name]
    assert any("<br>" in n for n in names)
    assert all(len(line) * CHAR_PX <= LEGEND_COLUMN_PX for n in names for line in n.split("<br>")), names
