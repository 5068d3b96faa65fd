"""The class report (``lessonkit collect``): students' portfolio exports merged into one CSV and one printable page.

:func:`read_submissions` reads the exported JSON files (rejecting what is not an export), :func:`report_rows`
flattens them into one row per student and answer, and :func:`write_class_report` writes
``class_report.csv`` (formula-like cells defused) and ``class_report.html``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.model import journal
from lessonkit.model.content import LessonContent
from lessonkit.teacher.portfolio import item_label, parse_export
from lessonkit.teacher.printable import esc, generated_line, lesson_heading, page, paragraphs, when

MAX_EXPORT_BYTES = 64 * 1024 * 1024
CSV_NAME = "class_report.csv"
HTML_NAME = "class_report.html"

REPORT_COLUMNS = ("student", "file", "lesson", "kind", "id", "question", "answer", "correct", "attempts", "saved_at")
FORMULA_START = "=+-@"
SEPARATORS = ",;\t|\n\r"  # what a spreadsheet may split a file's cells at (the comma, or ; in much of Europe)


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running any part of a cell as a formula.

    A formula can start at the start of the cell, and also after any character a spreadsheet might
    take for a separator when it opens the file (``;`` in much of Europe, a tab, a line break): an
    apostrophe goes before each ``=``, ``+``, ``-`` or ``@`` found there (spaces between are skipped),
    which makes that part text. The HTML report keeps the answer exactly as written.
    """
    out: list[str] = []
    at_start = True
    for char in value:
        if at_start and char in FORMULA_START:
            out.append("'")
            at_start = False
        out.append(char)
        if char in SEPARATORS:
            at_start = True
        elif char != " ":
            at_start = False
    return "".join(out)


@dataclass
class Submission:
    """One student's export file: the name typed in it (or the file's name), and its records.

    ``label`` is how the report names the student: the name, or, where two files carry the same
    name, the name and the file (so no typed name can collide with a made-up one).
    """

    student: str
    path: Path
    records: list[dict[str, Any]]
    label: str = ""


def _export_files(paths: Sequence[str]) -> tuple[list[Path], list[str]]:
    """The files to read (each file named, every ``*.json`` in each folder named; once each), and the paths
    that gave none, with the reason."""
    files: list[Path] = []
    rejected: list[str] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(q for q in p.glob("*.json") if q.is_file())
            if not found:
                rejected.append(f"{p}: folder holds no .json files")
        elif p.is_file():
            found = [p]
        else:
            rejected.append(f"{p}: no such file or folder")
            continue
        for q in found:
            key = q.resolve()
            if key not in seen:
                seen.add(key)
                files.append(q)
    return files, rejected


def read_submissions(paths: Sequence[str]) -> tuple[list[Submission], list[str], list[str]]:
    """(readable submissions, rejected files with reasons, warnings about skipped records)."""
    files, rejected = _export_files(paths)
    subs: list[Submission] = []
    warnings: list[str] = []
    for path in files:
        try:
            size = path.stat().st_size
            if size > MAX_EXPORT_BYTES:
                raise ValueError(f"too big for an export ({size:,} bytes)")
            text = path.read_bytes().decode("utf-8-sig")
            student, records, skipped = parse_export(text)
        except UnicodeDecodeError:
            rejected.append(f"{path}: not UTF-8 text")
            continue
        except RecursionError:
            rejected.append(f"{path}: not a lessonkit portfolio export (its JSON is nested too deeply)")
            continue
        except (OSError, ValueError) as exc:
            rejected.append(f"{path}: {exc}")
            continue
        warnings += [f"{path}: {w}" for w in skipped]
        subs.append(Submission(student or path.stem, path, records))
    counts: defaultdict[str, int] = defaultdict(int)
    for sub in subs:
        counts[sub.student] += 1
    for sub in subs:
        sub.label = f"{sub.student} ({sub.path.as_posix()})" if counts[sub.student] > 1 else sub.student
    return subs, rejected, warnings


def _question_for(record: dict[str, Any], lessons: dict[str, LessonContent]) -> str:
    """The question a record answers, from its lesson file when known, else the record's own label (or "")."""
    lesson = lessons.get(str(record.get("lesson")))
    kind, item = record.get("kind"), str(record.get("id"))
    if lesson is not None:
        if kind == "prompt":
            for p in lesson.prompts:
                if p.id == item:
                    return p.text
        elif kind == "quiz":
            for q in lesson.quiz:
                if q.id == item:
                    return q.question
        elif kind == "claim":
            for c in lesson.claim_checks:
                if c.id == item:
                    return c.claim
    label = item_label(record)
    return "" if label == item else label


def _answer_of(record: dict[str, Any]) -> str:
    """A record's answer as text: the text, choice or verdict, else the record's other fields as JSON."""
    kind = record.get("kind")
    key = {"prompt": "text", "quiz": "choice", "claim": "verdict"}.get(str(kind))
    if key is not None:
        value = record.get(key)
        return "" if value is None else str(value)
    for key in ("choice", "text", "verdict"):  # another activity (e.g. matching)
        if key in record:
            return "" if record[key] is None else str(record[key])
    rest = {k: v for k, v in record.items() if k not in ("format", "lesson", "kind", "id", "saved_at")}
    return json.dumps(rest, ensure_ascii=False)


def report_rows(subs: Sequence[Submission], lessons: dict[str, LessonContent]) -> list[dict[str, str]]:
    """One row per student × answer."""
    rows = []
    for sub in subs:
        for r in sub.records:
            correct = r.get("correct")
            attempts = r.get("attempts")
            rows.append(
                {
                    "student": sub.student,
                    "file": sub.path.as_posix(),
                    "label": sub.label,
                    "lesson": str(r.get("lesson", "")),
                    "kind": str(r.get("kind", "")),
                    "id": str(r.get("id", "")),
                    "question": _question_for(r, lessons),
                    "answer": _answer_of(r),
                    "correct": "yes" if correct is True else "no" if correct is False else "",
                    "attempts": str(attempts) if isinstance(attempts, int) and not isinstance(attempts, bool) else "",
                    "saved_at": str(r.get("saved_at", "")),
                }
            )
    return rows


def report_csv(rows: Sequence[dict[str, str]]) -> str:
    """The class report as CSV (formula-like cells defused)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REPORT_COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return buffer.getvalue()


REPORT_CSS = """
section.lesson { break-before: page; page-break-before: always; }
main { max-width: 60rem; }
"""


def report_html(
    subs: Sequence[Submission],
    rows: Sequence[dict[str, str]],
    lessons: dict[str, LessonContent],
    rejected: Sequence[str],
    warnings: Sequence[str],
) -> str:
    """The class report as one printable page: students, quiz summary, every answer by question."""
    body = [
        "<header><h1>Class report: the Russian Revolution of 1917</h1>",
        f'<p class="meta">Generated {esc(generated_line())} from {len(subs)} student file'
        f"{'s' if len(subs) != 1 else ''} · {len(rows)} answers</p></header>",
    ]
    if rejected or warnings:
        items = "".join(f"<li>{esc(x)}</li>" for x in [*rejected, *warnings])
        body.append(f'<div class="warn"><p><strong>Files or records left out:</strong></p><ul>{items}</ul></div>')
    student_rows = []
    for sub in subs:
        quiz = [r for r in sub.records if r.get("kind") == "quiz"]
        right = sum(1 for r in quiz if r.get("correct") is True)
        lesson_ids = sorted({str(r.get("lesson")) for r in sub.records})
        student_rows.append(
            f'<tr><th scope="row">{esc(sub.label)}</th><td>{esc(sub.path.as_posix())}</td>'
            f'<td>{esc(", ".join(lesson_ids))}</td><td class="num">{len(sub.records)}</td>'
            f'<td class="num">{right} / {len(quiz)}</td></tr>'
        )
    body.append(
        '<h2>Students</h2><table><thead><tr><th scope="col">Student</th><th scope="col">File</th>'
        '<th scope="col">Lessons</th><th scope="col" class="num">Answers</th>'
        '<th scope="col" class="num">Questions correct / tried</th></tr></thead>'
        f"<tbody>{''.join(student_rows)}</tbody></table>"
    )
    by_lesson: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_lesson[row["lesson"]].append(row)
    kind_order = {"prompt": 0, "claim": 1, "quiz": 2}
    for lesson_id in sorted(by_lesson):
        lesson = lessons.get(lesson_id)
        lrows = by_lesson[lesson_id]
        body.append(f'<section class="lesson"><h2>{esc(lesson_heading(lesson, lesson_id))}</h2>')
        quiz_stats: dict[str, list[dict[str, str]]] = defaultdict(list)
        for row in lrows:
            if row["kind"] == "quiz":
                quiz_stats[row["id"]].append(row)
        if quiz_stats:
            stat_rows = "".join(
                f'<tr><td>{esc(group[0]["question"] or qid)}</td><td class="num">{len(group)}</td>'
                f'<td class="num">{sum(r["correct"] == "yes" for r in group)}</td></tr>'
                for qid, group in sorted(quiz_stats.items())
            )
            body.append(
                '<h3>Self-check questions</h3><table><thead><tr><th scope="col">Question</th>'
                '<th scope="col" class="num">Students who tried</th><th scope="col" class="num">Correct at last check'
                f"</th></tr></thead><tbody>{stat_rows}</tbody></table>"
            )
        items: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
        for row in lrows:
            items[(row["kind"], row["id"])].append(row)
        for (kind, item_id), group in sorted(items.items(), key=lambda kv: (kind_order.get(kv[0][0], 9), kv[0][1])):
            label = {"prompt": "Discussion", "claim": "Claim check", "quiz": "Question"}.get(kind, kind)
            question = group[0]["question"] or item_id
            answer_rows = "".join(
                f'<tr><th scope="row">{esc(r["label"])}</th><td><div class="answer-text">{paragraphs(r["answer"])}'
                f"</div></td><td>{esc(r['correct'])}</td><td>{esc(when(r['saved_at']))}</td></tr>"
                for r in sorted(group, key=lambda r: r["label"].lower())
            )
            body.append(
                f'<h3>{esc(label)}: {esc(question)}</h3><table><thead><tr><th scope="col">Student</th>'
                '<th scope="col">Answer</th><th scope="col">Correct</th><th scope="col">Saved</th></tr></thead>'
                f"<tbody>{answer_rows}</tbody></table>"
            )
        body.append("</section>")
    return page("Class report: the Russian Revolution of 1917", "\n".join(body), REPORT_CSS)


def report_paths(out: Path) -> tuple[Path, Path]:
    """Where the class report goes in the folder ``out``: (the CSV, the HTML page)."""
    return out / CSV_NAME, out / HTML_NAME


def write_class_report(
    out: Path,
    subs: Sequence[Submission],
    rows: Sequence[dict[str, str]],
    lessons: dict[str, LessonContent],
    rejected: Sequence[str],
    warnings: Sequence[str],
) -> tuple[Path, Path]:
    """Write the CSV and the HTML page into ``out`` (created if needed); return their paths."""
    csv_path, html_path = report_paths(out)
    out.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: spreadsheet programs then read Cyrillic, Arabic and emoji correctly.
    journal.atomic_write_text(csv_path, "\ufeff" + report_csv(rows), keep_previous=False)
    journal.atomic_write_text(html_path, report_html(subs, rows, lessons, rejected, warnings), keep_previous=False)
    return csv_path, html_path
