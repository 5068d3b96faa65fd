"""Date checks: claims from data, the day arithmetic, and a figure that carries every claim it was given."""

from __future__ import annotations

import datetime

import pytest

from lessonkit.model.data import dataset
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative
from lessonkit.render.datecheck import (
    DateClaim,
    claims_from_events,
    claims_from_quantity,
    date_check_figure,
    days_apart,
    month_band,
    spread_days,
)

ARTICLE = DateClaim("Print shops closed", "spark1977", "1917-10-23", None, "Closed (article)", "unverified")
ORDER = DateClaim("Print shops closed", "mrc_order_1917", "1917-10-24", "05:30", "Closed at dawn", "high")
SEPTEMBER = DateClaim("Kornilov", "spark1977", "1917-09", None, "In September", "unverified")
KORNILOV = DateClaim("Kornilov", "encspb_kornilov", "1917-08-27", None, "Declared a rebel", "high")


def test_claims_are_placed_at_their_real_moment() -> None:
    assert ORDER.start == datetime.datetime(1917, 11, 6, 5, 30)  # 24 Oct Old Style is 6 Nov New Style
    assert ARTICLE.start == datetime.datetime(1917, 11, 5, 12, 0)  # no time: noon of the day
    assert ORDER.label() == "24 Oct [6 Nov] 1917, 05:30"
    assert ORDER.label("new") == "6 Nov 1917 (24 Oct O.S.), 05:30"
    assert SEPTEMBER.start == datetime.datetime(1917, 9, 14)  # 1 Sep Old Style
    assert SEPTEMBER.end == datetime.datetime(1917, 10, 14)  # 30 days later


def test_day_arithmetic() -> None:
    assert days_apart(ARTICLE, ORDER) == pytest.approx(17.5 / 24)
    assert days_apart(ORDER, ARTICLE) == pytest.approx(-17.5 / 24)
    assert spread_days([ARTICLE, ORDER]) == pytest.approx(17.5 / 24)
    assert spread_days([KORNILOV, SEPTEMBER]) == pytest.approx(34.5)  # 27 Aug noon to the end of Sep (Old Style)
    with pytest.raises(ValueError):
        spread_days([])


def test_month_bands_in_both_calendars() -> None:
    old = month_band(1917, 9, "julian")
    new = month_band(1917, 9, "gregorian")
    assert (old.start, old.end) == (datetime.datetime(1917, 9, 14), datetime.datetime(1917, 10, 14))
    assert (new.start, new.end) == (datetime.datetime(1917, 9, 1), datetime.datetime(1917, 10, 1))
    assert "Old Style" in old.label and "New Style" in new.label
    assert new.start <= KORNILOV.start < new.end  # late August Old Style falls in September New Style
    assert not old.start <= KORNILOV.start < old.end
    with pytest.raises(ValueError):
        month_band(1917, 9, "mayan")


def test_figure_carries_every_claim() -> None:
    claims = [ARTICLE, ORDER, SEPTEMBER, KORNILOV]
    fig = date_check_figure(claims, "When?", "when", bands=[month_band(1917, 9, "julian")])
    markers = [t for t in fig.data if "markers" in (t.mode or "") and not t.name.startswith("Hollow")]
    assert sum(len(t.x) for t in markers) == len(claims)
    article = next(t for t in markers if t.name.startswith("The article"))
    assert article.marker.color == theme.ARTICLE and len(article.x) == 2
    assert list(article.marker.symbol) == ["diamond-open", "diamond-open"]  # unverified claims are hollow
    other = next(t for t in markers if t.name == "Other sources")
    assert datetime.datetime(1917, 11, 6, 5, 30) in list(other.x)
    spans = [t for t in fig.data if t.mode == "lines"]
    assert spans and spans[0].x[0] == SEPTEMBER.start  # the month claim is drawn across its month
    assert list(fig.layout.yaxis.ticktext) == ["Print shops closed", "Kornilov"]
    assert all("<br>[" in t for t in fig.layout.xaxis.ticktext)  # both calendars on every tick
    short = date_check_figure([ARTICLE, ORDER], "Two days", "two")
    assert "24 Oct<br>[6 Nov]" in short.layout.xaxis.ticktext  # daily ticks for a short span
    assert len(fig.layout.shapes) == 1  # the band
    assert fig.layout.title.text.startswith("When?<br>") and "Hollow" in fig.layout.title.text  # the key
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data)
    assert len(alt.rows) == len(claims)
    assert ("Print shops closed", "MRC order 24 Oct 1917") == alt.rows[1][:2]
    assert alt.rows[1][3] == "24 Oct [6 Nov] 1917" and alt.rows[1][5] == "05:30"
    assert "the article says 23 Oct [5 Nov] 1917" in alt.summary


def test_claims_from_data() -> None:
    ds = dataset()
    events = claims_from_events("Aurora", ["aurora_article_22oct", "aurora_blank_shot"], ds)
    blank = ds.event("aurora_blank_shot")
    assert len(events) == 1 + len(blank.sources)  # one marker per source of each event
    assert {c.source for c in events} == {"spark1977", *blank.sources}
    facts = claims_from_quantity("Trotsky", "trotsky_chair_date", ds)
    assert len(facts) == len(ds.quantity("trotsky_chair_date"))
    assert any(c.is_article and c.dual.precision == "month" for c in facts)
    fig = date_check_figure(events + facts, "Data", "data", ds=ds)
    shown = [t for t in fig.data if t.mode == "markers+text"]
    assert sum(len(t.x) for t in shown) == len(events) + len(facts)


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        date_check_figure([], "Nothing", "none")
    with pytest.raises(ValueError):
        _ = DateClaim("Year only", "spark1977", "1917", None, "Some time", "unverified").start
    with pytest.raises(KeyError):
        claims_from_events("No such", ["no_such_event"])
