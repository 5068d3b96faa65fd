"""Teacher guide and handouts, generated from the lesson data; teacher-only text never reaches students.

Every test runs over every lesson file in data/lessons, so new lessons are covered without code changes.
"""

from __future__ import annotations

import dataclasses
import html
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go
import pytest

from lessonkit.lesson import Bundle, Lesson
from lessonkit.model.content import LessonContent, TimeBlock, all_lessons
from lessonkit.model.data import dataset
from lessonkit.model.quality import lesson_source_ids
from lessonkit.teacher.guide import teacher_guide_html, time_plan_check
from lessonkit.teacher.handouts import NO_IMAGES_NOTE, handout_html, write_handouts

ROOT = Path(__file__).resolve().parents[1]
LESSONS = all_lessons()
IDS = [lesson.id for lesson in LESSONS]


@pytest.fixture(autouse=True)
def _private_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(tmp_path / "answers"))


@pytest.fixture(scope="module")
def guide() -> str:
    return teacher_guide_html(LESSONS)


def e(text: str) -> str:
    return html.escape(text)


def teacher_only(lesson: LessonContent) -> list[str]:
    """Text that only the teacher may see."""
    texts = [p for prompt in lesson.prompts for p in prompt.model_points]
    texts += list(lesson.teacher.misconceptions) + list(lesson.teacher.facilitation)
    texts += [b.activity for b in lesson.teacher.time_plan]
    return texts


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def self_contained(page: str) -> None:
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed"), tag
        assert not {k for k in attrs if k.startswith("on") or k in ("src", "srcset")}, (tag, attrs)
        if "href" in attrs:
            assert not re.match(r"^[a-z]+:", attrs["href"] or ""), attrs["href"]  # in-page or relative only
    assert "@import" not in page and "url(" not in page
    assert "@media print" in page and "@page" in page and "break-inside: avoid" in page


# ---------------------------------------------------------------- the teacher guide


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_guide_has_everything_a_teacher_needs(guide: str, lesson: LessonContent) -> None:
    ds = dataset()
    start = guide.index(f'<section class="lesson" id="lesson-{lesson.id}">')
    part = guide[start:guide.index("</section>", start)]
    assert e(lesson.title) in part and e(lesson.compelling_question) in part
    for objective in lesson.objectives:
        assert e(objective) in part
    for q in lesson.quiz:
        assert e(q.question) in part
        for option in q.options:
            assert e(option.text) in part and e(option.feedback) in part
        marked = re.findall(r'<li class="correct"><span class="tag right">Correct answer</span>(.*?)<span', part)
        assert e(q.answer.text) in marked
    assert len(re.findall(r'<li class="correct">', part)) == len(lesson.quiz)
    for prompt in lesson.prompts:
        assert e(prompt.text) in part
        for point in prompt.model_points:
            assert e(point) in part
    for text in lesson.teacher.misconceptions + lesson.teacher.facilitation:
        assert e(text) in part
    for block in lesson.teacher.time_plan:
        assert e(block.activity) in part
    total, ok = time_plan_check(lesson)
    assert f"<strong>{total}</strong>" in part
    assert ("adds up to the lesson" in part) == ok
    for check in lesson.claim_checks:
        assert e(check.claim) in part
        for fact in ds.quantity(check.quantity):
            assert e(fact.label) in part and e(fact.display()) in part
    for sid in Lesson(lesson.id).source_ids():
        assert e(ds.source(sid).citation()) in part


def test_guide_is_printable_and_self_contained(guide: str) -> None:
    self_contained(guide)
    assert "break-before: page" in guide and "FOR TEACHERS" in guide
    assert re.search(r"Generated \d{1,2} \w+ \d{4}", guide)


def test_guide_flags_a_time_plan_that_does_not_add_up() -> None:
    lesson = LESSONS[0]
    short = dataclasses.replace(
        lesson, teacher=dataclasses.replace(lesson.teacher, time_plan=(TimeBlock(5, "Only a hook."),))
    )
    page = teacher_guide_html([short])
    assert "does not match the lesson" in page and "plan adds up to 5" in page


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_guide_sources_are_the_lessons_sources(lesson: LessonContent) -> None:
    assert lesson_source_ids(lesson, dataset()) == Lesson(lesson.id).source_ids()


# ---------------------------------------------------------------- handouts


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_handout_is_a_worksheet_without_answers(lesson: LessonContent) -> None:
    ds = dataset()
    page = handout_html(lesson, ds)
    self_contained(page)
    assert f"Lesson {lesson.id} · {e(lesson.title)}" in page and e(lesson.compelling_question) in page
    for term in lesson.glossary:
        assert e(term.term) in page and e(term.definition) in page
    for q in lesson.quiz:
        assert e(q.question) in page
        for option in q.options:
            assert e(option.text) in page
            assert e(option.feedback) not in page  # no answers on the worksheet
    assert "Correct answer" not in page and 'class="correct"' not in page
    for prompt in lesson.prompts:
        assert e(prompt.text) in page
    assert page.count('<div class="lines"') >= len(lesson.prompts) + len(lesson.claim_checks)
    for check in lesson.claim_checks:
        assert e(check.claim) in page and e(check.question) in page
        assert f'data-lk-figure="claim_{check.id}"' in page
        for fact in ds.quantity(check.quantity):
            assert e(ds.source(fact.source).short) in page and e(fact.display()) in page
    if ds.events_for_lesson(lesson.id):
        assert f'data-lk-figure="timeline_{lesson.id}"' in page
    assert e(NO_IMAGES_NOTE) in page and "kaleido" in page
    for text in teacher_only(lesson):
        assert e(text) not in page, text


def test_write_handouts_writes_one_file_per_lesson_and_an_index(tmp_path: Path) -> None:
    written = write_handouts(tmp_path / "out", LESSONS)
    assert sorted(p.name for p in written) == sorted([f"{x.name}.html" for x in LESSONS] + ["index.html"])
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    self_contained(index)
    for lesson in LESSONS:
        assert f'href="{lesson.name}.html"' in index


# ---------------------------------------------------------------- teacher-only text stays out of student views


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)


def _widget_text(widget: widgets.Widget) -> Iterator[str]:
    """Every text a widget tree sends to the browser."""
    for name in widget.keys:
        value = getattr(widget, name)
        if isinstance(value, widgets.Widget):
            yield from _widget_text(value)
        elif isinstance(value, (list, tuple)) and any(isinstance(v, widgets.Widget) for v in value):
            for v in value:
                if isinstance(v, widgets.Widget):
                    yield from _widget_text(v)
        elif isinstance(value, go.Figure):
            yield value.to_json()
        else:
            yield from _strings(value)
    if isinstance(widget, go.FigureWidget):
        yield widget.to_json()


def student_views(lesson_id: str) -> str:
    """All that a student can see of a lesson: every Lesson output plus the notebook itself."""
    from lessonkit.render.alt import Shown

    lesson = Lesson(lesson_id)
    parts: list[Any] = [lesson.header(), lesson.quiz(), lesson.prompts(), lesson.sources(), lesson.where_answers_are()]
    if lesson.content.source_card:
        parts.append(lesson.source_card())
    for check in lesson.content.claim_checks:
        parts.append(lesson.claim_check(check.id))
    if lesson.ds.events_for_lesson(lesson_id):
        parts.append(lesson.timeline("Timeline"))
    texts: list[str] = []
    for part in parts:
        items = part.parts if isinstance(part, Bundle) else [part]
        for item in items:
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, go.Figure) and not isinstance(item, go.FigureWidget):
                texts += [item.to_json(), Shown(item).alt.to_html()]
            else:
                texts += list(_widget_text(item))
    notebook = ROOT / "lessons" / f"{lesson.content.name}.ipynb"
    if notebook.exists():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        texts += ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    return "\n".join(texts)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_teacher_only_text_never_reaches_a_student(lesson: LessonContent) -> None:
    seen = student_views(lesson.id)
    assert lesson.prompts[0].text[:40] in html.unescape(seen) or lesson.prompts[0].text[:40] in seen  # sanity
    for text in teacher_only(lesson):
        assert text not in seen and e(text) not in seen, f"teacher-only text shown to students: {text!r}"


def test_the_check_would_catch_a_leak() -> None:
    lesson = LESSONS[0]
    point = lesson.prompts[0].model_points[0]
    leaky = widgets.VBox([widgets.HTML(f"<p>{e(point)}</p>")])
    assert e(point) in "\n".join(_widget_text(leaky))


def lessons_with_matching() -> list[tuple[LessonContent, list]]:
    """(lesson, its matching items) for every lesson with a ``[[matching]]`` activity; there is at least one."""
    from lessonkit.model.content import load_items

    found = [(lesson, items) for lesson in LESSONS if (items := load_items(lesson.id))]
    assert found, "no lesson has a [[matching]] activity (lesson 09 had one)"
    return found


def test_guide_has_the_matching_answer_key_where_a_lesson_has_one(guide: str) -> None:
    for _lesson, items in lessons_with_matching():
        for item in items:
            assert e(item.measure) in guide and e(item.grievance) in guide and e(item.feedback) in guide


def test_handout_has_the_matching_activity_without_answers() -> None:
    for lesson, items in lessons_with_matching():
        page = handout_html(lesson)
        for item in items:
            assert e(item.measure) in page and e(item.grievance) in page and e(item.feedback) not in page
