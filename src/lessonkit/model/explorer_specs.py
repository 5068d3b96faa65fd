"""What a lesson's explorers show, from its ``[[explorers]]`` entries: ids, titles, events, windows, defaults.

An explorer (a timeline a student scrubs, lesson 08's insurrection map, lesson 10's debate) is built by
:meth:`lessonkit.lesson.Lesson.explorer` from one entry, so a lesson's ids and dates stay in its lesson
file and out of code and notebook cells::

    [[explorers]]
    id = "timeline_05"                 # the figure id
    kind = "timeline"                  # one of KINDS
    title = "Lenin's return and the April turn, {years}"   # {years}: '1917' or '1904-1937', from the events
    events = ["june_offensive"]        # optional: events added to the lesson's own
    lesson_events = true               # optional (default true): start from the events tagged with the lesson
    from = "1917-10-22"                # optional window, as Russia dated it: only events on or after ...
    until = "1917-10-26"               # ... and on or before (a month-precision event counts at its first day)
    lanes = 5                          # optional: a timeline's label rows
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lessonkit.model import schema
from lessonkit.model.calendar import DualDate
from lessonkit.model.data import Dataset, Event
from lessonkit.model.schema import ID_RE, DataError

KINDS = ("timeline", "insurrection", "debate")
"""The explorers a lesson file may ask for: a scrubbed timeline, lesson 08's step-by-step map, and a
debate (a claim built from the evidence of the earlier lessons; its ``title`` is the motion and its ``id``
names the student's saved claim)."""


@dataclass(frozen=True)
class ExplorerSpec:
    """One ``[[explorers]]`` entry."""

    id: str
    kind: str
    title: str
    events: tuple[str, ...] = ()
    lesson_events: bool = True
    start: str | None = None
    end: str | None = None
    lanes: int | None = None

    @property
    def window(self) -> tuple[str | None, str | None]:
        """The first and last day of the window (None where it is open)."""
        return self.start, self.end

    def chosen_events(self, ds: Dataset, lesson_id: str) -> list[Event]:
        """The lesson's events (if ``lesson_events``) and the ones named, each once, inside the window."""
        chosen = ds.events_for_lesson(lesson_id) if self.lesson_events else []
        chosen += [ds.event(e) for e in self.events if e not in {c.id for c in chosen}]
        lo = DualDate.parse(self.start).sort_key if self.start else None
        hi = DualDate.parse(self.end).sort_key if self.end else None
        keys = {e.id: DualDate.parse(e.date).sort_key for e in chosen}
        return [e for e in chosen if (lo is None or keys[e.id] >= lo) and (hi is None or keys[e.id] <= hi)]

    def title_for(self, events: Sequence[Event]) -> str:
        """The title with ``{years}`` filled in from the events: '1917', or '1904-1937'."""
        years = sorted({DualDate.parse(e.date).year for e in events})
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}-{years[-1]}" if years else ""
        return self.title.replace("{years}", span)


def _date(path: Path, where: str, entry: dict[str, Any], key: str) -> str | None:
    raw = entry.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise DataError(path, where, key, f"must be an ISO date as text, not {type(raw).__name__}")
    try:
        return schema.iso_date(raw)
    except ValueError as bad:
        raise DataError(path, where, key, str(bad)) from None


def parse_explorers(path: Path, entries: Any) -> tuple[ExplorerSpec, ...]:
    """Validate the ``[[explorers]]`` entries of one lesson file (DataError naming file, entry and key)."""
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError(path, "(top level)", "explorers", "must be a list of tables ([[explorers]] entries)")
    specs: list[ExplorerSpec] = []
    for i, entry in enumerate(entries, start=1):
        where = f"explorers[{i}]"

        def fail(key: str, reason: str) -> DataError:
            return DataError(path, where, key, reason)  # noqa: B023 - used at once, inside this iteration

        spec_id, kind, title = entry.get("id"), entry.get("kind"), entry.get("title")
        if not isinstance(spec_id, str) or not ID_RE.match(spec_id):
            raise fail("id", "must be an id (lower-case letters, digits, '_' or '-')")
        if spec_id in {s.id for s in specs}:
            raise fail("id", f"duplicate id {spec_id!r}")
        if kind not in KINDS:
            raise fail("kind", f"must be one of {', '.join(KINDS)}, not {kind!r}")
        if not isinstance(title, str) or not title.strip():
            raise fail("title", "is missing or empty")
        events = entry.get("events", [])
        if not isinstance(events, list) or not all(isinstance(e, str) and ID_RE.match(e) for e in events):
            raise fail("events", "must be a list of event ids")
        lesson_events = entry.get("lesson_events", True)
        if not isinstance(lesson_events, bool):
            raise fail("lesson_events", "must be true or false")
        lanes = entry.get("lanes")
        if lanes is not None and (not isinstance(lanes, int) or isinstance(lanes, bool) or not 1 <= lanes <= 12):
            raise fail("lanes", "must be a whole number from 1 to 12")
        start, end = _date(path, where, entry, "from"), _date(path, where, entry, "until")
        if start and end and DualDate.parse(start).sort_key > DualDate.parse(end).sort_key:
            raise fail("from", f"{start} is after until ({end})")
        specs.append(ExplorerSpec(spec_id, kind, title.strip(), tuple(events), lesson_events, start, end, lanes))
    return tuple(specs)
