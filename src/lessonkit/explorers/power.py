"""Who held power, when: a grid of holders of power against moments, every cell backed by sourced facts.

The grid lives in a lesson's content file (``[power]`` in ``data/lessons/NN_slug.toml``): rows are
holders of power, columns are moments, and each cell names a *status* (the lesson's reading of the
sources) and the ids of the facts behind it. The facts themselves, with their sources and confidence,
come from ``data/facts`` through :func:`lessonkit.model.data.dataset`.

- :func:`load_power_grid` reads and checks the grid;
- :func:`power_figure` draws it as a coloured matrix with a text alternative;
- :func:`cell_details` and :class:`PowerExplorer` show one cell's statements and sources;
- :func:`disagreements` lists the holders on which two columns differ (e.g. the article and the sources).
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.model.calendar import DualDate
from lessonkit.model.content import lesson_content, read_lesson_toml
from lessonkit.model.data import ARTICLE_SOURCE, Dataset, Fact, dataset
from lessonkit.model.schema import ID_RE, DataError
from lessonkit.render import theme
from lessonkit.render.alt import table_html
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import CONFIDENCE_WORDS

# status id -> (label shown to students, fill colour, text colour). Okabe & Ito colours (blue, sky blue,
# orange), then greys; readable text.
STATUSES: dict[str, tuple[str, str, str]] = {
    "rules": ("Holds power", theme.PALETTE[0], theme.PAPER),
    "shares": ("Shares or contests power", theme.PALETTE[5], theme.INK),
    "losing": ("Losing power, still present", theme.PALETTE[4], theme.INK),
    "out": ("Out of power", theme.DARK_FILL, theme.PAPER),
    "absent": ("Does not exist yet", theme.PALE_FILL, theme.SOFT_INK),
    "not_stated": ("Not stated", theme.PAPER, theme.SOFT_INK),
}


@dataclass(frozen=True)
class Moment:
    """A column of the grid: a moment in time (``date`` as Russia dated it) or the article's claim."""

    id: str
    title: str
    date: str | None = None
    article: bool = False

    @property
    def label(self) -> str:
        """'After the abdication<br>2 Mar [15 Mar] 1917'; a year or month title stays as it is."""
        return self.wrapped_label()

    def wrapped_label(self, width: int | None = None) -> str:
        """The label with its title wrapped at ``width`` characters (not wrapped when None)."""
        lines = textwrap.wrap(self.title, width) if width else [self.title]
        day = DualDate.parse(self.date) if self.date else None
        if day is not None and day.precision == "day":
            lines.append(day.label)
        return "<br>".join(lines)


@dataclass(frozen=True)
class Cell:
    """One holder at one moment: a status and the ids of the facts that support it."""

    holder: str
    moment: str
    status: str
    facts: tuple[str, ...]


@dataclass(frozen=True)
class PowerGrid:
    """Holders (rows) x moments (columns), each cell with a status and its sourced facts."""

    title: str
    note: str
    holders: tuple[tuple[str, str], ...]  # (id, label), top row first
    moments: tuple[Moment, ...]
    cells: tuple[Cell, ...]

    def cell(self, holder: str, moment: str) -> Cell:
        """The cell for this holder id and moment id (KeyError naming both if unknown)."""
        for c in self.cells:
            if c.holder == holder and c.moment == moment:
                return c
        raise KeyError(f"no cell for holder {holder!r} at moment {moment!r}")

    def holder_label(self, holder: str) -> str:
        """The row label of a holder id."""
        return dict(self.holders)[holder]

    def moment(self, moment: str) -> Moment:
        """The moment with this id."""
        for m in self.moments:
            if m.id == moment:
                return m
        raise KeyError(f"no moment {moment!r} in the power grid")

    def fact_ids(self) -> list[str]:
        """Every fact id the grid uses, in order, without repeats."""
        return list(dict.fromkeys(f for c in self.cells for f in c.facts))


def _fail(path: Path, where: str, field: str | None, reason: str) -> DataError:
    return DataError(path, where, field, reason)


def parse_power_grid(path: Path, raw: dict, ds: Dataset) -> PowerGrid:
    """Check a ``[power]`` table against the data and build the grid; errors name file, entry and field."""
    table = raw.get("power")
    if not isinstance(table, dict):
        raise _fail(path, "[power]", None, "the [power] table is missing")
    statuses = table.get("statuses", list(STATUSES))
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise _fail(path, "[power]", "statuses", f"unknown status {unknown[0]!r} (known: {', '.join(STATUSES)})")
    moments = []
    for i, m in enumerate(table.get("moments", []), start=1):
        where = f"power.moments[{i}]"
        if not isinstance(m, dict) or not ID_RE.match(str(m.get("id", ""))) or not str(m.get("title", "")).strip():
            raise _fail(path, where, "id", "each moment needs a valid id and a title")
        date = m.get("date")
        if date is not None:
            try:
                DualDate.parse(date)
            except ValueError as exc:
                raise _fail(path, where, "date", str(exc)) from None
        moments.append(Moment(id=m["id"], title=m["title"].strip(), date=date, article=bool(m.get("article", False))))
    if not moments:
        raise _fail(path, "[power]", "moments", "the grid needs at least one moment")
    holders, cells = [], []
    for i, row in enumerate(table.get("rows", []), start=1):
        where = f"power.rows[{i}]"
        if not isinstance(row, dict) or not ID_RE.match(str(row.get("id", ""))):
            raise _fail(path, where, "id", "each row needs a valid id")
        row_statuses, row_facts = row.get("statuses", []), row.get("facts", [])
        if len(row_statuses) != len(moments) or len(row_facts) != len(moments):
            reason = f"give one status and one fact list for each of the {len(moments)} moments"
            raise _fail(path, where, "statuses", reason)
        holders.append((row["id"], str(row.get("holder", row["id"]))))
        for moment, status, fact_ids in zip(moments, row_statuses, row_facts, strict=True):
            if status not in statuses:
                raise _fail(path, where, "statuses", f"unknown status {status!r}")
            for fact_id in fact_ids:
                if fact_id not in ds.facts:
                    raise _fail(path, where, "facts", f"unknown fact id {fact_id!r} (not in data/facts/)")
            if not fact_ids and status not in ("absent", "not_stated"):
                raise _fail(path, where, "facts", f"status {status!r} at {moment.id!r} needs at least one fact")
            if moment.article and any(ds.fact(f).source != ARTICLE_SOURCE for f in fact_ids):
                raise _fail(path, where, "facts", f"the article's column {moment.id!r} may only cite the article")
            cells.append(Cell(holder=row["id"], moment=moment.id, status=status, facts=tuple(fact_ids)))
    if not holders:
        raise _fail(path, "[power]", "rows", "the grid needs at least one row")
    return PowerGrid(
        title=str(table.get("title", "Who held power")),
        note=str(table.get("note", "")),
        holders=tuple(holders),
        moments=tuple(moments),
        cells=tuple(cells),
    )


def load_power_grid(lesson_id: str, ds: Dataset | None = None) -> PowerGrid:
    """The power grid of lesson ``lesson_id`` ('01'), checked against the facts."""
    ds = ds or dataset()
    path = lesson_content(lesson_id).path
    return parse_power_grid(path, read_lesson_toml(path), ds)


def _facts(cell: Cell, ds: Dataset) -> list[Fact]:
    return [ds.fact(f) for f in cell.facts]


def _fact_line(fact: Fact) -> str:
    when = f"{DualDate.parse(fact.date).label}: " if fact.date else ""
    return f"{when}{fact.label} ({fact.cited.short}, {CONFIDENCE_WORDS[fact.confidence]})"


def article_only(cell: Cell, ds: Dataset) -> bool:
    """True when every fact behind the cell comes from the article alone."""
    return bool(cell.facts) and all(ds.fact(f).source == ARTICLE_SOURCE for f in cell.facts)


def cell_details(grid: PowerGrid, holder: str, moment: str, ds: Dataset | None = None) -> str:
    """One cell as HTML: holder, moment, status, and each sourced statement with source and confidence."""
    ds = ds or dataset()
    cell, m = grid.cell(holder, moment), grid.moment(moment)
    esc = html.escape
    when = m.label.replace("<br>", ", ")
    lines = "".join(f"<li>{esc(_fact_line(f))}</li>" for f in _facts(cell, ds))
    empty = "<p>No source is needed: the body did not exist yet, or the article does not say.</p>"
    body = f"<ul>{lines}</ul>" if lines else empty
    warn = "<p><em>Only the article supports this cell.</em></p>" if article_only(cell, ds) and not m.article else ""
    return (
        f'<div class="lk-power-cell"><p><strong>{esc(grid.holder_label(holder))}</strong> · {esc(when)}: '
        f"<strong>{esc(STATUSES[cell.status][0])}</strong></p>{body}{warn}</div>"
    )


def disagreements(grid: PowerGrid, first: str, second: str, ignore: Sequence[str] = ("not_stated",)) -> list[str]:
    """Holder ids whose status differs between two moments (e.g. the sources' and the article's column).

    Holders with a status in ``ignore`` in either column (by default: the article does not say) are skipped.
    """
    out = []
    for h, _ in grid.holders:
        a, b = grid.cell(h, first).status, grid.cell(h, second).status
        if a != b and a not in ignore and b not in ignore:
            out.append(h)
    return out


def power_figure(grid: PowerGrid, figure_id: str = "power_grid", ds: Dataset | None = None) -> go.Figure:
    """The grid as a coloured matrix: rows are holders, columns moments; hover a cell for its sources.

    One heat-map trace with a discrete colour scale (one colour per status, legend as the colour bar).
    Cells supported only by the article carry a '*'. The text alternative lists every cell.
    """
    ds = ds or dataset()
    order = list(STATUSES)
    n = len(order)
    scale = []
    for i, key in enumerate(order):
        colour = STATUSES[key][1]
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    rows = list(reversed(grid.holders))  # first holder at the top
    z, text, hover = [], [], []
    for holder, _label in rows:
        z_row, t_row, h_row = [], [], []
        for m in grid.moments:
            cell = grid.cell(holder, m.id)
            label = STATUSES[cell.status][0]
            star = "*" if article_only(cell, ds) and not m.article else ""
            z_row.append(order.index(cell.status) + 0.5)
            t_row.append("<br>".join(textwrap.wrap(label, theme.STATUS_WRAP)) + star)
            facts = "<br>".join(
                "<br>  ".join(textwrap.wrap("• " + _fact_line(f), theme.HOVER_LINE_WRAP)) for f in _facts(cell, ds)
            )
            h_row.append(facts or "No statement needed")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    fig = begin(grid.title, height=330 + 78 * len(rows))
    fig.add_trace(
        go.Heatmap(
            z=z,
            x=[m.wrapped_label(theme.COLUMN_WRAP) for m in grid.moments],  # narrow columns
            y=["<br>".join(textwrap.wrap(label, theme.ROW_WRAP)) for _, label in rows],
            zmin=0,
            zmax=n,
            colorscale=scale,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 13},
            customdata=hover,
            hovertemplate="<b>%{y}</b> · %{x}<br>%{customdata}<extra></extra>",
            xgap=3,
            ygap=3,
            showscale=False,  # every cell spells out its status, so no colour legend is needed
        )
    )
    article_cols = [i for i, m in enumerate(grid.moments) if m.article]
    shapes = [
        {"type": "rect", "xref": "x", "yref": "paper", "x0": i - 0.5, "x1": i + 0.5, "y0": 0, "y1": 1,
         "line": {"color": theme.ARTICLE, "width": 4}, "fillcolor": theme.CLEAR}
        for i in article_cols
    ]
    fig.update_layout(
        xaxis={"side": "top", "tickangle": 0, "showgrid": False, "ticks": "", "tickfont": {"size": 13}},
        yaxis={"showgrid": False, "ticks": "", "automargin": True, "tickfont": {"size": 14}},
        shapes=shapes,
        margin={"t": 170, "l": 20, "r": 20, "b": 190},
        title={"y": 0.98, "yanchor": "top"},
    )
    note = textwrap.wrap(grid.note + " * Supported by the article alone.", theme.NOTE_WRAP)
    fig.add_annotation(
        text="<br>".join(note), xref="paper", yref="paper", x=0, y=0, yshift=-12,
        yanchor="top", xanchor="left", showarrow=False, align="left", font={"size": 13, "color": theme.SOFT_INK},
    )
    table_rows = tuple(
        (
            grid.holder_label(c.holder),
            grid.moment(c.moment).label.replace("<br>", " "),
            STATUSES[c.status][0],
            "; ".join(_fact_line(f) for f in _facts(c, ds)) or "—",
        )
        for c in grid.cells
    )
    counts = {k: sum(1 for c in grid.cells if c.status == k) for k in order}
    summary = (
        f"{grid.title}. {len(grid.holders)} holders of power at {len(grid.moments)} moments; "
        + ", ".join(f"{counts[k]} cells '{STATUSES[k][0]}'" for k in order if counts[k])
        + f". {grid.note}"
    )
    return finish(
        fig,
        figure_id=figure_id,
        summary=summary,
        columns=("Holder of power", "Moment", "Status", "Statements and sources"),
        rows=table_rows,
        sources=(ds.fact(f).cited for f in grid.fact_ids()),
        line_shift=12 + 18 * len(note) + 8,  # the source line under the note
    )


class PowerExplorer(widgets.VBox):
    """Pick a holder of power and a moment; read the sourced statements behind that cell of the grid.

    A ``Dropdown`` of holders and ``ToggleButtons`` of moments; :meth:`show` (called on every change)
    updates the ``HTML`` card. Works without hovering, so it suits touch screens and projectors.
    """

    def __init__(self, grid: PowerGrid, ds: Dataset | None = None):
        self.grid = grid
        self.ds = ds or dataset()
        style = {"description_width": "initial"}
        self.holder = widgets.Dropdown(
            options=[(label, hid) for hid, label in grid.holders], value=grid.holders[0][0],
            description="Holder of power", style=style,
        )
        self.moment = widgets.ToggleButtons(
            options=[(m.title, m.id) for m in grid.moments], value=grid.moments[0].id,
            description="Moment", style={"description_width": "initial", "button_width": "auto"},
        )
        self.card = widgets.HTML()
        self.card.add_class("lk-power-card")
        self.holder.observe(self._on_change, names="value")
        self.moment.observe(self._on_change, names="value")
        super().__init__(children=[self.holder, self.moment, self.card])
        self.add_class("lk-power-explorer")
        self.show()

    def show(self, holder: str | None = None, moment: str | None = None) -> str:
        """Show one cell (default: the current choices) and return its HTML."""
        if holder is not None:
            self.holder.value = holder
        if moment is not None:
            self.moment.value = moment
        self.card.value = cell_details(self.grid, self.holder.value, self.moment.value, self.ds)
        return self.card.value

    def _on_change(self, _change: dict) -> None:
        self.show()


def grid_table(grid: PowerGrid, moment: str, ds: Dataset | None = None) -> widgets.HTML:
    """One column of the grid as a plain table: holder, status, statements and sources."""
    ds = ds or dataset()
    rows = [
        (label, STATUSES[grid.cell(h, moment).status][0],
         "; ".join(_fact_line(f) for f in _facts(grid.cell(h, moment), ds)) or "—")
        for h, label in grid.holders
    ]
    columns = ("Holder of power", "Status", "Statements and sources")
    return widgets.HTML(table_html(columns, rows, grid.moment(moment).title))


def statements_table(fact_ids: Sequence[str], caption: str, ds: Dataset | None = None) -> widgets.HTML:
    """Sourced statements in date order: date (both calendars), statement, source, confidence."""
    ds = ds or dataset()
    facts = sorted((ds.fact(f) for f in fact_ids), key=lambda f: DualDate.parse(f.date).sort_key if f.date else 0)
    rows = [
        (DualDate.parse(f.date).label if f.date else "no date", f.label, f.cited.short,
         CONFIDENCE_WORDS[f.confidence])
        for f in facts
    ]
    return widgets.HTML(table_html(("Date", "Statement", "Source", "Confidence"), rows, caption))


__all__: Sequence[str] = (
    "STATUSES",
    "Cell",
    "Moment",
    "PowerExplorer",
    "PowerGrid",
    "article_only",
    "cell_details",
    "disagreements",
    "grid_table",
    "load_power_grid",
    "parse_power_grid",
    "power_figure",
    "statements_table",
)
