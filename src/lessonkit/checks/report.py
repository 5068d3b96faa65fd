"""The text of ``lessonkit list`` and ``lessonkit check``: the lesson table, and the check's report line by line.

The check's lines go out through ``emit``, one call each, in the order found (the command line passes
a print that flushes). Each function that reports problems returns how many it found; the command
turns the total into its exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from lessonkit.checks.survey import LessonStatus, survey
from lessonkit.model import quality
from lessonkit.model.content import LessonContent, schools
from lessonkit.model.data import Dataset
from lessonkit.model.schema import DataError

Emit = Callable[[str], None]


def lesson_table(rows: Sequence[LessonStatus], data_error: str | None) -> list[str]:
    """The lines of ``lessonkit list``: one per lesson, then a note on unreadable data or problems."""
    table = [("ID", "TITLE", "MIN", "NOTEBOOK", "QUIZ", "PROMPTS", "STATUS")]
    for s in rows:
        lesson = s.lesson
        state = "OK" if not s.errors else f"{len(s.errors)} problem{'s' if len(s.errors) != 1 else ''}"
        table.append(
            (
                s.id,
                s.title,
                str(lesson.minutes) if lesson else "-",
                "yes" if s.notebook else "no",
                str(len(lesson.quiz)) if lesson else "-",
                str(len(lesson.prompts)) if lesson else "-",
                state,
            )
        )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in table]
    if not rows:
        lines.append("(no lessons found)")
    if data_error:
        lines.append(f"\nThe data could not be loaded: {data_error}")
    if any(s.errors for s in rows) or data_error:
        lines.append("\nRun `lessonkit check` to see the problems.")
    return lines


def check_data(ds: Dataset | None, data_error: str | None, emit: Emit) -> int:
    """Report whether the data loaded (and what it holds); return the problems found (0 or 1)."""
    if data_error:
        emit(f"ERROR data: {data_error}")
        return 1
    assert ds is not None
    emit(
        f"OK    data: {len(ds.sources)} sources, {len(ds.facts)} facts, {len(ds.events)} events, "
        f"{len(ds.places)} places ({ds.root})"
    )
    return 0


def check_evidence_share(ds: Dataset, lessons: list[LessonContent], emit: Emit) -> int:
    """Report the share of primary and scholarly citations and the schools file's state; return problems found."""
    try:
        known = list(schools(ds.root).values())
    except DataError as exc:
        emit(f"ERROR historians: {exc}")
        known = []
        problems = 1
    else:
        problems = 0
        for school in known:
            for sid in school.works:
                if sid not in ds.sources:
                    emit(f"ERROR historians: school {school.id!r} names unknown source id {sid!r}")
                    problems += 1
    good, total = quality.evidence_share(quality.citations(ds, lessons, known))
    share = good / total if total else 1.0
    line = (
        f"sources: {good} of {total} citations of sources other than the article are primary or scholarly "
        f"({share:.0%}; at least {quality.MIN_EVIDENCE_SHARE:.0%} expected)"
    )
    if share < quality.MIN_EVIDENCE_SHARE:
        emit(f"ERROR {line}")
        return problems + 1
    emit(f"OK    {line}")
    return problems


def check_lessons(notebooks: Path, ds: Dataset | None, emit: Emit) -> int:
    """Report every lesson file and notebook (and, with data, the evidence share); return problems found."""
    problems = 0
    rows = survey(notebooks, ds)
    if not rows:
        emit("ERROR no lesson files or notebooks found")
        problems += 1
    for s in rows:
        where = s.path.name if s.path else (s.notebook.name if s.notebook else s.id)
        name = f"lesson {s.id} ({where})"
        if s.errors:
            for e in s.errors:
                emit(f"ERROR {name}: {e}")
            problems += len(s.errors)
        else:
            emit(f"OK    {name}: {s.title}")
        for w in s.warnings:
            emit(f"warn  {name}: {w}")
    if ds is not None:
        problems += check_evidence_share(ds, [s.lesson for s in rows if s.lesson is not None], emit)
    return problems


def check_verdict(problems: int, emit: Emit) -> None:
    """The check's last line: how many problems, or that all checks passed."""
    if problems:
        emit(f"\n{problems} problem{'s' if problems != 1 else ''} found.")
    else:
        emit("\nAll checks passed.")
