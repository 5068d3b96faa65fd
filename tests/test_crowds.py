"""Crowds as shares of a city: the arithmetic and a figure that carries the estimates it was given."""

from __future__ import annotations

from fractions import Fraction

import pytest

from lessonkit.explorers.crowds import share_figure
from lessonkit.model.data import Fact, dataset
from lessonkit.model.shares import fact_share, percent_text
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative


def fact(fact_id: str, value: int | None, source: str, low: int | None = None, high: int | None = None) -> Fact:
    def frac(v: int | None) -> Fraction | None:
        return None if v is None else Fraction(v)

    return Fact(fact_id, "test", f"Label {fact_id}", frac(value), frac(low), frac(high), "people", "1917", None,
                source, "medium", ("06",), "", dataset().source(source))


CITY = fact("city", 2_000_000, "mandel")
ARTICLE = fact("claim", 1_000_000, "spark1977")
RANGE = fact("range", None, "figes1996", low=20_000, high=60_000)
WORKERS = fact("workers", 400_000, "mandel")


def test_shares() -> None:
    assert fact_share(ARTICLE, CITY) == (50.0, 50.0, 50.0)
    assert fact_share(RANGE, CITY) == pytest.approx((1.0, 2.0, 3.0))
    assert percent_text(41.44) == "41.4%" and percent_text(100) == "100%" and percent_text(0.8) == "0.8%"


def test_figure_carries_the_estimates() -> None:
    fig = share_figure([ARTICLE, RANGE], CITY, "Shares", "shares", references=[WORKERS], whole_name="the city")
    article = next(t for t in fig.data if t.name.startswith("The article"))
    other = next(t for t in fig.data if t.name == "Other sources")
    assert article.marker.color == theme.ARTICLE and list(article.x) == [50.0]
    assert list(other.x) == [2.0]
    assert list(other.error_x.array) == [1.0] and list(other.error_x.arrayminus) == [1.0]
    assert "the city" in fig.layout.xaxis.title.text
    assert fig.layout.shapes[0].x0 == 20.0  # the reference line: 400,000 of 2,000,000
    labels = {a.text: a.x for a in fig.layout.annotations}
    assert labels["50% (1,000,000)"] == 50.0 and labels["2% (20,000–60,000)"] == 3.0  # right of the range
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data) == 2
    assert [r[3] for r in alt.rows] == ["50%", "2%", "20%"]
    assert "1,000,000 is 50%" in alt.summary


def test_real_data() -> None:
    ds = dataset()
    city = ds.fact("petrograd_pop_mandel")
    fig = share_figure(ds.quantity("july_days_crowd"), city, "July", "july", ds=ds)
    assert sum(len(t.x) for t in fig.data) == len(ds.quantity("july_days_crowd"))


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        share_figure([], CITY, "None", "none")
    with pytest.raises(ValueError):
        share_figure([ARTICLE], fact("zero", 0, "mandel"), "Zero", "zero")
