"""Lesson content files: the real ones validate; broken ones name file, entry and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.checks.structure import check_content
from lessonkit.model.content import all_lessons, lesson_content, load_lesson_file
from lessonkit.model.schema import DataError

GOOD = """
[lesson]
id = "07"
slug = "demo"
title = "Demo"
article_section = "The Red Guard"
minutes = 10
compelling_question = "Why?"
objectives = ["Know"]

[[glossary]]
term = "A"
definition = "B"

[[quiz]]
id = "q1"
question = "Which?"
  [[quiz.options]]
  text = "This"
  correct = true
  feedback = "Yes"
  [[quiz.options]]
  text = "That"
  correct = false
  feedback = "No"

[[prompts]]
id = "p1"
text = "Discuss."
model_points = ["teacher only"]

[teacher]
time_plan = [{ minutes = 10, activity = "All of it" }]
"""


def write(tmp_path: Path, text: str, name: str = "07_demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_real_lessons_load() -> None:
    lessons = all_lessons()
    assert any(lesson.id == "07" for lesson in lessons)
    red_guard = lesson_content("07")
    assert red_guard.title == "The Red Guard"
    assert all(len([o for o in q.options if o.correct]) == 1 for q in red_guard.quiz)
    assert all(o.feedback for q in red_guard.quiz for o in q.options)
    assert check_content(red_guard) == []


def test_good_file_parses(tmp_path: Path) -> None:
    content = load_lesson_file(write(tmp_path, GOOD))
    assert content.name == "07_demo"
    assert content.quiz[0].answer.text == "This"
    assert content.prompts[0].model_points == ("teacher only",)


BAD = [
    ("no lesson table", GOOD.replace("[lesson]", "[lessons]"), "[lesson]", None, "missing"),
    ("two correct options", GOOD.replace("correct = false", "correct = true"), "quiz[1]", "options", "exactly one"),
    ("no feedback", GOOD.replace('feedback = "No"', ""), "quiz[1].options[2]", "feedback", "missing or empty"),
    (
        "minutes not a number",
        GOOD.replace("minutes = 10\ncompelling", 'minutes = "ten"\ncompelling'),
        "[lesson]",
        "minutes",
        "positive whole number",
    ),
    ("bad prompt id", GOOD.replace('id = "p1"', 'id = "P 1"'), "prompts[1]", "id", "not a valid id"),
    (
        "objectives not a list",
        GOOD.replace('objectives = ["Know"]', 'objectives = "Know"'),
        "[lesson]",
        "objectives",
        "list of non-empty texts",
    ),
    ("slug does not match file", GOOD.replace('slug = "demo"', 'slug = "other"'), "[lesson]", "slug", "does not match"),
    (
        "duplicate quiz id",
        GOOD + GOOD[GOOD.index("[[quiz]]") : GOOD.index("[[prompts]]")],
        "quiz[2]",
        "id",
        "duplicate",
    ),
]


@pytest.mark.parametrize(("what", "text", "entry", "field", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_lesson_file(tmp_path: Path, what: str, text: str, entry: str, field: str | None, reason: str) -> None:
    with pytest.raises(DataError) as info:
        load_lesson_file(write(tmp_path, text))
    message = str(info.value)
    assert "07_demo.toml" in message and entry in message, message
    if field:
        assert f"field '{field}'" in message, message
    assert reason in message, message


def test_not_toml(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="07_demo.toml: not valid TOML"):
        load_lesson_file(write(tmp_path, "[lesson\nid=7"))


def test_template_counts_are_checked(tmp_path: Path) -> None:
    problems = check_content(load_lesson_file(write(tmp_path, GOOD)))
    text = "\n".join(problems)
    assert "1 quiz questions (at least 4)" in text
    assert "1 discussion prompts (at least 3)" in text
    assert "1 key terms (4-8)" in text
    assert "no [source_card]" in text


def test_unknown_tables_and_keys_in_a_lesson_file_are_refused(tmp_path) -> None:
    import shutil

    from lessonkit.model.content import parse_lesson, read_lesson_toml
    from lessonkit.model.data import data_dir

    source = next((data_dir() / "lessons").glob("07_*.toml"))
    for edit, where, key in [
        (lambda t: t + '\n[[left_ot]]\nid = "x"\n', "(top level)", "left_ot"),
        (lambda t: t.replace('[[quiz]]\n', '[[quiz]]\nhint = "typo"\n', 1), "quiz[1]", "hint"),
        (lambda t: t.replace("correct = true", "correct = true\ncorect = false", 1), "quiz[", "corect"),
    ]:
        path = tmp_path / source.name
        shutil.copy(source, path)
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
        with pytest.raises(DataError) as info:
            parse_lesson(path, read_lesson_toml(path))
        message = str(info.value)
        assert path.name in message and where in message and key in message and "unknown" in message


def test_architecture_doc_shows_the_lesson_file_schema() -> None:
    from lessonkit.model.lessonfile import schema_markdown

    doc = (Path(__file__).resolve().parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    start, end = "<!-- lesson-file schema: generated, do not edit -->\n", "\n<!-- end of lesson-file schema -->"
    assert doc[doc.index(start) + len(start) : doc.index(end)] == schema_markdown()
