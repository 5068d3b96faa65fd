"""Column types for the data files, and the one error every bad file raises.

A data file is read row by row; each column has a parser below. A parser
either returns the typed value or raises ``ValueError`` with a short reason,
which :func:`parse_row` turns into a :class:`DataError` naming the file, the
row and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
LESSON_RE = re.compile(r"^\d{2}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
CONFIDENCE = ("high", "medium", "low", "unverified")
SOURCE_KINDS = {
    "primary": "Primary source: a document, decree, statistic or eyewitness account of the time",
    "scholarly": "Historian's work: a study based on the evidence, with its sources",
    "reference": "Reference work: an encyclopedia, dictionary or official reference, or map data",
    "memoir": "Memoir: written later by someone who took part",
    "journalism": "Journalism: a newspaper, magazine or popular history written after the events",
    "polemic": "Polemic: a work written to argue a political case",
    "article": "The article these lessons study",
}
"""The closed vocabulary of ``sources.csv``'s ``kind``, with the words a student sees."""
KIND_WORDS = {
    "primary": "primary source",
    "scholarly": "historian",
    "reference": "reference work",
    "memoir": "memoir",
    "journalism": "journalism",
    "polemic": "polemic",
    "article": "the article",
}
"""How a figure or table labels each kind beside a source's name, e.g. 'Pipes 1990 (historian)'."""
EVIDENCE_KINDS = ("primary", "scholarly")
"""The kinds that count as evidence a claim check must set beside the article."""


class DataError(ValueError):
    """A data file is malformed. The message names the file, the row and the field."""

    def __init__(self, path: str | Path, row: int | str | None, field: str | None, reason: str):
        self.path = str(path)
        self.row = row
        self.field = field
        self.reason = reason
        where = self.path
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {reason}")


Parser = Callable[[str], Any]


def text(raw: str) -> str:
    """Any text, stripped; empty allowed."""
    return raw.strip()


def required_text(raw: str) -> str:
    """Non-empty text."""
    value = raw.strip()
    if not value:
        raise ValueError("is empty")
    return value


def identifier(raw: str) -> str:
    """A lower-case id: letters, digits, '_' and '-'."""
    value = raw.strip()
    if not ID_RE.match(value):
        raise ValueError(f"{value!r} is not a valid id (lower-case letters, digits, '_' or '-')")
    return value


def optional_identifier(raw: str) -> str | None:
    """An id, or nothing."""
    return identifier(raw) if raw.strip() else None


def number(raw: str) -> Fraction | None:
    """A number ('20000', '0.5', '2/3', '1,700,000'), or None when empty.

    Numbers are kept as exact fractions so '2/3' stays two thirds.
    """
    value = raw.strip().replace(",", "").replace("_", "")
    if not value:
        return None
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{raw.strip()!r} is not a number") from None


def integer(raw: str) -> int:
    """A whole number (required)."""
    value = raw.strip()
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a whole number") from None


def iso_date(raw: str) -> str | None:
    """An ISO date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' that exists, or None when empty.

    The date is checked for existence in the proleptic Julian calendar's month
    lengths *and* the Gregorian ones, whichever is more permissive (29 Feb 1900
    exists in the Julian calendar only); the calendar module interprets it.
    """
    value = raw.strip()
    if not value:
        return None
    match = DATE_RE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise ValueError(f"{value!r} has no month {int(month)}")
    if day is not None:
        lengths = [31, 29 if int(year) % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        if not 1 <= int(day) <= lengths[int(month) - 1]:
            raise ValueError(f"{value!r} is not a day of that month")
        if (int(year), int(month)) == (1918, 2) and int(day) < 14:
            raise ValueError(
                f"{value!r} is a day Russia never had: it went from 31 Jan 1918 (Old Style) straight to "
                "14 Feb 1918 (New Style); give the date in one of those calendars"
            )
    return value


def clock_time(raw: str) -> str | None:
    """A 24-hour time 'HH:MM', or None when empty."""
    value = raw.strip()
    if not value:
        return None
    if not TIME_RE.match(value):
        raise ValueError(f"{value!r} is not a time (use HH:MM, 24-hour)")
    return value


def _degrees(raw: str, what: str, limit: int) -> float:
    try:
        value = float(raw.strip())
    except ValueError:
        raise ValueError(f"{raw.strip()!r} is not a number") from None
    if not -limit <= value <= limit:
        raise ValueError(f"{what} {value} is outside -{limit}..{limit}")
    return value


def latitude(raw: str) -> float:
    """A latitude in degrees, -90..90."""
    return _degrees(raw, "latitude", 90)


def longitude(raw: str) -> float:
    """A longitude in degrees, -180..180."""
    return _degrees(raw, "longitude", 180)


def confidence(raw: str) -> str:
    """One of high, medium, low, unverified."""
    value = raw.strip()
    if value not in CONFIDENCE:
        raise ValueError(f"{value!r} is not one of {', '.join(CONFIDENCE)}")
    return value


def source_kind(raw: str) -> str:
    """One of the kinds in :data:`SOURCE_KINDS`: primary, scholarly, reference, memoir, journalism, polemic, article."""
    value = raw.strip()
    if value not in SOURCE_KINDS:
        raise ValueError(f"{value!r} is not a source kind (use one of: {', '.join(SOURCE_KINDS)})")
    return value


def yes_no(raw: str) -> bool:
    """'yes' or 'no' (empty means no)."""
    value = raw.strip().lower()
    if value in ("", "no"):
        return False
    if value == "yes":
        return True
    raise ValueError(f"{raw.strip()!r} is not 'yes' or 'no'")


def id_list(raw: str) -> tuple[str, ...]:
    """A ';'-separated list of ids (may be empty)."""
    return tuple(identifier(part) for part in raw.split(";") if part.strip())


def required_id_list(raw: str) -> tuple[str, ...]:
    """A non-empty ';'-separated list of ids."""
    ids = id_list(raw)
    if not ids:
        raise ValueError("is empty")
    return ids


def lesson_list(raw: str) -> tuple[str, ...]:
    """A ';'-separated list of two-digit lesson numbers such as '02;07'."""
    parts = tuple(part.strip() for part in raw.split(";") if part.strip())
    for part in parts:
        if not LESSON_RE.match(part):
            raise ValueError(f"{part!r} is not a two-digit lesson number such as '07'")
    return parts


@dataclass(frozen=True)
class Column:
    """One column of a table: its name, its parser, and whether it must be present."""

    name: str
    parse: Parser
    required: bool = True


def check_header(path: str | Path, header: list[str] | None, columns: tuple[Column, ...]) -> None:
    """Raise DataError if a required column is missing or a column is unknown."""
    if not header:
        raise DataError(path, None, None, "the file is empty or has no header row")
    names = {c.name for c in columns}
    for column in columns:
        if column.required and column.name not in header:
            raise DataError(path, 1, column.name, "required column is missing from the header")
    for name in header:
        if name not in names:
            raise DataError(path, 1, name, f"unknown column (expected: {', '.join(sorted(names))})")


def parse_row(
    path: str | Path, row_number: int, row: Mapping[str, str | None], columns: tuple[Column, ...]
) -> dict[str, Any]:
    """Parse one CSV row with the given columns; raise DataError naming the bad field."""
    out: dict[str, Any] = {}
    for column in columns:
        raw = row.get(column.name)
        if raw is None:
            if column.required:
                raise DataError(path, row_number, column.name, "value is missing (row has too few cells)")
            raw = ""
        try:
            out[column.name] = column.parse(raw)
        except ValueError as exc:
            raise DataError(path, row_number, column.name, str(exc)) from None
    return out
