"""Text alternatives: every figure carries a description and its numbers as a table.

A figure built by lessonkit stores its alternative in ``layout.meta["lessonkit"]``
(so the figure itself carries the data rows it was given). :func:`show` displays
the figure followed by an accessible ``<details>`` block with the summary, an
HTML table of the numbers and the source line.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go


@dataclass(frozen=True)
class TextAlternative:
    """What a screen reader (or a printout) gets instead of the picture."""

    figure_id: str
    title: str
    summary: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    sources: tuple[str, ...]
    traces: int

    def to_meta(self) -> dict[str, Any]:
        """The JSON stored in ``layout.meta['lessonkit']``."""
        return {
            "id": self.figure_id,
            "title": self.title,
            "summary": self.summary,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "sources": list(self.sources),
            "traces": self.traces,
        }

    @classmethod
    def from_figure(cls, fig: go.Figure) -> TextAlternative:
        """Read the alternative back from a lessonkit figure."""
        meta = (fig.layout.meta or {}) if isinstance(fig.layout.meta, dict) else {}
        data = meta.get("lessonkit")
        if not data:
            raise ValueError("this figure has no lessonkit text alternative (layout.meta['lessonkit'])")
        return cls(
            figure_id=data["id"],
            title=data["title"],
            summary=data["summary"],
            columns=tuple(data["columns"]),
            rows=tuple(tuple(r) for r in data["rows"]),
            sources=tuple(data["sources"]),
            traces=int(data["traces"]),
        )

    def to_html(self) -> str:
        """An accessible, collapsible block: summary, data table with caption and headers, sources."""
        esc = html.escape
        sources = "; ".join(esc(s) for s in self.sources)
        return (
            f'<details class="lk-alt" data-lk-figure="{esc(self.figure_id)}" data-lk-traces="{self.traces}">'
            f"<summary>Text description and data table: {esc(self.title)}</summary>"
            f"<p>{esc(self.summary)}</p>"
            f"{table_html(self.columns, self.rows, self.title)}"
            f'<p class="lk-source">Sources: {sources}</p>'
            "</details>"
        )


def attach(fig: go.Figure, alt: TextAlternative) -> go.Figure:
    """Store the alternative in the figure and return it."""
    meta = dict(fig.layout.meta) if isinstance(fig.layout.meta, dict) else {}
    meta["lessonkit"] = alt.to_meta()
    fig.update_layout(meta=meta)
    return fig


def drawn_traces(fig: Any) -> int:
    """How many traces plotly.js draws: an empty trace (no point) draws nothing and has no legend entry.

    Widgets empty a trace when nothing is in it (a map's "Not yet" at the last step, a timeline's
    lesson with no event of a kind), so their text alternative counts the traces drawn, as the
    browser tests do.
    """
    return sum(1 for t in fig.data if any(v is not None for v in (t.x if t.x is not None else ())))


def table_html(columns: Sequence[str], rows: Sequence[Sequence[Any]], caption: str, css: str = "lk-table") -> str:
    """A plain accessible HTML table (caption, column headers, row headers in column one)."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{esc(str(v))}</th>' if i == 0 else f"<td>{esc(str(v))}</td>") for i, v in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'<table class="{css}"><caption>{esc(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


PLOTLY_MIME = "application/vnd.plotly.v1+json"


def mimebundle(fig: go.Figure) -> dict[str, Any]:
    """The figure as the mime bundle JupyterLab, Notebook 7 and Voila render with plotly's extension.

    Built directly (not through ``fig.show()``), which skips plotly's renderer machinery and its
    import of nbformat/jsonschema: the first figure of a lesson appears about a second sooner, and
    it works where nbformat is missing (JupyterLite).
    """
    import plotly.io as pio

    spec = json.loads(pio.to_json(fig, validate=False))
    title = fig.layout.title.text or "figure"
    return {PLOTLY_MIME: spec, "text/plain": f"<plotly figure: {title}>"}


class Shown:
    """A figure plus its text alternative, displayed together in a notebook."""

    def __init__(self, fig: go.Figure):
        self.figure = fig
        self.alt = TextAlternative.from_figure(fig)

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        display(mimebundle(self.figure), raw=True)
        display(HTML(self.alt.to_html()))

    def __repr__(self) -> str:
        return f"<figure {self.alt.figure_id!r}: {self.alt.title}>"


def show(fig: go.Figure) -> Shown:
    """Wrap a lessonkit figure so a notebook shows it with its text alternative."""
    return Shown(fig)
