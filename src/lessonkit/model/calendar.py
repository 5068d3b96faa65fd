"""Julian (Old Style) and Gregorian (New Style) dates, shown side by side.

Russia used the Julian calendar until 1918: by Soviet decree, 31 Jan 1918 was
followed by 14 Feb 1918. The data files date events "as Russia dated them at the
time", so a date up to 1918-01-31 is Julian and a date from 1918-02-14 is
Gregorian. Every date shown to students carries both calendars::

    >>> dual("1917-10-25")
    '25 Oct [7 Nov] 1917'
    >>> DualDate.parse("1917-10-25").label_for("new")
    '7 Nov 1917 (25 Oct O.S.)'

Conversions use Julian Day Number arithmetic, so they are right for any date,
not only for the 13-day gap of 1900-2099. A Julian date is a plain
``(year, month, day)`` tuple because some Julian dates (29 Feb 1700, 1800, 1900)
do not exist in the Gregorian calendar and cannot be a :class:`datetime.date`.

:func:`converter_text` is the answer of the "What date was it in Paris?" widget
(``lessonkit.widgets.converter``).
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from typing import Any, Literal

__all__ = [
    "MONTH_ABBR",
    "DualDate",
    "converter_text",
    "date_label",
    "day_sequence",
    "days_between",
    "dual",
    "gregorian_to_julian",
    "julian_to_gregorian",
    "offset_days",
]

Calendar = Literal["julian", "gregorian"]
Style = Literal["old", "new"]
Precision = Literal["year", "month", "day"]

MONTH_ABBR: tuple[str, ...] = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""English three-letter month abbreviations, no dots; ``MONTH_ABBR[0]`` is January."""

LAST_JULIAN_DAY = (1918, 1, 31)
"""The last day Russia dated in the Julian calendar."""
FIRST_GREGORIAN_DAY = (1918, 2, 14)
"""The first day Russia dated in the Gregorian calendar (it followed 31 Jan 1918)."""

_ORDINAL_TO_JDN = 1721425  # Julian Day Number of proleptic Gregorian ordinal 0 (date(1, 1, 1) has ordinal 1)
_DATE_RE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


# ---------------------------------------------------------------- arithmetic


def _is_leap(year: int, calendar: Calendar) -> bool:
    """Whether ``year`` is a leap year in ``calendar``."""
    if calendar == "julian":
        return year % 4 == 0
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _month_length(year: int, month: int, calendar: Calendar) -> int:
    """Number of days in that month of that calendar."""
    return 29 if month == 2 and _is_leap(year, calendar) else _MONTH_DAYS[month - 1]


def _check_day(year: int, month: int, day: int, calendar: Calendar) -> None:
    """Raise ValueError unless (year, month, day) is a day of ``calendar``."""
    for name, value in (("year", year), ("month", month), ("day", day)):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist (use 1-12)")
    length = _month_length(year, month, calendar)
    if not 1 <= day <= length:
        raise ValueError(
            f"{day} {MONTH_ABBR[month - 1]} {year} does not exist in the {calendar.capitalize()} calendar "
            f"({MONTH_ABBR[month - 1]} {year} has {length} days)"
        )


def _julian_jdn(year: int, month: int, day: int) -> int:
    """Julian Day Number of a Julian-calendar date (no validation)."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083


def _gregorian_jdn(year: int, month: int, day: int) -> int:
    """Julian Day Number of a proleptic Gregorian date (no validation)."""
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    return day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045


def _jdn_to_julian(jdn: int) -> tuple[int, int, int]:
    """The Julian-calendar (year, month, day) of a Julian Day Number."""
    c = jdn + 32082
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = d - 4800 + m // 10
    return year, month, day


def _jdn_to_date(jdn: int) -> datetime.date:
    """The Gregorian :class:`datetime.date` of a Julian Day Number."""
    try:
        return datetime.date.fromordinal(jdn - _ORDINAL_TO_JDN)
    except (ValueError, OverflowError):
        raise ValueError(
            f"Julian Day {jdn} is outside the Gregorian years 1-9999 that datetime.date supports"
        ) from None


def julian_to_gregorian(year: int, month: int, day: int) -> datetime.date:
    """The Gregorian date of a Julian-calendar date, e.g. ``(1917, 10, 25)`` -> ``date(1917, 11, 7)``.

    Raises ValueError for a day that does not exist in the Julian calendar (30 Feb, month 13)
    or whose Gregorian date is outside ``datetime.date``'s years 1-9999.
    """
    _check_day(year, month, day, "julian")
    return _jdn_to_date(_julian_jdn(year, month, day))


def gregorian_to_julian(d: datetime.date) -> tuple[int, int, int]:
    """The Julian-calendar ``(year, month, day)`` of a Gregorian date, e.g. 7 Nov 1917 -> ``(1917, 10, 25)``."""
    if not isinstance(d, datetime.date):
        raise TypeError(f"expected a datetime.date, not {type(d).__name__}")
    return _jdn_to_julian(d.toordinal() + _ORDINAL_TO_JDN)


def offset_days(year: int, month: int, day: int) -> int:
    """How many days the Gregorian calendar is ahead of the Julian one on that Julian date.

    10 from 1582 to Julian 29 Feb 1700, 11 from 1 Mar 1700, 12 from 1 Mar 1800, 13 from
    1 Mar 1900 (to 2100). Julian 29 Feb of a year that is not a Gregorian leap year counts as
    the day after 28 Feb: Julian 29 Feb 1700 (offset 10) is Gregorian 11 Mar 1700.
    Negative before 200 AD, when the Julian date was ahead.
    """
    _check_day(year, month, day, "julian")
    return _julian_jdn(year, month, day) - _gregorian_jdn(year, month, day)


def _russian_calendar(year: int, month: int | None, day: int | None) -> Calendar:
    """Which calendar Russia used for a date of that precision (see :meth:`DualDate.parse`)."""
    if day is not None and month is not None:
        if (year, month, day) <= LAST_JULIAN_DAY:
            return "julian"
        if (year, month, day) >= FIRST_GREGORIAN_DAY:
            return "gregorian"
        raise ValueError(
            f"{year:04d}-{month:02d}-{day:02d} did not exist in Russia: "
            "the day after 31 Jan 1918 (Julian) was 14 Feb 1918 (Gregorian)"
        )
    if month is not None:
        return "julian" if (year, month) <= LAST_JULIAN_DAY[:2] else "gregorian"
    return "julian" if year <= LAST_JULIAN_DAY[0] else "gregorian"


# ---------------------------------------------------------------- DualDate


def _day_month(day: int, month: int) -> str:
    """'25 Oct'."""
    return f"{day} {MONTH_ABBR[month - 1]}"


@dataclass(frozen=True, eq=False)
class DualDate:
    """A date of year, month or day precision, dated in the Julian or the Gregorian calendar.

    ``month`` is None for year precision; ``day`` is None for month and year precision.
    DualDates compare, sort and hash by the real first day of the period, then by precision
    (year before month before day), so Julian 25 Oct 1917 == Gregorian 7 Nov 1917.
    """

    year: int
    month: int | None = None
    day: int | None = None
    calendar: Calendar = "julian"

    def __post_init__(self) -> None:
        """Validate the fields; raise ValueError for a date that does not exist."""
        if self.calendar not in ("julian", "gregorian"):
            raise ValueError(f"calendar must be 'julian' or 'gregorian', not {self.calendar!r}")
        if self.month is None and self.day is not None:
            raise ValueError("a date with a day needs a month")
        _check_day(self.year, self.month or 1, self.day or 1, self.calendar)
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year {self.year} is outside 1-9999")

    # -------------------------------------------------------- construction

    @classmethod
    def parse(cls, text: str, calendar: str = "russian") -> DualDate:
        """Parse an ISO date 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'.

        ``calendar`` is "julian", "gregorian" or "russian" (the default): the calendar Russia
        used, i.e. Julian up to 1918-01-31 and Gregorian from 1918-02-14. In "russian", a day
        1918-02-01..1918-02-13 raises ValueError (it did not exist in Russia), the month
        1918-02 is Gregorian and the year 1918 is Julian (it began in the Julian calendar).
        """
        if not isinstance(text, str):
            raise TypeError(f"expected a str, not {type(text).__name__}")
        match = _DATE_RE.match(text.strip())
        if not match:
            raise ValueError(f"{text.strip()!r} is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = (int(part) if part is not None else None for part in match.groups())
        assert year is not None
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text.strip()!r} has no month {month} (use 01-12)")
        if calendar == "russian":
            resolved = _russian_calendar(year, month, day)
        elif calendar == "julian" or calendar == "gregorian":
            resolved = "julian" if calendar == "julian" else "gregorian"
        else:
            raise ValueError(f"calendar must be 'russian', 'julian' or 'gregorian', not {calendar!r}")
        try:
            return cls(year, month, day, resolved)
        except ValueError as error:
            raise ValueError(f"{text.strip()!r}: {error}") from None

    # -------------------------------------------------------- conversions

    @property
    def precision(self) -> Precision:
        """'year', 'month' or 'day'."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def _jdn(self) -> int:
        """Julian Day Number of the first day of the period."""
        convert = _julian_jdn if self.calendar == "julian" else _gregorian_jdn
        return convert(self.year, self.month or 1, self.day or 1)

    @property
    def julian(self) -> tuple[int, int, int]:
        """The Julian ``(year, month, day)``; for month or year precision, of the period's first day."""
        return _jdn_to_julian(self._jdn)

    @property
    def gregorian(self) -> datetime.date:
        """The Gregorian date; for month or year precision, of the period's first day."""
        return _jdn_to_date(self._jdn)

    @property
    def sort_key(self) -> int:
        """Proleptic Gregorian ordinal of the first day of the period (``date.toordinal()``)."""
        return self._jdn - _ORDINAL_TO_JDN

    @property
    def iso_gregorian(self) -> str:
        """'YYYY-MM-DD' of the Gregorian date; day precision only (else ValueError)."""
        if self.precision != "day":
            raise ValueError(f"{self.label} is not a single day, so it has no Gregorian ISO date")
        return self.gregorian.isoformat()

    # -------------------------------------------------------- labels

    def _month_differs(self) -> bool:
        """Whether this Julian month overlaps another Gregorian month (whenever the offset is not 0)."""
        assert self.month is not None
        last = _month_length(self.year, self.month, "julian")
        return offset_days(self.year, self.month, 1) != 0 or offset_days(self.year, self.month, last) != 0

    @property
    def label(self) -> str:
        """Old Style first: '25 Oct [7 Nov] 1917', '19 Dec 1904 [1 Jan 1905]', 'Oct 1917 (Old Style)', '1905'.

        Gregorian-calendar dates are a single date: '1 Aug 1919'.
        """
        if self.month is None:
            return str(self.year)
        if self.day is None:
            text = f"{MONTH_ABBR[self.month - 1]} {self.year}"
            if self.calendar == "julian" and self._month_differs():
                text += " (Old Style)"
            return text
        if self.calendar == "gregorian":
            return f"{_day_month(self.day, self.month)} {self.year}"
        new = self.gregorian
        old = _day_month(self.day, self.month)
        if new.year == self.year:
            return f"{old} [{_day_month(new.day, new.month)}] {self.year}"
        return f"{old} {self.year} [{_day_month(new.day, new.month)} {new.year}]"

    def label_for(self, style: Style) -> str:
        """The label with Old Style first ("old", = :attr:`label`) or New Style first ("new").

        "new" gives '7 Nov 1917 (25 Oct O.S.)' or '1 Jan 1905 (19 Dec 1904 O.S.)'. Gregorian-calendar
        dates and month or year precision have one label, the same for both styles.
        """
        if style == "old":
            return self.label
        if style != "new":
            raise ValueError(f"style must be 'old' or 'new', not {style!r}")
        if self.precision != "day" or self.calendar == "gregorian":
            return self.label
        assert self.month is not None and self.day is not None
        new = self.gregorian
        old = _day_month(self.day, self.month)
        if new.year != self.year:
            old += f" {self.year}"
        return f"{_day_month(new.day, new.month)} {new.year} ({old} O.S.)"

    @property
    def label_new_style_first(self) -> str:
        """Same as ``label_for("new")``: '7 Nov 1917 (25 Oct O.S.)'."""
        return self.label_for("new")

    def __str__(self) -> str:
        """The :attr:`label`."""
        return self.label

    # -------------------------------------------------------- ordering

    def _key(self) -> tuple[int, int]:
        """What equality, ordering and hashing use: the real first day, then precision."""
        return self.sort_key, _PRECISION_RANK[self.precision]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DualDate):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: DualDate) -> bool:
        if not isinstance(other, DualDate):
            return NotImplemented
        return self._key() < other._key()

    def __le__(self, other: DualDate) -> bool:
        if not isinstance(other, DualDate):
            return NotImplemented
        return self._key() <= other._key()

    def __gt__(self, other: DualDate) -> bool:
        if not isinstance(other, DualDate):
            return NotImplemented
        return self._key() > other._key()

    def __ge__(self, other: DualDate) -> bool:
        if not isinstance(other, DualDate):
            return NotImplemented
        return self._key() >= other._key()


def date_label(iso: str | None, missing: str = "undated") -> str:
    """A data date in both calendars ('25 Oct [7 Nov] 1917', '1917'), or ``missing`` when there is none."""
    return DualDate.parse(iso).label if iso else missing


def dual(text: str) -> str:
    """The two-calendar label of an ISO date as Russia dated it: ``dual("1917-10-25")`` -> '25 Oct [7 Nov] 1917'."""
    return DualDate.parse(text).label


# ---------------------------------------------------------------- converter widget

CONVERTER_YEARS = (1582, 1918)
"""The years the converter widget offers."""

_GREGORIAN_START = (1582, 10, 5)  # Julian date of 15 Oct 1582, the first Gregorian day (Rome)
_PARIS_START = (1582, 12, 10)  # Julian date of 20 Dec 1582, France's first Gregorian day (after 9 Dec)
_BEFORE_1700 = (
    " (Until 1700 Russia numbered its years from the Creation of the World, but its days and months were Julian.)"
)


def _russian_place(julian: tuple[int, int, int]) -> str:
    """What to call the Russian capital on that Julian date."""
    if julian >= (1914, 8, 18):
        return "Petrograd"
    if julian >= (1703, 5, 16):
        return "St Petersburg"
    return "Russia"


def _paragraph(text: str) -> str:
    """The converter's HTML: one paragraph that screen readers announce when it changes."""
    return f'<p class="lk-calendar-result" role="status" aria-live="polite">{html.escape(text, quote=False)}</p>'


def converter_text(day: Any, month: Any, year: Any) -> str:
    """The converter's answer as HTML, for a date in Russia (``month`` 1-12); never raises.

    Julian dates give the Paris (Gregorian) date and the gap; dates from 14 Feb 1918 say that
    Russia had switched; impossible input gives a friendly message.
    """
    try:
        day, month, year = int(day), int(month), int(year)
    except (TypeError, ValueError):
        return _paragraph("Please choose a day, a month and a year.")
    low, high = CONVERTER_YEARS
    if not low <= year <= high:
        return _paragraph(f"Please choose a year from {low} to {high}.")
    if not 1 <= month <= 12:
        return _paragraph("Please choose a month from Jan to Dec.")
    if not 1 <= day <= _month_length(year, month, "julian"):
        length = _month_length(year, month, "julian")
        return _paragraph(
            f"There was no {day} {MONTH_ABBR[month - 1]} {year}: {MONTH_ABBR[month - 1]} {year} "
            f"had {length} days in Russia's calendar. Please choose another day."
        )
    date = (year, month, day)
    shown = f"{_day_month(day, month)} {year}"
    if LAST_JULIAN_DAY < date < FIRST_GREGORIAN_DAY:
        return _paragraph(
            f"There was no {shown} in Russia: Russia switched to the Gregorian calendar, "
            "and the day after 31 Jan 1918 was 14 Feb 1918."
        )
    if date >= FIRST_GREGORIAN_DAY:
        return _paragraph(
            f"In Petrograd: {shown} — in Paris: {shown}. The same date: Russia had switched to "
            "the Gregorian calendar (New Style), and the day after 31 Jan 1918 was 14 Feb 1918."
        )
    new = julian_to_gregorian(year, month, day)
    gap = offset_days(year, month, day)
    new_shown = f"{_day_month(new.day, new.month)} {new.year}"
    old_part = f"In {_russian_place(date)} (Julian calendar, Old Style): {shown}"
    if month == 2 and day == 29 and not _is_leap(year, "gregorian"):
        return _paragraph(
            f"{old_part} — in Paris (Gregorian, New Style): {new_shown}. {shown} existed only in the "
            f"Julian calendar, so from then on the calendars were {offset_days(year, 3, 1)} days apart "
            f"instead of {gap}."
        )
    note = _BEFORE_1700 if year < 1700 else ""
    if date < _PARIS_START:
        before = " (which did not exist yet)" if date < _GREGORIAN_START else ""
        return _paragraph(
            f"{old_part} — in Paris also {shown}: France used the Julian calendar until 9 Dec 1582. "
            f"In the Gregorian calendar{before} it would be {new_shown} — {gap} days apart.{note}"
        )
    return _paragraph(f"{old_part} — in Paris (Gregorian, New Style): {new_shown} — {gap} days apart.{note}")


# ---------------------------------------------------------------- whole days


def _parse_day(iso: str) -> DualDate:
    d = DualDate.parse(iso)
    if d.precision != "day":
        raise ValueError(f"{iso!r} is not a single day")
    return d


def days_between(first: str, last: str) -> int:
    """Whole days from ``first`` to ``last`` (ISO dates as Russia dated them): 23 Feb -> 2 Mar 1917 is 7."""
    return (_parse_day(last).gregorian - _parse_day(first).gregorian).days


def day_sequence(first: str, last: str) -> list[str]:
    """Every day from ``first`` to ``last`` inclusive, as ISO dates in Russia's calendar of the time."""
    start, end = _parse_day(first).gregorian, _parse_day(last).gregorian
    if end < start:
        raise ValueError("the last day comes before the first")
    out = []
    for n in range((end - start).days + 1):
        day = start + datetime.timedelta(days=n)
        if day < julian_to_gregorian(*LAST_JULIAN_DAY) + datetime.timedelta(days=1):
            y, m, d = gregorian_to_julian(day)
        else:
            y, m, d = day.year, day.month, day.day
        out.append(f"{y:04d}-{m:02d}-{d:02d}")
    return out
