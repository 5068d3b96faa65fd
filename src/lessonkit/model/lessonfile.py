"""The lesson-file schema: every table and key a ``data/lessons/NN_slug.toml`` may hold, in one place.

:func:`check_keys` rejects an unknown table or key with a :class:`DataError` naming file, entry and
key (a misspelt ``[[left_ot]]`` would otherwise be ignored and a lesson part silently lost).
:func:`schema_markdown` renders the same schema as the table in ``docs/architecture.md`` (a test keeps
them equal). What each value must be (text, id, number) is checked where it is read: ``content``
(and ``explorers.power`` for ``[power]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lessonkit.model.schema import DataError


@dataclass(frozen=True)
class Table:
    """A TOML table (``many``: an array of tables, ``[[name]]``), its keys and the tables inside it."""

    name: str
    what: str
    keys: dict[str, str]
    many: bool = False
    tables: tuple[Table, ...] = field(default=())


LESSON_FILE: tuple[Table, ...] = (
    Table(
        "lesson",
        "The lesson's metadata",
        {
            "id": "two-digit lesson number; the notebook is lessons/NN_slug.ipynb",
            "slug": "the file name after the number",
            "title": "the title (the notebook's first heading)",
            "article_section": "the section's heading in the article",
            "minutes": "length of the lesson (the teacher's time plan adds up to it)",
            "compelling_question": "the question the lesson answers",
            "objectives": "list: what students will be able to do",
            "next": "optional: the next lesson's number",
            "sources": "optional list: further source ids the lesson cites",
        },
    ),
    Table("glossary", "Key terms (4-8)", {"term": "the term", "definition": "in plain words"}, many=True),
    Table(
        "source_card",
        "Read like a historian: the article as a source",
        {
            "source": "source id (the article)",
            "author": "who wrote it",
            "written": "when and where",
            "audience": "for whom",
            "purpose": "why",
            "perspective": "from what point of view",
            "questions": "list: questions to ask of it",
        },
    ),
    Table(
        "claim_checks",
        "The article's claims set beside other sources",
        {
            "id": "id",
            "claim": "the claim in our own words",
            "quantity": "facts quantity compared",
            "question": "what students decide",
            "title": "the figure's title",
            "axis_title": "its value axis",
        },
        many=True,
    ),
    Table(
        "left_out",
        "What the article leaves out (2-4)",
        {
            "id": "id",
            "title": "heading",
            "text": "what happened and why it matters",
            "evidence": "list: event:<id> / fact:<id> rows carrying dates, numbers and sources",
            "sources": "optional list: further source ids read",
            "question": "a question for students",
        },
        many=True,
    ),
    Table(
        "historians",
        "Where historians disagree (2 or more schools)",
        {
            "school": "a school from data/historians.toml",
            "answer": "its answer to the compelling question",
            "works": "list: source ids of works read",
        },
        many=True,
    ),
    Table(
        "quiz",
        "Self-check questions (4 or more)",
        {"id": "id", "question": "the question"},
        many=True,
        tables=(
            Table(
                "options",
                "Answer options, exactly one correct",
                {
                    "text": "the option",
                    "correct": "true for the one right answer",
                    "feedback": "shown on choosing it",
                },
                many=True,
            ),
        ),
    ),
    Table(
        "prompts",
        "Discussion prompts (3 or more)",
        {
            "id": "id",
            "text": "the prompt",
            "model_points": "list: points for the teacher",
        },
        many=True,
    ),
    Table(
        "teacher",
        "Teacher notes (the guide only)",
        {
            "misconceptions": "list",
            "facilitation": "list",
        },
        tables=(
            Table("time_plan", "The lesson's stages", {"minutes": "minutes", "activity": "what happens"}, many=True),
        ),
    ),
    Table(
        "explorers",
        "The lesson's explorers (timelines, lesson 08's map, lesson 10's debate): what each shows",
        {
            "id": "the figure id (a debate: the id its saved claim has)",
            "kind": "timeline, insurrection or debate",
            "title": "its title, {years} filled in from the events (a debate: the motion)",
            "events": "optional list: event ids added to the lesson's own",
            "lesson_events": "optional (default true): start from the events tagged with the lesson",
            "from": "optional first day, as Russia dated it",
            "until": "optional last day",
            "lanes": "optional: a timeline's label rows (default 5)",
        },
        many=True,
    ),
    Table(
        "matching",
        "Lesson 09: measures matched to grievances",
        {
            "id": "id",
            "measure": "what the new power did",
            "grievance": "the grievance it answered",
            "lesson": "the lesson where the grievance is taught",
            "feedback": "shown after checking",
            "event": "optional: the event id of the measure",
        },
        many=True,
    ),
    Table(
        "power",
        "Lesson 01: who held power, moment by moment",
        {
            "title": "the grid's title",
            "note": "a note under it",
            "statuses": "optional: status names used",
        },
        tables=(
            Table(
                "moments",
                "The grid's columns",
                {
                    "id": "id",
                    "title": "heading",
                    "date": "optional date",
                    "article": "true for the article's column",
                },
                many=True,
            ),
            Table(
                "rows",
                "The holders of power",
                {
                    "id": "id",
                    "holder": "name",
                    "statuses": "one status per moment",
                    "facts": "one fact-id list per moment",
                },
                many=True,
            ),
        ),
    ),
)
"""Every table a lesson file may hold, in the order the docs list them."""


def _check_table(path: Path, table: Table, value: Any, where: str) -> None:
    entries = value if table.many and isinstance(value, list) else [value]
    for i, entry in enumerate(entries, start=1):
        here = f"{where}[{i}]" if table.many else where
        if not isinstance(entry, dict):
            continue  # the reader of this table names the shape error
        nested = {t.name: t for t in table.tables}
        for key, inner in entry.items():
            if key in nested:
                _check_table(path, nested[key], inner, f"{here}.{key}")
            elif key not in table.keys:
                known = ", ".join([*table.keys, *nested])
                raise DataError(path, here, key, f"unknown key (a [{table.name}] entry may have: {known})")


def check_keys(path: Path, raw: dict[str, Any]) -> None:
    """Raise DataError for any table or key that :data:`LESSON_FILE` does not list."""
    known = {t.name: t for t in LESSON_FILE}
    for name, value in raw.items():
        if name not in known:
            raise DataError(path, "(top level)", name, f"unknown table (a lesson file may have: {', '.join(known)})")
        _check_table(path, known[name], value, name)


def _rows(table: Table, prefix: str = "") -> list[str]:
    name = f"{prefix}{table.name}"
    shown = f"`[[{name}]]`" if table.many else f"`[{name}]`"
    keys = ", ".join(f"`{k}` ({v})" for k, v in table.keys.items())
    out = [f"| {shown} | {table.what} | {keys} |"]
    for inner in table.tables:
        out += _rows(inner, f"{name}.")
    return out


def schema_markdown() -> str:
    """The schema as a Markdown table (docs/architecture.md holds exactly this)."""
    lines = ["| table | holds | keys |", "|---|---|---|"]
    for table in LESSON_FILE:
        lines += _rows(table)
    return "\n".join(lines)
