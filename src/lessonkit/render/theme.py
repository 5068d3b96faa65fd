"""One look for every figure, widget and printable page: every colour, width and wrap rule, by name.

A colour-blind-safe palette and type sized for a projector; plotly is imported only to register the
figure template (:func:`ensure_template`), so the teacher's pages can use these names without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Okabe & Ito (2008) colour-blind-safe palette, ordered for contrast on white.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442")
ARTICLE = "#D55E00"  # the article's own claims
OTHER = "#0072B2"  # every other source
MUTED = "#6B6B6B"  # context, grid, notes (4.5:1 on white)
CHAR_PX = 7.0  # average width of one character of 13 px label text, for laying out labels
PALE = PALETTE[-1]  # the palette's yellow: too pale on white for markers and lines
SOURCE_WRAP = 100  # characters per line of the source line under a figure
SOURCE_MARGIN = 120  # px under the plot for the axis title and two lines of sources (the template's margin)

# Named colours beyond the palette: every colour a figure or widget uses is named here.
INK = "#1A1A1A"  # text, outlines and error bars
PAPER = "#FFFFFF"  # the background, and text on dark fills
SOFT_INK = "#4D4D4D"  # text on pale fills, and a figure's own note under the plot
DARK_FILL = "#5A5A5A"  # a dark grey fill under white text
PALE_FILL = "#F2F2F2"  # a pale grey fill: a table's label column, a cell for "does not exist yet"
TABLE_LINE = "#C8C8C8"  # the lines between table cells
ARTICLE_TINT = "#FDF3EE"  # a pale wash of ARTICLE: table cells and boxes about the article
OTHER_TINT = "#F4F9FC"  # a pale wash of OTHER
REST = "#C9D9E6"  # the uncoloured squares of a part-of-a-whole grid
TINTS = {PALETTE[3]: "#F8EDF3", PALETTE[2]: "#E8F5F0", PALETTE[4]: "#FDF3E0"}  # pale washes of palette colours
HIGHLIGHT = "rgba(230, 159, 0, 0.22)"  # a see-through band of PALETTE[4] over a chosen day
CLEAR = "rgba(0,0,0,0)"  # no fill (an outline only)

# Wrap widths, in characters, by what is wrapped (the source line itself: SOURCE_WRAP).
NOTE_WRAP = SOURCE_WRAP  # a figure's own note under the plot
WIDE_SOURCE_WRAP = 110  # a source line under a full-width figure with nothing beside it
TABLE_SOURCE_WRAP = 95  # the source line under a table drawn about 700 px wide
SHORT_SOURCE_WRAP = 70  # a source line that shares the width with long bar labels
ESTIMATES_SOURCE_WRAP = 55  # the source line under a claim check's bars (their labels take the left third)
BAR_LABEL_WRAP = 42  # a bar's label on the category axis
BAR_LINE_PX = 19  # the height of one line of a bar's label (16 px text, as plotly.js spaces it)
HOVER_WRAP = 40  # a label in a hover box
HOVER_LINE_WRAP = 70  # one sourced statement in a hover box
CELL_WRAP = 36  # text in a cell of a table with two text columns, about 700 px wide
WIDE_CELL_WRAP = 70  # text in a cell of a table with one text column that wide
STATUS_WRAP = 12  # a status label inside a heat-map cell
COLUMN_WRAP = 15  # a column label over a narrow heat-map column
ROW_WRAP = 20  # a row label beside a heat map
FONT = "Arial, 'Helvetica Neue', Helvetica, 'Liberation Sans', sans-serif"
TEMPLATE_NAME = "lessonkit"


GRID = "#E3E3E3"  # grid lines
LEGEND_BG = "rgba(255,255,255,0.85)"  # a legend over the plot


def _template() -> go.layout.Template:
    import plotly.graph_objects as go

    axis = {"gridcolor": GRID, "linecolor": INK, "ticks": "outside", "title": {"standoff": 10}}
    layout = go.Layout(
        colorway=list(PALETTE),
        font={"family": FONT, "size": 16, "color": INK},
        title={"font": {"size": 21}, "x": 0.01, "xanchor": "left", "xref": "container"},
        paper_bgcolor=PAPER,
        plot_bgcolor=PAPER,
        margin={"l": 70, "r": 40, "t": 90, "b": SOURCE_MARGIN},
        hoverlabel={"font": {"size": 15, "family": FONT}},
        legend={"font": {"size": 15}, "bgcolor": LEGEND_BG},
        xaxis=axis,
        yaxis=axis,
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
    import plotly.io as pio

    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = _template()
    return TEMPLATE_NAME


# ---------------------------------------------------------------- maps
SEA = "#B9D5EA"  # sea, rivers and canals: one colour, so water reads as water everywhere
LAND = "#F1EEE6"  # land: Petrograd, and the countries of a modern-borders map
NEUTRAL = "#DADADA"  # countries outside the 1914 map's scope (not shaded)
COUNTRY_BORDER = PAPER  # modern borders between shaded countries
UNSHADED_BORDER = "#A8A8A8"  # borders between countries that are not shaded
RULER_FILLS: dict[str, str] = {  # pale fills, so the markers and labels on top stay readable
    "Russian Empire": "#F4A08A",
    "German Empire": "#8FB9DA",
    "Austria-Hungary": "#B5D98A",
    "Ottoman Empire": "#F7C878",
    "United Kingdom": "#C3B9DD",
    "French Republic": "#9FD8CF",
    "Kingdom of Italy": "#F1E28A",
    "Empire of Japan": "#F4C6DA",
    "Republic of China": "#B5D98A",
    "Spain": "#E6C7A6",
    "Portuguese Republic": "#C6E3A4",
    "Swiss Confederation": "#F4C6DA",
    "Kingdom of Belgium": "#F4C6DA",
    "Kingdom of the Netherlands": "#F7C878",
    "Grand Duchy of Luxembourg": "#C3B9DD",
    "Kingdom of Denmark": "#F4C6DA",
    "Kingdom of Norway": "#B5D98A",
    "Kingdom of Sweden": "#F1E28A",
    "Kingdom of Romania": "#F1E28A",
    "Kingdom of Bulgaria": "#C3B9DD",
    "Kingdom of Serbia": "#9FD8CF",
    "Kingdom of Montenegro": "#F7C878",
    "Principality of Albania": "#F4C6DA",
    "Kingdom of Greece": "#8FB9DA",
    "Outer Mongolia (autonomous)": "#E6C7A6",
}
FALLBACK_FILLS = ("#E6C7A6", "#C6E3A4", "#F4C6DA", "#9FD8CF", "#F1E28A", "#C3B9DD")  # a ruler not named above
DARK_TEXT = "#333333"  # a map's subtitle, the scale bar
CITY_MARKER = "#1F1F1F"  # city markers on the maps of Europe and the world
MAP_EVENT = ARTICLE  # event markers and a route's line (vermilion)
BRIDGE = "#4D4D4D"  # Petrograd's bridges
PLACE = "#0B4F8A"  # Petrograd's numbered places
DISTRICT_LINE = "#8C8C8C"  # the dotted district boundaries
OUTSIDE = "#E4E4E4"  # beyond the OpenStreetMap box (no data), if a wide screen shows that far
KEY_BORDER = "#BBBBBB"  # the frame of the city map's key
KEY_BG = "rgba(255,255,255,0.95)"  # the city map's key
SCALE_BG = "rgba(255,255,255,0.7)"  # the scale bar's label
NO_BG = "rgba(255,255,255,0)"  # a legend with no background
HAPPENED = "#B8340B"  # lesson 08: what has happened by this step
NOT_YET = "#7A7A7A"  # lesson 08: what has not happened yet
BANDS = ("rgba(240,228,66,0.22)", "rgba(0,158,115,0.12)")  # the date check's shaded spans, in turn

# ---------------------------------------------------------------- messages and cards (widgets and pages)
GOOD = "#1A5E20"  # saved, right (7:1 on white)
WARN = "#8A1C00"  # not saved, not this one (7:1 on white)
LINK = "#00517F"  # links and sub-headings on the printable pages
SOFT_TEXT = "#4A4A4A"  # dates and notes on the printable pages
CARD_STYLE = (  # the lesson header, the source card, a claim check
    f"border:2px solid {OTHER};border-radius:6px;padding:0.6em 1em;margin:0.4em 0;"
    f"background:{OTHER_TINT};color:{INK};max-width:60em"
)
GREY_CARD_STYLE = (  # what the article leaves out, where historians disagree
    f"border:2px solid #555555;border-radius:6px;padding:0.6em 1em;margin:0.6em 0;"
    f"background:#F7F7F7;color:{INK};max-width:60em"
)
PAGE_COLOURS: dict[str, str] = {  # the printable pages' CSS variables (var(--lk-ink) ...), see css_colours()
    "ink": INK,
    "paper": PAPER,
    "page": PALE_FILL,
    "shadow": "rgba(0,0,0,0.15)",
    "accent": OTHER,
    "link": LINK,
    "soft": SOFT_TEXT,
    "dark": DARK_TEXT,
    "rule": "#9A9A9A",
    "line": NOT_YET,
    "head": "#E4EEF5",
    "tint": OTHER_TINT,
    "good": GOOD,
    "good-tint": "#EEF7EE",
    "warn": WARN,
    "warn-tint": "#FFF4EF",
    "answer": "#FAFAFA",
}


def css_colours() -> str:
    """The page colours as CSS variables, for the top of a printable page's stylesheet."""
    return ":root { " + " ".join(f"--lk-{name}: {value};" for name, value in PAGE_COLOURS.items()) + " }"
