"""Tests for lessonkit.model.calendar: Julian/Gregorian conversion, DualDate labels and the converter widget."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pytest

from lessonkit.model.calendar import (
    DualDate,
    converter_text,
    dual,
    gregorian_to_julian,
    julian_to_gregorian,
    offset_days,
)
from lessonkit.widgets.converter import calendar_converter


def plain(markup: str) -> str:
    """The visible text of an HTML snippet."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# ---------------------------------------------------------------- conversion

KNOWN_PAIRS = [
    ((1905, 1, 9), date(1905, 1, 22)),  # Bloody Sunday
    ((1917, 2, 23), date(1917, 3, 8)),  # February Revolution begins
    ((1917, 4, 3), date(1917, 4, 16)),  # Lenin reaches Petrograd
    ((1917, 10, 25), date(1917, 11, 7)),  # October Revolution
    ((1917, 10, 26), date(1917, 11, 8)),
    ((1904, 12, 19), date(1905, 1, 1)),  # year-crossing
    ((1918, 1, 31), date(1918, 2, 13)),  # last Julian day in Russia
    ((1582, 10, 4), date(1582, 10, 14)),  # last Julian day in Rome ...
    ((1582, 10, 5), date(1582, 10, 15)),  # ... followed by the first Gregorian day
    ((1700, 2, 28), date(1700, 3, 10)),
    ((1700, 2, 29), date(1700, 3, 11)),  # exists only in the Julian calendar
    ((1700, 3, 1), date(1700, 3, 12)),
    ((1800, 2, 29), date(1800, 3, 12)),
    ((1900, 2, 29), date(1900, 3, 13)),
    ((1900, 3, 1), date(1900, 3, 14)),
]


@pytest.mark.parametrize(("julian", "gregorian"), KNOWN_PAIRS)
def test_known_pairs(julian: tuple[int, int, int], gregorian: date) -> None:
    assert julian_to_gregorian(*julian) == gregorian
    assert gregorian_to_julian(gregorian) == julian


def test_russia_skipped_1_to_13_february_1918() -> None:
    last_julian = julian_to_gregorian(1918, 1, 31)
    assert last_julian + timedelta(days=1) == date(1918, 2, 14)


def test_rome_skipped_5_to_14_october_1582() -> None:
    assert julian_to_gregorian(1582, 10, 4) + timedelta(days=1) == julian_to_gregorian(1582, 10, 5)
    assert julian_to_gregorian(1582, 10, 5) == date(1582, 10, 15)


@pytest.mark.parametrize(
    ("julian", "offset"),
    [
        ((1582, 10, 5), 10),
        ((1650, 6, 1), 10),
        ((1700, 2, 28), 10),
        ((1700, 3, 1), 11),
        ((1750, 1, 1), 11),
        ((1800, 2, 28), 11),
        ((1800, 3, 1), 12),
        ((1850, 7, 1), 12),
        ((1900, 2, 28), 12),
        ((1900, 3, 1), 13),
        ((1917, 10, 25), 13),
        ((1918, 1, 31), 13),
        ((2100, 3, 1), 14),
    ],
)
def test_offset_days(julian: tuple[int, int, int], offset: int) -> None:
    assert offset_days(*julian) == offset


def test_offset_days_matches_the_conversion() -> None:
    for julian in [(1582, 10, 5), (1699, 12, 31), (1812, 9, 7), (1905, 1, 9), (1917, 10, 25)]:
        year, month, day = julian
        assert julian_to_gregorian(*julian) - date(year, month, day) == timedelta(days=offset_days(*julian))


def test_round_trip_from_gregorian_every_day_1582_to_1918() -> None:
    start, end = date(1582, 10, 15).toordinal(), date(1918, 12, 31).toordinal()
    assert end - start > 120_000
    previous = None
    for ordinal in range(start, end + 1):
        day = date.fromordinal(ordinal)
        julian = gregorian_to_julian(day)
        assert julian_to_gregorian(*julian) == day, (day, julian)
        assert previous is None or julian > previous, (day, julian)  # Julian dates strictly increase
        previous = julian
    assert previous == (1918, 12, 18)


def test_round_trip_from_julian_every_day_1582_to_1918() -> None:
    """Walk the Julian calendar day by day, independently of the module, and convert each day."""
    lengths = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    year, month, day = 1582, 10, 5
    expected = date(1582, 10, 15).toordinal()
    count = 0
    while (year, month, day) <= (1918, 12, 18):
        gregorian = julian_to_gregorian(year, month, day)
        assert gregorian.toordinal() == expected, (year, month, day)
        assert gregorian_to_julian(gregorian) == (year, month, day)
        count += 1
        expected += 1
        length = 29 if month == 2 and year % 4 == 0 else lengths[month - 1]
        day += 1
        if day > length:
            day, month = 1, month + 1
            if month > 12:
                month, year = 1, year + 1
    assert expected - 1 == date(1918, 12, 31).toordinal()
    assert count == date(1918, 12, 31).toordinal() - date(1582, 10, 15).toordinal() + 1


@pytest.mark.parametrize(
    "julian", [(1917, 2, 30), (1917, 2, 29), (1917, 13, 1), (1917, 0, 1), (1917, 4, 31), (1917, 1, 0)]
)
def test_impossible_julian_dates_raise(julian: tuple[int, int, int]) -> None:
    with pytest.raises(ValueError, match=r"does not exist"):
        julian_to_gregorian(*julian)
    with pytest.raises(ValueError):
        offset_days(*julian)


# ---------------------------------------------------------------- DualDate


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("1917-10-25", "25 Oct [7 Nov] 1917"),
        ("1917-10-26", "26 Oct [8 Nov] 1917"),
        ("1905-01-09", "9 Jan [22 Jan] 1905"),
        ("1917-04-03", "3 Apr [16 Apr] 1917"),
        ("1917-02-23", "23 Feb [8 Mar] 1917"),
        ("1917-09-01", "1 Sep [14 Sep] 1917"),
        ("1904-12-19", "19 Dec 1904 [1 Jan 1905]"),
        ("1918-01-31", "31 Jan [13 Feb] 1918"),
        ("1918-02-14", "14 Feb 1918"),
        ("1919-08-01", "1 Aug 1919"),
        ("1917-10", "Oct 1917 (Old Style)"),
        ("1917-04", "Apr 1917 (Old Style)"),
        ("1918-02", "Feb 1918"),
        ("1919-08", "Aug 1919"),
        ("1905", "1905"),
        ("1917", "1917"),
    ],
)
def test_labels(text: str, label: str) -> None:
    assert DualDate.parse(text).label == label
    assert dual(text) == label
    assert str(DualDate.parse(text)) == label


def test_gregorian_calendar_dates_are_single() -> None:
    assert DualDate.parse("1917-11-07", "gregorian").label == "7 Nov 1917"
    assert DualDate.parse("1917-11-07", "gregorian").label_for("new") == "7 Nov 1917"


def test_label_for_styles() -> None:
    october = DualDate.parse("1917-10-25")
    assert october.label_for("old") == "25 Oct [7 Nov] 1917"
    assert october.label_for("new") == "7 Nov 1917 (25 Oct O.S.)"
    assert october.label_new_style_first == "7 Nov 1917 (25 Oct O.S.)"
    assert DualDate.parse("1904-12-19").label_for("new") == "1 Jan 1905 (19 Dec 1904 O.S.)"
    assert DualDate.parse("1919-08-01").label_for("new") == "1 Aug 1919"
    assert DualDate.parse("1917-10").label_for("new") == "Oct 1917 (Old Style)"
    with pytest.raises(ValueError, match="style"):
        october.label_for("newest")  # type: ignore[arg-type]


def test_properties() -> None:
    october = DualDate.parse("1917-10-25")
    assert (october.year, october.month, october.day, october.calendar) == (1917, 10, 25, "julian")
    assert october.precision == "day"
    assert october.julian == (1917, 10, 25)
    assert october.gregorian == date(1917, 11, 7)
    assert october.iso_gregorian == "1917-11-07"
    assert october.sort_key == date(1917, 11, 7).toordinal()

    after = DualDate.parse("1919-08-01")
    assert after.calendar == "gregorian"
    assert after.julian == (1919, 7, 19)
    assert after.iso_gregorian == "1919-08-01"

    month = DualDate.parse("1917-10")
    assert (month.precision, month.day) == ("month", None)
    assert month.gregorian == date(1917, 10, 14)  # first day of Julian October
    assert month.julian == (1917, 10, 1)
    with pytest.raises(ValueError):
        month.iso_gregorian  # noqa: B018

    year = DualDate.parse("1905")
    assert (year.precision, year.month, year.day) == ("year", None, None)
    assert year.sort_key == date(1905, 1, 14).toordinal()


def test_parse_calendars() -> None:
    assert DualDate.parse("1918-01-31").calendar == "julian"
    assert DualDate.parse("1918-02-14").calendar == "gregorian"
    assert DualDate.parse("1918-01").calendar == "julian"
    assert DualDate.parse("1918-02").calendar == "gregorian"
    assert DualDate.parse("1918").calendar == "julian"
    assert DualDate.parse("1919").calendar == "gregorian"
    assert DualDate.parse("1918-02-05", "gregorian").gregorian == date(1918, 2, 5)
    assert DualDate.parse("1918-02-05", "julian").gregorian == date(1918, 2, 18)
    assert DualDate.parse("1900-02-29").gregorian == date(1900, 3, 13)  # Julian leap day
    assert DualDate.parse(" 1917-10-25 ") == DualDate(1917, 10, 25, "julian")


@pytest.mark.parametrize(
    ("text", "calendar", "message"),
    [
        ("1918-02-05", "russian", "did not exist in Russia"),
        ("1918-02-01", "russian", "did not exist in Russia"),
        ("1918-02-13", "russian", "did not exist in Russia"),
        ("1917-13-01", "russian", "month 13"),
        ("1917-13", "russian", "month 13"),
        ("1917-02-30", "russian", "30 Feb 1917 does not exist"),
        ("1917-02-29", "russian", "does not exist"),
        ("1900-02-29", "gregorian", "does not exist in the Gregorian calendar"),
        ("not a date", "russian", "is not a date"),
        ("", "russian", "is not a date"),
        ("17-10-25", "russian", "is not a date"),
        ("1917-10-25", "french", "calendar"),
    ],
)
def test_parse_errors(text: str, calendar: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        DualDate.parse(text, calendar)


def test_constructor_validates() -> None:
    with pytest.raises(ValueError):
        DualDate(1917, 2, 30, "julian")
    with pytest.raises(ValueError):
        DualDate(1917, None, 5, "julian")
    with pytest.raises(ValueError):
        DualDate(1917, 10, 25, "russian")  # type: ignore[arg-type]


def test_ordering_by_real_day() -> None:
    julian_30_oct = DualDate.parse("1917-10-30")  # 12 Nov 1917 (Gregorian)
    paris_10_nov = DualDate.parse("1917-11-10", "gregorian")  # 28 Oct 1917 (Julian)
    armistice = DualDate.parse("1918-11-11")
    bloody_sunday = DualDate.parse("1905-01-09")
    october = DualDate.parse("1917-10")  # starts 14 Oct 1917 (Gregorian)
    year_1917 = DualDate.parse("1917")  # starts 14 Jan 1917 (Gregorian)
    new_years_day = DualDate.parse("1917-01-01", "gregorian")
    mixed = [armistice, julian_30_oct, october, paris_10_nov, year_1917, bloody_sunday, new_years_day]
    assert sorted(mixed) == [bloody_sunday, new_years_day, year_1917, october, paris_10_nov, julian_30_oct, armistice]
    assert paris_10_nov < julian_30_oct
    assert julian_30_oct > paris_10_nov
    assert sorted(mixed, key=lambda d: d.sort_key) == sorted(mixed)


def test_same_day_in_both_calendars_is_equal() -> None:
    julian = DualDate.parse("1917-10-25")
    gregorian = DualDate.parse("1917-11-07", "gregorian")
    assert julian == gregorian
    assert hash(julian) == hash(gregorian)
    assert julian <= gregorian and julian >= gregorian
    assert DualDate.parse("1917-10-01") != DualDate.parse("1917-10")  # same first day, different precision
    assert DualDate.parse("1917-10") < DualDate.parse("1917-10-01")


# ---------------------------------------------------------------- converter


def test_converter_text_october_revolution() -> None:
    text = plain(converter_text(25, 10, 1917))
    assert text == (
        "In Petrograd (Julian calendar, Old Style): 25 Oct 1917 — "
        "in Paris (Gregorian, New Style): 7 Nov 1917 — 13 days apart."
    )


def test_converter_text_other_cases() -> None:
    assert "in Paris (Gregorian, New Style): 22 Jan 1905 — 13 days apart" in plain(converter_text(9, 1, 1905))
    assert "1 Jan 1905" in plain(converter_text(19, 12, 1904))
    assert "13 Feb 1918" in plain(converter_text(31, 1, 1918))
    assert "12 Mar 1700 — 11 days apart" in plain(converter_text(1, 3, 1700))
    assert "11 Mar 1700" in plain(converter_text(29, 2, 1700))
    after = plain(converter_text(14, 2, 1918))
    assert "switched to the Gregorian calendar" in after
    assert after.count("14 Feb 1918") >= 2
    skipped = plain(converter_text(5, 2, 1918))
    assert "no 5 Feb 1918 in Russia" in skipped
    assert "14 Feb 1918" in skipped


@pytest.mark.parametrize(
    "args",
    [
        (30, 2, 1917),
        (29, 2, 1917),
        (31, 4, 1917),
        (0, 1, 1917),
        (1, 13, 1917),
        (1, 1, 1500),
        (None, 1, 1917),
        ("x", 1, 1917),
    ],
)
def test_converter_text_never_raises(args: tuple[object, object, object]) -> None:
    text = plain(converter_text(*args))
    assert text.startswith(("There was no", "Please choose")), text


def test_converter_widget_follows_its_inputs(capsys: pytest.CaptureFixture[str]) -> None:
    widget = calendar_converter()
    assert type(widget).__name__ == "CalendarConverter"
    assert "lk-calendar" in widget._dom_classes
    assert (widget.day.value, widget.month.value, widget.year.value) == (25, 10, 1917)
    assert all(box.description for box in (widget.day, widget.month, widget.year))
    assert widget.output in widget.children
    assert "7 Nov 1917" in plain(widget.output.value)

    widget.year.value = 1905
    widget.month.value = 1
    widget.day.value = 9
    text = plain(widget.output.value)
    assert "9 Jan 1905" in text and "22 Jan 1905" in text and "7 Nov" not in text

    widget.year.value = 1917
    widget.month.value = 2
    widget.day.value = 30  # 30 Feb: a friendly message, no exception
    text = plain(widget.output.value)
    assert "There was no 30 Feb 1917" in text

    widget.day.value = 23
    assert "8 Mar 1917" in plain(widget.output.value)
    assert widget.update() == widget.output.value
    assert capsys.readouterr() == ("", "")


def test_import_does_not_load_ipywidgets() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    code = "import sys, lessonkit.model.calendar; assert 'ipywidgets' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
