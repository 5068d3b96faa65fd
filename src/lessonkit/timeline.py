"""Timelines of dated events, labelled in both calendars.

Events are placed at their real day (the Gregorian equivalent), so Old Style
and New Style dates of the same event sit at the same point; the labels show
both. Events that only one source supports are drawn hollow and say so.
"""

from __future__ import annotations

import datetime
import html
import textwrap
from collections.abc import Sequence
from typing import Literal

import ipywidgets as widgets
import plotly.graph_objects as go

from . import theme
from .alt import TextAlternative, attach, drawn_traces
from .calendar import DualDate
from .data import Dataset, Event, dataset
from .figures import base_figure, sentence
from .figureview import FigureView
from .theme import CHAR_PX

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
                marker={"size": 15, "symbol": symbol, "color": theme.OTHER,
                        "line": {"width": 2.5, "color": theme.OTHER}},
                text=["<br>".join(textwrap.wrap(e.title, 22)) for e in chosen],
                textposition=[_text_position(e, ordered) for e in chosen],
                textfont={"size": 13},
                customdata=[
                    [event_label(e, style), e.description, "; ".join(ds.source(s).labelled for s in e.sources)]
                    for e in chosen
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
            "title": {"text": AXIS_TITLES[style]},
            "range": [first - pad, last + pad],
            "tickvals": [t[0] for t in ticks],
            "ticktext": [t[1] for t in ticks],
            "showgrid": True,
            "tickangle": 0,
        },
        yaxis={"visible": False, "range": [0.3, lanes + 0.9], "fixedrange": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    )
    rows = tuple(
        (event_label(e, style), e.title, e.description, "; ".join(ds.source(s).labelled for s in e.sources))
        for e in ordered
    )
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
    lowest lane where it clears every label already there (widths estimated in pixels for a ~880 px
    plot). An event with no room keeps its marker and hover but gets no label; its marker goes to
    the lowest lane that no label from the lane below reaches into.
    """
    span = (x1 - x0).total_seconds() or 1.0
    px = PLOT_WIDTH_PX / span
    boxes: list[list[tuple[float, float]]] = [[] for _ in range(lanes)]
    placed: dict[int, tuple[int, str, str]] = {}
    positions: dict[int, tuple[float, str]] = {}
    for i in sorted(range(len(ordered)), key=lambda k: (_priority(ordered[k]), k)):
        e = ordered[i]
        x = (_x(e) - x0).total_seconds() * px
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


def _range(ordered: Sequence[Event]) -> tuple[datetime.datetime, datetime.datetime]:
    first, last = _x(ordered[0]), _x(ordered[-1])
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
        x = _x(e).replace(hour=12, minute=0)
        if out and (x - out[-1][0]) < min_gap:
            continue
        text = _tick_text(e, style)
        if with_year and event_date(e).precision == "day" and str(event_date(e).year) not in text:
            year = event_year(e)
            text = text.replace("<br>", f" {year}<br>", 1) if "<br>" in text else f"{text} {year}"
        out.append((x, text))
    return out


class TimelineExplorer(widgets.VBox):
    """A timeline students can explore: calendar toggle, lesson filter and a year range.

    - ``ToggleButtons`` "Old Style first" / "New Style first" (:meth:`set_style`): tick labels, label
      dates and hover text switch calendar order.
    - a lesson ``Dropdown`` and a year ``IntRangeSlider`` (class ``lk-slider``) filter the events
      (:meth:`set_filter`).

    The figure (``figure``, shown in ``view``, a :class:`~lessonkit.figureview.FigureView`, class
    ``lk-figure-widget``) has two traces, events with two or more sources (filled) and single-source
    events (hollow); each change redraws it. Labels never overlap: an event without room for a label
    keeps its marker and hover. The ``lk-alt`` HTML below lists exactly the events shown.
    """

    def __init__(
        self,
        events: Sequence[Event],
        title: str,
        figure_id: str,
        style: Style = "old",
        lanes: int = 5,
        ds: Dataset | None = None,
    ):
        if not events:
            raise ValueError("TimelineExplorer needs at least one event")
        if style not in ("old", "new"):
            raise ValueError(f"style must be 'old' or 'new', not {style!r}")
        self.ds = ds or dataset()
        self.events: list[Event] = sorted_events(events)
        self.title = title
        self.figure_id = figure_id
        self.lanes = lanes
        self.style: Style = style
        self.lesson: str | None = None
        first, last = event_year(self.events[0]), event_year(self.events[-1])
        self.years: tuple[int, int] = (first, last)
        self._syncing = False

        fig = base_figure(title, [], height=250 + 75 * lanes)
        for name, symbol in (("Two or more sources", "circle"), ("One source only", "circle-open")):
            fig.add_trace(go.Scatter(
                name=name, x=[], y=[], mode="markers+text", textfont={"size": 13}, cliponaxis=False,
                marker={"size": 14, "symbol": symbol, "color": theme.OTHER,
                        "line": {"width": 2.5, "color": theme.OTHER}},
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>%{customdata[2]}<br>"
                              "Source: %{customdata[3]}<extra></extra>",
            ))
        fig.update_layout(
            xaxis={"showgrid": True, "tickangle": 0, "type": "date"},
            yaxis={"visible": False, "range": [0.4, lanes + 1.05], "fixedrange": True},
            legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
            margin={"l": 30, "r": 30},
        )
        self.figure = fig
        self.view = FigureView(fig)

        self.style_buttons = widgets.ToggleButtons(
            options=list(STYLE_OPTIONS), value=style, description="Calendar",
            style={"description_width": "initial", "button_width": "auto"},
            tooltips=["Russian (Julian) date first, Western date in brackets",
                      "Western (Gregorian) date first, Russian date after"],
        )
        self.style_buttons.add_class("lk-calendar-toggle")
        lessons = sorted({lesson for e in self.events for lesson in e.lessons})
        lessons = [x for x in lessons if not all(x in e.lessons for e in self.events)]
        self.lesson_menu = widgets.Dropdown(
            options=[("All lessons", ALL_LESSONS)] + [(f"Lesson {x}", x) for x in lessons], value=ALL_LESSONS,
            description="Lesson", style={"description_width": "initial"},
        )
        self.year_slider = widgets.IntRangeSlider(
            value=[first, last], min=first, max=max(last, first + 1) if first == last else last, step=1,
            description="Years", continuous_update=False, style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        if first == last:  # one year only: a year filter would change nothing, so it is not shown
            self.year_slider.layout.display = "none"
        else:
            self.year_slider.add_class("lk-slider")
        self.status = widgets.HTML()
        self.alt = widgets.HTML()
        self.style_buttons.observe(self._on_style, names="value")
        self.lesson_menu.observe(self._on_filter, names="value")
        self.year_slider.observe(self._on_filter, names="value")
        self._render()
        super().__init__(children=[
            widgets.HBox([self.style_buttons, self.lesson_menu]), self.year_slider, self.view, self.status, self.alt,
        ])
        self.add_class("lk-timeline-explorer")

    # ------------------------------------------------------------ public API

    def visible_events(self) -> list[Event]:
        """The events the current filter shows, in order."""
        return filter_events(self.events, self.lesson, self.years)

    def set_style(self, style: Style) -> list[str]:
        """Show dates Old Style first ("old") or New Style first ("new"); returns the tick labels."""
        if style not in ("old", "new"):
            raise ValueError(f"style must be 'old' or 'new', not {style!r}")
        self.style = style
        self._sync(self.style_buttons, style)
        self._render()
        return list(self.figure.layout.xaxis.ticktext or ())

    def set_filter(self, lesson: str | None = None, years: tuple[int, int] | None = None) -> list[str]:
        """Show only the events of ``lesson`` (None: all) within ``years``; returns the ids shown."""
        choices = [v for _, v in self.lesson_menu.options if v != ALL_LESSONS]
        if lesson == ALL_LESSONS:
            lesson = None
        if lesson is not None and lesson not in choices:
            raise KeyError(f"no events of lesson {lesson!r} here (choose from {', '.join(choices)} or None)")
        if years is None:
            years = (self.year_slider.min, self.year_slider.max)
        lo, hi = int(years[0]), int(years[1])
        if lo > hi:
            raise ValueError(f"the first year {lo} is after the last year {hi}")
        self.lesson, self.years = lesson, (lo, hi)
        self._sync(self.lesson_menu, lesson or ALL_LESSONS)
        self._sync(self.year_slider, (max(lo, self.year_slider.min), min(hi, self.year_slider.max)))
        return [e.id for e in self._render()]

    # ------------------------------------------------------------ internals

    def _sync(self, widget: widgets.Widget, value: object) -> None:
        """Set a control's value without its observer re-entering."""
        if widget.value == value:
            return
        self._syncing = True
        try:
            widget.value = value
        finally:
            self._syncing = False

    def _on_style(self, change: dict) -> None:
        if not self._syncing:
            self.set_style(change["new"])

    def _on_filter(self, _change: dict) -> None:
        if not self._syncing:
            self.set_filter(self.lesson_menu.value, tuple(self.year_slider.value))

    def _render(self) -> list[Event]:
        shown = self.visible_events()
        style = self.style
        traces: list[dict] = [{"x": [], "y": [], "text": [], "textposition": [], "customdata": []} for _ in range(2)]
        ticks: list[tuple[datetime.datetime, str]] = []
        if shown:
            x0, x1 = _range(shown)
            placed = layout_labels(shown, style, self.lanes, x0, x1)
            for e, (lane, text, position) in zip(shown, placed, strict=True):
                t = traces[1 if e.single_source else 0]
                t["x"].append(_x(e))
                t["y"].append(lane)
                # " ", not "": plotly.js deletes the <text> node of an empty label and does not bring it
                # back when a later update gives that point a label (seen in JupyterLab).
                t["text"].append(text or " ")
                t["textposition"].append(position)
                t["customdata"].append([event_label(e, style), html.escape(e.title), html.escape(e.description),
                                        "; ".join(self.ds.source(s).labelled for s in e.sources)])
            ticks = explorer_ticks(shown, style, x0, x1)
        else:
            x0, x1 = datetime.datetime(self.years[0], 1, 1), datetime.datetime(self.years[1], 12, 31)
        with self.figure.batch_update():
            for trace, t in zip(self.figure.data, traces, strict=True):
                trace.x, trace.y, trace.text, trace.customdata = t["x"], t["y"], t["text"], t["customdata"]
                trace.textposition = t["textposition"] or "top center"
            self.figure.layout.xaxis.range = [x0, x1]
            self.figure.layout.xaxis.tickvals = [t[0] for t in ticks]
            self.figure.layout.xaxis.ticktext = [t[1] for t in ticks]
            self.figure.layout.xaxis.title.text = AXIS_TITLES[style]
            self.figure.layout.annotations[0].text = self._sources_line(shown)
        self.view.show(self.figure)
        unlabelled = sum(1 for t in traces for text in t["text"] if not text.strip())
        note = f" {unlabelled} crowded events have no label: hover over them or narrow the years." if unlabelled else ""
        lesson = f"lesson {self.lesson}" if self.lesson else "all lessons"
        self.status.value = (f'<p class="lk-status" role="status" aria-live="polite">Showing {len(shown)} of '
                             f"{len(self.events)} events ({lesson}, {self.years[0]}–{self.years[1]}).{note}</p>")
        self.alt.value = self.text_alternative(shown).to_html()
        return shown

    def _sources_line(self, shown: Sequence[Event]) -> str:
        """The credit under the plot: the sources of the events shown, or their number when there are many."""
        shorts = list(dict.fromkeys(self.ds.source(s).short for e in shown for s in e.sources))
        if len(shorts) <= 5:
            text = "Sources: " + ("; ".join(shorts) if shorts else "none (no events shown)")
        else:
            text = f"Sources: {len(shorts)} sources for the events shown, listed in the text description below."
        return "<br>".join(textwrap.wrap(text, 110))

    def text_alternative(self, shown: Sequence[Event] | None = None) -> TextAlternative:
        """The alternative for what the timeline shows now (dates in the current style)."""
        shown = self.visible_events() if shown is None else list(shown)
        rows = tuple((event_label(e, self.style), e.title, e.description,
                      "; ".join(self.ds.source(s).labelled for s in e.sources)) for e in shown)
        if rows:
            summary = f"{sentence(self.title)} {len(rows)} events from {rows[0][0]} to {rows[-1][0]}, in order."
        else:
            summary = f"{sentence(self.title)} No events match the filter."
        return TextAlternative(
            figure_id=self.figure_id,
            title=self.title,
            summary=summary,
            columns=("Date", "Event", "What happened", "Sources"),
            rows=rows,
            sources=tuple(self.ds.source(s).citation() for s in dict.fromkeys(s for e in shown for s in e.sources)),
            traces=drawn_traces(self.figure),
        )
