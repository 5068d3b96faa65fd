"""What share of Russia's people were workers? A part-of-a-whole picture that depends on whose numbers you pick.

- the arithmetic is :func:`~lessonkit.model.shares.share_percent`.
- :func:`share_figure` draws one choice as a grid of 100 squares, one square per 1 % of the population.
- :class:`ShareExplorer` lets a student pick a workers figure and a population figure from the data;
  the share, the grid and its text alternative follow the choice.

Every number comes from ``data/facts``: the workers and the population are two ``quantity`` ids.
Facts that are statements (the article's "several million") cannot be divided, so the explorer lists
them under the grid instead of offering them in the menu.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.data import Dataset, Fact, dataset, format_number
from lessonkit.model.shares import share_percent
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import CONFIDENCE_WORDS
from lessonkit.widgets.figureview import FigureView

GRID = 10
"""The grid is GRID x GRID squares: one square per 1 % of the population."""


def squares_for(percent: float) -> int:
    """How many of the 100 squares to colour: the share rounded, but at least one if the share is not zero."""
    if percent <= 0:
        return 0
    return min(GRID * GRID, max(1, int(percent + 0.5)))


def describe(fact: Fact, ds: Dataset | None = None) -> str:
    """'Mandel: Industrial workers in Russia in 1917 — 3,500,000 (1917)'.

    The fact carries its source; ``ds`` is accepted for callers that still pass one.
    """
    when = f" ({fact.date[:4]})" if fact.date else ""
    return f"{fact.cited.short}: {fact.label} — {fact.display()}{when}"


def share_figure(
    workers: Fact, population: Fact, figure_id: str = "workers_share", ds: Dataset | None = None
) -> go.Figure:
    """One hundred squares, one per 1 % of ``population``; the workers' squares are coloured.

    Two traces: the workers' squares and everyone else's. A range (low–high) is divided at its middle.
    The facts carry their sources; ``ds`` is accepted for callers that still pass one.
    """
    if workers.unit == "statement" or population.unit == "statement":
        raise ValueError("a statement has no number to divide")
    percent = share_percent(workers.central, population.central)
    coloured = squares_for(percent)
    cells = [(i % GRID, GRID - 1 - i // GRID) for i in range(GRID * GRID)]
    title = f"Workers as a share of the population: {percent:.1f}%"
    fig = begin(title, height=560)
    groups = (
        ("Workers", cells[:coloured], theme.ARTICLE),
        ("Everyone else", cells[coloured:], theme.REST),
    )
    for name, chosen, colour in groups:
        fig.add_trace(
            go.Scatter(
                name=name,
                x=[c[0] for c in chosen],
                y=[c[1] for c in chosen],
                mode="markers",
                marker={"symbol": "square", "size": 27, "color": colour, "line": {"width": 1, "color": theme.PAPER}},
                hovertemplate=f"{name}<extra></extra>",
            )
        )
    fig.update_layout(
        xaxis={"visible": False, "range": [-0.7, GRID - 0.3], "fixedrange": True},
        yaxis={"visible": False, "range": [-0.7, GRID - 0.3], "fixedrange": True, "scaleanchor": "x"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 20, "r": 20, "t": 90, "b": 110},
    )
    fig.add_annotation(
        text=f"Each square = 1% of {format_number(population.central)} people",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-8,
        yanchor="top",
        xanchor="left",
        showarrow=False,
        font={"size": 14},
    )
    rows = (
        ("Workers", describe(workers), CONFIDENCE_WORDS[workers.confidence]),
        ("Population", describe(population), CONFIDENCE_WORDS[population.confidence]),
        ("Share", f"{percent:.1f}% (about {coloured} in every 100 people)", "computed"),
    )
    return finish(
        fig,
        figure_id=figure_id,
        summary=(
            f"{format_number(workers.central)} workers out of {format_number(population.central)} people is "
            f"{percent:.1f}%: about {coloured} squares in 100 are coloured."
        ),
        columns=("Part", "Figure and source", "Confidence"),
        rows=rows,
        sources=(workers.cited, population.cited),
        traces=len(fig.data),  # both traces, even when a share of 0 or 100% leaves one of them empty
    )


def _numeric(facts: Sequence[Fact]) -> list[Fact]:
    return [f for f in facts if f.unit != "statement"]


class ShareExplorer(widgets.VBox):
    """Pick a workers figure and a population figure; see the share as 100 squares.

    ``workers`` and ``population`` are the two dropdowns (their values are fact ids);
    ``figure`` is the figure shown in ``view`` (a :class:`~lessonkit.widgets.figureview.FigureView`); :meth:`update`
    recomputes and returns the share in per cent.
    """

    def __init__(
        self,
        workers_quantity: str = "workers_russia",
        population_quantity: str = "russia_population",
        workers: str | None = None,
        population: str | None = None,
        ds: Dataset | None = None,
    ):
        self.ds = ds or dataset()
        all_workers = self.ds.quantity(workers_quantity)
        self.statements = [f for f in all_workers if f.unit == "statement"]
        worker_facts = _numeric(all_workers)
        population_facts = _numeric(self.ds.quantity(population_quantity))
        if not worker_facts or not population_facts:
            raise ValueError("both quantities need at least one fact with a number")
        style = {"description_width": "initial"}
        layout = widgets.Layout(width="95%")
        self.workers = widgets.Dropdown(
            options=[(describe(f), f.id) for f in worker_facts],
            value=workers or worker_facts[0].id,
            description="Workers",
            style=style,
            layout=layout,
        )
        self.population = widgets.Dropdown(
            options=[(describe(f), f.id) for f in population_facts],
            value=population or population_facts[0].id,
            description="Population",
            style=style,
            layout=layout,
        )
        self.result = widgets.HTML()
        self.figure = self._figure()
        self.view = FigureView(self.figure)
        self.alt = widgets.HTML()
        notes = "".join(
            f"<li>{html.escape(f.cited.short)}: {html.escape(f.label)}. {html.escape(f.note)}</li>"
            for f in self.statements
        )
        self.statement_note = widgets.HTML(
            f"<p><strong>Not in the menu, because they are words, not numbers:</strong></p><ul>{notes}</ul>"
            if notes
            else ""
        )
        self.workers.observe(self.update, names="value")
        self.population.observe(self.update, names="value")
        super().__init__(
            children=[self.workers, self.population, self.result, self.view, self.alt, self.statement_note]
        )
        self.add_class("lk-share-explorer")
        self.update()

    def _figure(self) -> go.Figure:
        return share_figure(self.ds.fact(self.workers.value), self.ds.fact(self.population.value), ds=self.ds)

    def update(self, _change: object = None) -> float:
        """Redraw the grid for the chosen figures; returns the share in per cent."""
        workers = self.ds.fact(self.workers.value)
        population = self.ds.fact(self.population.value)
        fresh = share_figure(workers, population, ds=self.ds)
        with self.figure.batch_update():
            for trace, new in zip(self.figure.data, fresh.data, strict=True):
                trace.x, trace.y = new.x, new.y
            self.figure.layout.title.text = fresh.layout.title.text
            self.figure.layout.meta = fresh.layout.meta
            self.figure.layout.annotations = fresh.layout.annotations
        self.view.show(self.figure)
        alt = TextAlternative.from_figure(fresh)
        self.alt.value = alt.to_html()
        percent = share_percent(workers.central, population.central)
        self.result.value = (
            f'<p role="status"><strong>{format_number(workers.central)}</strong> workers out of '
            f"<strong>{format_number(population.central)}</strong> people: <strong>{percent:.1f}%</strong>, "
            f"about {squares_for(percent)} in every 100.</p>"
        )
        return percent
