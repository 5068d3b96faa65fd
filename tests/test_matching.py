"""The matching activity (lesson 09): pairs come from the lesson's TOML, clicks mark and save them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.checks import prose
from lessonkit.explorers.matching import PLACEHOLDER, MatchingActivity
from lessonkit.model.content import MatchItem, grievance_options, lesson_content, load_items, parse_items
from lessonkit.model.data import dataset
from lessonkit.model.schema import DataError


def test_lesson_09_pairs_load_and_point_at_real_events() -> None:
    items = load_items("09")
    assert len(items) >= 6
    ds = dataset()
    assert all(item.event in ds.events for item in items if item.event)
    assert len({item.grievance for item in items}) == len(items), "every measure needs its own grievance"
    assert grievance_options(items) == sorted(item.grievance for item in items)


def test_matching_text_states_only_sourced_numbers_in_own_words() -> None:
    content = lesson_content("09")
    allowed = prose.allowed_numbers(content, dataset())
    article = prose.find_article()
    ngrams = prose.article_ngrams(article.read_text(encoding="utf-8")) if article else set()
    for item in load_items("09"):
        for text in (item.measure, item.grievance, item.feedback):
            assert prose.unsourced_numbers(text, allowed) == [], (item.id, text)
            assert prose.copied_passages(text, ngrams) == [], (item.id, text)


def test_check_marks_each_item_and_saves_it(answers: Path) -> None:
    activity = MatchingActivity("09")
    first, second = activity.items[0], activity.items[1]
    activity.dropdowns[first.id].value = first.grievance
    activity.dropdowns[second.id].value = activity.items[2].grievance
    activity.button.click()
    assert "Right." in activity.feedback[first.id].value
    assert first.feedback[:40] in activity.feedback[first.id].value.replace("&#x27;", "'")
    assert "Not this one." in activity.feedback[second.id].value
    assert "Choose a grievance" in activity.feedback[activity.items[3].id].value
    assert "1 of" in activity.summary.value and "still to choose" in activity.summary.value
    saved = json.loads((answers / "09" / f"matching-{first.id}.json").read_text(encoding="utf-8"))
    assert saved["correct"] is True and saved["choice"] == first.grievance and saved["attempts"] == 1
    wrong = json.loads((answers / "09" / f"matching-{second.id}.json").read_text(encoding="utf-8"))
    assert wrong["correct"] is False
    assert not (answers / "09" / f"matching-{activity.items[3].id}.json").exists()
    assert activity.score() == (1, len(activity.items))


def test_check_returns_results_and_reveal_scores_full(answers: Path) -> None:
    activity = MatchingActivity("09")
    assert set(activity.check().values()) == {None}
    activity.reveal()
    results = activity.check()
    assert all(results.values())
    assert activity.score() == (len(activity.items), len(activity.items))
    assert f"{len(activity.items)} of {len(activity.items)}" in activity.summary.value


def test_reopened_activity_brings_back_saved_choices(answers: Path) -> None:
    activity = MatchingActivity("09")
    item = activity.items[-1]
    activity.dropdowns[item.id].value = item.grievance
    activity.check()
    again = MatchingActivity("09")
    assert again.dropdowns[item.id].value == item.grievance
    assert "saved match is back" in again.summary.value
    assert again.dropdowns[activity.items[0].id].value == ""
    assert again.choices()[activity.items[0].id] is None


def test_measure_labels_show_both_calendars() -> None:
    items = [MatchItem("land", "Decree on Land", "Land hunger", "02", "Because.", event="land_decree")]
    activity = MatchingActivity("09", items=items)
    label = activity.children[0].children[0].value
    assert "26 Oct [8 Nov] 1917" in label
    assert activity.dropdowns["land"].options[0][0] == PLACEHOLDER


GOOD = {"id": "a", "measure": "M", "grievance": "G", "lesson": "02", "feedback": "F"}


@pytest.mark.parametrize(
    ("entries", "field", "reason"),
    [
        ([{**GOOD, "grievance": ""}], "grievance", "missing or empty"),
        ([{**GOOD, "lesson": "2"}], "lesson", "two-digit"),
        ([GOOD, GOOD], "id", "duplicate"),
        ([{**GOOD, "event": "Not An Id"}], "event", "event id"),
    ],
)
def test_malformed_entries_name_entry_and_field(entries: list, field: str, reason: str) -> None:
    with pytest.raises(DataError) as info:
        parse_items(Path("09_demo.toml"), {"matching": entries})
    message = str(info.value)
    assert "09_demo.toml" in message and "matching[" in message and f"field '{field}'" in message
    assert reason in message


def test_a_lesson_without_pairs_is_refused() -> None:
    with pytest.raises(ValueError, match="no \\[\\[matching\\]\\]"):
        MatchingActivity("09", items=[])
