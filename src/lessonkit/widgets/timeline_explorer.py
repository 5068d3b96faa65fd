"""The timeline explorer: a timeline with a calendar toggle, a lesson filter and a year range."""

from __future__ import annotations

import datetime
import html
import textwrap
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.data import Dataset, Event, dataset
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative
from lessonkit.render.core import alternative, begin
from lessonkit.render.figures import sentence
from lessonkit.render.timeline import (
    ALL_LESSONS,
    AXIS_TITLES,
    STYLE_OPTIONS,
    Style,
    event_label,
    event_range,
    event_x,
    event_year,
    explorer_ticks,
    filter_events,
    layout_labels,
    sorted_events,
)
from lessonkit.widgets.figureview import FigureView


class TimelineExplorer(widgets.VBox):
    """A timeline students can explore: calendar toggle, lesson filter and a year range.

    - ``ToggleButtons`` "Old Style first" / "New Style first" (:meth:`set_style`): tick labels, label
      dates and hover text switch calendar order.
    - a lesson ``Dropdown`` and a year ``IntRangeSlider`` (class ``lk-slider``) filter the events
      (:meth:`set_filter`).

    The figure (``figure``, shown in ``view``, a :class:`~lessonkit.widgets.figureview.FigureView`, class
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

        fig = begin(title, height=250 + 75 * lanes)
        # the source line, rewritten for the events shown on every change (see _sources_line)
        fig.add_annotation(theme.source_note("Sources:"))
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
            x0, x1 = event_range(shown)
            placed = layout_labels(shown, style, self.lanes, x0, x1)
            for e, (lane, text, position) in zip(shown, placed, strict=True):
                t = traces[1 if e.single_source else 0]
                t["x"].append(event_x(e))
                t["y"].append(lane)
                # " ", not "": plotly.js deletes the <text> node of an empty label and does not bring it
                # back when a later update gives that point a label (seen in JupyterLab).
                t["text"].append(text or " ")
                t["textposition"].append(position)
                t["customdata"].append([event_label(e, style), html.escape(e.title), html.escape(e.description),
                                        "; ".join(s.labelled for s in e.cited)])
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
        shorts = list(dict.fromkeys(s.short for e in shown for s in e.cited))
        if len(shorts) <= 5:
            text = "Sources: " + ("; ".join(shorts) if shorts else "none (no events shown)")
        else:
            text = f"Sources: {len(shorts)} sources for the events shown, listed in the text description below."
        return "<br>".join(textwrap.wrap(text, theme.WIDE_SOURCE_WRAP))

    def text_alternative(self, shown: Sequence[Event] | None = None) -> TextAlternative:
        """The alternative for what the timeline shows now (dates in the current style)."""
        shown = self.visible_events() if shown is None else list(shown)
        rows = tuple((event_label(e, self.style), e.title, e.description,
                      "; ".join(s.labelled for s in e.cited)) for e in shown)
        if rows:
            summary = f"{sentence(self.title)} {len(rows)} events from {rows[0][0]} to {rows[-1][0]}, in order."
        else:
            summary = f"{sentence(self.title)} No events match the filter."
        return alternative(
            self.figure,
            figure_id=self.figure_id,
            title=self.title,
            summary=summary,
            columns=("Date", "Event", "What happened", "Sources"),
            rows=rows,
            sources=(s for e in shown for s in e.cited),
        )
