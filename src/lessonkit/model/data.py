"""Load and validate the sourced facts in ``data/``: sources, facts, events and places.

Every loader returns frozen dataclasses. A malformed file raises
:class:`~lessonkit.model.schema.DataError` naming the file, the row and the field.
Parsed files are cached by path, size and modification time, so a lesson that
asks for the data many times reads each file once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TypeVar

from lessonkit.model import schema as s
from lessonkit.model.schema import Column, DataError

# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Source:
    """A work that a fact cites: who wrote it, when, what kind of source it is."""

    id: str
    short: str
    author: str
    title: str
    year: str
    kind: str
    where_read: str
    note: str

    @property
    def kind_word(self) -> str:
        """What kind of source this is, in a student's words: 'primary source', 'historian', 'memoir'..."""
        return s.KIND_WORDS[self.kind]

    @property
    def labelled(self) -> str:
        """The short name with its kind, as figures and tables show it: 'Reed 1919 (primary source)'."""
        return f"{self.short} ({self.kind_word})"

    def citation(self) -> str:
        """A one-line citation: author, title (year), where it was read."""
        year = f" ({self.year})" if self.year else ""
        where = f"; read at {self.where_read}" if self.where_read else ""
        return f"{self.author}, {self.title}{year}{where}"


@dataclass(frozen=True)
class Fact:
    """One sourced figure. Facts that share a ``quantity`` are competing claims about it."""

    id: str
    quantity: str
    label: str
    value: Fraction | None
    low: Fraction | None
    high: Fraction | None
    unit: str
    date: str | None
    place: str | None
    source: str
    confidence: str
    lessons: tuple[str, ...]
    note: str
    cited: Source = field(compare=False, repr=False)
    """The ``source`` record itself, resolved when the data is loaded."""

    @property
    def central(self) -> float:
        """The value to plot: the value, or the middle of the range."""
        if self.value is not None:
            return float(self.value)
        if self.low is None or self.high is None:
            raise ValueError(f"fact {self.id!r} is a statement and has no number")
        return float(self.low + self.high) / 2

    @property
    def is_range(self) -> bool:
        """True when the source gives a range (low–high) rather than one number."""
        return self.low is not None and self.high is not None

    @property
    def lowest(self) -> float:
        """The bottom of the range, or the value."""
        return float(self.low) if self.low is not None and self.high is not None else self.central

    @property
    def highest(self) -> float:
        """The top of the range, or the value."""
        return float(self.high) if self.low is not None and self.high is not None else self.central

    @property
    def span(self) -> float:
        """How wide the range is (0 for a single figure), computed exactly before it becomes a float."""
        return float(self.high - self.low) if self.low is not None and self.high is not None else 0.0

    def numbers(self) -> tuple[Fraction, ...]:
        """Every number this fact states (value, low, high)."""
        return tuple(n for n in (self.value, self.low, self.high) if n is not None)

    def display(self) -> str:
        """The figure as a reader sees it: '20,000', '25,000–30,000', '2/3' (a statement: its label)."""
        if self.unit == "statement":
            return self.label
        if self.is_range and self.value is None:
            return f"{format_number(self.low)}–{format_number(self.high)}"
        text = format_number(self.value)
        if self.is_range:
            text += f" ({format_number(self.low)}–{format_number(self.high)})"
        return text


@dataclass(frozen=True)
class Event:
    """A dated event. ``date`` is as Russia dated it: Julian until 31 Jan 1918, Gregorian after."""

    id: str
    date: str
    time: str | None
    title: str
    description: str
    place: str | None
    lessons: tuple[str, ...]
    sources: tuple[str, ...]
    confidence: str
    note: str
    cited: tuple[Source, ...] = field(compare=False, repr=False)
    """The ``sources`` records themselves, in order, resolved when the data is loaded."""

    @property
    def single_source(self) -> bool:
        """True when only one source supports the event."""
        return len(self.sources) == 1


@dataclass(frozen=True)
class Place:
    """A located place: a Petrograd site or a city, with how sure we are of the point."""

    id: str
    name: str
    name_1917: str
    kind: str
    lat: float
    lon: float
    source: str
    confidence: str
    approximate: bool
    note: str
    cited: Source = field(compare=False, repr=False)
    """The ``source`` record itself, resolved when the data is loaded."""


def format_number(value: Fraction | float | int | None) -> str:
    """Format a number for prose: thousands separators; thirds and the like as 'a/b', decimals as decimals."""
    if value is None:
        return ""
    if isinstance(value, Fraction) and value.denominator != 1:
        denominator = value.denominator
        while denominator % 2 == 0:
            denominator //= 2
        while denominator % 5 == 0:
            denominator //= 5
        if denominator != 1 and abs(value) < 10:  # not a terminating decimal: 2/3, 1/3, 5/6
            return f"{value.numerator}/{value.denominator}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------- schemas

ARTICLE_SOURCE = "spark1977"  # the id of the article itself, "The Russian Revolution" (The Spark, 1977)

SOURCE_COLUMNS = (
    Column("id", s.identifier),
    Column("short", s.required_text),
    Column("author", s.required_text),
    Column("title", s.required_text),
    Column("year", s.text),
    Column("kind", s.source_kind),
    Column("where_read", s.text),
    Column("note", s.text),
)

FACT_COLUMNS = (
    Column("id", s.identifier),
    Column("quantity", s.identifier),
    Column("label", s.required_text),
    Column("value", s.number),
    Column("low", s.number, required=False),
    Column("high", s.number, required=False),
    Column("unit", s.required_text),
    Column("date", s.iso_date),
    Column("place", s.optional_identifier, required=False),
    Column("source", s.identifier),
    Column("confidence", s.confidence),
    Column("lessons", s.lesson_list),
    Column("note", s.text, required=False),
)

EVENT_COLUMNS = (
    Column("id", s.identifier),
    Column("date", lambda raw: _required(s.iso_date(raw))),
    Column("time", s.clock_time, required=False),
    Column("title", s.required_text),
    Column("description", s.required_text),
    Column("place", s.optional_identifier, required=False),
    Column("lessons", s.lesson_list),
    Column("sources", s.required_id_list),
    Column("confidence", s.confidence),
    Column("note", s.text, required=False),
)

PLACE_COLUMNS = (
    Column("id", s.identifier),
    Column("name", s.required_text),
    Column("name_1917", s.text, required=False),
    Column("kind", s.required_text),
    Column("lat", s.latitude),
    Column("lon", s.longitude),
    Column("source", s.identifier),
    Column("confidence", s.confidence),
    Column("approximate", s.yes_no, required=False),
    Column("note", s.text, required=False),
)


def _required(value: str | None) -> str:
    if value is None:
        raise ValueError("is empty")
    return value


# ---------------------------------------------------------------- reading


def data_dir() -> Path:
    """The folder holding the data files.

    ``LESSONKIT_DATA`` wins; then ``data/`` of a source checkout; then the copy
    packed into the installed wheel (``lessonkit/_data``).
    """
    env = os.environ.get("LESSONKIT_DATA")
    if env:
        return Path(env)
    package = Path(__file__).resolve().parents[1]  # src/lessonkit (this file is in model/)
    checkout = package.parent.parent / "data"
    if (checkout / "sources.csv").is_file():
        return checkout
    return package / "_data"


def read_table(path: Path, columns: tuple[Column, ...]) -> list[tuple[int, dict]]:
    """Read a CSV file into (row number, parsed row) pairs; the header is row 1."""
    stat = path.stat()
    return list(_read_table_cached(str(path), stat.st_mtime_ns, stat.st_size, columns))


@cache
def _read_table_cached(path: str, _mtime: int, _size: int, columns: tuple[Column, ...]) -> tuple[tuple[int, dict], ...]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:  # -sig: spreadsheets' "CSV UTF-8" BOM
            text = handle.read()
    except UnicodeDecodeError as exc:
        raise DataError(path, None, None, f"not valid UTF-8 ({exc.reason})") from None
    except OSError as exc:
        raise DataError(path, None, None, f"could not be read ({exc.strerror or exc})") from None
    lines = text.splitlines()
    if not lines:
        raise DataError(path, None, None, "the file is empty or has no header row")
    header = split_row(path, 1, lines[0])
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise DataError(path, 1, name, "this column appears twice in the header")
        seen.add(name)
    s.check_header(path, header, columns)
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = split_row(path, number, line, header)
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            where = header[len(cells)] if len(cells) < len(header) else None
            raise DataError(
                path, number, where, f"the row has {len(cells)} cells but the header has {len(header)} "
                "(a missing or extra comma, or a quote not closed?)"
            )
        rows.append((number, s.parse_row(path, number, dict(zip(header, cells, strict=True)), columns)))
    return tuple(rows)


class _BadRow(ValueError):
    """A CSV line that cannot be split, with the 0-based index of the cell at fault."""

    def __init__(self, cell: int, reason: str):
        super().__init__(reason)
        self.cell = cell


def _split(line: str) -> list[str]:
    """The cells of one CSV line (RFC 4180 quoting); raises :class:`_BadRow` on broken quoting."""
    cells: list[str] = []
    i, n = 0, len(line)
    while True:
        if i < n and line[i] == '"':
            j, parts = i + 1, []
            while True:
                if j >= n:
                    raise _BadRow(len(cells), "a quote opened in this cell is never closed")
                if line[j] == '"':
                    if j + 1 < n and line[j + 1] == '"':
                        parts.append('"')
                        j += 2
                        continue
                    j += 1
                    break
                parts.append(line[j])
                j += 1
            if j < n and line[j] != ",":
                raise _BadRow(len(cells), "text after the closing quote (a quote inside a cell is written twice)")
            cells.append("".join(parts))
            i = j
        else:
            j = line.find(",", i)
            j = n if j == -1 else j
            if '"' in line[i:j]:
                raise _BadRow(len(cells), "a quote inside a cell that does not start with one (quote the cell)")
            cells.append(line[i:j])
            i = j
        if i >= n:
            return cells
        i += 1  # the comma
        if i == n:
            cells.append("")
            return cells


def split_row(path: str | Path, number: int, line: str, header: Sequence[str] | None = None) -> list[str]:
    """The cells of one CSV line, strictly: a NUL byte or a broken quote is a DataError naming row and cell.

    Data files keep one row per line (no cell spans lines), so a quote that is not closed on its own
    line is reported there, instead of swallowing every later row into one cell.
    """
    if "\x00" in line:
        raise DataError(path, number, None, f"contains a NUL byte (at character {line.index(chr(0)) + 1})")
    try:
        return _split(line)
    except _BadRow as exc:
        field = header[exc.cell] if header is not None and exc.cell < len(header) else None
        where = "" if field else f"cell {exc.cell + 1}: "
        raise DataError(path, number, field, f"{where}{exc}") from None


def _table_files(root: Path, name: str) -> list[Path]:
    """A table is ``name.csv`` and/or every CSV in the folder ``name/``."""
    files = []
    single = root / f"{name}.csv"
    if single.is_file():
        files.append(single)
    folder = root / name
    if folder.is_dir():
        files.extend(sorted(folder.glob("*.csv")))
    return files


Where = dict[str, tuple[Path, int]]


Link = Callable[[dict], dict[str, object]]


def _load_records(
    root: Path, name: str, columns: tuple[Column, ...], cls: type, where: Where, link: Link | None = None
) -> dict[str, object]:
    """Read every file of one table into records keyed by id; note each id's file and row.

    ``link`` turns a parsed row's references into the records they name (a fact's ``cited`` source);
    a ``ValueError`` from it is reported as a :class:`DataError` naming the file, row and field.
    """
    records: dict[str, object] = {}
    for path in _table_files(root, name):
        for number, row in read_table(path, columns):
            key = row["id"]
            if key in records:
                first_path, first_row = where[key]
                raise DataError(
                    path, number, "id", f"duplicate id {key!r} (first defined in {first_path.name}, row {first_row})"
                )
            try:
                extra = link(row) if link else {}
            except _BadReference as bad:
                raise DataError(path, number, bad.field, str(bad)) from None
            records[key] = cls(**row, **extra)
            where[key] = (path, number)
    return records


class _BadReference(ValueError):
    """A row names a record that does not exist."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(reason)
        self.field = field_name


def _source_linker(sources: dict[str, Source], field_name: str, many: bool = False) -> Link:
    """A ``link`` for :func:`_load_records`: the row's source id(s) in ``field_name`` become ``cited``."""

    def one(source_id: str) -> Source:
        try:
            return sources[source_id]
        except KeyError:
            raise _BadReference(field_name, f"unknown source id {source_id!r} (not in sources.csv)") from None

    def link(row: dict) -> dict[str, object]:
        ids = row[field_name]
        return {"cited": tuple(one(i) for i in ids) if many else one(ids)}

    return link


# ---------------------------------------------------------------- dataset

Record = TypeVar("Record")


def _look_up(table: dict[str, Record], key: str, what: str, where: str) -> Record:
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"unknown {what} id {key!r} (not in {where})") from None



@dataclass(frozen=True)
class Dataset:
    """All sourced data, validated against each other."""

    root: Path
    sources: dict[str, Source]
    facts: dict[str, Fact]
    events: dict[str, Event]
    places: dict[str, Place]

    def source(self, source_id: str) -> Source:
        """The source with this id (KeyError naming the id if unknown)."""
        return _look_up(self.sources, source_id, "source", "data/sources.csv")

    def fact(self, fact_id: str) -> Fact:
        """The fact with this id (KeyError naming the id if unknown)."""
        return _look_up(self.facts, fact_id, "fact", "data/facts/")

    def place(self, place_id: str) -> Place:
        """The place with this id (KeyError naming the id if unknown)."""
        return _look_up(self.places, place_id, "place", "data/places.csv")

    def event(self, event_id: str) -> Event:
        """The event with this id (KeyError naming the id if unknown)."""
        return _look_up(self.events, event_id, "event", "data/events/")

    def quantity(self, quantity: str) -> list[Fact]:
        """All facts (competing claims) about one quantity, in file order."""
        found = [f for f in self.facts.values() if f.quantity == quantity]
        if not found:
            raise KeyError(f"no facts for quantity {quantity!r} in data/facts/")
        return found

    def facts_for_lesson(self, lesson: str) -> list[Fact]:
        """Facts tagged with this lesson number."""
        return [f for f in self.facts.values() if lesson in f.lessons]

    def events_for_lesson(self, lesson: str) -> list[Event]:
        """Events tagged with this lesson number."""
        return [e for e in self.events.values() if lesson in e.lessons]


def _check_references(ds: Dataset, where: dict[str, Where]) -> None:
    """Every place id a record names must exist; ranges must make sense (source ids are linked on reading)."""

    def fail(table: str, key: str, field: str, reason: str) -> DataError:
        path, row = where[table][key]
        return DataError(path, row, field, reason)

    for fact in ds.facts.values():
        if fact.place and ds.places and fact.place not in ds.places:
            raise fail("facts", fact.id, "place", f"unknown place id {fact.place!r} (not in places.csv)")
        if fact.value is None and fact.low is None and fact.high is None and fact.unit != "statement":
            raise fail("facts", fact.id, "value", "give a value, or both low and high (or use unit 'statement')")
        if (fact.low is None) != (fact.high is None):
            field = "high" if fact.high is None else "low"
            raise fail("facts", fact.id, field, "a range needs both low and high")
        if fact.low is not None and fact.high is not None and fact.low > fact.high:
            raise fail("facts", fact.id, "low", f"low {fact.low} is greater than high {fact.high}")
    for event in ds.events.values():
        if event.place and ds.places and event.place not in ds.places:
            raise fail("events", event.id, "place", f"unknown place id {event.place!r} (not in places.csv)")


def load_dataset(root: str | Path | None = None) -> Dataset:
    """Load and cross-check every data table under ``root`` (default: :func:`data_dir`)."""
    base = Path(root) if root is not None else data_dir()
    if not (base / "sources.csv").is_file():
        raise DataError(base / "sources.csv", None, None, "file not found (is LESSONKIT_DATA set to the data folder?)")
    where: dict[str, Where] = {"sources": {}, "facts": {}, "events": {}, "places": {}}
    sources: dict[str, Source] = _load_records(base, "sources", SOURCE_COLUMNS, Source, where["sources"])  # type: ignore[assignment]
    ds = Dataset(
        root=base,
        sources=sources,
        facts=_load_records(base, "facts", FACT_COLUMNS, Fact, where["facts"], _source_linker(sources, "source")),  # type: ignore[arg-type]
        events=_load_records(  # type: ignore[arg-type]
            base, "events", EVENT_COLUMNS, Event, where["events"], _source_linker(sources, "sources", many=True)
        ),
        places=_load_records(base, "places", PLACE_COLUMNS, Place, where["places"], _source_linker(sources, "source")),  # type: ignore[arg-type]
    )
    _check_references(ds, where)
    return ds


_DATASETS: dict[tuple, Dataset] = {}


def dataset() -> Dataset:
    """The project's data, loaded once per process and reloaded when a file changes."""
    base = data_dir()
    stamp = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for name in ("sources", "facts", "events", "places")
        for p in _table_files(base, name)
    )
    if stamp not in _DATASETS:
        _DATASETS.clear()
        _DATASETS[stamp] = load_dataset(base)
    return _DATASETS[stamp]
