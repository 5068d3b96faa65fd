"""A table that one row of toggle buttons switches between (dual power in 04, the parties in 05).

Above the table sits a caption for the chosen key, below it the table's text alternative. The
table is a plain plotly figure in a :class:`~lessonkit.widgets.figureview.FigureView`, drawn again for
each choice (plotly's FigureWidget drew the party table's rows on top of each other).
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit.render.alt import TextAlternative
from lessonkit.widgets.figureview import FigureView


class ChoiceTable(widgets.VBox):
    """Toggle buttons, a caption, a table and its text alternative; subclasses say what each key shows.

    ``figure`` is the plain figure shown now; ``view`` the :class:`~lessonkit.widgets.figureview.FigureView` that
    shows it.
    """

    def __init__(self, options: Sequence[tuple[str, str]], value: str, description: str, css: tuple[str, str]):
        """``options`` are (button label, key) pairs; ``css`` the classes of the buttons and of the box."""
        self.choice = widgets.ToggleButtons(
            options=list(options),
            value=value,
            description=description,
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.choice.add_class(css[0])
        self.caption = widgets.HTML()
        self.alt = widgets.HTML()
        self.choice.observe(self._on_choice, names="value")
        self.figure = self.figure_for(value)
        self.view = FigureView(self.figure)
        self.show(value)
        super().__init__(children=[self.choice, self.caption, self.view, self.alt])
        self.add_class(css[1])

    def figure_for(self, key: str) -> go.Figure:
        """The figure (with its text alternative attached) for ``key``."""
        raise NotImplementedError

    def caption_for(self, key: str) -> str:
        """The HTML shown above the table for ``key``."""
        raise NotImplementedError

    def _on_choice(self, change: dict) -> None:
        if change["new"] is not None:
            self.show(change["new"])

    def show(self, key: str) -> TextAlternative:
        """Show ``key``: the caption, the table (drawn afresh) and the text alternative; return the alternative."""
        self.figure = self.figure_for(key)
        self.view.show(self.figure)
        alt = TextAlternative.from_figure(self.figure)
        self.caption.value = self.caption_for(key)
        self.alt.value = alt.to_html()
        self.key = key
        return alt
