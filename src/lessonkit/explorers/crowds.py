"""Crowds as shares of a city: how big is an estimate next to the population it comes from?

A crowd of a million sounds like a number; "four people in ten of everyone living in
the city, babies included" is a claim a student can test. :func:`share_figure` draws
each estimate as a percentage of a whole (for example Petrograd's population), with
ranges as error bars and reference lines for other parts of the same whole (for
example all the city's industrial workers). :func:`fact_share` does the arithmetic
that a lesson can assert.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go

from lessonkit.model.data import ARTICLE_SOURCE, Dataset, Fact, dataset, format_number
from lessonkit.model.shares import fact_share, percent_text
from lessonkit.render import theme
from lessonkit.render.core import begin, finish, source_line
from lessonkit.render.figures import CONFIDENCE_WORDS, article_name, sentence


def share_figure(
    parts: Sequence[Fact],
    whole: Fact,
    title: str,
    figure_id: str,
    ds: Dataset | None = None,
    references: Sequence[Fact] = (),
    whole_name: str | None = None,
) -> go.Figure:
    """Each fact in ``parts`` as a share of ``whole``: one bar per estimate, the article's in its own colour.

    ``references`` are drawn as dashed vertical lines (e.g. all industrial workers as a share
    of the same population), so the bars can be read against them. ``whole_name`` names the
    whole on the axis (default: its label).
    """
    if not parts:
        raise ValueError("share_figure needs at least one part")
    if whole.central <= 0:
        raise ValueError("the whole must be a positive number")
    ds = ds or dataset()
    name_of_whole = whole_name or whole.label
    used = [*parts, whole, *references]
    # The source line sits under the plot, right of the long bar labels: wrap it short.
    wrap = theme.SHORT_SOURCE_WRAP
    note_lines = len(source_line((f.cited for f in used), wrap))
    fig = begin(title, height=230 + 70 * len(parts))
    traces = 0
    groups = ((article_name(ds), True, theme.ARTICLE), ("Other sources", False, theme.OTHER))
    for name, is_article, colour in groups:
        chosen = [f for f in parts if (f.source == ARTICLE_SOURCE) == is_article]
        if not chosen:
            continue
        shares = [fact_share(f, whole) for f in chosen]
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=["<br>".join(textwrap.wrap(f"{f.cited.short}: {f.label}", theme.BAR_LABEL_WRAP)) for f in chosen],
                x=[s[1] for s in shares],
                marker={
                    "color": colour,
                    "pattern": {"shape": ["/" if f.confidence in ("low", "unverified") else "" for f in chosen]},
                },
                error_x={
                    "type": "data",
                    "array": [s[2] - s[1] for s in shares],
                    "arrayminus": [s[1] - s[0] for s in shares],
                    "visible": any(s[2] > s[0] for s in shares),
                    "color": theme.INK,
                },
                customdata=[[CONFIDENCE_WORDS[f.confidence], f.note or ""] for f in chosen],
                hovertext=[f"{percent_text(s[1])} ({f.display()})" for s, f in zip(shares, chosen, strict=True)],
                hovertemplate="%{y}<br><b>%{hovertext}</b><br>%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            )
        )
        for label, share, f in zip(fig.data[-1].y, shares, chosen, strict=True):
            # the value label sits right of the bar or of its range, so error bars never cross it
            fig.add_annotation(x=share[2], y=label, xshift=6, xanchor="left", showarrow=False,
                               text=f"{percent_text(share[1])} ({f.display()})", font={"size": 15})
        traces += 1
    top = max([fact_share(f, whole)[2] for f in parts] + [fact_share(r, whole)[1] for r in references])
    for i, ref in enumerate(references):
        x = fact_share(ref, whole)[1]
        fig.add_vline(x=x, line={"dash": "dash", "color": theme.MUTED, "width": 2})
        fig.add_annotation(
            x=x,
            y=1,
            yref="paper",
            yanchor="bottom",
            yshift=4 + 20 * i,
            xanchor="left",
            showarrow=False,
            text=f"{ref.label}: {percent_text(x)}",
            font={"size": 13, "color": theme.INK},
        )
    fig.update_layout(
        barmode="group",
        xaxis={
            "title": {"text": f"Per cent of {name_of_whole} ({whole.display()})"},
            "range": [0, top * 1.5],
            "ticksuffix": "%",
        },
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": 1.02 + 0.09 * max(len(references), 1), "yanchor": "bottom", "x": 0},
        margin={"l": 20, "t": 110 + 22 * len(references), "b": 110 + 17 * note_lines},
    )
    rows = tuple(
        (
            f.cited.short,
            f.label,
            f.display(),
            percent_text(fact_share(f, whole)[1]),
            CONFIDENCE_WORDS[f.confidence],
        )
        for f in [*parts, *references]
    )
    summary = (
        f"{sentence(title)} Each estimate as a share of {name_of_whole}, {whole.display()} "
        f"({whole.cited.short}). "
        + " ".join(
            f"{f.cited.short}: {f.display()} is {percent_text(fact_share(f, whole)[1])}." for f in parts
        )
    )
    if references:
        summary += " For comparison: " + "; ".join(
            f"{r.label}, {format_number(r.central)}, is {percent_text(fact_share(r, whole)[1])}" for r in references
        ) + "."
    return finish(
        fig,
        figure_id=figure_id,
        summary=summary,
        columns=("Source", "What it counts", "Figure", "Share of the whole", "Confidence"),
        rows=rows,
        sources=(f.cited for f in used),
        wrap=wrap,
        traces=traces,
    )
