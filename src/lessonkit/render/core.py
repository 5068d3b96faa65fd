"""The one figure core: every lessonkit figure starts with :func:`begin` and ends with :func:`finish`.

A builder takes records (facts, events, places: each carries its ``cited`` source) and returns a
figure. Between the two calls it draws only its own traces and axes; :func:`finish` adds what every
figure carries, the same way for all of them: the source line under the plot (which grows the figure
when it wraps past two lines), the citations, the text alternative and the count of drawn traces.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from lessonkit.model.data import Source
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative, attach, drawn_traces


def begin(title: str, height: int = 480) -> go.Figure:
    """An empty figure with the lessonkit theme, a title and a height (before the source line grows it)."""
    return go.Figure(layout={"template": theme.ensure_template(), "height": height, "title": {"text": title}})


def unique(sources: Iterable[Source]) -> tuple[Source, ...]:
    """The sources in order of first mention, each once."""
    return tuple({s.id: s for s in sources}.values())


def source_line(sources: Iterable[Source], wrap: int = theme.SOURCE_WRAP) -> list[str]:
    """'Sources: Reed 1919; Trotsky 1930' ('Sources: —' for none), wrapped into lines of at most ``wrap``
    characters."""
    return textwrap.wrap("Sources: " + ("; ".join(dict.fromkeys(s.short for s in sources)) or "—"), wrap)


def alternative(
    fig: go.Figure,
    *,
    figure_id: str,
    title: str,
    summary: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sources: Iterable[Source],
    licences: Mapping[str, str] | None = None,
    traces: int | None = None,
) -> TextAlternative:
    """The text alternative of ``fig``: its citations (each source once, with its licence if it has one in
    ``licences``) and, unless ``traces`` is given, the count of traces the browser draws.

    :func:`finish` attaches it; a widget whose figure changes calls it for each state it shows.
    """
    licences = licences or {}
    return TextAlternative(
        figure_id=figure_id,
        title=title,
        summary=summary,
        columns=tuple(columns),
        rows=tuple(tuple(row) for row in rows),
        sources=tuple(s.citation() + (f" — {licences[s.id]}" if s.id in licences else "") for s in unique(sources)),
        traces=drawn_traces(fig) if traces is None else traces,
    )


def finish(
    fig: go.Figure,
    *,
    figure_id: str,
    summary: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    sources: Iterable[Source],
    title: str | None = None,
    wrap: int = theme.SOURCE_WRAP,
    line: bool = True,
    licences: Mapping[str, str] | None = None,
    traces: int | None = None,
    line_shift: int = 72,
) -> go.Figure:
    """Add the source line (unless ``line`` is False: a map prints its own credit line), the citations and
    the text alternative (``layout.meta['lessonkit']``, see :func:`alternative`), and return the figure.

    The source line starts ``line_shift`` px under the plot (lower it under a note of the figure's own);
    the bottom margin and the height grow so that its last line stays inside the figure.
    """
    cited = unique(sources)
    if line:
        lines = source_line(cited, wrap)
        extra = max(0, len(lines) - 2)
        fig.layout.annotations = (theme.source_note("<br>".join(lines), shift=line_shift), *fig.layout.annotations)
        if extra:
            fig.layout.height = (fig.layout.height or 480) + 18 * extra
            if fig.layout.margin.b is None:
                fig.layout.margin.b = theme.SOURCE_MARGIN + 18 * extra
        needed = line_shift + 18 * len(lines) + 8
        if fig.layout.margin.b is not None and fig.layout.margin.b < needed:
            fig.layout.height = (fig.layout.height or 480) + needed - fig.layout.margin.b
            fig.layout.margin.b = needed
    text = fig.layout.title.text if title is None else title
    found = alternative(
        fig, figure_id=figure_id, title=text, summary=summary, columns=columns, rows=rows, sources=cited,
        licences=licences, traces=traces,
    )
    return attach(fig, found)
