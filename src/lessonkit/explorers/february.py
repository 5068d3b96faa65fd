"""The February days of 1917, day by day: what happened, and how many people the sources count.

- the day arithmetic (:func:`~lessonkit.model.calendar.day_sequence`, ``days_between``) is in the calendar.
- :func:`crowd_figure` draws every sourced count of strikers and soldiers, one trace per source,
  with the chosen day highlighted.
- :class:`FebruaryDays` puts a slider (and Previous / Next buttons) over the days: the figure's
  highlight and a caption with the day's events and counts follow the slider.

Nothing here types a fact in: events and counts are ids and quantities from ``data/``.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate, day_sequence
from lessonkit.model.data import Dataset, Event, Fact, dataset
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import CONFIDENCE_WORDS
from lessonkit.widgets.figureview import FigureView


def day_label(iso: str) -> str:
    """'23 Feb<br>[8 Mar]': a two-line tick label in both calendars."""
    return DualDate.parse(iso).label.rsplit(" ", 1)[0].replace(" [", "<br>[")


def counted_facts(quantities: Sequence[str], ds: Dataset) -> list[Fact]:
    """Every fact of these quantities (numbers and statements), in file order."""
    return [f for q in quantities for f in ds.quantity(q)]


def crowd_figure(
    days: Sequence[str],
    facts: Sequence[Fact],
    title: str,
    figure_id: str = "february_days",
    selected: str | None = None,
    ds: Dataset | None = None,
) -> go.Figure:
    """Counts of people by day, one trace per source; statements are left to the caption and the table.

    Strikers are circles, soldiers diamonds. The ``selected`` day is shaded. Each fact carries its source,
    so ``ds`` is not needed (it is accepted for callers that pass one).
    """
    numeric = [f for f in facts if f.unit != "statement" and f.date in days]
    if not numeric:
        raise ValueError("crowd_figure needs at least one count dated within the days")
    labels = [day_label(d) for d in days]
    sources = list(dict.fromkeys(f.source for f in numeric))
    fig = begin(title, height=600)
    colours = [c for c in theme.PALETTE if c not in (theme.ARTICLE, theme.PALE)]
    for i, source in enumerate(sources):
        chosen = [f for f in numeric if f.source == source]
        offset = (i - (len(sources) - 1) / 2) * min(0.1, 0.6 / max(len(sources), 1))
        fig.add_trace(
            go.Scatter(
                name=chosen[0].cited.short,
                x=[days.index(f.date) + offset for f in chosen],
                y=[f.central for f in chosen],
                mode="markers",
                marker={
                    "size": 16,
                    "color": theme.ARTICLE if source == "spark1977" else colours[i % len(colours)],
                    "symbol": ["diamond" if f.unit == "soldiers" else "circle" for f in chosen],
                    "line": {"width": 1.5, "color": theme.INK},
                },
                customdata=[
                    [
                        "<br>".join(textwrap.wrap(f.label, theme.HOVER_WRAP)),
                        f.display(),
                        CONFIDENCE_WORDS[f.confidence],
                    ]
                    for f in chosen
                ],
                hovertemplate=(
                    "%{customdata[0]}<br><b>%{customdata[1]}</b> (%{customdata[2]})<extra>%{fullData.name}</extra>"
                ),
            )
        )
    top = max(f.central for f in numeric)
    fig.update_layout(
        xaxis={
            "title": {"text": "Day (Old Style [New Style]), 1917"},
            "tickvals": list(range(len(labels))),
            "ticktext": labels,
            "range": [-0.5, len(labels) - 0.5],
            "showgrid": False,
            "zeroline": False,
            "tickangle": 0,
            "tickfont": {"size": 13},
        },
        yaxis={"title": {"text": "People"}, "range": [0, top * 1.15], "tickformat": ",d", "rangemode": "tozero"},
        legend={"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "title": {"text": "Source:"}},
        margin={"l": 90, "r": 20, "t": 190},
        title={"y": 0.985, "yanchor": "top"},
        shapes=[_highlight(days.index(selected) if selected in days else 0)],
    )
    fig.add_annotation(
        text="Circles: workers on strike · Diamonds: soldiers who joined the crowds · Shaded: the chosen day",
        xref="paper",
        yref="paper",
        x=0,
        y=1,
        yshift=96,
        xanchor="left",
        yanchor="bottom",
        showarrow=False,
        font={"size": 14},
    )
    rows = tuple(
        (
            DualDate.parse(f.date).label if f.date else "",
            f.cited.short,
            f.label,
            "—" if f.unit == "statement" else f.display(),
            CONFIDENCE_WORDS[f.confidence],
        )
        for f in facts
        if f.date in days
    )
    return finish(
        fig,
        figure_id=figure_id,
        summary=(
            f"{len(numeric)} counts from {len(sources)} sources between {DualDate.parse(days[0]).label} and "
            f"{DualDate.parse(days[-1]).label}. Counts of strikers rise from tens of thousands on the first day "
            "to hundreds of thousands; after the soldiers change sides, the sources count soldiers instead."
        ),
        columns=("Day", "Source", "What it counts", "Figure", "Confidence"),
        rows=rows,
        # the counts' sources (those the plot draws); a statement's source is named in its table row
        sources=(f.cited for f in numeric),
    )


def _highlight(index: int) -> dict:
    return {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": index - 0.5,
        "x1": index + 0.5,
        "y0": 0,
        "y1": 1,
        "fillcolor": theme.HIGHLIGHT,
        "line": {"width": 0},
        "layer": "below",
    }


class FebruaryDays(widgets.VBox):
    """A slider over the days from ``first`` to ``last``; figure highlight and caption follow it.

    ``slider`` (a ``SelectionSlider`` of ISO dates), ``previous`` / ``following`` (buttons),
    ``figure`` (the figure shown in ``view``, a :class:`~lessonkit.widgets.figureview.FigureView`) and ``caption``
    (an ``HTML``). :meth:`update` returns the caption.
    """

    def __init__(
        self,
        first: str,
        last: str,
        event_ids: Sequence[str],
        quantities: Sequence[str],
        title: str = "The February days in numbers",
        ds: Dataset | None = None,
    ):
        self.ds = ds or dataset()
        self.days = day_sequence(first, last)
        self.events: list[Event] = [self.ds.event(e) for e in event_ids]
        self.facts = counted_facts(quantities, self.ds)
        self.slider = widgets.SelectionSlider(
            options=[(DualDate.parse(d).label, d) for d in self.days],
            value=self.days[0],
            description="Day",
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.slider.add_class("lk-slider")
        self.previous = widgets.Button(description="◀ Previous day", tooltip="Go back one day")
        self.following = widgets.Button(description="Next day ▶", tooltip="Go forward one day")
        self.previous.on_click(lambda _b: self.step(-1))
        self.following.on_click(lambda _b: self.step(1))
        fig = crowd_figure(self.days, self.facts, title, selected=self.days[0], ds=self.ds)
        self.figure = fig
        self.view = FigureView(fig)
        self.alt = widgets.HTML(TextAlternative.from_figure(fig).to_html())
        self.caption = widgets.HTML()
        self.slider.observe(self.update, names="value")
        super().__init__(
            children=[
                self.slider,
                widgets.HBox([self.previous, self.following]),
                self.caption,
                self.view,
                self.alt,
            ]
        )
        self.add_class("lk-february-days")
        self.update()

    def step(self, delta: int) -> str:
        """Move the slider ``delta`` days (stopping at the ends); returns the new day."""
        i = min(max(self.days.index(self.slider.value) + delta, 0), len(self.days) - 1)
        self.slider.value = self.days[i]
        return self.slider.value

    def day_number(self) -> int:
        """1 on the first day, 2 on the second, ..."""
        return self.days.index(self.slider.value) + 1

    def update(self, _change: object = None) -> str:
        """Move the highlight to the chosen day and rewrite the caption; returns the caption HTML."""
        day = self.slider.value
        index = self.days.index(day)
        self.figure.layout.shapes = [_highlight(index)]
        self.view.show(self.figure)
        self.previous.disabled = index == 0
        self.following.disabled = index == len(self.days) - 1
        self.caption.value = self.caption_for(day)
        return self.caption.value

    def caption_for(self, day: str) -> str:
        """The HTML caption for one day: its events with their sources, then its counts."""
        esc = html.escape
        events = [e for e in self.events if e.date == day]
        facts = [f for f in self.facts if f.date == day]
        items = []
        for e in events:
            names = "; ".join(s.short for s in e.cited)
            flag = " <em>(one source only)</em>" if e.single_source else ""
            items.append(
                f"<li><strong>{esc(e.title)}.</strong> {esc(e.description)} "
                f"<small>Source: {esc(names)}{flag}</small></li>"
            )
        counts = []
        for f in facts:
            figure = "" if f.unit == "statement" else f" <strong>{esc(f.display())}</strong>"
            counts.append(
                f"<li>{esc(f.cited.short)}: {esc(f.label)}{figure} "
                f"<small>({esc(CONFIDENCE_WORDS[f.confidence])})</small></li>"
            )
        body = f"<ul>{''.join(items)}</ul>" if items else "<p>No event of this day is in the lesson's data.</p>"
        if counts:
            body += f"<p><strong>How many?</strong></p><ul>{''.join(counts)}</ul>"
        return (
            f'<div class="lk-day-caption" role="status" aria-live="polite">'
            f"<h4>Day {self.days.index(day) + 1}: {esc(DualDate.parse(day).label)}</h4>{body}</div>"
        )
