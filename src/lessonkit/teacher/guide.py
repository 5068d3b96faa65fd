"""The teacher guide, generated from the lesson data (never shown in the student notebooks).

Per lesson: objectives, the time plan (its minutes added up and checked against
the lesson's time), the compelling question, answer keys with the feedback for
every option, model points for every discussion prompt, misconceptions, claim
checks with their figures' data, the sources used and facilitation notes.
"""

from __future__ import annotations

from collections.abc import Sequence

from lessonkit.model.content import LessonContent, parse_items, read_lesson_toml
from lessonkit.model.data import Dataset, dataset
from lessonkit.render import weighing
from lessonkit.teacher.printable import (
    alternative_html,
    bullet_list,
    claim_check_alternative,
    esc,
    generated_line,
    glossary_html,
    page,
    sources_list,
)

TITLE = "Teacher guide: the Russian Revolution of 1917"

GUIDE_CSS = """
section.lesson { break-before: page; page-break-before: always; }
section.lesson:first-of-type { break-before: auto; page-break-before: auto; }
ol.options { list-style: upper-alpha; padding-left: 1.6rem; }
ol.options li { margin: 0.25rem 0; padding: 0.15rem 0.4rem; }
ol.options li.correct { border-left: 5px solid var(--lk-good); background: var(--lk-good-tint); }
.tag { display: inline-block; font-size: 0.8rem; font-weight: bold; padding: 0 0.35rem; border-radius: 3px;
  margin-right: 0.3rem; }
.tag.right { background: var(--lk-good); color: var(--lk-paper); }
.feedback { display: block; color: var(--lk-dark); font-size: 0.93rem; }
.question { break-inside: avoid; page-break-inside: avoid; margin-bottom: 0.9rem; }
.plan-ok { color: var(--lk-good); font-weight: bold; }
.plan-bad { color: var(--lk-warn); font-weight: bold; }
.teacher-only { font-size: 0.85rem; color: var(--lk-warn); font-weight: bold; letter-spacing: 0.03em; }
@media print { ol.options li.correct { background: none; } .tag.right { background: none; color: var(--lk-good);
  border: 1px solid var(--lk-good); } }
"""


def time_plan_check(lesson: LessonContent) -> tuple[int, bool]:
    """(minutes in the time plan, whether they add up to the lesson's ``minutes``)."""
    total = sum(block.minutes for block in lesson.teacher.time_plan)
    return total, total == lesson.minutes


def _time_plan(lesson: LessonContent) -> str:
    plan = lesson.teacher.time_plan
    if not plan:
        return '<p class="plan-bad">No time plan in the lesson file ([teacher] time_plan).</p>'
    rows = []
    start = 0
    for block in plan:
        rows.append(
            f'<tr><td class="num">{start}–{start + block.minutes}</td><td class="num">{block.minutes}</td>'
            f"<td>{esc(block.activity)}</td></tr>"
        )
        start += block.minutes
    total, ok = time_plan_check(lesson)
    verdict = (
        f'<span class="plan-ok">adds up to the lesson\'s {lesson.minutes} minutes</span>'
        if ok
        else f'<span class="plan-bad">does not match the lesson\'s {lesson.minutes} minutes</span>'
    )
    return (
        '<table><thead><tr><th scope="col" class="num">Minute</th><th scope="col" class="num">Minutes</th>'
        f'<th scope="col">Activity</th></tr></thead><tbody>{"".join(rows)}</tbody>'
        f'<tfoot><tr><th scope="row" class="num">Total</th><td class="num"><strong>{total}</strong></td>'
        f"<td>The plan {verdict}.</td></tr></tfoot></table>"
    )


def _answer_key(lesson: LessonContent) -> str:
    parts = []
    for n, q in enumerate(lesson.quiz, start=1):
        options = []
        for o in q.options:
            tag = '<span class="tag right">Correct answer</span>' if o.correct else ""
            css = ' class="correct"' if o.correct else ""
            options.append(
                f"<li{css}>{tag}{esc(o.text)}<span class=\"feedback\">Feedback: {esc(o.feedback)}</span></li>"
            )
        letter = "ABCDEFGHIJ"[[o.correct for o in q.options].index(True)]
        parts.append(
            f'<div class="question"><h4>{n}. {esc(q.question)} <span class="muted">(answer {letter})</span></h4>'
            f'<ol class="options">{"".join(options)}</ol></div>'
        )
    return "".join(parts) or '<p class="muted">No self-check questions.</p>'


def _matching_key(lesson: LessonContent) -> str:
    """The answer key of a ``[[matching]]`` activity, when the lesson has one (see lessonkit.explorers.matching)."""

    try:
        items = parse_items(lesson.path, read_lesson_toml(lesson.path))
    except (OSError, ValueError) as exc:  # DataError is a ValueError
        return f'<p class="plan-bad">The matching activity could not be read: {esc(str(exc))}</p>'
    if not items:
        return ""
    rows = "".join(
        f"<tr><td>{esc(i.measure)}</td><td><strong>{esc(i.grievance)}</strong></td>"
        f'<td class="num">{esc(i.lesson)}</td><td>{esc(i.feedback)}</td></tr>'
        for i in items
    )
    return (
        "<h3>Answer key: matching activity</h3>"
        '<table><thead><tr><th scope="col">Item</th><th scope="col">Correct match</th>'
        f'<th scope="col" class="num">From lesson</th><th scope="col">Feedback</th></tr></thead><tbody>{rows}</tbody>'
        "</table>"
    )


def _prompts(lesson: LessonContent) -> str:
    parts = []
    for n, p in enumerate(lesson.prompts, start=1):
        points = bullet_list(p.model_points) or '<p class="muted">No model points given.</p>'
        parts.append(f'<div class="question"><h4>{n}. {esc(p.text)}</h4><p>Model points:</p>{points}</div>')
    return "".join(parts) or '<p class="muted">No discussion prompts.</p>'


def _claim_checks(lesson: LessonContent, ds: Dataset) -> str:
    parts = []
    for check in lesson.claim_checks:
        parts.append(
            f'<div class="keep"><h4>{esc(check.title)}</h4><p><strong>The article says:</strong> {esc(check.claim)}</p>'
            f"<p><strong>Question for students:</strong> {esc(check.question)}</p></div>"
        )
        try:
            parts.append(alternative_html(claim_check_alternative(lesson, check.id, ds), heading_level=None))
        except (KeyError, ValueError) as exc:
            parts.append(f'<p class="plan-bad">No figure: {esc(str(exc))}</p>')
    return "".join(parts) or '<p class="muted">No claim checks.</p>'


def _left_out(lesson: LessonContent, ds: Dataset) -> str:
    return weighing.left_out(lesson, ds) if lesson.left_out else '<p class="muted">None given.</p>'


def _readings(lesson: LessonContent, ds: Dataset) -> str:
    return weighing.historians(lesson, ds) if lesson.readings else '<p class="muted">None given.</p>'


def lesson_guide_html(lesson: LessonContent, ds: Dataset) -> str:
    """The guide's section for one lesson."""
    t = lesson.teacher
    card = lesson.source_card
    card_html = ""
    if card is not None:
        card_html = (
            "<h3>Source card questions (shown to students)</h3>"
            f"<p><strong>Point of view:</strong> {esc(card.perspective)}</p>{bullet_list(card.questions)}"
        )
    return (
        f'<section class="lesson" id="lesson-{esc(lesson.id)}">'
        f"<h2>Lesson {esc(lesson.id)} · {esc(lesson.title)}</h2>"
        f'<p class="meta"><strong>Article section:</strong> “{esc(lesson.article_section)}” · '
        f"<strong>Time:</strong> {lesson.minutes} minutes · <strong>Notebook:</strong> "
        f"<code>lessons/{esc(lesson.name)}.ipynb</code></p>"
        f'<div class="box"><strong>Compelling question:</strong> {esc(lesson.compelling_question)}</div>'
        f"<h3>Objectives</h3>{bullet_list(lesson.objectives)}"
        f"<h3>Time plan</h3>{_time_plan(lesson)}"
        f"<h3>Facilitation notes</h3>{bullet_list(t.facilitation) or '<p class=muted>None given.</p>'}"
        f"<h3>Common misconceptions</h3>{bullet_list(t.misconceptions) or '<p class=muted>None given.</p>'}"
        f"<h3>Key terms</h3>{glossary_html(lesson)}"
        f"<h3>Answer key: check your understanding</h3>{_answer_key(lesson)}"
        f"{_matching_key(lesson)}"
        f"<h3>Discussion prompts and model points</h3>{_prompts(lesson)}"
        f"<h3>Claim checks</h3>{_claim_checks(lesson, ds)}"
        f"<h3>What the article leaves out (shown to students)</h3>{_left_out(lesson, ds)}"
        f"<h3>Where historians disagree (shown to students)</h3>{_readings(lesson, ds)}"
        f"{card_html}"
        f"<h3>Sources used in this lesson</h3>{sources_list(lesson, ds)}"
        "</section>"
    )


def teacher_guide_html(lessons: Sequence[LessonContent], ds: Dataset | None = None) -> str:
    """The whole teacher guide as one self-contained printable page (each lesson starts a new page)."""
    ds = ds or dataset()
    ordered = sorted(lessons, key=lambda lesson: lesson.id)
    rows = []
    for lesson in ordered:
        total, ok = time_plan_check(lesson)
        mark = "" if ok else f' <span class="plan-bad">(plan adds up to {total})</span>'
        rows.append(
            f'<tr><td><a href="#lesson-{esc(lesson.id)}">{esc(lesson.id)}</a></td><td>{esc(lesson.title)}</td>'
            f'<td class="num">{lesson.minutes}{mark}</td><td class="num">{len(lesson.quiz)}</td>'
            f'<td class="num">{len(lesson.prompts)}</td></tr>'
        )
    contents = (
        '<table><caption>Lessons in this guide</caption><thead><tr><th scope="col">Lesson</th>'
        '<th scope="col">Title</th><th scope="col" class="num">Minutes</th>'
        '<th scope="col" class="num">Questions</th><th scope="col" class="num">Prompts</th></tr></thead>'
        f'<tbody>{"".join(rows)}</tbody></table>'
    )
    intro = (
        f"<header><h1>{esc(TITLE)}</h1>"
        '<p class="teacher-only">FOR TEACHERS — contains answer keys</p>'
        f'<p class="meta">Generated {esc(generated_line())} from the lesson data files (data/lessons/). '
        "Model points, misconceptions and facilitation notes live only here, never in the student notebooks.</p>"
        "</header>"
        f'<nav aria-label="Lessons" class="keep">{contents}</nav>'
    )
    sections = "".join(lesson_guide_html(lesson, ds) for lesson in ordered)
    if not ordered:
        sections = '<p class="warn">No lesson files were found.</p>'
    return page(TITLE, intro + sections, GUIDE_CSS)
