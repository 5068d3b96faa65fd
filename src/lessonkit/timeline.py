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

from . import theme
from .alt import TextAlternative, attach
from .calendar import DualDate
from .data import Dataset, Event, dataset
from .figures import base_figure, sentence

Style = Literal["old", "new"]


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


def _x(event: Event) -> datetime.datetime:
    day = event_date(event).gregorian
    hour, minute = (int(p) for p in event.time.split(":")) if event.time else (12, 0)
    return datetime.datetime(day.year, day.month, day.day, hour, minute)


def timeline_figure(
    events: Sequence[Event],
    title: str,
    figure_id: str,
    style: Style = "old",
    ds: Dataset | None = None,
    lanes: int = 4,
) -> go.Figure:
    """A timeline: one marker per event, labels staggered over ``lanes`` rows so they do not overlap.

    Two traces: events with two or more sources (filled) and single-source events (hollow).
    """
    if not events:
        raise ValueError("timeline_figure needs at least one event")
    ds = ds or dataset()
    ordered = sorted_events(events)
    sources = [ds.source(s).short for e in ordered for s in e.sources]
    fig = base_figure(title, sources, height=300 + 45 * lanes)
    lane = {e.id: (i % lanes) + 1 for i, e in enumerate(ordered)}
    groups = (("Two or more sources", False, "circle"), ("One source only", True, "circle-open"))
    traces = 0
    for name, single, symbol in groups:
        chosen = [e for e in ordered if e.single_source == single]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[_x(e) for e in chosen],
                y=[lane[e.id] for e in chosen],
                mode="markers+text",
                marker={"size": 15, "symbol": symbol, "color": theme.OTHER, "line": {"width": 2.5, "color": theme.OTHER}},
                text=["<br>".join(textwrap.wrap(e.title, 22)) for e in chosen],
                textposition=[_text_position(e, ordered) for e in chosen],
                textfont={"size": 13},
                customdata=[
                    [event_label(e, style), e.description, "; ".join(ds.source(s).short for s in e.sources)] for e in chosen
                ],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Source: %{customdata[2]}<extra></extra>",
            )
        )
        traces += 1
    first, last = _x(ordered[0]), _x(ordered[-1])
    pad = max((last - first) * 0.1, datetime.timedelta(days=2))
    ticks = _ticks(ordered, style)
    fig.update_layout(
        xaxis={
            "title": {"text": "Date (Old Style [New Style])" if style == "old" else "Date (New Style, Old Style in brackets)"},
            "range": [first - pad, last + pad],
            "tickvals": [t[0] for t in ticks],
            "ticktext": [t[1] for t in ticks],
            "showgrid": True,
            "tickangle": 0,
        },
        yaxis={"visible": False, "range": [0.3, lanes + 0.9], "fixedrange": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    rows = tuple((event_label(e, style), e.title, e.description, "; ".join(ds.source(s).short for s in e.sources)) for e in ordered)
    alt = TextAlternative(
        figure_id=figure_id,
        title=title,
        summary=f"{sentence(title)} {len(ordered)} events from {rows[0][0]} to {rows[-1][0]}, in order.",
        columns=("Date", "Event", "What happened", "Sources"),
        rows=rows,
        sources=tuple(ds.source(s).citation() for s in dict.fromkeys(s for e in ordered for s in e.sources)),
        traces=traces,
    )
    return attach(fig, alt)


def _text_position(event: Event, ordered: list[Event]) -> str:
    """Labels near the ends lean inwards so they are not cut off."""
    first, last = _x(ordered[0]), _x(ordered[-1])
    span = (last - first).total_seconds() or 1
    where = (_x(event) - first).total_seconds() / span
    return "top right" if where < 0.1 else "top left" if where > 0.9 else "top center"


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
    span = (_x(ordered[-1]) - _x(ordered[0])) or datetime.timedelta(days=1)
    out: list[tuple[datetime.datetime, str]] = []
    for e in ordered:
        x = _x(e).replace(hour=12, minute=0)
        if out and (x - out[-1][0]) < span * 0.07:
            continue
        out.append((x, _tick_text(e, style)))
    return out
