"""Figures built from sourced facts: competing estimates, shares and simple comparisons.

Every builder returns a ``plotly.graph_objects.Figure`` with the lessonkit
template, a title, labelled axes, a source line under the plot and a text
alternative in ``layout.meta['lessonkit']`` (see :mod:`lessonkit.render.alt`).
Builders never display anything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from lessonkit.model.data import ARTICLE_SOURCE, Dataset, Fact, dataset, format_number
from lessonkit.render import theme
from lessonkit.render.core import begin, finish

CONFIDENCE_WORDS = {
    "high": "high confidence",
    "medium": "medium confidence",
    "low": "low confidence",
    "unverified": "not corroborated",
}


def article_name(ds: Dataset) -> str:
    """How figures name the article's own claims: 'The article (The Spark 1977)', from data/sources.csv."""
    return f"The article ({ds.source(ARTICLE_SOURCE).short})"


def sentence(text: str) -> str:
    """End a title with a full stop unless it already ends with punctuation."""
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


def estimates_figure(
    facts: Sequence[Fact],
    title: str,
    axis_title: str,
    figure_id: str,
    ds: Dataset | None = None,
) -> go.Figure:
    """Competing estimates side by side: one bar per source; a range is a bar floating from low to high.

    The article's own claims are drawn in one colour, every other source in another,
    so students see at a glance where the article stands among the sources; each bar's label
    names its source's kind ('Reed 1919 (primary source): ...').
    """
    if not facts:
        raise ValueError("estimates_figure needs at least one fact")
    ds = ds or dataset()

    def label(f: Fact) -> str:
        return "<br>".join(textwrap.wrap(f"{f.cited.labelled}: {f.label}", theme.BAR_LABEL_WRAP))

    # Bars share the height equally: each gets at least 70 px, and room for the longest label, so labels
    # never print over each other.
    lines = max(label(f).count("<br>") + 1 for f in facts)
    fig = begin(title, height=230 + len(facts) * max(70, theme.BAR_LINE_PX * lines + 12))
    groups = ((article_name(ds), theme.ARTICLE, True), ("Other sources", theme.OTHER, False))
    traces = 0
    for name, colour, is_article in groups:
        chosen = [f for f in facts if (f.source == ARTICLE_SOURCE) == is_article]
        if not chosen:
            continue
        labels = [label(f) for f in chosen]
        # A range is a floating bar from low to high; a single figure is a bar from zero.
        bases = [f.lowest if f.is_range else 0.0 for f in chosen]
        values = [f.span if f.is_range else f.central for f in chosen]
        fig.add_trace(
            go.Bar(
                name=name,
                y=labels,
                x=values,
                base=bases,
                orientation="h",
                marker={
                    "color": colour,
                    "pattern": {"shape": ["/" if f.confidence in ("low", "unverified") else "" for f in chosen]},
                },
                text=[f.display() for f in chosen],
                textposition="outside",
                cliponaxis=False,
                customdata=[[CONFIDENCE_WORDS[f.confidence], f.note or ""] for f in chosen],
                hovertemplate="%{y}<br><b>%{text}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
        traces += 1
    top = max(f.highest for f in facts)
    longest = max(len(f.display()) for f in facts)  # room for the value label right of the longest bar
    headroom = min(1.2 + 0.025 * longest, 1.9)
    fig.update_layout(
        barmode="group",
        xaxis={"title": {"text": axis_title}, "range": [0, top * headroom], "rangemode": "tozero", "tickformat": ",d"},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        margin={"l": 20},
    )
    rows = tuple(
        (
            f.cited.short,
            f.cited.kind_word,
            f.label,
            f.display(),
            f.unit,
            CONFIDENCE_WORDS[f.confidence],
        )
        for f in facts
    )
    article = [f for f in facts if f.source == ARTICLE_SOURCE]
    others = [f for f in facts if f.source != ARTICLE_SOURCE]
    summary = f"{sentence(title)} {len(facts)} figures from {len({f.source for f in facts})} sources."
    if article:
        summary += " The article says " + "; ".join(f"{f.label}: {f.display()}" for f in article) + "."
    if others:
        low = min(f.lowest for f in others)
        high = max(f.highest for f in others)
        summary += f" Other sources range from {format_number(low)} to {format_number(high)}."
    return finish(
        fig,
        figure_id=figure_id,
        summary=summary,
        columns=("Source", "Kind of source", "What it counts", "Figure", "Unit", "Confidence"),
        rows=rows,
        sources=(f.cited for f in facts),
        wrap=theme.ESTIMATES_SOURCE_WRAP,
        traces=traces,
    )


def quantity_figure(quantity: str, title: str, axis_title: str, ds: Dataset | None = None) -> go.Figure:
    """:func:`estimates_figure` for every fact about one quantity."""
    ds = ds or dataset()
    return estimates_figure(ds.quantity(quantity), title, axis_title, figure_id=quantity, ds=ds)
