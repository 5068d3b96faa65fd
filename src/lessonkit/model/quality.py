"""How good the evidence is: the kinds of source cited, and the rules every lesson's evidence keeps.

- :func:`citations` lists every citation in the data and the lesson files, with its source's kind.
- :func:`evidence_share` is the share of non-article citations that are primary or scholarly
  (the project's floor is :data:`MIN_EVIDENCE_SHARE`).
- :func:`lesson_evidence_problems` checks one lesson: every claim check sets a primary or scholarly
  source beside the article; every item it says the article leaves out, and every historians' reading,
  names rows and works that exist.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from lessonkit.model.content import LessonContent, School
from lessonkit.model.data import ARTICLE_SOURCE, Dataset
from lessonkit.model.schema import EVIDENCE_KINDS

MIN_EVIDENCE_SHARE = 0.5
"""At least this share of all non-article citations must be primary or scholarly."""


@dataclass(frozen=True)
class Citation:
    """One place in the data that names a source."""

    where: str
    source: str
    kind: str


def citations(ds: Dataset, lessons: Iterable[LessonContent] = (), schools: Iterable[School] = ()) -> list[Citation]:
    """Every citation: facts, events, places, and the lessons' own source lists, cards, silences and readings."""
    out: list[Citation] = []

    def add(where: str, sid: str) -> None:
        kind = ds.sources[sid].kind if sid in ds.sources else "unknown"
        out.append(Citation(where, sid, kind))

    for fact in ds.facts.values():
        add(f"fact {fact.id}", fact.source)
    for event in ds.events.values():
        for sid in event.sources:
            add(f"event {event.id}", sid)
    for place in ds.places.values():
        add(f"place {place.id}", place.source)
    for lesson in lessons:
        for sid in lesson.extra_sources:
            add(f"lesson {lesson.id} sources", sid)
        for item in lesson.left_out:
            for sid in item.sources:
                add(f"lesson {lesson.id} left_out {item.id}", sid)
        for reading in lesson.readings:
            for sid in reading.works:
                add(f"lesson {lesson.id} historians {reading.school}", sid)
    for school in schools:
        for sid in school.works:
            add(f"school {school.id}", sid)
    return out


def kind_counts(cites: Iterable[Citation]) -> Counter[str]:
    """How many citations of each kind."""
    return Counter(c.kind for c in cites)


def evidence_share(cites: Iterable[Citation]) -> tuple[int, int]:
    """(primary or scholarly citations, all citations of sources other than the article)."""
    others = [c for c in cites if c.source != ARTICLE_SOURCE]
    return sum(c.kind in EVIDENCE_KINDS for c in others), len(others)


def row_sources(ds: Dataset, ref: str) -> tuple[str, ...]:
    """The source ids of a data row named ``event:<id>`` or ``fact:<id>`` (KeyError if there is none)."""
    kind, _, ident = ref.partition(":")
    if kind == "event":
        return ds.event(ident).sources
    if kind == "fact":
        return (ds.fact(ident).source,)
    raise KeyError(f"{ref!r} is not 'event:<id>' or 'fact:<id>'")


def _is_evidence(ds: Dataset, sid: str) -> bool:
    return sid in ds.sources and ds.sources[sid].kind in EVIDENCE_KINDS


def lesson_evidence_problems(lesson: LessonContent, ds: Dataset, school_ids: Iterable[str] = ()) -> list[str]:
    """What one lesson's evidence rules find wrong (empty when all hold)."""
    problems: list[str] = []
    for check in lesson.claim_checks:
        facts = [f for f in ds.facts.values() if f.quantity == check.quantity]
        others = [f.source for f in facts if f.source != ARTICLE_SOURCE]
        if facts and not any(_is_evidence(ds, sid) for sid in others):
            kinds = sorted({ds.sources[s].kind for s in others if s in ds.sources}) or ["none"]
            problems.append(
                f"claim check {check.id!r}: no primary or scholarly source beside the article "
                f"(other sources are: {', '.join(kinds)})"
            )
    for item in lesson.left_out:
        found: list[str] = []
        for ref in item.evidence:
            try:
                found += row_sources(ds, ref)
            except KeyError:
                problems.append(f"left_out {item.id!r}: no data row {ref!r}")
                continue
            kind, _, ident = ref.partition(":")
            row = ds.events.get(ident) if kind == "event" else ds.facts.get(ident)
            if row is not None and lesson.id not in row.lessons:
                problems.append(f"left_out {item.id!r}: {ref} is not tagged with lesson {lesson.id}")
        for sid in item.sources:
            if sid not in ds.sources:
                problems.append(f"left_out {item.id!r}: unknown source id {sid!r}")
            found.append(sid)
        if ARTICLE_SOURCE in found:
            problems.append(f"left_out {item.id!r}: cites the article, which is silent on it")
        if not any(_is_evidence(ds, sid) for sid in found):
            problems.append(f"left_out {item.id!r}: no primary or scholarly source")
    schools = set(school_ids)
    for reading in lesson.readings:
        if schools and reading.school not in schools:
            problems.append(f"historians {reading.school!r}: not a school in data/historians.toml")
        for sid in reading.works:
            if sid not in ds.sources:
                problems.append(f"historians {reading.school!r}: unknown source id {sid!r}")
    return problems


def lesson_source_ids(lesson: LessonContent, ds: Dataset) -> list[str]:
    """Every source a lesson uses, article first: its source card, facts, events, extra sources, the rows
    and works its ``[[left_out]]`` items name, and its historians' works (unknown ids are kept, to be reported)."""
    ids: list[str] = []
    if lesson.source_card:
        ids.append(lesson.source_card.source)
    ids += [f.source for f in ds.facts_for_lesson(lesson.id)]
    ids += [s for e in ds.events_for_lesson(lesson.id) for s in e.sources]
    ids += list(lesson.extra_sources)
    for item in lesson.left_out:
        for ref in item.evidence:
            try:
                ids += row_sources(ds, ref)
            except KeyError:
                continue
        ids += list(item.sources)
    ids += [s for reading in lesson.readings for s in reading.works]
    return list(dict.fromkeys(ids))
