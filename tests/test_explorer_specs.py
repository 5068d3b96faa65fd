"""A lesson's explorers come from its lesson file's ``[[explorers]]`` entries: ids, events, windows, titles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lessonkit.explorers.evidence import ClaimBuilder
from lessonkit.explorers.insurrection import InsurrectionMap
from lessonkit.lesson import Lesson
from lessonkit.model.content import all_lessons
from lessonkit.model.data import dataset
from lessonkit.model.explorer_specs import ExplorerSpec, parse_explorers
from lessonkit.model.schema import DataError
from lessonkit.widgets.timeline_explorer import TimelineExplorer

SRC = Path(__file__).resolve().parents[1] / "src" / "lessonkit"
HERE = Path("data/lessons/99_test.toml")


def test_every_explorer_of_every_lesson_builds_from_its_entry() -> None:
    built = 0
    for content in all_lessons():
        lesson = Lesson(content.id)
        for spec in content.explorers:
            widget = lesson.explorer(spec.id)
            if spec.kind == "debate":
                assert isinstance(widget, ClaimBuilder)
                assert (widget.lesson, widget.debate_id, widget.motion) == (content.id, spec.id, spec.title)
            else:
                assert isinstance(widget, TimelineExplorer if spec.kind == "timeline" else InsurrectionMap), spec.id
                assert widget.figure_id == spec.id
                assert "{years}" not in widget.title
            built += 1
    assert built >= 9  # lessons 00, 04, 05, 06, 08, 09 (two), 10 (a timeline and the debate)


def test_the_insurrection_window_comes_from_lesson_08s_file() -> None:
    lesson = Lesson("08")
    spec = lesson.content.explorer("insurrection_map")
    assert spec.start and spec.end
    m = lesson.explorer("insurrection_map")
    assert m.window == (spec.start, spec.end) == (m.steps[0].date, m.steps[-1].date)
    inside = [e.id for e in spec.chosen_events(lesson.ds, "08")]
    assert {e.id for e in m.events} <= set(inside)


def test_a_window_keeps_only_events_inside_it() -> None:
    ds = dataset()
    everything = ExplorerSpec("t", "timeline", "T").chosen_events(ds, "09")
    first = ExplorerSpec("t", "timeline", "T", end="1918-01-31").chosen_events(ds, "09")
    assert first and len(first) < len(everything)
    assert all(e.date < "1918-02" for e in first)  # as Russia dated it: Julian to 31 Jan 1918


def test_events_named_are_added_once_and_years_fill_the_title() -> None:
    ds = dataset()
    own = ds.events_for_lesson("05")
    spec = ExplorerSpec("t", "timeline", "From {years}", events=(own[0].id, "june_offensive"))
    chosen = spec.chosen_events(ds, "05")
    assert [e.id for e in chosen] == [e.id for e in own] + (["june_offensive"] if "june_offensive" not in
                                                             {e.id for e in own} else [])
    assert spec.title_for(chosen).startswith("From 1917")
    spread = ExplorerSpec("t", "timeline", "{years}").title_for(ds.events_for_lesson("00"))
    assert "-" in spread and spread.split("-")[0] < spread.split("-")[1]


@pytest.mark.parametrize(
    ("entry", "key", "words"),
    [
        ({"id": "t", "kind": "map", "title": "T"}, "kind", "must be one of timeline, insurrection, debate"),
        ({"id": "T T", "kind": "timeline", "title": "T"}, "id", "must be an id"),
        ({"id": "t", "kind": "timeline", "title": " "}, "title", "missing or empty"),
        ({"id": "t", "kind": "timeline", "title": "T", "from": "1918-02-05"}, "from", "calendar"),
        ({"id": "t", "kind": "timeline", "title": "T", "from": "1917-11-01", "until": "1917-10-01"}, "from", "after"),
        ({"id": "t", "kind": "timeline", "title": "T", "events": "a,b"}, "events", "list of event ids"),
        ({"id": "t", "kind": "timeline", "title": "T", "lanes": 0}, "lanes", "1 to 12"),
        ({"id": "t", "kind": "timeline", "title": "T", "lesson_events": "yes"}, "lesson_events", "true or false"),
    ],
)
def test_a_bad_entry_names_file_entry_and_key(entry: dict, key: str, words: str) -> None:
    with pytest.raises(DataError) as caught:
        parse_explorers(HERE, [entry])
    message = str(caught.value)
    assert "99_test.toml" in message and "explorers[1]" in message and key in message and words in message


def test_duplicate_ids_and_a_table_instead_of_a_list_are_errors() -> None:
    entry = {"id": "t", "kind": "timeline", "title": "T"}
    with pytest.raises(DataError, match="duplicate id 't'"):
        parse_explorers(HERE, [entry, entry])
    with pytest.raises(DataError, match=r"list of tables"):
        parse_explorers(HERE, entry)


def test_an_unknown_explorer_id_names_the_ones_there_are() -> None:
    with pytest.raises(KeyError, match="timeline_04"):
        Lesson("04").explorer("timeline_4")


def test_no_library_module_picks_a_lessons_events_by_a_typed_lesson_number() -> None:
    found = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("events_for_lesson", "facts_for_lesson")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
