"""Lesson 08's insurrection map: Petrograd, 22-26 Oct [4-8 Nov] 1917, walked through step by step with a slider.

:class:`InsurrectionMap` draws the city base of :mod:`lessonkit.render.citymap`; the pure functions
(:func:`insurrection_events`, :func:`insurrection_steps`, :func:`events_by_step`) decide which events
have happened by each step.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate
from lessonkit.model.data import ARTICLE_SOURCE, Dataset, Event, dataset
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative
from lessonkit.render.citymap import (
    MARKER_PX,
    CityView,
    key_annotation,
    key_line,
    leader_trace,
    numbered_places,
    petrograd_base,
    petrograd_credit,
    spread_markers,
)
from lessonkit.render.core import alternative
from lessonkit.render.figures import sentence
from lessonkit.render.geo import LICENCES, city_name, lookup_events, position_text
from lessonkit.render.timeline import event_label
from lessonkit.widgets.figureview import FigureView

__all__ = [
    "InsurrectionMap",
    "Step",
    "events_by_step",
    "insurrection_events",
    "insurrection_steps",
]

NOW_PX = 30  # the insurrection map enlarges the markers of the current step

END_OF_DAY = "24:00"  # where an event with no time of day falls among its day's steps


@dataclass(frozen=True)
class Step:
    """One position of the insurrection slider: a day (as Russia dated it) and a time.

    ``time`` None means "by the end of the day": events with no recorded time of day show there.
    """

    date: str
    time: str | None

    @property
    def key(self) -> tuple[int, str]:
        return DualDate.parse(self.date).sort_key, self.time or END_OF_DAY

    @property
    def label(self) -> str:
        """'25 Oct [7 Nov] 1917, 21:40' or '25 Oct [7 Nov] 1917, by the end of the day'."""
        day = DualDate.parse(self.date).label
        return f"{day}, {self.time}" if self.time else f"{day}, by the end of the day"


def _event_key(event: Event) -> tuple[int, str]:
    return DualDate.parse(event.date).sort_key, event.time or END_OF_DAY


def insurrection_events(events: Sequence[Event]) -> list[Event]:
    """The events dated to the day (a step needs a day), in order; the lesson file's window chose them."""
    return sorted((e for e in events if DualDate.parse(e.date).precision == "day"), key=_event_key)


def insurrection_steps(events: Sequence[Event]) -> list[Step]:
    """One step per distinct (day, time) of the events; untimed events make a step at the end of their day."""
    keys = sorted({(e.date, e.time) for e in events}, key=lambda dt: Step(*dt).key)
    return [Step(d, t) for d, t in keys]


def events_by_step(events: Sequence[Event], steps: Sequence[Step]) -> list[list[str]]:
    """For each step, the ids of the events that have happened by then (cumulative, in order).

    An event happens at its day and time; an event with no time counts at the end of its day.
    """
    ordered = sorted(events, key=_event_key)
    return [[e.id for e in ordered if _event_key(e) <= step.key] for step in steps]


def _step_markers(name: str, text: str, fill: str, outline: str, width: float) -> go.Scatter:
    """An empty trace of numbered markers; :meth:`InsurrectionMap.update` fills it for each step."""
    return go.Scatter(
        name=name,
        x=[],
        y=[],
        mode="markers+text",
        textposition="middle center",
        textfont={"size": 12, "color": text},
        hovertemplate="%{hovertext}<extra></extra>",
        marker={"size": 24, "color": fill, "line": {"color": outline, "width": width}},
    )


class InsurrectionMap(widgets.VBox):
    """Petrograd during the insurrection: a slider walks through the events step by step (lesson 08's
    ``[[explorers]]`` entry gives the events, the window and the title; build it with ``lesson.explorer``).

    The map (``figure``, shown in ``view``, a :class:`~lessonkit.widgets.figureview.FigureView`) has the
    Petrograd base traces plus two marker traces, "Happened by this step" and "Not yet", one numbered
    marker per place. Below it: a ``SelectionSlider`` (class ``lk-slider``) whose steps are labelled
    in both calendars, a caption listing what happened at this step (events without a map place are
    listed too), and the ``lk-alt`` text alternative. :meth:`update` redraws the map for a step.
    """

    def __init__(
        self,
        events: Sequence[Event],
        title: str,
        figure_id: str = "insurrection_map",
        window: tuple[str | None, str | None] = (None, None),
        show_districts: bool = False,
        ds: Dataset | None = None,
    ):
        self.ds = ds or dataset()
        self.title = title
        self.figure_id = figure_id
        self.window = window
        """The first and last day the lesson file asked for (its ``from`` and ``until``)."""
        chosen = insurrection_events(lookup_events(list(events), self.ds))
        if not chosen:
            raise ValueError("the insurrection map needs at least one event")
        self.events: list[Event] = sorted(chosen, key=_event_key)
        self.steps: list[Step] = insurrection_steps(self.events)
        self.happened: list[list[str]] = events_by_step(self.events, self.steps)
        mapped = [e for e in self.events if e.place]
        self.places, self.at = numbered_places((), mapped, self.ds)
        self.numbers = {p.id: i for i, p in enumerate(self.places, start=1)}
        credit, self.cited = petrograd_credit(self.places, self.events, self.ds)
        view = CityView.around([(p.lon, p.lat) for p in self.places])
        fig = petrograd_base(title, credit, show_districts, view)
        true = [(p.lon, p.lat) for p in self.places]
        self.shown = dict(zip([p.id for p in self.places], spread_markers(true, view, min_gap=NOW_PX + 2), strict=True))
        leaders = leader_trace(true, [self.shown[p.id] for p in self.places])
        if leaders is not None:
            fig.add_trace(leaders)
        self.base_traces = len(fig.data)
        fig.add_trace(_step_markers("Happened by this step", theme.PAPER, theme.HAPPENED, theme.PAPER, 1.5))
        fig.add_trace(_step_markers("Not yet", theme.NOT_YET, theme.PAPER, theme.NOT_YET, 2))
        fig.add_annotation(
            key_annotation(
                [key_line(self.numbers[p.id], city_name(p), p.approximate) for p in self.places], "Places on the map"
            )
        )
        self.figure = fig
        self.view = FigureView(fig, changing=(self.base_traces, self.base_traces + 1))
        self.slider = widgets.SelectionSlider(
            options=[(s.label, i) for i, s in enumerate(self.steps)],
            value=0,
            description="Time step",
            readout=False,  # the step label is long: the caption below shows it in full (aria-live)
            continuous_update=True,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.slider.add_class("lk-slider")
        self.caption = widgets.HTML()
        self.caption.add_class("lk-map-caption")
        self.alt = widgets.HTML()
        self.slider.observe(self._on_step, names="value")
        self.update(0)
        super().__init__(children=[self.view, self.slider, self.caption, self.alt])
        self.add_class("lk-insurrection-map")

    # ------------------------------------------------------------ updates

    def _on_step(self, change: dict) -> None:
        self.update(int(change["new"]))

    def update(self, step_index: int) -> list[str]:
        """Show the map at step ``step_index``; return the ids of the events happened by then, in order."""
        if not 0 <= step_index < len(self.steps):
            raise IndexError(f"step {step_index} is outside 0..{len(self.steps) - 1}")
        happened = self.happened[step_index]
        done = set(happened)
        now = set(happened) - set(self.happened[step_index - 1] if step_index else [])
        groups: dict[bool, dict[str, list]] = {
            flag: {"x": [], "y": [], "text": [], "hovertext": [], "size": [], "opacity": [], "customdata": []}
            for flag in (True, False)
        }
        for p in self.places:
            evs = self.at[p.id]
            flag = any(e.id in done for e in evs)
            g = groups[flag]
            g["x"].append(self.shown[p.id][0])
            g["y"].append(self.shown[p.id][1])
            g["customdata"].append([p.id, p.lon, p.lat])
            g["text"].append(str(self.numbers[p.id]))
            marks = [("✔ " if e.id in done else "… ") + ("(now) " if e.id in now else "") for e in evs]
            hover = f"<b>{self.numbers[p.id]}. {html.escape(city_name(p))}</b>" + (
                "<br>(approximate)" if p.approximate else ""
            )
            for mark, e in zip(marks, evs, strict=True):
                hover += f"<br>{mark}{html.escape(event_label(e))}: {html.escape(e.title)}"
            g["hovertext"].append(hover)
            g["size"].append(NOW_PX if any(e.id in now for e in evs) else MARKER_PX)
            g["opacity"].append(0.6 if p.approximate else 1.0)
        with self.figure.batch_update():
            traces = self.figure.data[self.base_traces], self.figure.data[self.base_traces + 1]
            for flag, trace in zip((True, False), traces, strict=True):
                g = groups[flag]
                trace.x, trace.y = g["x"], g["y"]
                trace.text, trace.hovertext, trace.customdata = g["text"], g["hovertext"], g["customdata"]
                trace.marker.size = g["size"] or MARKER_PX
                trace.marker.opacity = g["opacity"] or 1
        self.view.show(self.figure)
        self.caption.value = self._caption(step_index, now)
        self.alt.value = self.text_alternative(step_index).to_html()
        if self.slider.value != step_index:
            self.slider.value = step_index
        return list(happened)

    def _caption(self, step_index: int, now: set[str]) -> str:
        step = self.steps[step_index]
        items = []
        for e in self.events:
            if e.id not in now:
                continue
            sources = "; ".join(s.labelled for s in e.cited)
            where = f"{self.numbers[e.place]}. {self.ds.place(e.place).name}" if e.place else "no place on the map"
            claim = " <em>(the article's claim)</em>" if e.sources == (ARTICLE_SOURCE,) else ""
            items.append(
                f"<li><strong>{html.escape(e.title)}</strong>{claim} — {html.escape(e.description)} "
                f"<span style='color:#555'>[{html.escape(where)}; {html.escape(sources)}, "
                f"{e.confidence} confidence]</span></li>"
            )
        return (
            f'<div class="lk-step" role="status" aria-live="polite"><p><strong>Step {step_index + 1} of '
            f"{len(self.steps)}: {html.escape(step.label)}</strong></p><ul>{''.join(items)}</ul></div>"
        )

    def text_alternative(self, step_index: int) -> TextAlternative:
        """The alternative for the map at one step: every event with its status."""
        done = set(self.happened[step_index])
        step = self.steps[step_index]
        rows = []
        for e in self.events:
            place = self.ds.place(e.place) if e.place else None
            where = f"{self.numbers[e.place]}. {position_text(place)}" if place else "not on the map (no place)"
            status = "happened" if e.id in done else "not yet"
            sources = "; ".join(s.labelled for s in e.cited)
            notes = f"{e.description} Source: {sources} ({e.confidence})."
            rows.append((status, e.title, event_label(e), where, notes))
        summary = (
            f"{sentence(self.title)} Step {step_index + 1} of {len(self.steps)}: {step.label}. "
            f"{len(done)} of {len(self.events)} events have happened. Numbered places: "
            + "; ".join(f"{self.numbers[p.id]} {p.name}" for p in self.places)
            + "."
        )
        return alternative(
            self.figure,
            figure_id=self.figure_id,
            title=f"{self.title} — {step.label}",
            summary=summary,
            columns=("Status", "Event", "Date", "Where", "Notes"),
            rows=rows,
            sources=self.cited,
            licences=LICENCES,
        )
