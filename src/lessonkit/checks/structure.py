"""The lesson template, checked: every notebook in ``lessons/`` follows the order in docs/authoring.md.

:func:`check_notebook` returns a list of problems (empty when the lesson is
well formed); the structure test and ``lessonkit check`` both use it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from lessonkit.model.content import LessonContent, lesson_content
from lessonkit.model.schema import DataError

SECTIONS = (
    "Before you read",
    "The story",
    "Explore",
    "Read like a historian",
    "Check your understanding",
    "Discuss",
    "Summary",
)
"""The level-2 headings every lesson has, in this order (title and header come first)."""

NAME_RE = re.compile(r"^(\d{2})_([a-z0-9_]+)\.ipynb$")
MAX_BYTES = 100_000
MAX_CODE_LINES = 20
MIN_QUIZ, MIN_PROMPTS, MIN_TERMS, MAX_TERMS = 4, 3, 4, 8
MIN_LEFT_OUT, MAX_LEFT_OUT, MIN_READINGS = 2, 4, 2

PLUMBING_RE = re.compile(r"\.value\s*(?:,[^=\n]*)?=(?!=)|\.figure\.|layout\.meta|\._[a-z]")
"""What a student's code cell must not do: set a widget's value, or reach into a figure or a private attribute
(checks of widget internals belong in tests/; a lesson's cells show history)."""

HISTORIAN_PARTS = ("### What the article leaves out", "### Where historians disagree")
"""Sub-headings every lesson's 'Read like a historian' has (lesson 00 adds 'How good is this source?')."""

# What each section must call, as (section, regex, description).
REQUIRED_CALLS = (
    ("Read like a historian", r"\.source_card\(\)", "lesson.source_card()"),
    ("Read like a historian", r"\.claim_check\(", "lesson.claim_check(...)"),
    ("Read like a historian", r"\.left_out\(\)", "lesson.left_out()"),
    ("Read like a historian", r"\.historians\(\)", "lesson.historians()"),
    ("Check your understanding", r"\.quiz\(\)", "lesson.quiz()"),
    ("Discuss", r"\.prompts\(\)", "lesson.prompts()"),
    ("Summary", r"\.sources\(\)", "lesson.sources()"),
)


def _source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def load_notebook(path: Path) -> dict[str, Any]:
    """The notebook as JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def sections(nb: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Cells grouped under each level-2 heading ('' for the cells before the first one)."""
    out: dict[str, list[dict[str, Any]]] = {"": []}
    current = ""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            for line in _source(cell).splitlines():
                if line.startswith("## "):
                    current = line[3:].strip()
                    out.setdefault(current, [])
        out.setdefault(current, []).append(cell)
    return out


def check_content(content: LessonContent) -> list[str]:
    """Problems with a lesson's data file (counts the template asks for)."""
    problems = []
    if len(content.quiz) < MIN_QUIZ:
        problems.append(f"{content.path.name}: {len(content.quiz)} quiz questions (at least {MIN_QUIZ})")
    if len(content.prompts) < MIN_PROMPTS:
        problems.append(f"{content.path.name}: {len(content.prompts)} discussion prompts (at least {MIN_PROMPTS})")
    if not MIN_TERMS <= len(content.glossary) <= MAX_TERMS:
        problems.append(f"{content.path.name}: {len(content.glossary)} key terms ({MIN_TERMS}-{MAX_TERMS})")
    if not content.objectives:
        problems.append(f"{content.path.name}: no learning objectives")
    if content.source_card is None:
        problems.append(f"{content.path.name}: no [source_card]")
    if not content.claim_checks:
        problems.append(f"{content.path.name}: no [[claim_checks]]")
    if not MIN_LEFT_OUT <= len(content.left_out) <= MAX_LEFT_OUT:
        problems.append(
            f"{content.path.name}: {len(content.left_out)} [[left_out]] items ({MIN_LEFT_OUT}-{MAX_LEFT_OUT})"
        )
    if len(content.readings) < MIN_READINGS:
        problems.append(
            f"{content.path.name}: {len(content.readings)} [[historians]] readings (at least {MIN_READINGS})"
        )
    plan = sum(block.minutes for block in content.teacher.time_plan)
    if content.teacher.time_plan and plan != content.minutes:
        problems.append(
            f"{content.path.name}: teacher time plan adds up to {plan} minutes, lesson says {content.minutes}"
        )
    return problems


def check_notebook(path: Path) -> list[str]:
    """Every way the notebook at ``path`` departs from the lesson template (empty list = fine)."""
    name = path.name
    match = NAME_RE.match(name)
    if not match:
        return [f"{name}: file name must look like 07_the_red_guard.ipynb"]
    lesson_id, slug = match.groups()
    problems: list[str] = []
    try:
        content = lesson_content(lesson_id)
    except (KeyError, DataError) as exc:
        return [f"{name}: {exc}"]
    if content.slug != slug:
        problems.append(f"{name}: data/lessons file is {content.path.name}; notebook slug differs")
    problems += check_content(content)

    size = path.stat().st_size
    if size > MAX_BYTES:
        problems.append(f"{name}: {size} bytes (limit {MAX_BYTES}); strip outputs")
    nb = load_notebook(path)
    if nb.get("metadata", {}).get("widgets"):
        problems.append(f"{name}: saved widget state in metadata; run nbstripout")
    cells = nb.get("cells", [])
    for i, cell in enumerate(cells):
        if cell.get("cell_type") == "code":
            if cell.get("outputs") or cell.get("execution_count") is not None:
                problems.append(f"{name}: cell {i} has stored outputs; commit lessons without outputs")
            lines = _source(cell).strip().splitlines()
            for line in lines:
                if PLUMBING_RE.search(line.split("#", 1)[0]):
                    problems.append(
                        f"{name}: cell {i} works a widget's internals ({line.strip()!r}): move the check to tests/"
                    )
            if len(lines) > MAX_CODE_LINES:
                problems.append(
                    f"{name}: cell {i} has {len(lines)} lines of code (notebooks stay thin: at most {MAX_CODE_LINES})"
                )

    if not cells or cells[0].get("cell_type") != "markdown":
        return problems + [f"{name}: the first cell must be the Markdown title"]
    title_line = _source(cells[0]).strip().splitlines()[0] if _source(cells[0]).strip() else ""
    expected = f"# {lesson_id} · {content.title}"
    if title_line != expected:
        problems.append(f"{name}: first line must be {expected!r}, found {title_line!r}")

    groups = sections(nb)
    found = [h for h in groups if h]
    expected_order = [h for h in found if h in SECTIONS]
    if expected_order != list(SECTIONS):
        problems.append(f"{name}: sections must be {list(SECTIONS)} in this order; found {found}")
    intro = "\n".join(_source(c) for c in groups.get("", []) if c.get("cell_type") == "code")
    if not re.search(rf'Lesson\(\s*"{lesson_id}"\s*\)', intro) or ".header()" not in intro:
        problems.append(f'{name}: the first code cell must create lk.Lesson("{lesson_id}") and show lesson.header()')
    for section, pattern, what in REQUIRED_CALLS:
        code = "\n".join(_source(c) for c in groups.get(section, []) if c.get("cell_type") == "code")
        if not re.search(pattern, code):
            problems.append(f"{name}: section '{section}' must call {what}")
    read_like = groups.get("Read like a historian", [])
    historian = "\n".join(_source(c) for c in read_like if c.get("cell_type") == "markdown")
    for sub in HISTORIAN_PARTS:
        if sub not in historian:
            problems.append(f"{name}: 'Read like a historian' needs a '{sub}' heading")
    if lesson_id == "00":
        code = "\n".join(_source(c) for c in read_like if c.get("cell_type") == "code")
        for call in ("source_kinds", "schools"):
            if f".{call}()" not in code:
                problems.append(f"{name}: lesson 00's 'Read like a historian' must call lesson.{call}()")
    summary = "\n".join(_source(c) for c in groups.get("Summary", []) if c.get("cell_type") == "markdown")
    for sub in ("### What's next", "### Sources"):
        if sub not in summary:
            problems.append(f"{name}: the Summary needs a '{sub}' heading")
    explore = [c for c in groups.get("Explore", []) if c.get("cell_type") == "code"]
    if not explore:
        problems.append(f"{name}: the Explore section has no interactive centrepiece (no code cell)")
    if not any(re.search(r"^\s*assert\b", _source(c), re.M) for c in cells if c.get("cell_type") == "code"):
        problems.append(f"{name}: no assert cell (lessons check what they compute)")
    return problems
