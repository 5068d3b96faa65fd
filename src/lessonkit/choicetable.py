"""A figure that one row of toggle buttons switches between (dual power in 04, the parties in 05).

Above the figure sits a caption for the chosen key, below it the figure's text alternative. A
change of button swaps the figure's content in place (:func:`lessonkit.alt.replace_in_place`), so
every choice must build a figure with the same number and types of traces.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as widgets
import plotly.graph_objects as go

from .alt import SyncsFigures, TextAlternative, replace_in_place
from .figurewidget import figure_widget


class ChoiceTable(SyncsFigures, widgets.VBox):
    """Toggle buttons, a caption, a figure and its text alternative; subclasses say what each key shows."""

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
        self.figure = figure_widget(self.figure_for(value))
        self.alt = widgets.HTML()
        self.choice.observe(self._on_choice, names="value")
        self.show(value)
        super().__init__(children=[self.choice, self.caption, self.figure, self.alt])
        self.add_class(css[1])

    def figure_for(self, key: str) -> go.Figure:
        """The figure (with its text alternative attached) for ``key``."""
        raise NotImplementedError

    def caption_for(self, key: str) -> str:
        """The HTML shown above the figure for ``key``."""
        raise NotImplementedError

    def _on_choice(self, change: dict) -> None:
        if change["new"] is not None:
            self.show(change["new"])

    def show(self, key: str) -> TextAlternative:
        """Show ``key``: update the caption, the figure in place and the text alternative; return it."""
        fresh = self.figure_for(key)
        replace_in_place(self.figure, fresh)
        alt = TextAlternative.from_figure(fresh)
        self.caption.value = self.caption_for(key)
        self.alt.value = alt.to_html()
        self.key = key
        return alt
