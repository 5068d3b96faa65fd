"""The February days: calendar arithmetic, the counts figure, and the day-by-day widget."""

from __future__ import annotations

import dataclasses

import pytest

from lessonkit.explorers.february import (
    FebruaryDays,
    counted_facts,
    crowd_figure,
    day_label,
)
from lessonkit.model.calendar import day_sequence, days_between
from lessonkit.model.data import dataset
from lessonkit.render.alt import TextAlternative

EVENTS = ["womens_day_strike", "strike_doubles", "garrison_mutiny", "petrograd_soviet_1917", "tsar_abdicates"]
QUANTITIES = ["strikers_feb23", "strikers_feb24", "strikers_feb25", "soldiers_joined"]


def test_days_between_counts_across_the_month_end() -> None:
    assert days_between("1917-02-23", "1917-03-02") == 7  # Feb 1917 had 28 days
    assert days_between("1917-02-23", "1917-02-27") == 4
    assert days_between("1916-02-28", "1916-03-01") == 2  # 1916 was a leap year
    with pytest.raises(ValueError):
        days_between("1917-02", "1917-03-02")


def test_day_sequence_is_in_russias_calendar() -> None:
    days = day_sequence("1917-02-23", "1917-03-02")
    assert days[0] == "1917-02-23" and days[5] == "1917-02-28" and days[6] == "1917-03-01" and len(days) == 8
    assert day_sequence("1918-01-30", "1918-02-14") == ["1918-01-30", "1918-01-31", "1918-02-14"]
    with pytest.raises(ValueError):
        day_sequence("1917-03-02", "1917-02-23")


def test_day_label_has_both_calendars() -> None:
    assert day_label("1917-02-23") == "23 Feb<br>[8 Mar]"


def test_figure_carries_every_count_it_was_given() -> None:
    ds = dataset()
    days = day_sequence("1917-02-23", "1917-03-02")
    facts = counted_facts(QUANTITIES, ds)
    fig = crowd_figure(days, facts, "February", selected="1917-02-24", ds=ds)
    numeric = sorted(f.central for f in facts if f.unit != "statement")
    assert sorted(y for t in fig.data for y in t.y) == numeric
    assert {t.name for t in fig.data} >= {"Trotsky (1930–32) vol. 1", "Lenehan 2021", "The Nation 2017", "Pipes 1990"}
    assert fig.layout.shapes[0].x0 == 0.5  # the second day is highlighted
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data)
    assert len(alt.rows) == len(facts)  # statements are in the table too
    assert any(row[3] == "—" for row in alt.rows)


def test_figure_needs_a_count_in_range() -> None:
    ds = dataset()
    with pytest.raises(ValueError, match="at least one"):
        crowd_figure(["1917-04-01"], counted_facts(QUANTITIES, ds), "x", ds=ds)


def test_widget_follows_slider_and_buttons() -> None:
    w = FebruaryDays("1917-02-23", "1917-03-02", EVENTS, QUANTITIES)
    assert "Day 1: 23 Feb [8 Mar] 1917" in w.caption.value and "Women&#x27;s Day strike" in w.caption.value
    assert w.previous.disabled and not w.following.disabled
    w.following.click()
    assert w.slider.value == "1917-02-24" and "The strike doubles" in w.caption.value
    assert w.figure.layout.shapes[0].x0 == 0.5
    w.slider.value = "1917-02-27"
    assert "The garrison mutinies" in w.caption.value and "Petrograd Soviet founded" in w.caption.value
    assert "25,000" in w.caption.value
    w.slider.value = "1917-03-02"
    assert w.following.disabled and "abdicates" in w.caption.value and w.day_number() == 8
    w.following.click()
    assert w.slider.value == "1917-03-02"
    w.previous.click()
    assert w.slider.value == "1917-03-01" and "lk-slider" in w.slider._dom_classes


def test_a_day_without_events_says_so() -> None:
    w = FebruaryDays("1917-02-23", "1917-03-02", EVENTS, QUANTITIES)
    w.slider.value = "1917-02-28"
    assert "No event of this day" in w.caption.value


def test_counts_of_one_day_do_not_hide_each_other() -> None:
    ds = dataset()
    days = day_sequence("1917-02-23", "1917-03-02")
    facts = counted_facts(QUANTITIES, ds)
    first = [f for f in facts if f.date == "1917-02-23" and f.unit != "statement"]
    assert first
    # a second source giving exactly the same count on the same day must sit beside the first, not on it
    other = next(sid for sid in ds.sources if sid not in {f.source for f in first})
    twin = dataclasses.replace(first[0], id=first[0].id + "_twin", source=other)
    fig = crowd_figure(days, [*facts, twin], "February", ds=ds)
    first_day = [(x, y) for t in fig.data for x, y in zip(t.x, t.y, strict=True) if abs(x) < 0.5]
    assert len(first_day) == len(set(first_day)) == len(first) + 1
