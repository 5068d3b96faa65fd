"""Dual power in 1917: what the Provisional Government and the Petrograd Soviet said and did.

Every cell of the comparison is a sourced fact in ``data/facts/``. A fact belongs to a cell
through its quantity id, ``dual_<issue>_<body>_<kind>`` (built by :func:`quantity_id`, the one place
the convention is written):

- ``issue``: one of :data:`ISSUES` (peace, bread, land, army, rights);
- ``body``: ``government`` (the Provisional Government) or ``soviet`` (the Petrograd Soviet);
- ``kind``: ``said`` (what it said it wanted) or ``did`` (what it did).

The article's own claim about an issue has the quantity ``dual_<issue>_article``.

:func:`dual_power_figure` is a pure builder (a plotly table with a text alternative);
:class:`DualPowerExplorer` is a :class:`~lessonkit.widgets.choicetable.ChoiceTable`: one toggle button
per issue, and the table redrawn for the chosen one.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate, date_label
from lessonkit.model.data import Dataset, Fact, dataset
from lessonkit.render import theme
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import CONFIDENCE_WORDS
from lessonkit.widgets.choicetable import ChoiceTable

ISSUES: dict[str, str] = {
    "peace": "Peace and the war",
    "bread": "Bread and work",
    "land": "Land",
    "army": "The army",
    "rights": "Rights and freedoms",
}
BODIES: dict[str, str] = {"government": "Provisional Government", "soviet": "Petrograd Soviet"}
KINDS: dict[str, str] = {"said": "What it said it wanted", "did": "What it did"}
EMPTY = "No sourced statement was found for this cell."
TOP, BOTTOM = 70, 135  # margins around a table: title above, source line below
WRAP = theme.CELL_WRAP  # characters per line inside a table cell (the table is drawn about 700 px wide)
NOTE_WRAP = theme.TABLE_SOURCE_WRAP  # characters per line of the source line under a table that wide


def quantity_id(issue: str, body: str, kind: str) -> str:
    """The quantity id of one cell, e.g. ``dual_peace_soviet_said``."""
    for value, allowed in ((issue, ISSUES), (body, BODIES), (kind, KINDS)):
        if value not in allowed:
            raise KeyError(f"unknown value {value!r} (choose from {', '.join(allowed)})")
    return f"dual_{issue}_{body}_{kind}"


def _by_date(facts: Sequence[Fact]) -> tuple[Fact, ...]:
    return tuple(sorted(facts, key=lambda f: DualDate.parse(f.date).sort_key if f.date else 0))


@dataclass(frozen=True)
class IssueFacts:
    """The facts of one issue: the article's claim and the four cells, each in date order."""

    issue: str
    article: tuple[Fact, ...]
    cells: dict[tuple[str, str], tuple[Fact, ...]]

    def cell(self, kind: str, body: str) -> tuple[Fact, ...]:
        """The facts in one cell (``kind`` = said/did, ``body`` = government/soviet)."""
        return self.cells[(kind, body)]

    @property
    def facts(self) -> tuple[Fact, ...]:
        """Every fact shown for this issue, the article's first."""
        return self.article + tuple(f for kind in KINDS for body in BODIES for f in self.cells[(kind, body)])


def issue_facts(issue: str, ds: Dataset | None = None) -> IssueFacts:
    """Collect the article's claim and the four cells for ``issue`` from the data."""
    if issue not in ISSUES:
        raise KeyError(f"unknown issue {issue!r} (choose from {', '.join(ISSUES)})")
    ds = ds or dataset()
    wanted = {quantity_id(issue, body, kind): (kind, body) for kind in KINDS for body in BODIES}
    cells: dict[tuple[str, str], list[Fact]] = {key: [] for key in wanted.values()}
    article: list[Fact] = []
    for fact in ds.facts.values():
        if fact.quantity in wanted:
            cells[wanted[fact.quantity]].append(fact)
        elif fact.quantity == f"dual_{issue}_article":
            article.append(fact)
    return IssueFacts(issue, tuple(article), {key: _by_date(value) for key, value in cells.items()})


def _cell_html(facts: Sequence[Fact]) -> str:
    """A table cell: one wrapped entry per fact, or a note that the cell is empty."""
    if not facts:
        return f"<i>{EMPTY}</i>"
    entries = []
    for fact in facts:
        body = "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(fact.label, WRAP))
        source = f"{fact.cited.short}; {CONFIDENCE_WORDS[fact.confidence]}"
        source = "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(source, WRAP))
        entries.append(f"<b>{html.escape(date_label(fact.date), quote=False)}</b><br>{body}<br><i>{source}</i>")
    return "<br><br>".join(entries)


def _lines(text: str) -> int:
    return text.count("<br>") + 1


def dual_power_figure(issue: str, ds: Dataset | None = None) -> go.Figure:
    """A two-column table (Provisional Government | Petrograd Soviet) of what each said and did on ``issue``.

    One ``go.Table`` trace. The text alternative lists every fact with date, body, source and
    confidence; the figure's meta carries the fact ids it shows.
    """
    ds = ds or dataset()
    found = issue_facts(issue, ds)
    facts = found.facts
    title = f"Dual power in 1917: {ISSUES[issue].lower()}"
    first = [f"<b>{KINDS[k]}</b>" for k in KINDS]
    columns = [[_cell_html(found.cell(k, body)) for k in KINDS] for body in BODIES]
    rows_lines = [max(_lines(columns[0][i]), _lines(columns[1][i])) for i in range(len(KINDS))]
    height = TOP + 34 + 19 * sum(rows_lines) + 14 * len(KINDS) + 20 + BOTTOM
    fig = begin(title, height=height)
    fig.add_trace(
        go.Table(
            columnwidth=[0.75, 2, 2],
            header={
                "values": ["", *[f"<b>{name}</b>" for name in BODIES.values()]],
                "fill_color": [theme.MUTED, theme.OTHER, theme.ARTICLE],
                "font": {"color": theme.PAPER, "size": 16},
                "align": "left",
                "height": 34,
            },
            cells={
                "values": [first, *columns],
                "fill_color": [
                    [theme.PALE_FILL] * len(KINDS), [theme.OTHER_TINT] * len(KINDS), [theme.ARTICLE_TINT] * len(KINDS)
                ],
                "font": {"color": theme.INK, "size": 14},
                "align": "left",
                "height": 30,
                "line": {"color": theme.TABLE_LINE},
            },
        )
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": TOP, "b": BOTTOM})
    summary, rows = _alternative(found, title)
    return finish(
        fig,
        figure_id=f"dual_power_{found.issue}",
        summary=summary,
        columns=("Body", "Said or did", "Date", "What", "Source", "Confidence"),
        rows=rows,
        sources=(f.cited for f in facts),
        wrap=NOTE_WRAP,
        traces=1,  # a table: drawn_traces counts traces with x values, and a table has none
    )


def _alternative(found: IssueFacts, title: str) -> tuple[str, list[tuple[str, ...]]]:
    """The summary and the table rows of the text alternative: every fact, and a row for each empty cell."""
    rows: list[tuple[str, ...]] = []
    for fact in found.article:
        rows.append(
            (
                "The article (claim)",
                "—",
                date_label(fact.date),
                fact.label,
                fact.cited.short,
                CONFIDENCE_WORDS[fact.confidence],
            )
        )
    for kind, kind_name in KINDS.items():
        for body, body_name in BODIES.items():
            facts = found.cell(kind, body)
            if not facts:
                rows.append((body_name, kind_name, "—", EMPTY, "—", "—"))
            for fact in facts:
                rows.append(
                    (
                        body_name,
                        kind_name,
                        date_label(fact.date),
                        fact.label,
                        fact.cited.short,
                        CONFIDENCE_WORDS[fact.confidence],
                    )
                )
    filled = sum(1 for key in found.cells if found.cells[key])
    summary = (
        f"{title}. A table with the Provisional Government and the Petrograd Soviet side by side: "
        f"what each said it wanted and what each did. {filled} of 4 cells have sourced facts "
        f"({sum(len(v) for v in found.cells.values())} facts)."
    )
    if found.article:
        summary += " The article says: " + "; ".join(f.label for f in found.article) + "."
    return summary, rows


def article_html(found: IssueFacts, ds: Dataset) -> str:
    """The article's claim about this issue, in a highlighted box (empty when the article says nothing)."""
    if not found.article:
        return "<p><i>The article makes no specific claim about this issue.</i></p>"
    claims = " ".join(html.escape(f.label) + "." for f in found.article)
    return (
        f'<div class="lk-dual-claim" style="border-left:5px solid {theme.ARTICLE};padding:0.3em 0.8em;'
        f'background:{theme.ARTICLE_TINT};color:{theme.INK};max-width:60em">'
        f"<p><strong>The article says:</strong> {claims}</p>"
        "<p>Read both columns: which facts support this claim, and which do not?</p></div>"
    )


class DualPowerExplorer(ChoiceTable):
    """Toggle buttons, one per issue, above the comparison table and its text alternative."""

    def __init__(self, issue: str = "peace", ds: Dataset | None = None):
        self.ds = ds or dataset()
        super().__init__(
            [(name, key) for key, name in ISSUES.items()], issue, "Issue", ("lk-dual-issue", "lk-dual-power")
        )

    def figure_for(self, key: str) -> go.Figure:
        return dual_power_figure(key, self.ds)

    def caption_for(self, key: str) -> str:
        return article_html(issue_facts(key, self.ds), self.ds)
