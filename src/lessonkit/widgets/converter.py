"""The calendar converter: "What date was it in Paris?" for a date as Russia dated it."""

from __future__ import annotations

import ipywidgets as widgets

from lessonkit.model.calendar import CONVERTER_YEARS, MONTH_ABBR, DualDate, converter_text


class CalendarConverter(widgets.VBox):
    """What date was it in Paris? Day, month and year boxes for a date in Russia, and the answer.

    Attributes ``day``, ``month``, ``year`` (the inputs) and ``output`` (an ``HTML``); the
    answer follows the inputs through :meth:`update`. CSS class ``lk-calendar``.
    """

    def __init__(self, day: int, month: int, year: int) -> None:
        super().__init__()
        style = {"description_width": "initial"}
        self.day = widgets.BoundedIntText(value=day, min=1, max=31, description="Day", style=style)
        self.month = widgets.Dropdown(
            options=[(name, number) for number, name in enumerate(MONTH_ABBR, start=1)],
            value=month,
            description="Month",
            style=style,
        )
        low, high = CONVERTER_YEARS
        self.year = widgets.BoundedIntText(value=year, min=low, max=high, description="Year", style=style)
        for box in (self.day, self.year):
            box.layout.width = "9em"
        self.output = widgets.HTML()
        title = widgets.HTML("<strong>What date was it in Paris?</strong> Enter a date as Russia dated it.")
        self.children = (title, widgets.HBox([self.day, self.month, self.year]), self.output)
        self.add_class("lk-calendar")
        for box in (self.day, self.month, self.year):
            box.observe(self.update, names="value")
        self.update()

    def update(self, change: object = None) -> str:
        """Recompute the answer from the inputs; returns the new HTML."""
        self.output.value = converter_text(self.day.value, self.month.value, self.year.value)
        return self.output.value


def calendar_converter(date: str | None = None) -> CalendarConverter:
    """The "What date was it in Paris?" widget, set to ``date``.

    ``date`` is an ISO date as Russia dated it (an event's ``date``, e.g. ``ds.event("tsar_abdicates").date``);
    by default the October insurrection's date, read from the data. Works offline, needs no date picker and is
    keyboard-accessible. It displays nothing itself.
    """
    if date is None:
        from lessonkit.model.data import dataset

        date = dataset().event("october_insurrection").date
    year, month, day = DualDate.parse(date).julian
    return CalendarConverter(day, month, year)
