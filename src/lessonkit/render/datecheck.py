"""Date checks: when did it happen, and who says so?

A date check lines up the dates that different sources give for the same happening:
one row per question ("When were the print shops closed?"), one marker per source,
on a real time axis. Ticks and hover text carry both calendars (Old Style first), so
a student sees at once whether the article's date agrees with the others, and by how
many days it differs.

The rows come from data: :func:`claims_from_events` turns events (one marker per
source of each event) and :func:`claims_from_quantity` turns dated facts that share a
``quantity`` into :class:`DateClaim` records. :func:`date_check_figure` draws them;
:func:`days_apart` and :func:`spread_days` do the arithmetic a lesson can assert.
"""

from __future__ import annotations

import calendar as _calendar
import datetime
import html
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from lessonkit.model.calendar import FIRST_GREGORIAN_DAY, MONTH_ABBR, DualDate, gregorian_to_julian, julian_to_gregorian
from lessonkit.model.data import ARTICLE_SOURCE, Dataset, dataset
from lessonkit.render import theme
from lessonkit.render.core import begin, finish, source_line
from lessonkit.render.figures import CONFIDENCE_WORDS, article_name, sentence

HOLLOW = ("low", "unverified")


def key_html(ds: Dataset) -> str:
    """Under the title: what the marker shapes and colours mean (the figure has no legend box)."""
    return (
        '<span style="font-size:14px">'
        f'<span style="color:{theme.ARTICLE}">\u25c6</span> {html.escape(article_name(ds))}'
        f'\u2003<span style="color:{theme.OTHER}">\u25cf</span> Other sources'
        f'\u2003<span style="color:{theme.MUTED}">\u25cb</span> Hollow: low confidence or uncorroborated'
        "</span>"
    )


@dataclass(frozen=True)
class DateClaim:
    """One source's date for one happening.

    ``row`` is the question the claim answers (claims with the same row are compared);
    ``date`` is an ISO date as Russia dated it (Julian until 31 Jan 1918), of day or
    month precision; ``time`` is 'HH:MM' or None; ``says`` is what the source says
    happened then.
    """

    row: str
    source: str
    date: str
    time: str | None
    says: str
    confidence: str
    note: str = ""

    @property
    def dual(self) -> DualDate:
        """The date in both calendars."""
        return DualDate.parse(self.date)

    @property
    def is_article(self) -> bool:
        """True for the article's own claim."""
        return self.source == ARTICLE_SOURCE

    @property
    def start(self) -> datetime.datetime:
        """The real moment (Gregorian): the time given, noon of a day without a time, or a month's first day."""
        d = self.dual
        day = d.gregorian
        if d.precision == "month":
            return datetime.datetime(day.year, day.month, day.day)
        if d.precision != "day":
            raise ValueError(f"a date check needs a day or a month, not {self.date!r}")
        hour, minute = (int(p) for p in self.time.split(":")) if self.time else (12, 0)
        return datetime.datetime(day.year, day.month, day.day, hour, minute)

    @property
    def end(self) -> datetime.datetime:
        """The end of the period: the first moment after a month; the same as :attr:`start` for a day."""
        d = self.dual
        if d.precision != "month":
            return self.start
        assert d.month is not None
        last = _calendar.monthrange(d.year, d.month)[1] if d.calendar == "gregorian" else _julian_month_length(d)
        return self.start + datetime.timedelta(days=last)

    @property
    def middle(self) -> datetime.datetime:
        """Where the marker goes: the moment, or the middle of a month."""
        return self.start + (self.end - self.start) / 2

    def label(self, style: str = "old") -> str:
        """'24 Oct [6 Nov] 1917, 05:30' (old) or '6 Nov 1917 (24 Oct O.S.), 05:30' (new)."""
        text = self.dual.label_for(style)  # type: ignore[arg-type]
        return f"{text}, {self.time}" if self.time else text


def _julian_month_length(d: DualDate) -> int:
    assert d.month is not None
    if d.month == 2:
        return 29 if d.year % 4 == 0 else 28
    return (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[d.month - 1]


@dataclass(frozen=True)
class Band:
    """A shaded stretch of time behind the markers, e.g. 'September 1917, Old Style'."""

    label: str
    start: datetime.datetime
    end: datetime.datetime


def month_band(year: int, month: int, calendar: str) -> Band:
    """The whole of one month as a band, in the Julian ('Old Style') or Gregorian ('New Style') calendar."""
    if calendar == "julian":
        first = julian_to_gregorian(year, month, 1)
        length = _julian_month_length(DualDate(year, month, calendar="julian"))
        style = "Old Style"
    elif calendar == "gregorian":
        first = datetime.date(year, month, 1)
        length = _calendar.monthrange(year, month)[1]
        style = "New Style"
    else:
        raise ValueError(f"calendar must be 'julian' or 'gregorian', not {calendar!r}")
    start = datetime.datetime(first.year, first.month, first.day)
    name = _calendar.month_name[month]
    return Band(f"{name} {year}, {style}", start, start + datetime.timedelta(days=length))


# ---------------------------------------------------------------- claims from data


def claims_from_events(row: str, event_ids: Sequence[str], ds: Dataset | None = None) -> list[DateClaim]:
    """One claim per source of each event (an event with two sources gives two markers)."""
    ds = ds or dataset()
    out = []
    for event_id in event_ids:
        e = ds.event(event_id)
        for source in e.sources:
            out.append(DateClaim(row, source, e.date, e.time, e.title, e.confidence, e.note))
    return out


def claims_from_quantity(row: str, quantity: str, ds: Dataset | None = None) -> list[DateClaim]:
    """One claim per dated fact about ``quantity`` (facts without a date are skipped)."""
    ds = ds or dataset()
    return [
        DateClaim(row, f.source, f.date, None, f.label, f.confidence, f.note)
        for f in ds.quantity(quantity)
        if f.date
    ]


# ---------------------------------------------------------------- arithmetic


def days_apart(a: DateClaim, b: DateClaim) -> float:
    """Real days from claim ``a`` to claim ``b`` (negative if ``b`` is earlier); months count from their middle."""
    return (b.middle - a.middle).total_seconds() / 86400


def spread_days(claims: Sequence[DateClaim]) -> float:
    """Real days between the earliest and the latest of these claims (month claims by their whole span)."""
    if not claims:
        raise ValueError("spread_days needs at least one claim")
    first = min(c.start for c in claims)
    last = max(c.end for c in claims)
    return (last - first).total_seconds() / 86400


def rows_of(claims: Sequence[DateClaim]) -> list[str]:
    """The rows (questions) in the order they first appear."""
    return list(dict.fromkeys(c.row for c in claims))


# ---------------------------------------------------------------- figure


def _tick_text(moment: datetime.datetime) -> str:
    """'25 Oct<br>[7 Nov]' for a real (Gregorian) day that Russia dated in the Julian calendar."""
    g = moment.date()
    jy, jm, jd = gregorian_to_julian(g)
    new = f"{g.day} {MONTH_ABBR[g.month - 1]}"
    if (g.year, g.month, g.day) >= FIRST_GREGORIAN_DAY:
        return new
    return f"{jd} {MONTH_ABBR[jm - 1]}<br>[{new}]"


def _ticks(first: datetime.datetime, last: datetime.datetime) -> list[datetime.datetime]:
    """Midnights from ``first`` to ``last``: every day for short spans, every few days for long ones."""
    start = datetime.datetime(first.year, first.month, first.day)
    days = max(1, math.ceil((last - start).total_seconds() / 86400))
    step = 1 if days <= 12 else 2 if days <= 24 else 4 if days <= 48 else 7
    return [start + datetime.timedelta(days=i) for i in range(0, days + 1, step)]


SUB_ROW = 0.34
"""Vertical distance between two sources' markers within a row (axis units; a row is about 1)."""


def _layout_rows(
    claims: Sequence[DateClaim], rows: list[str]
) -> tuple[dict[tuple[str, str], float], list[float], float]:
    """y for each (row, source), the y of each row's label, and the total height in axis units.

    Each source gets its own line within its row, so markers on the same day do not hide each
    other; rows with many sources are taller.
    """
    out: dict[tuple[str, str], float] = {}
    centres: list[float] = []
    y = 0.0
    for row in rows:
        sources = list(dict.fromkeys(c.source for c in claims if c.row == row))
        top = y
        for s in sources:
            out[(row, s)] = y
            y += SUB_ROW
        centres.append(top + (y - SUB_ROW - top) / 2)
        y += 0.5
    return out, centres, y - 0.5


def date_check_figure(
    claims: Sequence[DateClaim],
    title: str,
    figure_id: str,
    ds: Dataset | None = None,
    bands: Sequence[Band] = (),
) -> go.Figure:
    """Dates by source: one row per question, one marker per source, both calendars on the axis.

    The article's dates are orange diamonds, other sources blue circles; low-confidence or
    uncorroborated claims are hollow. A month-long claim is drawn as a bar across its month,
    and several dates from one source in one row are joined by a line. ``bands`` shade spans
    of time (e.g. a month in each calendar) behind the markers.
    """
    if not claims:
        raise ValueError("date_check_figure needs at least one claim")
    ds = ds or dataset()
    rows = rows_of(claims)
    ys, centres, span = _layout_rows(claims, rows)
    cited = [ds.source(c.source) for c in claims]
    fig = begin(title, height=int(250 + 95 * span + 30 * bool(bands)))
    groups = (
        (article_name(ds), True, theme.ARTICLE, "diamond"),
        ("Other sources", False, theme.OTHER, "circle"),
    )
    for name, is_article, colour, symbol in groups:
        chosen = [c for c in claims if c.is_article == is_article]
        if not chosen:
            continue
        xs: list[datetime.datetime | None] = []
        yl: list[float | None] = []
        for row in rows:
            for source in dict.fromkeys(c.source for c in chosen if c.row == row):
                mine = sorted((c for c in chosen if c.row == row and c.source == source), key=lambda c: c.start)
                if len(mine) > 1 or mine[0].end > mine[0].start:
                    xs += [mine[0].start, max(c.end for c in mine), None]
                    yl += [ys[(row, source)]] * 2 + [None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    name=f"{name}: span",
                    x=xs,
                    y=yl,
                    mode="lines",
                    line={"color": colour, "width": 7},
                    opacity=0.45,
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[c.middle for c in chosen],
                y=[ys[(c.row, c.source)] for c in chosen],
                mode="markers+text",
                marker={
                    "size": 15,
                    "color": colour,
                    "symbol": [symbol + ("-open" if c.confidence in HOLLOW else "") for c in chosen],
                    "line": {"width": 2.5, "color": colour},
                },
                text=[ds.source(c.source).short if _is_last(c, chosen) else "" for c in chosen],
                textposition="middle right",
                textfont={"size": 12, "color": theme.INK},
                customdata=[
                    [
                        ds.source(c.source).short,
                        c.says,
                        c.label("old"),
                        c.label("new"),
                        CONFIDENCE_WORDS[c.confidence],
                    ]
                    for c in chosen
                ],
                hovertemplate=(
                    "<b>%{customdata[0]}</b>: %{customdata[1]}<br>Old Style: %{customdata[2]}"
                    "<br>New Style: %{customdata[3]}<br>%{customdata[4]}<extra></extra>"
                ),
            )
        )
    first = min([c.start for c in claims] + [b.start for b in bands])
    last = max([c.end for c in claims] + [b.end for b in bands])
    pad = max((last - first) * 0.06, datetime.timedelta(hours=10))
    right_pad = _room_for_labels(claims, ds, first - pad, last)
    ticks = _ticks(first - pad, last + right_pad)
    for i, band in enumerate(bands):
        fill = theme.BANDS[i % len(theme.BANDS)]
        fig.add_vrect(x0=band.start, x1=band.end, fillcolor=fill, line_width=0, layer="below")
        fig.add_annotation(
            x=band.start + (band.end - band.start) / 2,
            y=0,
            yref="paper",
            yshift=4 + 22 * (i % 2),
            text=band.label,
            showarrow=False,
            font={"size": 13, "color": theme.INK},
            yanchor="bottom",
        )
    fig.update_layout(
        xaxis={
            "title": {"text": "Date: Old Style [New Style in brackets]"},
            "range": [first - pad, last + right_pad],
            "tickvals": ticks,
            "ticktext": [_tick_text(t) for t in ticks],
            "tickangle": 0,
            "showgrid": True,
        },
        yaxis={
            "range": [span + (1.0 if bands else 0.35), -0.45],
            "tickvals": centres,
            "zeroline": False,
            "ticktext": ["<br>".join(textwrap.wrap(r, 22)) for r in rows],
            "showgrid": False,
            "fixedrange": True,
            "automargin": True,
            "ticks": "",
        },
        title={"text": f"{title}<br>{key_html(ds)}"},
        showlegend=False,
        margin={"t": 105, "r": 30, "b": 110 + 17 * len(source_line(cited))},
    )
    summary, columns, table = _alternative(claims, rows, title, ds, bands)
    return finish(
        fig, figure_id=figure_id, title=title, summary=summary, columns=columns, rows=table, sources=cited,
        traces=len(fig.data),
    )


PLOT_PX = 560
"""Width of the plot area assumed when leaving room for labels (a notebook about 850 px wide)."""


def _room_for_labels(
    claims: Sequence[DateClaim], ds: Dataset, left: datetime.datetime, last: datetime.datetime
) -> datetime.timedelta:
    """Time to add after the last date so the source label of the rightmost marker fits on the plot.

    A label of w pixels at the right edge needs pad >= w * (span + pad) / PLOT_PX, so
    pad = w * span / (PLOT_PX - w); never less than 30 % of the span or 30 hours.
    """
    span = last - left
    near = [c for c in claims if (last - c.middle) <= span * 0.3]
    width = min(max((theme.CHAR_PX * len(ds.source(c.source).short) + 24 for c in near), default=0), PLOT_PX // 2)
    return max(span * width / (PLOT_PX - width), span * 0.3, datetime.timedelta(hours=30))


def _is_last(claim: DateClaim, chosen: Sequence[DateClaim]) -> bool:
    """Whether ``claim`` is the latest of its source's claims in its row (only that one is labelled)."""
    mine = [c for c in chosen if c.row == claim.row and c.source == claim.source]
    return claim is max(mine, key=lambda c: c.start)


def _alternative(
    claims: Sequence[DateClaim],
    rows: list[str],
    title: str,
    ds: Dataset,
    bands: Sequence[Band],
) -> tuple[str, tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The text alternative's summary, columns and rows."""
    parts = [f"{sentence(title)} {len(claims)} dates from {len(set(c.source for c in claims))} sources."]
    for row in rows:
        mine = sorted((c for c in claims if c.row == row), key=lambda c: c.start)
        article = [c for c in mine if c.is_article]
        others = [c for c in mine if not c.is_article]
        text = f"{row}:"
        if article:
            text += " the article says " + " and ".join(c.label() for c in article) + ";"
        if others:
            text += f" other sources range from {others[0].label()} to {others[-1].label()}"
        parts.append(text.rstrip(";") + ".")
    if bands:
        parts.append("Shaded: " + "; ".join(f"{b.label} ({_span_label(b)})" for b in bands) + ".")
    table = tuple(
        (
            c.row,
            ds.source(c.source).short,
            c.says,
            c.dual.label,
            c.dual.label_for("new"),
            c.time or "",
            CONFIDENCE_WORDS[c.confidence],
        )
        for c in claims
    )
    columns = (
        "Question",
        "Source",
        "What it says",
        "Date (Old Style [New Style])",
        "New Style first",
        "Time",
        "Confidence",
    )
    return " ".join(parts), columns, table


def _span_label(band: Band) -> str:
    """'1 Sep [14 Sep] to 30 Sep [13 Oct]': the band's first and last day in both calendars."""
    last = datetime.datetime.combine((band.end - datetime.timedelta(days=1)).date(), datetime.time())
    return f"{_tick_text(band.start)} to {_tick_text(last)}".replace("<br>", " ")
