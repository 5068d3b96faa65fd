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

import base64
import json
import math
from array import array
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.render.alt import PLOTLY_MIME

FIGURE_VIEW_CLASS = "lk-figure-widget"
"""The CSS class of every figure inside a widget (the browser tests look for it; docs/architecture.md)."""


def spec_bundle(spec: dict[str, Any]) -> dict[str, Any]:
    """The mime bundle of a figure given as plotly JSON (a dict with ``data`` and ``layout``)."""
    title = spec.get("layout", {}).get("title", {})
    text = title.get("text", "figure") if isinstance(title, dict) else str(title or "figure")
    return {PLOTLY_MIME: spec, "text/plain": f"<plotly figure: {text}>"}


PACKED_KEYS = ("x", "y", "lon", "lat")
PACK_FROM = 64  # lists at least this long are sent as typed arrays


def packed(values: list[Any]) -> dict[str, str] | list[Any]:
    """A long list of coordinates as a base64 float32 typed array, plotly.js's compact form
    (``{"dtype": "f4", "bdata": ...}``; a gap, ``None``, becomes NaN, which plotly.js also leaves out).

    Sent this way the Petrograd map's outlines are a few strings, not thousands of numbers, for the
    kernel to encode and for the widget library to walk on every step. Lists with anything but
    numbers and gaps are returned as they are.
    """
    if len(values) < PACK_FROM or not all(v is None or isinstance(v, (int, float)) for v in values):
        return values
    numbers = array("f", (math.nan if v is None else float(v) for v in values))
    if array("f", [1.0]).tobytes() != b"\x00\x00\x80?":  # plotly.js reads little-endian
        numbers.byteswap()
    return {"dtype": "f4", "bdata": base64.b64encode(numbers.tobytes()).decode("ascii")}


def packed_trace(trace: dict[str, Any]) -> dict[str, Any]:
    """A trace's JSON with its long coordinate lists packed (see :func:`packed`)."""
    return {k: packed(v) if k in PACKED_KEYS and isinstance(v, list) else v for k, v in trace.items()}


def plain_json(obj: Any) -> Any:
    """``obj`` as plain JSON values (dates as ISO text), the way plotly writes them."""
    import plotly.io as pio  # on first use: importing lessonkit stays cheap

    return json.loads(pio.json.to_json_plotly(obj))


class FigureView(widgets.Output):
    """A plotly figure shown inside a widget; :meth:`show` replaces it with the next one.

    ``figure`` is the figure shown now (a ``go.Figure``, or the plotly JSON it was given). A figure whose
    traces mostly stay the same (a map's base layers) names the ``changing`` trace indices: the others are
    turned into JSON once, so a step costs only what changed (plotly's own ``to_dict`` deep-copies every
    coordinate of every trace, about 100 ms for the Petrograd map).
    """

    def __init__(self, figure: go.Figure | dict[str, Any], changing: Iterable[int] | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.add_class(FIGURE_VIEW_CLASS)
        self.changing = None if changing is None else frozenset(changing)
        self._fixed: dict[int, dict[str, Any]] = {}
        self.figure: go.Figure | dict[str, Any] = figure
        self.show(figure)

    def _spec(self, figure: go.Figure) -> dict[str, Any]:
        data = []
        for i, trace in enumerate(figure.data):
            if self.changing is None or i in self.changing:
                data.append(plain_json(trace.to_plotly_json()))
                continue
            if i not in self._fixed:
                self._fixed[i] = packed_trace(plain_json(trace.to_plotly_json()))
            data.append(self._fixed[i])
        return {"data": data, "layout": plain_json(figure.layout.to_plotly_json())}

    def show(self, figure: go.Figure | dict[str, Any]) -> None:
        """Show ``figure`` in place of the current one (one state update; the height is kept)."""
        bundle = spec_bundle(figure if isinstance(figure, dict) else self._spec(figure))
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
