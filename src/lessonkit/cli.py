"""The ``lessonkit`` command: list and check the lessons, and make the printable pages.

    lessonkit list                       the lessons and their state
    lessonkit check                      validate data, lesson files and notebooks (exit 1 on any problem)
    lessonkit portfolio [--answers DIR] [--out DIR]   a student's work as HTML + JSON
    lessonkit guide [--out DIR]          the teacher guide (answer keys, model points, time plans)
    lessonkit handouts [--out DIR]       one printable worksheet per lesson
    lessonkit collect FILES_OR_DIRS... --out DIR      merge students' JSON exports into a class report
    lessonkit copy-lessons DIR           put a fresh copy of the lessons in DIR (never over a student's edits)

Data comes from ``LESSONKIT_DATA`` (default: the checkout's ``data/``); answers
from ``LESSONKIT_ANSWERS`` (default: ``my_answers/`` in the current folder).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import journal, quality
from .content import SCHOOLS, LessonContent
from .data import Dataset, data_dir, load_dataset
from .portfolio import item_label
from .printable import esc, generated_line, lesson_heading, page, paragraphs, readable_lessons, when
from .schema import DataError

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_NOTHING = 2
EXIT_CRASH = 3
MAX_EXPORT_BYTES = 64 * 1024 * 1024

EXIT_CODES = """exit codes:
  0  success (check: no problems; collect, portfolio: at least one answer was read)
  1  problems found in the data or the lessons (check; guide and handouts when the data cannot be read)
  2  wrong usage, or nothing to work on (portfolio: no answers folder or none readable; collect: no file
     could be read), or an output file that lessonkit did not write is in the way (use --force), or a
     file could not be written
  3  lessonkit stopped on an unexpected error (a bug: please report it; LESSONKIT_DEBUG=1 shows where)
"""


def _out(*parts: object) -> None:
    print(*parts, flush=True)


def _err(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- lessons and their problems


def notebooks_dir(explicit: str | None = None) -> Path:
    """Where the lesson notebooks are: ``--lessons``, else ``lessons/`` beside the data folder (a checkout),
    else the copy packed into the installed wheel (``lessonkit/_lessons``)."""
    if explicit:
        return Path(explicit)
    beside = data_dir().parent / "lessons"
    return beside if beside.is_dir() else packaged_lessons()


def packaged_lessons() -> Path:
    """The lesson notebooks that came with this installation (the checkout's ``lessons/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    checkout = here.parent.parent
    if (checkout / "lessons").is_dir() and (checkout / "data" / "sources.csv").is_file():
        return checkout / "lessons"
    return here / "_lessons"


def _structure_checker() -> Callable[[Path], list[str]] | None:
    try:
        from .structure import check_notebook
    except ImportError:
        return None
    return check_notebook


def _basic_notebook_problems(path: Path) -> list[str]:
    """A minimal check used when lessonkit.structure is not available: valid notebook JSON with cells."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"not a readable notebook ({type(exc).__name__}: {exc})"]
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or not nb["cells"]:
        return ["not a notebook with cells"]
    return []


def notebook_problems(path: Path) -> list[str]:
    """Problems with one notebook's structure (the lead's checker when installed)."""
    checker = _structure_checker()
    if checker is None:
        return _basic_notebook_problems(path)
    try:
        return [str(p) for p in checker(path)]
    except Exception as exc:  # a crash in the checker is itself a problem to report
        return [f"the structure checker failed: {type(exc).__name__}: {exc}"]


@dataclass
class LessonStatus:
    """One row of ``lessonkit list``."""

    id: str
    title: str
    path: Path | None
    notebook: Path | None
    lesson: LessonContent | None = None
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def content_problems(lesson: LessonContent, ds: Dataset | None, known_ids: set[str]) -> tuple[list[str], list[str]]:
    """(errors, warnings) about one lesson's content beyond what the TOML parser checks."""
    errors: list[str] = []
    warnings: list[str] = []
    plan = lesson.teacher.time_plan
    if plan:
        total = sum(b.minutes for b in plan)
        if total != lesson.minutes:
            errors.append(
                f"[teacher] time_plan adds up to {total} minutes but the lesson has minutes = {lesson.minutes}"
            )
    else:
        warnings.append("no [teacher] time_plan")
    if ds is not None:
        cited = [lesson.source_card.source] if lesson.source_card else []
        for sid in cited + list(lesson.extra_sources):
            if sid not in ds.sources:
                errors.append(f"unknown source id {sid!r} (not in sources.csv)")
        for i, check in enumerate(lesson.claim_checks, start=1):
            if not any(f.quantity == check.quantity for f in ds.facts.values()):
                errors.append(f"claim_checks[{i}] ({check.id}): no facts for quantity {check.quantity!r}")
        errors += quality.lesson_evidence_problems(lesson, ds, SCHOOLS)
    if _structure_checker() is None:  # otherwise the structure checker counts these (as errors)
        if len(lesson.quiz) < 4:
            warnings.append(f"{len(lesson.quiz)} self-check questions (4 or more expected)")
        if len(lesson.prompts) < 3:
            warnings.append(f"{len(lesson.prompts)} discussion prompts (3 or more expected)")
        if not 4 <= len(lesson.glossary) <= 8:
            warnings.append(f"{len(lesson.glossary)} key terms (4 to 8 expected)")
    if not any(p.model_points for p in lesson.prompts) and lesson.prompts:
        warnings.append("no model points for any prompt (the teacher guide will have none)")
    if lesson.next and lesson.next not in known_ids:
        warnings.append(f"next = {lesson.next!r}, but there is no lesson file for it yet")
    return errors, warnings


def survey(notebooks: Path, ds: Dataset | None, with_structure: bool = True) -> list[LessonStatus]:
    """Every lesson file and notebook, with their problems."""
    from .content import lessons_dir, load_lesson_file

    rows: dict[str, LessonStatus] = {}
    folder = lessons_dir()
    tomls = sorted(folder.glob("*.toml")) if folder.is_dir() else []
    known_ids = {p.name[:2] for p in tomls}
    for path in tomls:
        key = path.stem
        try:
            lesson = load_lesson_file(path)
        except DataError as exc:
            rows[key] = LessonStatus(path.stem[:2], "(lesson file cannot be read)", path, None, errors=[str(exc)])
            continue
        status = LessonStatus(lesson.id, lesson.title, path, None, lesson)
        status.errors, status.warnings = content_problems(lesson, ds, known_ids)
        rows[key] = status
    notebook_paths = sorted(notebooks.glob("[0-9][0-9]_*.ipynb")) if notebooks.is_dir() else []
    for nb in notebook_paths:
        status = rows.get(nb.stem)
        if status is None:
            status = rows[nb.stem] = LessonStatus(nb.stem[:2], "(no lesson file in data/lessons)", None, nb)
        status.notebook = nb
        if with_structure:
            status.errors += [f"{nb.name}: {p}" for p in notebook_problems(nb)]
    for key, status in rows.items():
        if status.path is not None and status.notebook is None:
            status.errors.append(f"notebook {notebooks.name}/{key}.ipynb is missing")
    return sorted(rows.values(), key=lambda s: (s.id, str(s.path or s.notebook)))


def _load_data() -> tuple[Dataset | None, str | None]:
    try:
        return load_dataset(), None
    except DataError as exc:
        return None, str(exc)


# ---------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    ds, data_error = _load_data()
    rows = survey(notebooks_dir(args.lessons), ds, with_structure=not args.fast)
    table = [("ID", "TITLE", "MIN", "NOTEBOOK", "QUIZ", "PROMPTS", "STATUS")]
    for s in rows:
        lesson = s.lesson
        state = "OK" if not s.errors else f"{len(s.errors)} problem{'s' if len(s.errors) != 1 else ''}"
        table.append((
            s.id,
            s.title,
            str(lesson.minutes) if lesson else "-",
            "yes" if s.notebook else "no",
            str(len(lesson.quiz)) if lesson else "-",
            str(len(lesson.prompts)) if lesson else "-",
            state,
        ))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for r in table:
        _out("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    if not rows:
        _out("(no lessons found)")
    if data_error:
        _out(f"\nThe data could not be loaded: {data_error}")
    if any(s.errors for s in rows) or data_error:
        _out("\nRun `lessonkit check` to see the problems.")
    return EXIT_OK


def _check_evidence_share(ds: Dataset, lessons: list[LessonContent]) -> int:
    """Print the share of primary and scholarly citations and the schools file's state; return problems found."""
    from .content import schools

    try:
        known = list(schools(ds.root).values())
    except DataError as exc:
        _out(f"ERROR historians: {exc}")
        known = []
        problems = 1
    else:
        problems = 0
        for school in known:
            for sid in school.works:
                if sid not in ds.sources:
                    _out(f"ERROR historians: school {school.id!r} names unknown source id {sid!r}")
                    problems += 1
    good, total = quality.evidence_share(quality.citations(ds, lessons, known))
    share = good / total if total else 1.0
    line = (f"sources: {good} of {total} citations of sources other than the article are primary or scholarly "
            f"({share:.0%}; at least {quality.MIN_EVIDENCE_SHARE:.0%} expected)")
    if share < quality.MIN_EVIDENCE_SHARE:
        _out(f"ERROR {line}")
        return problems + 1
    _out(f"OK    {line}")
    return problems


def cmd_check(args: argparse.Namespace) -> int:
    problems = 0
    ds, data_error = _load_data()
    if data_error:
        _out(f"ERROR data: {data_error}")
        problems += 1
    else:
        assert ds is not None
        _out(f"OK    data: {len(ds.sources)} sources, {len(ds.facts)} facts, {len(ds.events)} events, "
             f"{len(ds.places)} places ({ds.root})")
    notebooks = notebooks_dir(args.lessons)
    if _structure_checker() is None:
        _out("note  lessonkit.structure is not installed: notebooks get a basic check only")
    rows = survey(notebooks, ds)
    if not rows:
        _out("ERROR no lesson files or notebooks found")
        problems += 1
    for s in rows:
        where = s.path.name if s.path else (s.notebook.name if s.notebook else s.id)
        name = f"lesson {s.id} ({where})"
        if s.errors:
            for e in s.errors:
                _out(f"ERROR {name}: {e}")
            problems += len(s.errors)
        else:
            _out(f"OK    {name}: {s.title}")
        for w in s.warnings:
            _out(f"warn  {name}: {w}")
    if ds is not None:
        problems += _check_evidence_share(ds, [s.lesson for s in rows if s.lesson is not None])
    if problems:
        _out(f"\n{problems} problem{'s' if problems != 1 else ''} found.")
        return EXIT_PROBLEMS
    _out("\nAll checks passed.")
    return EXIT_OK


def cmd_portfolio(args: argparse.Namespace) -> int:
    from .download import export_names
    from .portfolio import portfolio_html, portfolio_json

    answers = Path(args.answers) if args.answers else journal.answers_dir()
    if not answers.is_dir():
        _err(f"No answers folder at {answers} (set --answers or LESSONKIT_ANSWERS).")
        return EXIT_NOTHING
    records, problems = journal.load_all(answers)
    if args.lesson:
        records = [r for r in records if r.get("lesson") == args.lesson]
    if not records and problems:
        for p in problems:
            _err(f"ERROR {p}")
        _err(f"No answer in {answers} could be read: nothing written.")
        return EXIT_NOTHING
    student = args.student if args.student is not None else journal.student_name(answers)
    lessons, _ = readable_lessons()
    out = Path(args.out) if args.out else answers
    out.mkdir(parents=True, exist_ok=True)
    html_name, json_name = export_names(args.lesson)
    journal.atomic_write_text(out / html_name, portfolio_html(records, lessons, student=student, problems=problems),
                              keep_previous=False)
    journal.atomic_write_text(out / json_name, portfolio_json(records, student=student, problems=problems),
                              keep_previous=False)
    for p in problems:
        _err(f"warning: {p}")
    _out(f"{len(records)} answers written to {out / html_name} and {out / json_name}")
    return EXIT_OK


def _in_the_way(paths: Sequence[Path], force: bool) -> bool:
    """Say so and return True when a file to be written exists and lessonkit did not write it (no --force)."""
    from .printable import written_by_lessonkit

    if force:
        return False
    foreign = [p for p in paths if p.exists() and not written_by_lessonkit(p)]
    for p in foreign:
        _err(f"ERROR {p} exists and was not written by lessonkit: not replaced")
    if foreign:
        _err("Choose another --out folder, or add --force to replace these files.")
    return bool(foreign)


def _lessons_or_fail() -> tuple[list[LessonContent], Dataset] | None:
    ds, data_error = _load_data()
    lessons, problems = readable_lessons()
    for p in problems:
        _err(f"ERROR {p}")
    if data_error:
        _err(f"ERROR data: {data_error}")
    if data_error or problems or ds is None:
        _err("Fix the data first (`lessonkit check` lists every problem).")
        return None
    return lessons, ds


def cmd_guide(args: argparse.Namespace) -> int:
    from .guide import teacher_guide_html

    loaded = _lessons_or_fail()
    if loaded is None:
        return EXIT_PROBLEMS
    lessons, ds = loaded
    out = Path(args.out)
    path = out / "teacher_guide.html"
    if _in_the_way([path], args.force):
        return EXIT_NOTHING
    out.mkdir(parents=True, exist_ok=True)
    journal.atomic_write_text(path, teacher_guide_html(lessons, ds), keep_previous=False)
    _out(f"Teacher guide for {len(lessons)} lessons written to {path}")
    return EXIT_OK


def cmd_handouts(args: argparse.Namespace) -> int:
    from .handouts import write_handouts

    loaded = _lessons_or_fail()
    if loaded is None:
        return EXIT_PROBLEMS
    lessons, ds = loaded
    out = Path(args.out)
    if _in_the_way([out / f"{lesson.name}.html" for lesson in lessons] + [out / "index.html"], args.force):
        return EXIT_NOTHING
    written = write_handouts(out, lessons, ds)
    for path in written:
        _out(f"written {path}")
    return EXIT_OK


# ---------------------------------------------------------------- collect


REPORT_COLUMNS = (
    "student", "file", "lesson", "kind", "id", "question", "answer", "correct", "attempts", "saved_at",
)
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
    from .portfolio import parse_export

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
    counts = defaultdict(int)
    for sub in subs:
        counts[sub.student] += 1
    for sub in subs:
        sub.label = f"{sub.student} ({sub.path.as_posix()})" if counts[sub.student] > 1 else sub.student
    return subs, rejected, warnings


def _question_for(record: dict[str, Any], lessons: dict[str, LessonContent]) -> str:
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
            rows.append({
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
            })
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
    subs: Sequence[Submission], rows: Sequence[dict[str, str]], lessons: dict[str, LessonContent],
    rejected: Sequence[str], warnings: Sequence[str],
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
            f"<tr><th scope=\"row\">{esc(sub.label)}</th><td>{esc(sub.path.as_posix())}</td>"
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
                f"<tr><td>{esc(group[0]['question'] or qid)}</td><td class=\"num\">{len(group)}</td>"
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
                f'</div></td><td>{esc(r["correct"])}</td><td>{esc(when(r["saved_at"]))}</td></tr>'
                for r in sorted(group, key=lambda r: r["label"].lower())
            )
            body.append(
                f'<h3>{esc(label)}: {esc(question)}</h3><table><thead><tr><th scope="col">Student</th>'
                '<th scope="col">Answer</th><th scope="col">Correct</th><th scope="col">Saved</th></tr></thead>'
                f"<tbody>{answer_rows}</tbody></table>"
            )
        body.append("</section>")
    return page("Class report: the Russian Revolution of 1917", "\n".join(body), REPORT_CSS)


def cmd_collect(args: argparse.Namespace) -> int:
    subs, rejected, warnings = read_submissions(args.paths)
    for r in rejected:
        _err(f"rejected {r}")
    for w in warnings:
        _err(f"warning {w}")
    if not subs:
        _err("No student file could be read: no report written.")
        return EXIT_NOTHING
    lessons = {lesson.id: lesson for lesson in readable_lessons()[0]}
    rows = report_rows(subs, lessons)
    out = Path(args.out)
    csv_path, html_path = out / "class_report.csv", out / "class_report.html"
    if _in_the_way([csv_path, html_path], args.force):
        return EXIT_NOTHING
    out.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: spreadsheet programs then read Cyrillic, Arabic and emoji correctly.
    journal.atomic_write_text(csv_path, "\ufeff" + report_csv(rows), keep_previous=False)
    journal.atomic_write_text(html_path, report_html(subs, rows, lessons, rejected, warnings), keep_previous=False)
    _out(f"{len(subs)} student file{'s' if len(subs) != 1 else ''} read ({len(rows)} answers); "
         f"{len(rejected)} rejected.")
    _out(f"written {csv_path}")
    _out(f"written {html_path}")
    return EXIT_OK


def cmd_copy_lessons(args: argparse.Namespace) -> int:
    from .lessoncopy import copy_lessons

    source = packaged_lessons()
    outcomes = copy_lessons(source, Path(args.folder), force=args.force)
    for o in outcomes:
        _out(f"{o.action:14} {Path(args.folder) / o.name}")
    kept = [o for o in outcomes if o.action == "kept (edited)"]
    if kept:
        _out(f"\n{len(kept)} notebook(s) were changed since they were copied and were kept as they are "
             "(add --force to replace them with fresh copies).")
    _out(f"\nOpen {Path(args.folder) / outcomes[0].name} to begin.")
    return EXIT_OK


# ---------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and the tests)."""
    parser = argparse.ArgumentParser(
        prog="lessonkit",
        description="Lessons on the Russian Revolution of 1917: check them, and make the printable pages. "
        "Data comes from $LESSONKIT_DATA (default: data/ of the checkout); student answers from "
        "$LESSONKIT_ANSWERS (default: ./my_answers).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = add("list", "List the lessons: id, title, minutes, notebook present, questions, prompts, status.", cmd_list)
    p.add_argument("--lessons", metavar="DIR", help="folder of the lesson notebooks (default: lessons/ beside data/)")
    p.add_argument("--fast", action="store_true", help="skip the notebook structure check")

    p = add("check", "Validate the data, every lesson file and every notebook; exit 1 on any problem.", cmd_check)
    p.add_argument("--lessons", metavar="DIR", help="folder of the lesson notebooks (default: lessons/ beside data/)")

    p = add("portfolio", "Write a student's saved answers as a printable page and a JSON export.", cmd_portfolio)
    p.add_argument("--answers", metavar="DIR", help="the answers folder (default: $LESSONKIT_ANSWERS or ./my_answers)")
    p.add_argument("--out", metavar="DIR", help="where to write my_work_1917.html/.json (default: the answers folder)")
    p.add_argument("--lesson", metavar="NN", help="only this lesson's answers")
    p.add_argument("--student", metavar="NAME", help="the name printed on the page (default: the saved one)")

    p = add("guide", "Write the teacher guide (answer keys, model points, time plans) as teacher_guide.html.",
            cmd_guide)
    p.add_argument("--out", metavar="DIR", default="teacher_guide", help="output folder (default: teacher_guide)")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("handouts", "Write one printable worksheet per lesson (NN_slug.html) and an index.html.", cmd_handouts)
    p.add_argument("--out", metavar="DIR", default="handouts", help="output folder (default: handouts)")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("collect", "Merge students' JSON exports into class_report.csv and class_report.html.", cmd_collect)
    p.add_argument("paths", nargs="+", metavar="FILES_OR_DIRS",
                   help="exported my_work_1917*.json files, or folders holding them (each *.json inside is read)")
    p.add_argument("--out", metavar="DIR", required=True, help="output folder for the class report")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("copy-lessons", "Put a fresh copy of the lesson notebooks into a folder; a copy a student has changed "
            "is kept (use --force to replace it).", cmd_copy_lessons)
    p.add_argument("folder", metavar="DIR", help="where the notebooks go (created if needed)")
    p.add_argument("--force", action="store_true", help="replace copies that were changed since they were copied")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    import os

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        _err(f"ERROR {exc}")
        return EXIT_PROBLEMS
    except OSError as exc:
        _err(f"ERROR {exc}")
        return EXIT_NOTHING
    except Exception as exc:  # a bug: a short message for a teacher, the traceback only when asked for
        if os.environ.get("LESSONKIT_DEBUG"):
            raise
        _err(f"ERROR lessonkit stopped on an unexpected error: {type(exc).__name__}: {str(exc)[:500]}")
        _err("Please report it (with the command you ran); set LESSONKIT_DEBUG=1 to see where it happened.")
        return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())
