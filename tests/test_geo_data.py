"""The shipped map data: GeoJSON in data/geo/ and the points in data/places.csv.

Standard library and pytest only, so these run before the package is installed.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "data" / "geo"
PLACES = ROOT / "data" / "places.csv"
SOURCES = ROOT / "data" / "sources.csv"
COUNTRIES = GEO / "countries_1914.geojson"
CITY = GEO / "petrograd"
CHECKED = ROOT.parent / "shared" / "reference" / "geo" / "petrograd" / "petrograd1917_points_checked.geojson"

PLACES_HEADER = ["id", "name", "name_1917", "kind", "lat", "lon", "source", "confidence", "approximate", "note"]
KINDS = {"site", "station", "bridge", "district", "street", "city", "town", "port", "naval_base", "factory"}
MAX_BYTES = 300_000
GEOJSON_FILES = sorted(GEO.rglob("*.geojson"))
# checked-points key -> places.csv id
CHECKED_IDS = {
    "telephone_exchange": "telephone_exchange",
    "main_post_office": "main_post_office",
    "state_bank": "state_bank",
    "mariinsky_palace": "mariinsky_palace",
    "kshesinskaya_mansion": "kshesinskaya_mansion",
}
# Places moved away from the shared checked points, on the evidence in their notes (docs/corrections.md):
# the checked point for the Mariinsky Palace lies on the wrong side of Voznesensky Prospekt.
MOVED_FROM_CHECK = {"mariinsky_palace"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def positions(geometry: dict):
    """Every [lon, lat] position of a geometry."""
    kind, coords = geometry["type"], geometry["coordinates"]
    depth = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[kind]

    def walk(node, level):
        if level == 0:
            yield node
        else:
            for child in node:
                yield from walk(child, level - 1)

    yield from walk(coords, depth)


def rings(geometry: dict):
    """Every (is_exterior, ring) of a Polygon or MultiPolygon."""
    if geometry["type"] == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return
    for polygon in polygons:
        for i, ring in enumerate(polygon):
            yield i == 0, ring


def signed_area(ring) -> float:
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2


def read_places() -> list[dict]:
    with PLACES.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def places() -> dict[str, dict]:
    return {row["id"]: row for row in read_places()}


@pytest.fixture(scope="module")
def countries() -> dict:
    return load(COUNTRIES)


# ------------------------------------------------------------- every GeoJSON file

def test_the_expected_geojson_files_are_there():
    names = {p.relative_to(GEO).as_posix() for p in GEOJSON_FILES}
    assert {
        "countries_1914.geojson",
        "petrograd/spb_land_bbox.geojson",
        "petrograd/spb_water_bbox.geojson",
        "petrograd/spb_river_midlines_bbox.geojson",
        "petrograd/spb_1917_bridges_nevsky.geojson",
        "petrograd/spb_districts_bbox.geojson",
        "petrograd/spb_coastline_bbox.geojson",
        "petrograd/ne10m_gulf_context.geojson",
    } <= names


@pytest.mark.parametrize("path", GEOJSON_FILES, ids=lambda p: p.relative_to(GEO).as_posix())
def test_geojson_is_a_valid_feature_collection(path):
    data = load(path)
    assert data["type"] == "FeatureCollection"
    assert isinstance(data.get("metadata"), dict) and data["metadata"], "metadata member (source, licence) missing"
    assert data["features"], "no features"
    for n, feature in enumerate(data["features"]):
        assert feature["type"] == "Feature", n
        assert isinstance(feature.get("properties"), dict), n
        geometry = feature["geometry"]
        pts = list(positions(geometry))
        assert pts, f"feature {n} has no coordinates"
        for lon, lat, *rest in pts:
            assert not rest, f"feature {n}: extra dimensions"
            assert isinstance(lon, (int, float)) and isinstance(lat, (int, float)), f"feature {n}"
            assert -180 <= lon <= 180 and -90 <= lat <= 90, f"feature {n}: ({lon}, {lat}) out of range"
        for _, ring in rings(geometry):
            assert len(ring) >= 4, f"feature {n}: a ring with fewer than 4 positions"
            assert ring[0] == ring[-1], f"feature {n}: ring not closed"


@pytest.mark.parametrize("path", sorted(GEO.rglob("*")), ids=lambda p: p.relative_to(GEO).as_posix())
def test_every_file_is_under_300_kb(path):
    if path.is_file():
        assert path.stat().st_size < MAX_BYTES


def test_odbl_licence_ships_beside_the_osm_layers():
    licence = CITY / "LICENSE-ODbL-1.0.txt"
    assert licence.is_file()
    assert "Open Database License" in licence.read_text(encoding="utf-8")
    for path in CITY.glob("spb_*.geojson"):
        meta = load(path)["metadata"]
        assert "ODbL" in meta["license"], path.name
        assert "OpenStreetMap" in meta["attribution"], path.name
    assert (CITY / "LICENSE-CC0-1.0-natural-earth-geojson.txt").is_file()


def test_geo_readme_names_every_file_and_licence():
    text = (GEO / "README.md").read_text(encoding="utf-8")
    for path in GEOJSON_FILES:
        assert path.name in text, path.name
    assert "© OpenStreetMap contributors, ODbL 1.0" in text
    assert "GeoNames (geonames.org), CC BY 4.0" in text
    assert "public domain" in text


# ------------------------------------------------------------- countries_1914

def test_countries_carry_a_1914_ruler(countries):
    for feature in countries["features"]:
        props = feature["properties"]
        assert set(props) == {"name", "iso_a3", "ruler_1914", "ruler_note"}, props
        assert isinstance(props["ruler_1914"], str) and props["ruler_1914"].strip(), props["name"]
        assert isinstance(props["ruler_note"], str), props["name"]
        assert len(props["iso_a3"]) == 3 and props["iso_a3"] != "-99", props["name"]


def test_countries_rulers_of_the_great_powers(countries):
    ruler = {f["properties"]["name"]: f["properties"]["ruler_1914"] for f in countries["features"]}
    assert ruler["Russia"] == "Russian Empire"
    assert ruler["Finland"] == "Russian Empire"
    assert ruler["Ukraine"] == "Russian Empire"
    assert ruler["Germany"] == "German Empire"
    assert ruler["Austria"] == "Austria-Hungary"
    assert ruler["Turkey"] == "Ottoman Empire"
    assert ruler["United Kingdom"] == "United Kingdom"
    assert ruler["Ireland"] == "United Kingdom"
    by_iso = {f["properties"]["iso_a3"]: f["properties"] for f in countries["features"]}
    assert by_iso["POL"]["ruler_note"], "Poland needs a note: divided between three empires"


def test_countries_cover_the_box(countries):
    lons, lats = [], []
    for feature in countries["features"]:
        for lon, lat in positions(feature["geometry"]):
            lons.append(lon)
            lats.append(lat)
    assert min(lons) <= -25 and max(lons) >= 150
    assert min(lats) <= 15 and max(lats) >= 82 - 1  # Svalbard/Franz Josef Land reach ~81°N
    names = {f["properties"]["name"] for f in countries["features"]}
    assert {"Russia", "Spain", "United Kingdom", "China", "Kazakhstan", "Japan", "Germany"} <= names


def test_countries_are_rounded_and_wound_for_plotly(countries):
    # plotly's Scattergeo fill="toself" follows d3-geo: a counter-clockwise exterior fills the globe
    for feature in countries["features"]:
        for lon, lat in positions(feature["geometry"]):
            assert round(lon, 2) == lon and round(lat, 2) == lat, feature["properties"]["name"]
        for exterior, ring in rings(feature["geometry"]):
            if exterior:
                assert signed_area(ring) < 0, f"{feature['properties']['name']}: exterior ring not clockwise"


def test_countries_metadata(countries):
    meta = countries["metadata"]
    assert "Natural Earth" in meta["source"] and "4.1.0" in meta["source"]
    assert "public domain" in meta["licence"]
    assert meta["warning"] == "Modern borders shaded by the 1914 ruler: approximate"
    assert 0 < meta["simplification_tolerance_deg"] <= 0.1


# ------------------------------------------------------------- places.csv

def test_places_header_is_exact():
    with PLACES.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == PLACES_HEADER


def test_places_ids_unique_and_values_valid():
    rows = read_places()
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for r in rows:
        assert r["id"].replace("_", "").isalnum() and r["id"] == r["id"].lower(), r["id"]
        assert r["name"].strip(), r["id"]
        assert r["kind"] in KINDS, r["id"]
        assert r["confidence"] in {"high", "medium", "low", "unverified"}, r["id"]
        assert r["approximate"] in {"yes", "no"}, r["id"]
        assert -90 <= float(r["lat"]) <= 90 and -180 <= float(r["lon"]) <= 180, r["id"]
        if r["confidence"] == "low":
            assert r["approximate"] == "yes", f"{r['id']}: low confidence must be marked approximate"


def test_places_sources_exist():
    known = set()
    for path in [SOURCES, *sorted((ROOT / "data" / "sources").glob("*.csv"))]:
        with path.open(encoding="utf-8", newline="") as fh:
            known |= {row["id"] for row in csv.DictReader(fh)}
    for r in read_places():
        assert r["source"] in known, f"{r['id']}: unknown source {r['source']!r}"


def test_places_include_the_lesson_sites(places):
    needed = {
        "winter_palace", "smolny", "finland_station", "peter_paul_fortress", "nikolaevsky_bridge",
        "telephone_exchange", "telegraph_office", "state_bank", "nikolaevsky_station", "warsaw_station",
        "baltic_station", "mariinsky_palace", "tauride_palace", "kshesinskaya_mansion", "putilov_works",
        "vyborg_side", "nevsky_prospekt", "kronstadt", "petrograd", "moscow", "helsinki", "berlin",
        "budapest", "munich", "brest_litovsk", "warsaw", "kyiv",
    }
    assert needed <= set(places), sorted(needed - set(places))


def close(row: dict, lat: float, lon: float, tol: float = 0.01) -> bool:
    return abs(float(row["lat"]) - lat) <= tol and abs(float(row["lon"]) - lon) <= tol


def test_known_coordinates(places):
    assert close(places["winter_palace"], 59.9404, 30.3139)
    assert close(places["smolny"], 59.94639, 30.39639)
    assert close(places["finland_station"], 59.95556, 30.35667)
    assert close(places["moscow"], 55.75204, 37.61781)
    # the Winter Palace is about 1.1 km from the Peter and Paul Fortress
    wp, ppf = places["winter_palace"], places["peter_paul_fortress"]
    dy = (float(ppf["lat"]) - float(wp["lat"])) * 111.2
    dx = (float(ppf["lon"]) - float(wp["lon"])) * 111.2 * math.cos(math.radians(59.94))
    assert 0.9 < math.hypot(dx, dy) < 1.3


@pytest.mark.skipif(not CHECKED.is_file(), reason="../shared/reference/geo not available")
def test_checked_coordinates_are_used(places):
    features = load(CHECKED)["features"]
    assert {f["properties"]["key"] for f in features} == set(CHECKED_IDS)
    for feature in features:
        lon, lat = feature["geometry"]["coordinates"]
        row = places[CHECKED_IDS[feature["properties"]["key"]]]
        assert row["note"].strip(), f"{row['id']}: say what was changed"
        if row["id"] in MOVED_FROM_CHECK:
            assert abs(float(row["lon"]) - lon) > 1e-4, f"{row['id']}: moved, so it must not sit on the old point"
            continue
        assert abs(float(row["lat"]) - lat) < 1e-9 and abs(float(row["lon"]) - lon) < 1e-9, row["id"]
