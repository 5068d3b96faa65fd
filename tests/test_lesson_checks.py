"""Checks that used to sit in lesson cells and worked widgets' internals (issue 13): now here, where they belong."""

from __future__ import annotations

from lessonkit.explorers.dualpower import DualPowerExplorer
from lessonkit.explorers.february import FebruaryDays
from lessonkit.explorers.workforce import ShareExplorer
from lessonkit.model.calendar import DualDate
from lessonkit.model.data import dataset
from lessonkit.widgets.converter import calendar_converter


def test_converter_shows_the_womens_day_strike_in_both_calendars() -> None:
    converter = calendar_converter()
    converter.year.value, converter.month.value, converter.day.value = DualDate.parse(
        dataset().event("womens_day_strike").date).julian
    assert "8 Mar 1917" in converter.output.value


def test_share_explorer_offers_only_numbers_and_follows_the_population() -> None:
    explorer = ShareExplorer("workers_russia", "russia_population", workers="industrial_workers_1917",
                             population="pop_spark_1917")
    assert "workers_spark" not in dict(explorer.workers.options).values()  # "several million" is not a number
    before = explorer.result.value
    explorer.population.value = next(v for _, v in explorer.population.options if v != "pop_spark_1917")
    assert explorer.result.value != before and "%" in explorer.result.value


def test_february_days_caption_follows_the_slider_to_the_abdication() -> None:
    ds = dataset()
    events = ["womens_day_strike", "garrison_mutiny", "tsar_abdicates"]
    dates = sorted(ds.event(e).date for e in events)
    days = FebruaryDays(dates[0], dates[-1], events, ["strikers_feb24"])
    days.slider.value = ds.event("tsar_abdicates").date
    assert "abdicat" in days.caption.value.lower() and days.day_number() == len(days.days)


def test_dual_power_explorer_draws_the_chosen_issue() -> None:
    explorer = DualPowerExplorer()
    explorer.choice.value = "army"
    assert explorer.figure.layout.meta["lessonkit"]["id"] == "dual_power_army"
