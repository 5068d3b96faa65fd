"""The Red Guard calculator: duty rotation in one factory, and battalions for the whole city.

The arithmetic lives in plain functions (:func:`rotation`, :func:`battalions`,
:func:`~lessonkit.model.shares.share_percent`) that tests call directly; :class:`RotationCalculator` wires
them to sliders and a figure (a :class:`~lessonkit.widgets.figureview.FigureView`) redrawn for each change.
"""

from __future__ import annotations

import html
import math
from fractions import Fraction

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate
from lessonkit.model.data import Dataset, dataset, format_number
from lessonkit.model.shares import share_percent
from lessonkit.render import theme
from lessonkit.render.core import alternative, begin
from lessonkit.widgets.figureview import FigureView


def rotation(workers: int, on_guard_share: Fraction) -> tuple[int, int]:
    """(at work, on guard) for a factory whose guards rotate with this share on duty."""
    if workers < 0:
        raise ValueError("the number of workers cannot be negative")
    on_guard = round(workers * on_guard_share)
    return workers - on_guard, on_guard


def battalions(total: int, size: int) -> int:
    """How many battalions of ``size`` it takes to hold ``total`` guards (the last may be short)."""
    if size <= 0:
        raise ValueError("a battalion needs at least one member")
    return math.ceil(total / size)


class RotationCalculator(widgets.VBox):
    """Two calculators built from the article's rules and the sources' estimates.

    1. A factory where every worker was armed (the only case the article applies its rule to): of N
       workers, how many are at work and how many on guard at any time; beside it, what that would mean
       for the whole city's guard, and what the Soviet's February quota would have asked of the factory.
    2. The Petrograd total (choose a source's estimate) in battalions of 400–600.
    """

    def __init__(self, ds: Dataset | None = None):
        ds = ds or dataset()
        self.ds = ds
        on_guard = ds.fact("rg_rotation_on_guard")
        self.on_guard_share = Fraction(on_guard.value)
        self.rule = on_guard.cited  # the article: the rotation rule is its claim alone
        battalion = ds.fact("rg_battalion_size")
        largest = ds.fact("putilov_workers")
        self.city_workers = ds.fact("petrograd_industrial_workers")
        self.city_guard = ds.fact("rg_petrograd_spark")
        self.quota = ds.fact("militia_quota")
        self.estimates = [f for f in ds.quantity("rg_petrograd_october") if f.value is not None]

        self.workers = widgets.IntSlider(
            value=1000,
            min=100,
            max=int(largest.value),
            step=100,
            description="Workers in a factory where all were armed",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
            continuous_update=True,
        )
        self.workers.add_class("lk-slider")
        self.rotation_text = widgets.HTML()
        self.figure = self._rotation_figure()
        self.view = FigureView(self.figure)
        self.rotation_alt = widgets.HTML()

        self.estimate = widgets.Dropdown(
            options=[(f"{f.cited.short}: {f.display()}", f.id) for f in self.estimates],
            value=self.estimates[0].id,
            description="Petrograd Red Guard (source)",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.size = widgets.IntSlider(
            value=int(battalion.low),
            min=int(battalion.low),
            max=int(battalion.high),
            step=50,
            description="Members per battalion",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="95%"),
        )
        self.battalion_text = widgets.HTML()

        self.workers.observe(self.update_rotation, names="value")
        self.estimate.observe(self.update_battalions, names="value")
        self.size.observe(self.update_battalions, names="value")
        self.update_rotation()
        self.update_battalions()
        super().__init__(
            children=[
                widgets.HTML("<h4>1. One factory: who is at work and who is on guard?</h4>"),
                self.workers,
                self.rotation_text,
                self.view,
                self.rotation_alt,
                widgets.HTML("<h4>2. The whole city: how many battalions?</h4>"),
                self.estimate,
                self.size,
                self.battalion_text,
            ]
        )
        self.add_class("lk-calculator")

    def _rotation_figure(self) -> go.Figure:
        fig = begin("One factory's workers at any moment", height=300)
        for name, colour in (("At work in the factory", theme.OTHER), ("On guard duty", theme.ARTICLE)):
            fig.add_trace(
                go.Bar(
                    name=name,
                    y=["Workers"],
                    x=[0],
                    orientation="h",
                    marker_color=colour,
                    text=[""],
                    textposition="inside",
                    insidetextanchor="middle",
                    textfont={"size": 16},
                )
            )
        fig.update_layout(
            barmode="stack",
            xaxis={"title": {"text": "Workers"}, "rangemode": "tozero", "tickformat": ",d"},
            yaxis={"visible": False},
            legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0},
            margin={"t": 90, "b": 100},
            # not the usual source line: it says the rule is the article's alone
            annotations=[theme.source_note(f"Rule from: {self.rule.short} (article only)")],
        )
        return fig

    def update_rotation(self, _change: object = None) -> tuple[int, int]:
        """Recompute the rotation for the slider's value and update text, figure and its alternative."""
        n = self.workers.value
        at_work, guard = rotation(n, self.on_guard_share)
        with self.figure.batch_update():
            self.figure.data[0].x = [at_work]
            self.figure.data[0].text = [format_number(at_work)]
            self.figure.data[1].x = [guard]
            self.figure.data[1].text = [format_number(guard)]
        self.view.show(self.figure)
        share = f"{self.on_guard_share.numerator}/{self.on_guard_share.denominator}"
        city = int(self.city_guard.value)
        quota = round(n * float(self.quota.value) / 1000)
        of_city = share_percent(guard, city)
        warning = (
            " That is more than the article's whole guard for the city: no single factory can have been like this."
            if guard > city
            else " Ask yourself whether one factory is likely to have held so large a part of the city's guard."
            if of_city >= 10
            else ""
        )
        self.rotation_text.value = (
            f"<p>In a factory of <strong>{format_number(n)}</strong> workers, all of them armed, about "
            f"<strong>{format_number(at_work)}</strong> are at their jobs and <strong>{format_number(guard)}</strong> "
            f"are on guard at any time (the article's {share} on duty, which it gives only for factories where "
            "every worker was armed).</p>"
            f"<p>For scale: {format_number(guard)} on duty is <strong>{of_city:.0f}%</strong> of the "
            f"{format_number(city)} Red Guards the article counts for all Petrograd. The Soviet's order of "
            f"{DualDate.parse(self.quota.date).label} asked for a militia of {format_number(self.quota.value)} "
            f"{html.escape(self.quota.unit)}: {format_number(quota)} for a factory this size.{warning}</p>"
        )
        alt = alternative(
            self.figure,
            figure_id="rg_rotation",
            title=self.figure.layout.title.text,
            summary=(
                f"Of {format_number(n)} workers, {format_number(at_work)} at work "
                f"and {format_number(guard)} on guard."
            ),
            columns=("Group", "Workers"),
            rows=(("At work in the factory", format_number(at_work)), ("On guard duty", format_number(guard))),
            sources=(self.rule,),
        )
        self.rotation_alt.value = alt.to_html()
        return at_work, guard

    def update_battalions(self, _change: object = None) -> int:
        """Recompute battalions and the share of the city's workers for the chosen estimate."""
        fact = self.ds.fact(self.estimate.value)
        total = int(fact.value)
        size = self.size.value
        count = battalions(total, size)
        pct = share_percent(total, float(self.city_workers.value))
        src = fact.cited.short
        workers_src = self.city_workers.cited.short
        self.battalion_text.value = (
            f"<p><strong>{format_number(total)}</strong> guards ({html.escape(src)}) in battalions of "
            f"<strong>{size}</strong> make <strong>{count}</strong> battalions. That is "
            f"<strong>{pct:.1f}%</strong> of Petrograd's {format_number(self.city_workers.value)} industrial workers "
            f"({html.escape(workers_src)}).</p>"
        )
        return count
