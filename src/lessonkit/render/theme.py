"""One look for every figure: a colour-blind-safe palette and type sized for a projector."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# Okabe & Ito (2008) colour-blind-safe palette, ordered for contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
ARTICLE = "#D55E00"  # the article's own claims
OTHER = "#0072B2"  # every other source
MUTED = "#6B6B6B"  # context, grid, notes (4.5:1 on white)
CHAR_PX = 7.0  # average width of one character of 13 px label text, for laying out labels
PALE = PALETTE[-1]  # the palette's yellow: too pale on white for markers and lines
FONT = "Arial, 'Helvetica Neue', Helvetica, 'Liberation Sans', sans-serif"
TEMPLATE_NAME = "lessonkit"


def _template() -> go.layout.Template:
    layout = go.Layout(
        colorway=list(PALETTE),
        font={"family": FONT, "size": 16, "color": "#1A1A1A"},
        title={"font": {"size": 21}, "x": 0.01, "xanchor": "left", "xref": "container"},
        paper_bgcolor="#FFFFFF",
        plot_bgcolor="#FFFFFF",
        margin={"l": 70, "r": 40, "t": 90, "b": 120},
        hoverlabel={"font": {"size": 15, "family": FONT}},
        legend={"font": {"size": 15}, "bgcolor": "rgba(255,255,255,0.85)"},
        xaxis={"gridcolor": "#E3E3E3", "linecolor": "#1A1A1A", "ticks": "outside", "title": {"standoff": 10}},
        yaxis={"gridcolor": "#E3E3E3", "linecolor": "#1A1A1A", "ticks": "outside", "title": {"standoff": 10}},
        separators=".,",
    )
    return go.layout.Template(layout=layout)


def source_note(text: str, shift: int = 72) -> dict:
    """A grey note pinned a fixed number of pixels under the plot area (below the axis title)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "y": 0,
        "yshift": -shift,
        "yanchor": "top",
        "xanchor": "left",
        "showarrow": False,
        "align": "left",
        "font": {"size": 13, "color": MUTED},
    }


def ensure_template() -> str:
    """Register the lessonkit template with plotly (once) and return its name."""
    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _template()
    return TEMPLATE_NAME
