"""Printable handouts: one page per lesson for a class without screens.

A handout holds the lesson's title, compelling question and key terms; a
worksheet with the self-check questions (options only, no answers), the claim
checks with their figures as data tables and a verdict to tick, and the
discussion prompts with ruled lines to write on; and the lesson's timeline as a
table. Figures are printed as their data tables (the text alternatives the
notebooks show): drawing static chart images would need a browser (kaleido).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lessonkit.model.content import VERDICTS, LessonContent, grievance_options, parse_items, read_lesson_toml
from lessonkit.model.data import Dataset, dataset
from lessonkit.model.journal import atomic_write_text
from lessonkit.teacher.printable import (
    alternative_html,
    claim_check_alternative,
    esc,
    generated_line,
    glossary_html,
    page,
    sources_list,
    timeline_alternative,
)

HANDOUT_CSS = """
.name-line { display: flex; gap: 2rem; margin: 0.8rem 0 0.4rem; }
.name-line span { flex: 1; border-bottom: 1px solid var(--lk-ink); padding-bottom: 0.1rem; }
.question { break-inside: avoid; page-break-inside: avoid; margin: 0.8rem 0 1rem; }
.question h4 { margin-bottom: 0.3rem; }
ol.options { list-style: none; padding-left: 0.4rem; margin: 0.2rem 0; }
ol.options li { margin: 0.3rem 0; display: flex; gap: 0.5rem; align-items: baseline; }
.tick { display: inline-block; flex: none; width: 0.9rem; height: 0.9rem; border: 1.5px solid var(--lk-ink);
  border-radius: 2px; position: relative; top: 0.12rem; }
.letter { font-weight: bold; flex: none; width: 1.1rem; }
.verdicts { display: flex; flex-wrap: wrap; gap: 0.4rem 1.4rem; margin: 0.4rem 0; }
.verdicts span { display: inline-flex; gap: 0.4rem; align-items: baseline; }
.lines { margin: 0.3rem 0 0.6rem; }
.lines div { height: 2.1rem; border-bottom: 1px solid var(--lk-line); }
.part { break-before: auto; }
.match-cols { display: grid; grid-template-columns: 1fr 1fr; gap: 1.5rem; }
.match-cols li { margin: 0.35rem 0; }
ul.plain { list-style: none; padding-left: 0; }
.blank { display: inline-block; width: 1.8rem; height: 1.3rem; border: 1.5px solid var(--lk-ink);
  vertical-align: middle; margin-right: 0.3rem; }
dl.terms { columns: 2; column-gap: 2rem; }
dl.terms dt { break-after: avoid; }
dl.terms dd { break-inside: avoid; }
@media print {
  .lines div { height: 9mm; }
  .part.new-page { break-before: page; page-break-before: always; }
  dl.terms { font-size: 10pt; }
}
"""

NO_IMAGES_NOTE = (
    "The charts of the notebook are printed here as their data tables, with every figure's source. "
    "Static chart images are not included: drawing them needs a browser engine (plotly's kaleido), "
    "and the tables hold the same numbers."
)


def _lines(n: int) -> str:
    return '<div class="lines" aria-hidden="true">' + "<div></div>" * n + "</div>"


def _quiz(lesson: LessonContent) -> str:
    parts = []
    for n, q in enumerate(lesson.quiz, start=1):
        options = "".join(
            f'<li><span class="tick"></span><span class="letter">{"ABCDEFGHIJ"[i]}</span>'
            f"<span>{esc(o.text)}</span></li>"
            for i, o in enumerate(q.options)
        )
        parts.append(f'<div class="question"><h4>{n}. {esc(q.question)}</h4><ol class="options">{options}</ol></div>')
    return "".join(parts)


def _claim_checks(lesson: LessonContent, ds: Dataset) -> str:
    parts = []
    verdicts = "".join(f'<span><span class="tick"></span>{esc(v)}</span>' for v in VERDICTS)
    for check in lesson.claim_checks:
        try:
            table = alternative_html(claim_check_alternative(lesson, check.id, ds), heading_level=None)
        except (KeyError, ValueError) as exc:
            table = f'<p class="warn">The data for this claim check is missing: {esc(str(exc))}</p>'
        parts.append(
            f'<div class="claim"><h3>{esc(check.title)}</h3>'
            f"<p><strong>The article says:</strong> {esc(check.claim)}</p>{table}"
            f'<div class="question"><p><strong>{esc(check.question)}</strong></p>'
            f'<p>My verdict:</p><div class="verdicts">{verdicts}</div><p>Why? Name the sources.</p>{_lines(3)}</div>'
            "</div>"
        )
    return "".join(parts)


def _matching(lesson: LessonContent) -> str:
    """A ``[[matching]]`` activity as a pen-and-paper exercise (letters to write in; no answers)."""

    try:
        items = parse_items(lesson.path, read_lesson_toml(lesson.path))
    except (OSError, ValueError):  # the teacher guide reports a broken activity; a handout leaves it out
        return ""
    if not items:
        return ""
    options = grievance_options(items)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    left = "".join(
        f'<li><span class="blank"></span> {esc(item.measure)}</li>' for item in items
    )
    right = "".join(f"<li><strong>{letters[i]}</strong> {esc(text)}</li>" for i, text in enumerate(options))
    return (
        '<div class="question matching"><p>Write the letter of the matching grievance in each box.</p>'
        f'<div class="match-cols"><ol>{left}</ol><ul class="plain">{right}</ul></div></div>'
    )


def _prompts(lesson: LessonContent) -> str:
    return "".join(
        f'<div class="question"><h4>{n}. {esc(p.text)}</h4>{_lines(7)}</div>'
        for n, p in enumerate(lesson.prompts, start=1)
    )


def handout_html(lesson: LessonContent, ds: Dataset | None = None) -> str:
    """One lesson's printable handout (no answers, no teacher notes)."""
    ds = ds or dataset()
    body = [
        f"<header><h1>Lesson {esc(lesson.id)} · {esc(lesson.title)}</h1>",
        f'<p class="meta">Article section: “{esc(lesson.article_section)}” · about {lesson.minutes} minutes</p>',
        '<div class="name-line"><span>Name:</span><span>Date:</span></div></header>',
        f'<div class="box"><strong>Compelling question:</strong> {esc(lesson.compelling_question)}</div>',
    ]
    if lesson.glossary:
        body.append(f"<h2>Key terms</h2>{glossary_html(lesson)}")
    n = 1
    if lesson.quiz:
        body.append(
            f'<section class="part"><h2>Part {n}. Check your understanding</h2>'
            "<p>Tick one answer for each question.</p>"
            f"{_quiz(lesson)}</section>"
        )
        n += 1
    matching = _matching(lesson)
    if matching:
        body.append(f'<section class="part"><h2>Part {n}. Match them up</h2>{matching}</section>')
        n += 1
    if lesson.claim_checks:
        body.append(
            f'<section class="part"><h2>Part {n}. Read like a historian: claim checks</h2>'
            "<p>Compare the article's claim with the other sources in the table, then give your verdict.</p>"
            f"{_claim_checks(lesson, ds)}</section>"
        )
        n += 1
    if lesson.prompts:
        body.append(f'<section class="part new-page"><h2>Part {n}. Discuss</h2>{_prompts(lesson)}</section>')
    timeline = timeline_alternative(lesson, ds)
    if timeline is not None:
        figures = alternative_html(timeline, heading_level=3)
        body.append(f'<section class="part new-page"><h2>Key figures</h2>{figures}</section>')
    body.append(f'<p class="note">{esc(NO_IMAGES_NOTE)}</p>')
    body.append(f"<h2>Sources</h2>{sources_list(lesson, ds)}")
    body.append(f"<footer>Handout generated {esc(generated_line())} by lessonkit from data/lessons/"
                f"{esc(lesson.path.name)}.</footer>")
    return page(f"Handout: lesson {lesson.id} · {lesson.title}", "\n".join(body), HANDOUT_CSS)


def handouts_index_html(lessons: Sequence[LessonContent]) -> str:
    """A page linking every handout file."""
    items = "".join(
        f'<li><a href="{esc(lesson.name)}.html">Lesson {esc(lesson.id)} · {esc(lesson.title)}</a></li>'
        for lesson in sorted(lessons, key=lambda x: x.id)
    )
    body = (
        "<h1>Handouts: the Russian Revolution of 1917</h1>"
        f'<p class="meta">Generated {esc(generated_line())}. One printable page per lesson: '
        "open it and print (A4 or Letter).</p>"
        f"<ol>{items}</ol><p class=\"note\">{esc(NO_IMAGES_NOTE)}</p>"
    )
    return page("Handouts: the Russian Revolution of 1917", body)


def write_handouts(out_dir: Path, lessons: Sequence[LessonContent], ds: Dataset | None = None) -> list[Path]:
    """Write ``NN_slug.html`` for every lesson and an ``index.html``; return the files written."""
    ds = ds or dataset()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for lesson in lessons:
        path = out_dir / f"{lesson.name}.html"
        atomic_write_text(path, handout_html(lesson, ds), keep_previous=False)
        written.append(path)
    index = out_dir / "index.html"
    atomic_write_text(index, handouts_index_html(lessons), keep_previous=False)
    written.append(index)
    return written
