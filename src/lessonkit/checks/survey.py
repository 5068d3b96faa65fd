"""Every lesson file and notebook, with their problems: what ``lessonkit list`` and ``lessonkit check`` report.

:func:`survey` pairs ``data/lessons/NN_*.toml`` with ``lessons/NN_*.ipynb`` and collects, for each lesson,
the errors and warnings from its content (:func:`content_problems`) and its notebook's structure
(:func:`notebook_problems`, the checker in :mod:`lessonkit.checks.structure`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lessonkit.checks.structure import check_notebook
from lessonkit.model import quality
from lessonkit.model.content import SCHOOLS, LessonContent, lessons_dir, load_lesson_file
from lessonkit.model.data import Dataset
from lessonkit.model.schema import DataError


def notebook_problems(path: Path) -> list[str]:
    """Problems with one notebook's structure; a crash in the checker is reported as a problem too."""
    try:
        return [str(p) for p in check_notebook(path)]
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
        for i, spec in enumerate(lesson.explorers, start=1):
            unknown = [e for e in spec.events if e not in ds.events]
            if unknown:
                errors.append(f"explorers[{i}] ({spec.id}): unknown event id {unknown[0]!r} (not in data/events/)")
            elif spec.kind != "debate" and not spec.chosen_events(ds, lesson.id):
                errors.append(f"explorers[{i}] ({spec.id}): no events (the lesson's own and those named) in its window")
    if not any(p.model_points for p in lesson.prompts) and lesson.prompts:
        warnings.append("no model points for any prompt (the teacher guide will have none)")
    if lesson.next and lesson.next not in known_ids:
        warnings.append(f"next = {lesson.next!r}, but there is no lesson file for it yet")
    return errors, warnings


def survey(notebooks: Path, ds: Dataset | None, with_structure: bool = True) -> list[LessonStatus]:
    """Every lesson file and notebook, with their problems."""
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
        found = rows.get(nb.stem)
        if found is None:
            found = rows[nb.stem] = LessonStatus(nb.stem[:2], "(no lesson file in data/lessons)", None, nb)
        status = found
        status.notebook = nb
        if with_structure:
            status.errors += [f"{nb.name}: {p}" for p in notebook_problems(nb)]
    for key, status in rows.items():
        if status.path is not None and status.notebook is None:
            status.errors.append(f"notebook {notebooks.name}/{key}.ipynb is missing")
    return sorted(rows.values(), key=lambda s: (s.id, str(s.path or s.notebook)))
