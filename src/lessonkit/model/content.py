"""Lesson content from ``data/lessons/NN_slug.toml``: metadata, glossary, quiz, prompts, teacher notes.

Content is data, not code: the notebooks and the teacher guide are both built
from these files. A malformed file raises :class:`~lessonkit.model.schema.DataError`
naming the file, the entry (e.g. ``quiz[2]``) and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from lessonkit.model.data import data_dir
from lessonkit.model.explorer_specs import ExplorerSpec, parse_explorers
from lessonkit.model.lessonfile import check_keys
from lessonkit.model.schema import ID_RE, LESSON_RE, DataError

VERDICTS = ("Corroborated", "Partly corroborated", "Contradicted", "Cannot tell yet")
"""The verdicts a student may give a claim check (the widget, the guide and the handouts use these)."""

SCHOOLS = ("soviet", "liberal", "social", "trotskyist")
"""The schools of historians a lesson's ``[[historians]]`` entries may name (described in data/historians.toml)."""


@dataclass(frozen=True)
class Term:
    """A key term and its definition in plain words."""

    term: str
    definition: str


@dataclass(frozen=True)
class Option:
    """One answer option with the feedback a student sees on choosing it."""

    text: str
    correct: bool
    feedback: str


@dataclass(frozen=True)
class Question:
    """A self-check question; exactly one option is correct."""

    id: str
    question: str
    options: tuple[Option, ...]

    @property
    def answer(self) -> Option:
        """The correct option."""
        return next(o for o in self.options if o.correct)


@dataclass(frozen=True)
class Prompt:
    """An open discussion prompt; ``model_points`` are for the teacher guide only."""

    id: str
    text: str
    model_points: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimCheck:
    """The article's claim set beside other sources for one quantity."""

    id: str
    claim: str
    quantity: str
    question: str
    title: str
    axis_title: str


@dataclass(frozen=True)
class SourceCard:
    """Sourcing questions for one source: who, when, for whom, why, from where."""

    source: str
    author: str
    written: str
    audience: str
    purpose: str
    perspective: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class Silence:
    """Something the article leaves out that changes the picture, with the evidence for it.

    ``evidence`` names data rows as ``"event:<id>"`` or ``"fact:<id>"``; ``sources`` names works read
    for the item beyond those rows.
    """

    id: str
    title: str
    text: str
    evidence: tuple[str, ...]
    sources: tuple[str, ...]
    question: str


@dataclass(frozen=True)
class Reading:
    """How one school of historians answers the lesson's compelling question, with the works it rests on."""

    school: str
    answer: str
    works: tuple[str, ...]


@dataclass(frozen=True)
class TimeBlock:
    """One step of the teacher's time plan."""

    minutes: int
    activity: str


@dataclass(frozen=True)
class TeacherNotes:
    """Teacher-only content: never shown in the student notebook."""

    time_plan: tuple[TimeBlock, ...] = ()
    misconceptions: tuple[str, ...] = ()
    facilitation: tuple[str, ...] = ()


@dataclass(frozen=True)
class LessonContent:
    """Everything a lesson says that is not prose in the notebook."""

    path: Path
    id: str
    slug: str
    title: str
    article_section: str
    minutes: int
    compelling_question: str
    objectives: tuple[str, ...]
    glossary: tuple[Term, ...]
    source_card: SourceCard | None
    claim_checks: tuple[ClaimCheck, ...]
    quiz: tuple[Question, ...]
    prompts: tuple[Prompt, ...]
    teacher: TeacherNotes = field(default_factory=TeacherNotes)
    next: str | None = None
    extra_sources: tuple[str, ...] = ()
    left_out: tuple[Silence, ...] = ()
    readings: tuple[Reading, ...] = ()
    explorers: tuple[ExplorerSpec, ...] = ()

    @property
    def name(self) -> str:
        """The notebook name without extension, e.g. '07_the_red_guard'."""
        return f"{self.id}_{self.slug}"

    def claim_check(self, check_id: str) -> ClaimCheck:
        """The claim check with this id."""
        for check in self.claim_checks:
            if check.id == check_id:
                return check
        raise KeyError(f"lesson {self.id} has no claim check {check_id!r}")

    def explorer(self, explorer_id: str) -> ExplorerSpec:
        """The ``[[explorers]]`` entry with this id."""
        for spec in self.explorers:
            if spec.id == explorer_id:
                return spec
        known = ", ".join(s.id for s in self.explorers) or "none"
        raise KeyError(f"lesson {self.id} has no explorer {explorer_id!r} (its lesson file has: {known})")


class _Reader:
    """Typed access to a TOML table, with errors that name file, entry and field."""

    def __init__(self, path: Path, table: Any, where: str):
        if not isinstance(table, dict):
            shown = "text" if isinstance(table, str) else type(table).__name__
            raise DataError(path, where, None, f"must be a table ({where} with keys under it), not {shown}")
        self.path, self.table, self.where = path, table, where

    def fail(self, key: str | None, reason: str) -> DataError:
        return DataError(self.path, self.where, key, reason)

    def text(self, key: str, required: bool = True) -> str:
        value = self.table.get(key, "")
        if not isinstance(value, str):
            raise self.fail(key, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(key, "is missing or empty")
        return value.strip()

    def ident(self, key: str) -> str:
        value = self.text(key)
        if not ID_RE.match(value):
            raise self.fail(key, f"{value!r} is not a valid id (lower-case letters, digits, '_' or '-')")
        return value

    def integer(self, key: str) -> int:
        value = self.table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise self.fail(key, "must be a positive whole number")
        return value

    def texts(self, key: str, required: bool = True) -> tuple[str, ...]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "must be a list of non-empty texts")
        if required and not value:
            raise self.fail(key, "is missing or empty")
        return tuple(v.strip() for v in value)

    def tables(self, key: str) -> list[dict[str, Any]]:
        value = self.table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, "must be a list of tables ([[...]] entries)")
        return value


def _question(path: Path, index: int, table: dict[str, Any]) -> Question:
    r = _Reader(path, table, f"quiz[{index}]")
    options = []
    for j, opt in enumerate(r.tables("options"), start=1):
        o = _Reader(path, opt, f"quiz[{index}].options[{j}]")
        correct = opt.get("correct", False)
        if not isinstance(correct, bool):
            raise o.fail("correct", "must be true or false")
        options.append(Option(text=o.text("text"), correct=correct, feedback=o.text("feedback")))
    if len(options) < 2:
        raise r.fail("options", "a question needs at least two options")
    if sum(o.correct for o in options) != 1:
        raise r.fail("options", f"exactly one option must be correct (found {sum(o.correct for o in options)})")
    return Question(id=r.ident("id"), question=r.text("question"), options=tuple(options))


def parse_lesson(path: Path, raw: dict[str, Any]) -> LessonContent:
    """Validate a parsed TOML document and build the lesson content."""
    meta = raw.get("lesson")
    if not isinstance(meta, dict):
        raise DataError(path, "[lesson]", None, "the [lesson] table is missing")
    check_keys(path, raw)
    m = _Reader(path, meta, "[lesson]")
    lesson_id = m.text("id")
    if not LESSON_RE.match(lesson_id):
        raise m.fail("id", f"{lesson_id!r} is not a two-digit lesson number")
    slug = m.ident("slug")
    if path.stem != f"{lesson_id}_{slug}":
        raise m.fail("slug", f"file name {path.name} does not match id and slug ({lesson_id}_{slug}.toml)")
    top = _Reader(path, raw, "(top level)")
    glossary = tuple(
        Term(
            term=_Reader(path, t, f"glossary[{i}]").text("term"),
            definition=_Reader(path, t, f"glossary[{i}]").text("definition"),
        )
        for i, t in enumerate(top.tables("glossary"), start=1)
    )
    card = None
    if "source_card" in raw:
        c = _Reader(path, raw["source_card"], "[source_card]")
        card = SourceCard(
            source=c.ident("source"),
            author=c.text("author"),
            written=c.text("written"),
            audience=c.text("audience"),
            purpose=c.text("purpose"),
            perspective=c.text("perspective"),
            questions=c.texts("questions"),
        )
    checks = []
    for i, t in enumerate(top.tables("claim_checks"), start=1):
        c = _Reader(path, t, f"claim_checks[{i}]")
        checks.append(
            ClaimCheck(
                id=c.ident("id"),
                claim=c.text("claim"),
                quantity=c.ident("quantity"),
                question=c.text("question"),
                title=c.text("title"),
                axis_title=c.text("axis_title"),
            )
        )
    quiz = tuple(_question(path, i, t) for i, t in enumerate(top.tables("quiz"), start=1))
    prompts = []
    for i, t in enumerate(top.tables("prompts"), start=1):
        p = _Reader(path, t, f"prompts[{i}]")
        prompts.append(
            Prompt(id=p.ident("id"), text=p.text("text"), model_points=p.texts("model_points", required=False))
        )
    left_out = []
    for i, t in enumerate(top.tables("left_out"), start=1):
        r = _Reader(path, t, f"left_out[{i}]")
        evidence = r.texts("evidence", required=False)
        for ref in evidence:
            kind, _, ident = ref.partition(":")
            if kind not in ("event", "fact") or not ID_RE.match(ident):
                raise r.fail("evidence", f"{ref!r} must look like 'event:<id>' or 'fact:<id>'")
        sources = r.texts("sources", required=False)
        for sid in sources:
            if not ID_RE.match(sid):
                raise r.fail("sources", f"{sid!r} is not a valid source id")
        if not evidence and not sources:
            raise r.fail("evidence", "name at least one event or fact (evidence) or source (sources)")
        left_out.append(
            Silence(
                id=r.ident("id"),
                title=r.text("title"),
                text=r.text("text"),
                evidence=evidence,
                sources=sources,
                question=r.text("question"),
            )
        )
    readings = []
    for i, t in enumerate(top.tables("historians"), start=1):
        r = _Reader(path, t, f"historians[{i}]")
        school = r.ident("school")
        if school not in SCHOOLS:
            raise r.fail("school", f"{school!r} is not a school (use one of: {', '.join(SCHOOLS)})")
        works = r.texts("works")
        for sid in works:
            if not ID_RE.match(sid):
                raise r.fail("works", f"{sid!r} is not a valid source id")
        readings.append(Reading(school=school, answer=r.text("answer"), works=works))
    seen_schools: set[str] = set()
    for i, reading in enumerate(readings, start=1):
        if reading.school in seen_schools:
            raise DataError(path, f"historians[{i}]", "school", f"school {reading.school!r} is given twice")
        seen_schools.add(reading.school)
    teacher_raw = raw.get("teacher", {})
    notes = _Reader(path, teacher_raw, "[teacher]")
    plan = []
    for i, block in enumerate(notes.tables("time_plan"), start=1):
        b = _Reader(path, block, f"teacher.time_plan[{i}]")
        plan.append(TimeBlock(minutes=b.integer("minutes"), activity=b.text("activity")))
    teacher = TeacherNotes(
        time_plan=tuple(plan),
        misconceptions=notes.texts("misconceptions", required=False),
        facilitation=notes.texts("facilitation", required=False),
    )
    parts: tuple[tuple[str, Sequence[Any]], ...] = (
        ("quiz", quiz), ("prompts", prompts), ("claim_checks", checks), ("left_out", left_out)
    )
    for kind, items in parts:
        seen: set[str] = set()
        for i, item in enumerate(items, start=1):
            if item.id in seen:
                raise DataError(path, f"{kind}[{i}]", "id", f"duplicate id {item.id!r}")
            seen.add(item.id)
    nxt = meta.get("next")
    if nxt is not None and (not isinstance(nxt, str) or not LESSON_RE.match(nxt)):
        raise m.fail("next", "must be a two-digit lesson number")
    return LessonContent(
        path=path,
        id=lesson_id,
        slug=slug,
        title=m.text("title"),
        article_section=m.text("article_section"),
        minutes=m.integer("minutes"),
        compelling_question=m.text("compelling_question"),
        objectives=m.texts("objectives"),
        glossary=glossary,
        source_card=card,
        claim_checks=tuple(checks),
        quiz=quiz,
        prompts=tuple(prompts),
        teacher=teacher,
        next=nxt,
        extra_sources=m.texts("sources", required=False),
        left_out=tuple(left_out),
        readings=tuple(readings),
        explorers=parse_explorers(path, raw.get("explorers", [])),
    )


def lessons_dir(root: Path | None = None) -> Path:
    """The folder of lesson content files."""
    return (root or data_dir()) / "lessons"


def load_lesson_file(path: Path) -> LessonContent:
    """Read and validate one lesson file."""
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


def read_lesson_toml(path: Path) -> dict[str, Any]:
    """The raw tables of a lesson file (for the parts other modules parse: power grid, matching).

    A file that is not TOML or not UTF-8 raises :class:`DataError` naming the file.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(path, None, None, f"not valid TOML ({exc})") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, None, None, f"not valid UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise DataError(path, None, None, f"could not be read ({exc.strerror or exc})") from None


@cache
def _load_cached(path: str, _mtime: int, _size: int) -> LessonContent:
    p = Path(path)
    return parse_lesson(p, read_lesson_toml(p))


def all_lessons(root: Path | None = None) -> list[LessonContent]:
    """Every lesson content file, in lesson order."""
    return [load_lesson_file(p) for p in sorted(lessons_dir(root).glob("*.toml"))]


def lesson_content(lesson_id: str, root: Path | None = None) -> LessonContent:
    """The content of lesson ``lesson_id`` ('07')."""
    matches = sorted(lessons_dir(root).glob(f"{lesson_id}_*.toml"))
    if not matches:
        raise KeyError(f"no lesson file data/lessons/{lesson_id}_*.toml")
    return load_lesson_file(matches[0])


@dataclass(frozen=True)
class School:
    """A school of historians of 1917: its name, its reading in brief, and works that show it."""

    id: str
    name: str
    summary: str
    works: tuple[str, ...]


def schools(root: Path | None = None) -> dict[str, School]:
    """The schools of historians, from ``data/historians.toml``, keyed by id (in :data:`SCHOOLS` order)."""
    path = (root or data_dir()) / "historians.toml"
    if not path.is_file():
        raise DataError(path, None, None, "file not found (it describes the schools of historians)")
    raw = read_lesson_toml(path)
    top = _Reader(path, raw, "(top level)")
    found: dict[str, School] = {}
    for i, t in enumerate(top.tables("school"), start=1):
        r = _Reader(path, t, f"school[{i}]")
        sid = r.ident("id")
        if sid not in SCHOOLS:
            raise r.fail("id", f"{sid!r} is not one of {', '.join(SCHOOLS)}")
        if sid in found:
            raise r.fail("id", f"duplicate school {sid!r}")
        found[sid] = School(id=sid, name=r.text("name"), summary=r.text("summary"), works=r.texts("works"))
    missing = [s for s in SCHOOLS if s not in found]
    if missing:
        raise DataError(path, None, "school", f"no entry for {', '.join(missing)}")
    return {s: found[s] for s in SCHOOLS}


# ---------------------------------------------------------------- [[matching]] (lesson 09's activity)


@dataclass(frozen=True)
class MatchItem:
    """One measure and the grievance it answered."""

    id: str
    measure: str
    grievance: str
    lesson: str
    feedback: str
    event: str | None = None


def parse_items(path: Path, raw: dict) -> list[MatchItem]:
    """The ``[[matching]]`` entries of a parsed lesson file (DataError naming entry and field when malformed)."""
    entries = raw.get("matching", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError(path, "matching", None, "must be a list of tables ([[matching]] entries)")
    items: list[MatchItem] = []
    for i, entry in enumerate(entries, start=1):
        where = f"matching[{i}]"
        values = {}
        for key in ("id", "measure", "grievance", "lesson", "feedback"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise DataError(path, where, key, "is missing or empty")
            values[key] = value.strip()
        if not ID_RE.match(values["id"]):
            raise DataError(path, where, "id", f"{values['id']!r} is not a valid id")
        if not LESSON_RE.match(values["lesson"]):
            raise DataError(path, where, "lesson", f"{values['lesson']!r} is not a two-digit lesson number")
        event = entry.get("event")
        if event is not None and (not isinstance(event, str) or not ID_RE.match(event)):
            raise DataError(path, where, "event", "must be an event id")
        if values["id"] in {item.id for item in items}:
            raise DataError(path, where, "id", f"duplicate id {values['id']!r}")
        items.append(MatchItem(event=event, **values))
    return items


def load_items(lesson_id: str) -> list[MatchItem]:
    """The matching pairs stored in ``data/lessons/<lesson_id>_*.toml``."""
    path = lesson_content(lesson_id).path
    return parse_items(path, read_lesson_toml(path))


def grievance_options(items: list[MatchItem]) -> list[str]:
    """Every grievance once, in alphabetical order (so the right answer's place gives nothing away)."""
    return sorted({item.grievance for item in items})
