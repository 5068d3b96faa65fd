"""The harness's widget-trouble texts name their place, and a trouble that only moved is not new.

No browser needed: these check the Python side of JS_COLLECT's report.
"""

from __future__ import annotations

from . import harness

NOT_FOUND = "Error displaying widget: model not found"


def test_the_collector_writes_the_place_the_comparison_strips() -> None:
    assert harness.WIDGET_TROUBLE_PLACE.strip() + " ${" in harness.JS_COLLECT


def test_a_trouble_that_moved_is_not_new_and_a_new_one_is() -> None:
    before = [f'{NOT_FOUND} [output 5 of 26, under "Match"]']
    moved = [f'{NOT_FOUND} [output 7 of 28, under "Match"]']
    assert harness.new_widget_trouble(before, moved) == []
    added = [*moved, 'Error displaying widget [output 9 of 28, under "Quiz"]']
    assert harness.new_widget_trouble(before, added) == ['Error displaying widget [output 9 of 28, under "Quiz"]']
    assert harness.new_widget_trouble([], before) == before
