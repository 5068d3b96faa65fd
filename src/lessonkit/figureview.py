"""The one way a lesson shows a figure that changes: a plain plotly figure inside an ``Output`` widget.

:class:`FigureView` holds one figure and draws it as the ordinary plotly output that JupyterLab,
Notebook 7, Voila and JupyterLite render with plotly's own extension; :meth:`FigureView.show` puts a
new figure in its place. Why not plotly's ``FigureWidget``:

- its front end receives the figure as a first state plus later messages; on a busy machine those
  could be handled before the view existed, and the figure drew nothing (docs/performance.md);
- it sends plotly's 5 MB front-end bundle as widget state, once per figure;
- it starts a thread to import its module cheaply, and a browser-only kernel (JupyterLite) has none.

Here the figure *is* the widget's state (the ``outputs`` trait, public ipywidgets API): whatever the
front end renders, whenever it renders it, is the current figure. Each change replaces it in one
state update, and the view keeps its height meanwhile, so nothing collapses between two steps.
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from .alt import PLOTLY_MIME, mimebundle

FIGURE_VIEW_CLASS = "lk-figure-widget"
"""The CSS class of every figure inside a widget (the browser tests look for it; docs/architecture.md)."""


def spec_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The mime bundle of a figure given as plotly JSON (a dict with ``data`` and ``layout``)."""
    title = spec.get("layout", {}).get("title", {})
    text = title.get("text", "figure") if isinstance(title, dict) else str(title or "figure")
    return {PLOTLY_MIME: spec, "text/plain": f"<plotly figure: {text}>"}


class FigureView(widgets.Output):
    """A plotly figure shown inside a widget; :meth:`show` replaces it with the next one.

    ``figure`` is the figure shown now (a ``go.Figure``, or the plotly JSON it was given).
    """

    def __init__(self, figure: go.Figure | dict[str, Any], **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class(FIGURE_VIEW_CLASS)
        self.figure: go.Figure | dict[str, Any] = figure
        self.show(figure)

    def show(self, figure: go.Figure | dict[str, Any]) -> None:
        """Show ``figure`` in place of the current one (one state update; the height is kept)."""
        bundle = spec_bundle(figure) if isinstance(figure, dict) else mimebundle(figure)
        height = bundle[PLOTLY_MIME].get("layout", {}).get("height")
        if height:
            # plotly draws asynchronously in some front ends: hold the space so the page does not jump.
            self.layout.min_height = f"{int(height)}px"
        self.figure = figure
        self.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)

    @property
    def spec(self) -> dict[str, Any]:
        """The plotly JSON shown now (what the browser draws)."""
        return self.outputs[0]["data"][PLOTLY_MIME]
