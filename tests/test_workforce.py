"""The workers' share explorer: the arithmetic, the 100-square figure and the widget's reaction to choices."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest

from lessonkit.explorers.workforce import ShareExplorer, share_figure, squares_for
from lessonkit.model.data import Dataset, Fact, dataset
from lessonkit.model.shares import share_percent
from lessonkit.render.alt import TextAlternative


def population(fact_id: str, value: int, source: str) -> Fact:
    return Fact(
        fact_id,
        "test_population",
        "Population (test)",
        Fraction(value),
        None,
        None,
        "people",
        "1914",
        None,
        source,
        "high",
        ("02",),
        "",
        dataset().source(source),
    )


@pytest.fixture
def ds() -> Dataset:
    """The real data plus two population figures of a test quantity (the lesson's own come from lesson 00)."""
    real = dataset()
    extra = {
        f.id: f for f in (population("pop_a", 150_000_000, "spark1977"), population("pop_b", 182_000_000, "smith1983"))
    }
    return dataclasses.replace(real, facts={**real.facts, **extra})


def test_share_percent() -> None:
    assert share_percent(3_500_000, 150_000_000) == pytest.approx(2.3333, abs=1e-3)
    assert share_percent(0, 10) == 0
    with pytest.raises(ValueError):
        share_percent(1, 0)
    with pytest.raises(ValueError):
        share_percent(-1, 10)


def test_squares_round_but_never_hide_a_share() -> None:
    assert squares_for(2.33) == 2
    assert squares_for(2.5) == 3
    assert squares_for(0.4) == 1
    assert squares_for(0) == 0
    assert squares_for(250) == 100


def test_figure_carries_the_numbers_it_was_given(ds: Dataset) -> None:
    workers = ds.fact("industrial_workers_1917")
    fig = share_figure(workers, ds.fact("pop_a"), ds=ds)
    assert len(fig.data) == 2
    assert len(fig.data[0].x) == 2 and len(fig.data[1].x) == 98  # 2.3% -> 2 of 100 squares
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data)
    assert "3,500,000" in alt.rows[0][1] and "150,000,000" in alt.rows[1][1]
    assert alt.rows[2][1].startswith("2.3%")
    assert "2.3%" in fig.layout.title.text


def test_a_range_is_divided_at_its_middle(ds: Dataset) -> None:
    fig = share_figure(ds.fact("factory_workers_1914"), ds.fact("pop_a"), ds=ds)  # 2-3 million -> 2.5 million
    assert "1.7%" in fig.layout.title.text


def test_statements_cannot_be_divided(ds: Dataset) -> None:
    with pytest.raises(ValueError, match="statement"):
        share_figure(ds.fact("workers_spark"), ds.fact("pop_a"), ds=ds)


def test_widget_follows_the_dropdowns(ds: Dataset) -> None:
    w = ShareExplorer("workers_russia", "test_population", workers="industrial_workers_1917", population="pop_a", ds=ds)
    assert "2.3%" in w.result.value and len(w.figure.data[0].x) == 2
    w.population.value = "pop_b"
    assert "1.9%" in w.result.value and len(w.figure.data[0].x) == 2
    w.workers.value = "wage_earners_1914"
    assert "4.9%" in w.result.value and len(w.figure.data[0].x) == 5
    assert "4.9%" in w.figure.layout.title.text
    assert 'data-lk-figure="workers_share"' in w.alt.value and "9,000,000" in w.alt.value
    assert "lk-figure-widget" in w.view._dom_classes


def test_statements_are_listed_not_offered(ds: Dataset) -> None:
    w = ShareExplorer("workers_russia", "test_population", ds=ds)
    assert "workers_spark" not in [value for _label, value in w.workers.options]
    assert "several million" in w.statement_note.value
