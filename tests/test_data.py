"""The data layer: the real data loads and cross-checks; every kind of bad file gets a named error."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.model.data import Dataset, load_dataset
from lessonkit.model.schema import DataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

SOURCES = "id,short,author,title,year,kind,where_read,note\nsrc_a,A,Author A,Title A,1917,primary,,\n"
FACT_HEAD = "id,quantity,label,value,low,high,unit,date,place,source,confidence,lessons,note\n"
GOOD_FACT = "f1,q1,A figure,20000,,,members,1917-10-22,,src_a,high,07,\n"
EVENT_HEAD = "id,date,time,title,description,place,lessons,sources,confidence,note\n"
GOOD_EVENT = "e1,1917-10-25,21:40,Title,Something happened.,,08,src_a,high,\n"
PLACE_HEAD = "id,name,name_1917,kind,lat,lon,source,confidence,approximate,note\n"
GOOD_PLACE = "p1,Winter Palace,,site,59.94,30.31,src_a,high,no,\n"


def make_data(
    tmp_path: Path,
    sources: str = SOURCES,
    facts: str = FACT_HEAD + GOOD_FACT,
    events: str = EVENT_HEAD + GOOD_EVENT,
    places: str = PLACE_HEAD + GOOD_PLACE,
) -> Path:
    """A small data folder with the four tables."""
    root = tmp_path / "data"
    (root / "facts").mkdir(parents=True)
    (root / "sources.csv").write_text(sources, encoding="utf-8")
    (root / "facts" / "one.csv").write_text(facts, encoding="utf-8")
    (root / "events.csv").write_text(events, encoding="utf-8")
    (root / "places.csv").write_text(places, encoding="utf-8")
    return root


def test_real_data_loads_and_cross_checks() -> None:
    ds = load_dataset(DATA)
    assert isinstance(ds, Dataset)
    assert "spark1977" in ds.sources
    assert ds.fact("rg_petrograd_spark").value == 20000
    assert ds.fact("rg_rotation_on_guard").value == Fraction(1, 3)
    assert {f.source for f in ds.quantity("rg_petrograd_october")} >= {"spark1977", "trotsky_history"}
    for fact in ds.facts.values():
        assert fact.source in ds.sources
    for event in ds.events.values():
        assert all(s in ds.sources for s in event.sources)
    for place in ds.places.values():
        assert -90 <= place.lat <= 90 and -180 <= place.lon <= 180


def test_small_valid_folder_loads(tmp_path: Path) -> None:
    ds = load_dataset(make_data(tmp_path))
    fact = ds.fact("f1")
    assert (fact.value, fact.date, fact.lessons) == (20000, "1917-10-22", ("07",))
    assert ds.event("e1").time == "21:40" and ds.event("e1").single_source
    assert ds.place("p1").lat == pytest.approx(59.94)


def test_range_fact_displays_range(tmp_path: Path) -> None:
    facts = FACT_HEAD + "f1,q1,Active,,25000,30000,people,1917-10-25,,src_a,high,08,\n"
    fact = load_dataset(make_data(tmp_path, facts=facts)).fact("f1")
    assert fact.display() == "25,000–30,000" and fact.central == 27500


def test_unknown_id_lookup_names_the_id(tmp_path: Path) -> None:
    ds = load_dataset(make_data(tmp_path))
    with pytest.raises(KeyError, match="nope"):
        ds.fact("nope")
    with pytest.raises(KeyError, match="nope"):
        ds.quantity("nope")


# (description, table to break, its content, file name in message, row, field, reason fragment)
BAD = [
    (
        "missing source column",
        "facts",
        FACT_HEAD.replace(",source", "") + "f1,q1,A,1,,,m,1917,,high,07,\n",
        "one.csv",
        "row 1",
        "source",
        "required column is missing",
    ),
    (
        "unknown column",
        "facts",
        FACT_HEAD.replace(",note", ",colour") + GOOD_FACT,
        "one.csv",
        "row 1",
        "colour",
        "unknown column",
    ),
    (
        "value not a number",
        "facts",
        FACT_HEAD + "f1,q1,A,lots,,,m,1917,,src_a,high,07,\n",
        "one.csv",
        "row 2",
        "value",
        "'lots' is not a number",
    ),
    (
        "impossible date",
        "facts",
        FACT_HEAD + "f1,q1,A,1,,,m,1917-02-30,,src_a,high,07,\n",
        "one.csv",
        "row 2",
        "date",
        "not a day of that month",
    ),
    (
        "badly formatted date",
        "events",
        EVENT_HEAD + "e1,25 Oct 1917,,T,D,,08,src_a,high,\n",
        "events.csv",
        "row 2",
        "date",
        "is not a date",
    ),
    (
        "unknown source id",
        "facts",
        FACT_HEAD + "f1,q1,A,1,,,m,1917,,nobody,high,07,\n",
        "one.csv",
        "row 2",
        "source",
        "unknown source id 'nobody'",
    ),
    ("duplicate id", "facts", FACT_HEAD + GOOD_FACT + GOOD_FACT, "one.csv", "row 3", "id", "duplicate id 'f1'"),
    (
        "latitude out of range",
        "places",
        PLACE_HEAD + "p1,X,,site,95.0,30.3,src_a,high,no,\n",
        "places.csv",
        "row 2",
        "lat",
        "outside -90..90",
    ),
    (
        "longitude out of range",
        "places",
        PLACE_HEAD + "p1,X,,site,59.9,200,src_a,high,no,\n",
        "places.csv",
        "row 2",
        "lon",
        "outside -180..180",
    ),
    (
        "bad confidence",
        "facts",
        FACT_HEAD + "f1,q1,A,1,,,m,1917,,src_a,certain,07,\n",
        "one.csv",
        "row 2",
        "confidence",
        "'certain' is not one of",
    ),
    (
        "bad lesson number",
        "facts",
        FACT_HEAD + "f1,q1,A,1,,,m,1917,,src_a,high,7,\n",
        "one.csv",
        "row 2",
        "lessons",
        "two-digit lesson number",
    ),
    (
        "range low above high",
        "facts",
        FACT_HEAD + "f1,q1,A,,600,400,m,1917,,src_a,high,07,\n",
        "one.csv",
        "row 2",
        "low",
        "greater than high",
    ),
    (
        "half a range",
        "facts",
        FACT_HEAD + "f1,q1,A,,400,,m,1917,,src_a,high,07,\n",
        "one.csv",
        "row 2",
        "high",
        "needs both low and high",
    ),
    (
        "no value at all",
        "facts",
        FACT_HEAD + "f1,q1,A,,,,m,1917,,src_a,high,07,\n",
        "one.csv",
        "row 2",
        "value",
        "give a value",
    ),
    (
        "bad time",
        "events",
        EVENT_HEAD + "e1,1917-10-25,9.40pm,T,D,,08,src_a,high,\n",
        "events.csv",
        "row 2",
        "time",
        "is not a time",
    ),
    (
        "event without sources",
        "events",
        EVENT_HEAD + "e1,1917-10-25,,T,D,,08,,high,\n",
        "events.csv",
        "row 2",
        "sources",
        "is empty",
    ),
    (
        "unknown place id",
        "events",
        EVENT_HEAD + "e1,1917-10-25,,T,D,nowhere,08,src_a,high,\n",
        "events.csv",
        "row 2",
        "place",
        "unknown place id 'nowhere'",
    ),
    (
        "bad id characters",
        "sources",
        SOURCES + "Bad Id,B,B,B,,k,,\n",
        "sources.csv",
        "row 3",
        "id",
        "is not a valid id",
    ),
    (
        "too many cells",
        "facts",
        FACT_HEAD + GOOD_FACT.strip() + ",extra\n",
        "one.csv",
        "row 2",
        None,
        "but the header has",
    ),
    ("empty title", "sources", SOURCES + "src_b,B,B,,,k,,\n", "sources.csv", "row 3", "title", "is empty"),
]


@pytest.mark.parametrize(("what", "table", "content", "file", "row", "field", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_file_names_file_row_and_field(
    tmp_path: Path, what: str, table: str, content: str, file: str, row: str, field: str | None, reason: str
) -> None:
    root = make_data(tmp_path, **{table: content})
    with pytest.raises(DataError) as info:
        load_dataset(root)
    message = str(info.value)
    assert file in message and f"{row}" in message, message
    if field:
        assert f"field '{field}'" in message, message
    assert reason in message, message


def test_not_utf8_is_a_named_error(tmp_path: Path) -> None:
    root = make_data(tmp_path)
    (root / "sources.csv").write_bytes(SOURCES.encode("utf-8") + b"src_b,\xff\xfe,B,B,,k,,\n")
    with pytest.raises(DataError, match=r"sources.csv: not valid UTF-8"):
        load_dataset(root)


def test_missing_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="LESSONKIT_DATA"):
        load_dataset(tmp_path / "nowhere")


def test_cache_sees_edited_file(tmp_path: Path) -> None:
    root = make_data(tmp_path)
    assert load_dataset(root).fact("f1").value == 20000
    path = root / "facts" / "one.csv"
    path.write_text(FACT_HEAD + GOOD_FACT.replace("20000", "20001"), encoding="utf-8")
    assert load_dataset(root).fact("f1").value == 20001


def test_data_env_var_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit.model.data import data_dir, dataset

    root = make_data(tmp_path)
    monkeypatch.setenv("LESSONKIT_DATA", str(root))
    assert data_dir() == root
    assert set(dataset().facts) == {"f1"}


def test_wheel_copy_of_data_matches(tmp_path: Path) -> None:
    """The data folder can be copied anywhere (as into the wheel) and still loads the same."""
    copy = tmp_path / "copy"
    shutil.copytree(DATA, copy)
    assert set(load_dataset(copy).facts) == set(load_dataset(DATA).facts)
