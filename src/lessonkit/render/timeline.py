"""Timelines of dated events, labelled in both calendars.

Events are placed at their real day (the Gregorian equivalent), so Old Style
and New Style dates of the same event sit at the same point; the labels show
both. Events that only one source supports are drawn hollow and say so.
"""

from __future__ import annotations

import datetime
import textwrap
from collections.abc import Sequence
from typing import Literal

import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate
from lessonkit.model.data import Dataset, Event, dataset
from lessonkit.render import theme
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import sentence
from lessonkit.render.theme import CHAR_PX

Style = Literal["old", "new"]
AXIS_TITLES = {"old": "Date (Old Style [New Style])", "new": "Date (New Style, Old Style in brackets)"}


def event_date(event: Event) -> DualDate:
    """The event's date as a two-calendar date."""
    return DualDate.parse(event.date)


def event_label(event: Event, style: Style = "old") -> str:
    """'25 Oct [7 Nov] 1917, 21:40' (old) or '7 Nov 1917 (25 Oct O.S.), 21:40' (new)."""
    label = event_date(event).label_for(style)
    return f"{label}, {event.time}" if event.time else label


def sorted_events(events: Sequence[Event]) -> list[Event]:
    """Events in the order they happened (time of day breaks ties)."""
    return sorted(events, key=lambda e: (event_date(e).sort_key, e.time or ""))


def event_x(event: Event) -> datetime.datetime:
    day = event_date(event).gregorian
    hour, minute = (int(p) for p in event.time.split(":")) if event.time else (12, 0)
    return datetime.datetime(day.year, day.month, day.day, hour, minute)


def timeline_figure(
    events: Sequence[Event],
    title: str,
    figure_id: str,
    style: Style = "old",
    ds: Dataset | None = None,
    lanes: int = 5,
) -> go.Figure:
    """A timeline: one marker per event, labels laid out over ``lanes`` rows so they never overlap.

    Two traces: events with two or more sources (filled) and single-source events (hollow). Labels are
    placed as the explorer's are (:func:`layout_labels`); an event with no room keeps its marker and hover.
    """
    if not events:
        raise ValueError("timeline_figure needs at least one event")
    ds = ds or dataset()
    ordered = sorted_events(events)
    fig = begin(title, height=250 + 75 * lanes)  # as the explorer's: room for three-line labels in every lane
    first, last = event_x(ordered[0]), event_x(ordered[-1])
    pad = max((last - first) * 0.1, datetime.timedelta(days=2))
    placed = dict(zip((e.id for e in ordered), layout_labels(ordered, style, lanes, first - pad, last + pad),
                      strict=True))
    groups = (("Two or more sources", False, "circle"), ("One source only", True, "circle-open"))
    traces = 0
    for name, single, symbol in groups:
        chosen = [e for e in ordered if e.single_source == single]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[event_x(e) for e in chosen],
                y=[placed[e.id][0] for e in chosen],
                mode="markers+text",
                marker={"size": 15, "symbol": symbol, "color": theme.OTHER,
                        "line": {"width": 2.5, "color": theme.OTHER}},
                text=[placed[e.id][1] for e in chosen],
                textposition=[placed[e.id][2] for e in chosen],
                textfont={"size": 13},
                customdata=[
                    [event_label(e, style), e.description, "; ".join(s.labelled for s in e.cited)]
                    for e in chosen
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Source: %{customdata[2]}<extra></extra>",
            )
        )
        traces += 1
    ticks = _ticks(ordered, style)
    fig.update_layout(
        xaxis={
            "title": {"text": AXIS_TITLES[style]},
            "range": [first - pad, last + pad],
            "tickvals": [t[0] for t in ticks],
            "ticktext": [t[1] for t in ticks],
            "showgrid": True,
            "tickangle": 0,
        },
        yaxis={"visible": False, "range": [0.4, lanes + 1.05], "fixedrange": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    unlabelled = sum(1 for lane_text_position in placed.values() if not lane_text_position[1])
    if unlabelled:
        fig.layout.title.subtitle = {
            "text": f"{unlabelled} crowded events have no label: hover over a marker, or open the table below",
            "font": {"size": 13, "color": theme.SOFT_INK},
        }
        fig.layout.margin.t, fig.layout.height = 120, fig.layout.height + 30  # the legend goes under the subtitle
    rows = tuple(
        (event_label(e, style), e.title, e.description, "; ".join(s.labelled for s in e.cited))
        for e in ordered
    )
    return finish(
        fig,
        figure_id=figure_id,
        summary=f"{sentence(title)} {len(ordered)} events from {rows[0][0]} to {rows[-1][0]}, in order.",
        columns=("Date", "Event", "What happened", "Sources"),
        rows=rows,
        sources=(s for e in ordered for s in e.cited),
        traces=traces,
    )


def _tick_text(event: Event, style: Style) -> str:
    """A short two-line tick label: '28 Feb<br>[13 Mar]' or 'Jun<br>1917'."""
    d = event_date(event)
    if d.precision != "day":
        return d.label.replace(" (Old Style)", "").replace(" ", "<br>", 1)
    text = d.label_for(style)
    if d.calendar == "gregorian":
        return text.rsplit(" ", 1)[0]
    if style == "old":  # '25 Oct [7 Nov] 1917' -> '25 Oct<br>[7 Nov]'
        return text.rsplit(" ", 1)[0].replace(" [", "<br>[")
    return text.split(" (")[0].rsplit(" ", 1)[0] + "<br>(" + text.split(" (")[1].replace(" O.S.)", ")")


def _ticks(ordered: list[Event], style: Style) -> list[tuple[datetime.datetime, str]]:
    """Tick marks at event days, skipping any closer than 7% of the span to the last one kept."""
    span = (event_x(ordered[-1]) - event_x(ordered[0])) or datetime.timedelta(days=1)
    out: list[tuple[datetime.datetime, str]] = []
    for e in ordered:
        x = event_x(e).replace(hour=12, minute=0)
        if out and (x - out[-1][0]) < span * 0.07:
            continue
        out.append((x, _tick_text(e, style)))
    return out


# ---------------------------------------------------------------- the explorer widget

STYLE_OPTIONS = (("Old Style first", "old"), ("New Style first", "new"))
PLOT_WIDTH_PX = 640  # the plot area the label layout assumes: a FigureWidget is 700 px wide unless told otherwise
ALL_LESSONS = "all"
LABEL_CHARS = 20  # title lines wrap at this many characters


def event_year(event: Event) -> int:
    """The year as Russia dated the event (the year the lessons' labels show first)."""
    return event_date(event).year


def filter_events(events: Sequence[Event], lesson: str | None = None,
                  years: tuple[int, int] | None = None) -> list[Event]:
    """Events tagged with ``lesson`` (None: all) dated within ``years`` (inclusive), in order."""
    out = []
    for e in sorted_events(events):
        if lesson is not None and lesson not in e.lessons:
            continue
        if years is not None and not years[0] <= event_year(e) <= years[1]:
            continue
        out.append(e)
    return out


def _short_date(event: Event, style: Style) -> str:
    """The date line under a label: the event's label in the chosen style (no time)."""
    return event_date(event).label_for(style)


def _label_text(event: Event, style: Style) -> str:
    lines = textwrap.wrap(event.title, LABEL_CHARS)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), LABEL_CHARS, placeholder="…")]
    return "<br>".join(lines + [_short_date(event, style)])


def _label_width(text: str) -> float:
    return max(len(line) for line in text.split("<br>")) * CHAR_PX + 10


CONFIDENCE_RANK = {"high": 0, "medium": 1, "low": 2, "unverified": 3}


def _priority(event: Event) -> tuple:
    """Which labels to place first: overview events, better-sourced, more confident."""
    return ("00" not in event.lessons, -len(event.sources), CONFIDENCE_RANK.get(event.confidence, 4))


def layout_labels(ordered: Sequence[Event], style: Style, lanes: int, x0: datetime.datetime,
                  x1: datetime.datetime) -> list[tuple[int, str, str]]:
    """Place labels so they never overlap: (lane, text, textposition) per event, in the given order.

    Labels are placed in priority order (overview events, then the best-sourced): each goes to the
    lowest lane where it clears every label already there (widths estimated in pixels for a
    :data:`PLOT_WIDTH_PX` plot). An event with no room keeps its marker and hover but gets no label; its marker goes to
    the lowest lane that no label from the lane below reaches into.
    """
    span = (x1 - x0).total_seconds() or 1.0
    px = PLOT_WIDTH_PX / span
    boxes: list[list[tuple[float, float]]] = [[] for _ in range(lanes)]
    placed: dict[int, tuple[int, str, str]] = {}
    positions: dict[int, tuple[float, str]] = {}
    for i in sorted(range(len(ordered)), key=lambda k: (_priority(ordered[k]), k)):
        e = ordered[i]
        x = (event_x(e) - x0).total_seconds() * px
        text = _label_text(e, style)
        width = _label_width(text)
        if x < width / 2:
            left, position = x - 8, "top right"
        elif x > PLOT_WIDTH_PX - width / 2:
            left, position = x - width + 8, "top left"
        else:
            left, position = x - width / 2, "top center"
        positions[i] = (x, position)
        for lane in range(lanes):
            clear = all(right + 6 <= left or left + width + 6 <= start for start, right in boxes[lane])
            if clear and not _covered(boxes, lane - 1, x):
                boxes[lane].append((left, left + width))
                placed[i] = (lane + 1, text, position)
                break
    out = []
    for i in range(len(ordered)):
        if i in placed:
            out.append(placed[i])
            continue
        x, position = positions[i]
        lane = next((k for k in range(lanes) if not _covered(boxes, k - 1, x)), 0)
        out.append((lane + 1, "", position))
    return out


def _covered(boxes: list[list[tuple[float, float]]], lane: int, x: float, margin: float = 9) -> bool:
    """Whether a label in ``lane`` spans the position ``x`` (px)."""
    if lane < 0:
        return False
    return any(left - margin <= x <= right + margin for left, right in boxes[lane])


def event_range(ordered: Sequence[Event]) -> tuple[datetime.datetime, datetime.datetime]:
    first, last = event_x(ordered[0]), event_x(ordered[-1])
    pad = max((last - first) * 0.04, datetime.timedelta(days=2))
    return first - pad, last + pad


def explorer_ticks(ordered: Sequence[Event], style: Style, x0: datetime.datetime,
                   x1: datetime.datetime) -> list[tuple[datetime.datetime, str]]:
    """Axis ticks: whole years for spans over three years, else event days ~100 px apart."""
    span = x1 - x0
    if span > datetime.timedelta(days=3 * 366):
        first, last = x0.year + 1, x1.year
        count = last - first + 1
        step = next(s for s in (1, 2, 5, 10, 20, 50) if count / s <= 12)
        start = first + (-first % step)
        return [(datetime.datetime(y, 1, 1), str(y)) for y in range(start, last + 1, step)]
    with_year = span > datetime.timedelta(days=330)
    min_gap = span * (100 / PLOT_WIDTH_PX)
    out: list[tuple[datetime.datetime, str]] = []
    for e in ordered:
        x = event_x(e).replace(hour=12, minute=0)
        if out and (x - out[-1][0]) < min_gap:
            continue
        text = _tick_text(e, style)
        if with_year and event_date(e).precision == "day" and str(event_date(e).year) not in text:
            year = event_year(e)
            text = text.replace("<br>", f" {year}<br>", 1) if "<br>" in text else f"{text} {year}"
        out.append((x, text))
    return out
