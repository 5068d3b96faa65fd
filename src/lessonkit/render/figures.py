"""Figures built from sourced facts: competing estimates, shares and simple comparisons.

Every builder returns a ``plotly.graph_objects.Figure`` with the lessonkit
template, a title, labelled axes, a source line under the plot and a text
alternative in ``layout.meta['lessonkit']`` (see :mod:`lessonkit.render.alt`).
Builders never display anything.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import plotly.graph_objects as go

from lessonkit.model.data import ARTICLE_SOURCE, Dataset, Fact, dataset, format_number
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative, attach

CONFIDENCE_WORDS = {
    "high": "high confidence",
    "medium": "medium confidence",
    "low": "low confidence",
    "unverified": "not corroborated",
}


def base_figure(title: str, sources: Iterable[str], height: int = 480, wrap: int = 100) -> go.Figure:
    """An empty figure with the theme, a title and the source line under the plot (wrapped at ``wrap`` characters)."""
    name = theme.ensure_template()
    line = "Sources: " + "; ".join(dict.fromkeys(sources))
    lines = textwrap.wrap(line, wrap)
    fig = go.Figure(layout={"template": name, "height": height + 18 * max(0, len(lines) - 2)})
    fig.update_layout(
        title={"text": title},
        annotations=[theme.source_note("<br>".join(lines))],
    )
    if len(lines) > 2:
        fig.update_layout(margin={"b": 120 + 18 * (len(lines) - 2)})
    return fig


def article_name(ds: Dataset) -> str:
    """How figures name the article's own claims: 'The article (The Spark 1977)', from data/sources.csv."""
    return f"The article ({ds.source(ARTICLE_SOURCE).short})"


def sentence(text: str) -> str:
    """End a title with a full stop unless it already ends with punctuation."""
    text = text.strip()
    return text if text[-1:] in ".?!" else text + "."


def source_names(facts: Iterable[Fact], ds: Dataset) -> list[str]:
    """Short names of the facts' sources, in order, without repeats."""
    return list(dict.fromkeys(ds.source(f.source).short for f in facts))


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
    fig = base_figure(title, source_names(facts, ds), height=230 + 70 * len(facts), wrap=55)
    groups = ((article_name(ds), theme.ARTICLE, True), ("Other sources", theme.OTHER, False))
    traces = 0
    for name, colour, is_article in groups:
        chosen = [f for f in facts if (f.source == ARTICLE_SOURCE) == is_article]
        if not chosen:
            continue
        labels = [f"{ds.source(f.source).labelled}: {f.label}" for f in chosen]
        labels = ["<br>".join(textwrap.wrap(label, 42)) for label in labels]
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
            ds.source(f.source).short,
            ds.source(f.source).kind_word,
            f.label,
            f.display(),
            f.unit,
            CONFIDENCE_WORDS[f.confidence],
        )
        for f in facts
    )
    article = [f for f in facts if f.source == ARTICLE_SOURCE]
    others = [f for f in facts if f.source != ARTICLE_SOURCE]
    summary = f"{sentence(title)} {len(facts)} figures from {len(source_names(facts, ds))} sources."
    if article:
        summary += " The article says " + "; ".join(f"{f.label}: {f.display()}" for f in article) + "."
    if others:
        low = min(f.lowest for f in others)
        high = max(f.highest for f in others)
        summary += f" Other sources range from {format_number(low)} to {format_number(high)}."
    alt = TextAlternative(
        figure_id=figure_id,
        title=title,
        summary=summary,
        columns=("Source", "Kind of source", "What it counts", "Figure", "Unit", "Confidence"),
        rows=rows,
        sources=tuple(ds.source(s).citation() for s in dict.fromkeys(f.source for f in facts)),
        traces=traces,
    )
    return attach(fig, alt)


def quantity_figure(quantity: str, title: str, axis_title: str, ds: Dataset | None = None) -> go.Figure:
    """:func:`estimates_figure` for every fact about one quantity."""
    ds = ds or dataset()
    return estimates_figure(ds.quantity(quantity), title, axis_title, figure_id=quantity, ds=ds)
