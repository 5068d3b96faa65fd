"""The student's portfolio: every saved answer as a printable page and as JSON for the teacher.

- :func:`portfolio_html` — one self-contained page (inline CSS, no scripts, no
  external resources) grouped by lesson: discussion answers, claim verdicts and
  self-check results. All student text is escaped and keeps its line breaks.
- :func:`portfolio_json` — the same records as a JSON export
  (``{"format": "lessonkit-portfolio/1", "student": ..., "records": [...]}``),
  which ``lessonkit collect`` merges into a class report.
- :func:`parse_export` — read such an export back (used by ``collect``), with a
  clear reason when the file is not one.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from lessonkit.model import journal
from lessonkit.model.content import LessonContent
from lessonkit.model.journal import ANSWER_KINDS, check_record, now_iso, to_json
from lessonkit.teacher.printable import esc, generated_line, lesson_heading, page, paragraphs, readable_lessons, when

BASENAME = "my_work_1917"


def export_names(lesson_id: str | None = None) -> tuple[str, str]:
    """The file names of the HTML and JSON exports: 'my_work_1917.html' or 'my_work_1917_lesson07.html'."""
    stem = BASENAME if lesson_id is None else f"{BASENAME}_lesson{journal.safe_name(lesson_id)}"
    return f"{stem}.html", f"{stem}.json"


FORMAT = "lessonkit-portfolio/1"
TITLE = "My work: the Russian Revolution of 1917"
KIND_ORDER = {name: kind.order for name, kind in ANSWER_KINDS.items()}

PORTFOLIO_CSS = """
.answer { margin: 0.8rem 0 1.2rem; break-inside: avoid; page-break-inside: avoid; }
.answer h4 { margin-bottom: 0.35rem; }
.answer .answer-text { border-left: 4px solid var(--lk-accent); padding: 0.4rem 0.7rem; background: var(--lk-answer);
  margin: 0; }
.empty { color: var(--lk-soft); font-style: italic; }
.when { font-size: 0.85rem; color: var(--lk-soft); margin: 0.2rem 0 0; }
.score { font-weight: bold; }
@media print { .answer .answer-text { background: none; } }
"""


def _lesson_map(lessons: Iterable[LessonContent] | Mapping[str, LessonContent] | None) -> dict[str, LessonContent]:
    if lessons is None:
        lessons = readable_lessons()[0]
    if isinstance(lessons, Mapping):
        return dict(lessons)
    return {lesson.id: lesson for lesson in lessons}


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _answer_block(question: str, record: Mapping[str, Any] | None) -> str:
    heading = f"<h4>{esc(question)}</h4>"
    if record is None or not _text(record.get("text")).strip():
        return f'<article class="answer">{heading}<p class="empty">No answer saved yet.</p></article>'
    saved = when(record.get("saved_at"))
    return (
        f'<article class="answer">{heading}<div class="answer-text">{paragraphs(record.get("text", ""))}</div>'
        f'<p class="when">Saved {esc(saved)}</p></article>'
    )


def _lesson_section(lesson_id: str, lesson: LessonContent | None, records: Sequence[Mapping[str, Any]]) -> str:
    by_key = {(r.get("kind"), r.get("id")): r for r in records}
    used: set[tuple[Any, Any]] = set()
    parts = [f'<section class="lesson" id="lesson-{esc(lesson_id)}"><h2>{esc(lesson_heading(lesson, lesson_id))}</h2>']
    if lesson is not None:
        parts.append(f'<p class="meta"><strong>Compelling question:</strong> {esc(lesson.compelling_question)}</p>')

    # Discussion prompts, in the lesson's order (unanswered ones too, so gaps show on paper).
    prompt_blocks = []
    if lesson is not None:
        for prompt in lesson.prompts:
            key = ("prompt", prompt.id)
            used.add(key)
            prompt_blocks.append(_answer_block(prompt.text, by_key.get(key)))
    for r in records:
        key = (r.get("kind"), r.get("id"))
        if r.get("kind") == "prompt" and key not in used:
            used.add(key)
            prompt_blocks.append(_answer_block(_text(r.get("question")) or f"Prompt {r.get('id')}", r))
    if prompt_blocks:
        parts.append("<h3>Discussion</h3>" + "".join(prompt_blocks))

    # Claim checks: the verdict the student chose.
    claim_rows = []
    checks = {c.id: c for c in lesson.claim_checks} if lesson is not None else {}
    for r in records:
        if r.get("kind") != "claim":
            continue
        used.add((r.get("kind"), r.get("id")))
        check = checks.get(_text(r.get("id")))
        claim = check.claim if check else _text(r.get("claim")) or _text(r.get("id"))
        claim_rows.append(
            f"<tr><td>{esc(claim)}</td><td><strong>{esc(_text(r.get('verdict')) or '—')}</strong></td>"
            f"<td>{esc(when(r.get('saved_at')))}</td></tr>"
        )
    if claim_rows:
        parts.append(
            "<h3>Claim checks: my verdicts</h3><table><thead><tr>"
            '<th scope="col">The article\'s claim</th><th scope="col">My verdict</th><th scope="col">Saved</th>'
            f"</tr></thead><tbody>{''.join(claim_rows)}</tbody></table>"
        )

    # Self-check questions: last choice, right or wrong, attempts.
    quiz_rows = []
    correct = 0
    questions = {q.id: q for q in lesson.quiz} if lesson is not None else {}
    for r in records:
        if r.get("kind") != "quiz":
            continue
        used.add((r.get("kind"), r.get("id")))
        q = questions.get(_text(r.get("id")))
        question = q.question if q else _text(r.get("question")) or _text(r.get("id"))
        ok = r.get("correct") is True
        correct += ok
        result = '<span class="yes">Correct</span>' if ok else '<span class="no">Not correct</span>'
        attempts = r.get("attempts")
        quiz_rows.append(
            f"<tr><td>{esc(question)}</td><td>{esc(_text(r.get('choice')))}</td><td>{result}</td>"
            f'<td class="num">{esc(_text(attempts))}</td></tr>'
        )
    if quiz_rows:
        total = len(lesson.quiz) if lesson is not None else len(quiz_rows)
        parts.append(
            "<h3>Check your understanding</h3>"
            f'<p class="score">{correct} of {total} questions correct at my last check '
            f"({len(quiz_rows)} tried).</p><table><thead><tr>"
            '<th scope="col">Question</th><th scope="col">My last answer</th><th scope="col">Result</th>'
            f'<th scope="col" class="num">Tries</th></tr></thead><tbody>{"".join(quiz_rows)}</tbody></table>'
        )

    # Other activities (e.g. "matching"): choices with a result, free text, or the raw fields.
    other = [r for r in records if (r.get("kind"), r.get("id")) not in used]
    choice_rows, other_blocks, raw_rows = [], [], []
    for r in other:
        label = item_label(r)
        if "choice" in r:
            ok = r.get("correct")
            result = ('<span class="yes">Correct</span>' if ok is True
                      else '<span class="no">Not correct</span>' if ok is False else "")
            choice_rows.append(
                f"<tr><td>{esc(_text(r.get('kind')).capitalize())}</td><td>{esc(label)}</td>"
                f"<td>{esc(_text(r.get('choice')))}</td><td>{result}</td>"
                f'<td class="num">{esc(_text(r.get("attempts")))}</td></tr>'
            )
        elif isinstance(r.get("text"), str):
            other_blocks.append(_answer_block(label, r))
        else:
            shown = {k: v for k, v in r.items() if k not in ("format", "lesson", "kind", "id", "saved_at")}
            raw_rows.append(
                f"<tr><td>{esc(_text(r.get('kind')))}</td><td>{esc(label)}</td>"
                f'<td><div class="answer-text">{paragraphs(json.dumps(shown, ensure_ascii=False))}</div></td></tr>'
            )
    if choice_rows or other_blocks or raw_rows:
        parts.append("<h3>Other activities</h3>")
    if choice_rows:
        parts.append(
            '<table><thead><tr><th scope="col">Activity</th><th scope="col">Item</th><th scope="col">My choice</th>'
            f'<th scope="col">Result</th><th scope="col" class="num">Tries</th></tr></thead>'
            f'<tbody>{"".join(choice_rows)}</tbody></table>'
        )
    parts.extend(other_blocks)
    if raw_rows:
        parts.append(
            '<table><thead><tr><th scope="col">Kind</th><th scope="col">Item</th>'
            f'<th scope="col">What was saved</th></tr></thead><tbody>{"".join(raw_rows)}</tbody></table>'
        )
    parts.append("</section>")
    return "".join(parts)


def item_label(record: Mapping[str, Any]) -> str:
    """What an answer was about, for a record whose lesson file does not say: its question, else its id."""
    for key in ("question", "measure", "claim", "prompt", "title"):
        value = record.get(key)
        if isinstance(value, str) and value.strip():
            return value
    return _text(record.get("id"))


def _sorted_records(records: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    good = [r for r in records if isinstance(r, Mapping)]
    return sorted(
        good, key=lambda r: (_text(r.get("lesson")), KIND_ORDER.get(_text(r.get("kind")), 9), _text(r.get("id")))
    )


def portfolio_html(
    records: Iterable[Mapping[str, Any]],
    lessons: Iterable[LessonContent] | Mapping[str, LessonContent] | None = None,
    *,
    student: str = "",
    problems: Sequence[str] = (),
) -> str:
    """A self-contained printable page of the student's answers, grouped by lesson.

    ``records`` come from :func:`lessonkit.model.journal.load_all`; ``lessons`` gives
    titles and question texts (default: every readable lesson file).
    ``problems`` (files that could not be read) are listed in a warning box.
    """
    by_id = _lesson_map(lessons)
    ordered = _sorted_records(records)
    groups: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for r in ordered:
        groups[_text(r.get("lesson")) or "?"].append(r)
    lesson_ids = sorted(groups)
    who = f"<strong>Student:</strong> {esc(student)} · " if student.strip() else ""
    answered = sum(1 for r in ordered if r.get("kind") != "prompt" or _text(r.get("text")).strip())
    body = [
        f"<header><h1>{esc(TITLE)}</h1>",
        f'<p class="meta">{who}<strong>Generated:</strong> {esc(generated_line())} · '
        f"{answered} saved answers in {len(lesson_ids)} {'lesson' if len(lesson_ids) == 1 else 'lessons'}</p>",
        "</header>",
    ]
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        body.append(
            '<div class="warn"><p><strong>Some answer files could not be read.</strong> '
            f"They were left untouched in your answers folder:</p><ul>{items}</ul></div>"
        )
    if not lesson_ids:
        body.append('<p class="box">No saved answers were found yet. Answer a discussion prompt or a '
                    "self-check question in a lesson, then make this page again.</p>")
    elif len(lesson_ids) > 1:
        links = "".join(
            f'<li><a href="#lesson-{esc(i)}">{esc(lesson_heading(by_id.get(i), i))}</a></li>' for i in lesson_ids
        )
        body.append(f'<nav aria-label="Lessons"><h2>Contents</h2><ol>{links}</ol></nav>')
    for lesson_id in lesson_ids:
        body.append(_lesson_section(lesson_id, by_id.get(lesson_id), groups[lesson_id]))
    body.append(
        "<footer>Made by lessonkit from the answers saved in your answers folder. Print this page or save it "
        "as PDF from your browser. The JSON file made with it holds the same answers for your teacher.</footer>"
    )
    title = f"{TITLE} — {student.strip()}" if student.strip() else TITLE
    return page(title, "\n".join(body), PORTFOLIO_CSS)


def portfolio_json(records: Iterable[Mapping[str, Any]], *, student: str = "", problems: Sequence[str] = ()) -> str:
    """The student's records as a JSON export for the teacher (``lessonkit collect`` reads it)."""
    doc: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": now_iso(),
        "student": student.strip(),
        "records": [dict(r) for r in _sorted_records(records)],
    }
    if problems:
        doc["problems"] = list(problems)
    return to_json(doc)


def parse_export(text: str) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Read a portfolio export: ``(student name or '', good records, warnings about skipped records)``.

    Accepts the export object or a bare list of records. Raises ValueError with
    the reason when the file is not an export at all.
    """
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    student = ""
    if isinstance(doc, dict):
        if "records" not in doc:
            raise ValueError("not a lessonkit portfolio export (no 'records' list)")
        fmt = doc.get("format")
        if fmt is not None and (not isinstance(fmt, str) or not fmt.startswith("lessonkit-portfolio/")):
            raise ValueError(f"not a lessonkit portfolio export (format {fmt!r})")
        name = doc.get("student", "")
        student = name.strip() if isinstance(name, str) else ""
        raw = doc["records"]
    elif isinstance(doc, list):
        raw = doc
    else:
        raise ValueError(f"not a lessonkit portfolio export (a JSON {type(doc).__name__})")
    if not isinstance(raw, list):
        raise ValueError("not a lessonkit portfolio export ('records' is not a list)")
    records: list[dict[str, Any]] = []
    warnings: list[str] = []
    for i, record in enumerate(raw, start=1):
        try:
            check_record(record)
            if not isinstance(record.get("kind"), str):
                raise ValueError("not a lessonkit answer record (no 'kind')")
        except ValueError as exc:
            warnings.append(f"record {i} skipped: {exc}")
            continue
        records.append(record)
    if raw and not records:
        raise ValueError("none of its records is a lessonkit answer record")
    return student, records, warnings
