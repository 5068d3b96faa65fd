"""A matching activity: pair each measure of the new government with the grievance it answered.

The pairs are data, kept in the lesson's TOML file as ``[[matching]]`` entries::

    [[matching]]
    id = "land"                      # item id (the answer is saved under it)
    measure = "Decree on Land"       # what the student sees
    event = "land_decree"            # optional: an event id, whose date is shown in both calendars
    grievance = "Peasants ..."       # the right answer
    lesson = "02"                    # the earlier lesson where the grievance came up
    feedback = "..."                 # why this is the match

The content loader ignores unknown tables, so :func:`load_items` reads the file
itself. :class:`MatchingActivity` shows one dropdown per measure, a *Check*
button and feedback for every item; each checked item is saved with
``journal.save(lesson, "matching", item_id, ...)`` and comes back when the
lesson is reopened. The checking logic is the plain method :meth:`MatchingActivity.check`.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.model.calendar import DualDate
from lessonkit.model.content import (
    MatchItem,
    grievance_options,
    load_items,
)
from lessonkit.model.data import Dataset, dataset
from lessonkit.render import theme
from lessonkit.render.theme import GOOD, WARN

PLACEHOLDER = "— choose the grievance —"


class MatchingActivity(widgets.VBox):
    """One dropdown per measure; *Check my matches* marks every item and saves it."""

    def __init__(
        self,
        lesson_id: str,
        items: list[MatchItem] | None = None,
        root: Path | None = None,
        ds: Dataset | None = None,
    ):
        self.lesson = lesson_id
        self.items = items if items is not None else load_items(lesson_id)
        if not self.items:
            raise ValueError(f"lesson {lesson_id} has no [[matching]] entries")
        self.root = root
        self.ds = ds or dataset()
        self.attempts = 0
        options = [(PLACEHOLDER, "")] + [(g, g) for g in grievance_options(self.items)]
        self._values = {value for _, value in options if value}
        self.dropdowns: dict[str, widgets.Dropdown] = {}
        self.feedback: dict[str, widgets.HTML] = {}
        rows = []
        for number, item in enumerate(self.items, start=1):
            label = widgets.HTML(
                f'<p class="lk-match-measure"><strong>{number}. {html.escape(item.measure)}</strong>'
                f"{self._when(item)}</p>"
            )
            dropdown = widgets.Dropdown(
                options=options,
                value="",
                description="Grievance",
                layout=widgets.Layout(width="98%"),
                style={"description_width": "initial"},
            )
            dropdown.add_class("lk-match-choice")
            note = widgets.HTML("")
            note.add_class("lk-match-feedback")
            self.dropdowns[item.id] = dropdown
            self.feedback[item.id] = note
            rows.append(widgets.VBox([label, dropdown, note]))
        self.button = widgets.Button(description="Check my matches", tooltip="Check my matches")
        self.button.add_class("lk-match-check")
        self.button.on_click(lambda _b: self.check())
        self.summary = widgets.HTML("")
        self.summary.add_class("lk-match-summary")
        self._restore()
        super().__init__(children=[*rows, self.button, self.summary])
        self.add_class("lk-matching")

    def _when(self, item: MatchItem) -> str:
        if not item.event or item.event not in self.ds.events:
            return ""
        when = DualDate.parse(self.ds.event(item.event).date).label
        return f" <span style='color:{theme.SOFT_TEXT}'>({html.escape(when)})</span>"

    def _restore(self) -> None:
        """Put back the choices saved last time (without marking them)."""
        restored = 0
        for item in self.items:
            try:
                record = journal.load(self.lesson, "matching", item.id, self.root)
            except journal.UnreadableAnswer as exc:
                self.feedback[item.id].value = f'<p role="status" style="color:{WARN}">{html.escape(str(exc))}</p>'
                continue
            choice = record.get("choice") if record else None
            if isinstance(choice, str) and choice in self._values:
                self.dropdowns[item.id].value = record["choice"]
                self.attempts = max(self.attempts, journal.whole_number(record.get("attempts")))
                restored += 1
        if restored:
            self.summary.value = (
                f'<p role="status">Your {restored} saved {"match is" if restored == 1 else "matches are"} back. '
                "Press the button to check them again.</p>"
            )

    def choices(self) -> dict[str, str | None]:
        """The grievance chosen for each measure (None where nothing is chosen)."""
        return {item_id: dropdown.value or None for item_id, dropdown in self.dropdowns.items()}

    def check(self) -> dict[str, bool | None]:
        """Mark every item (True/False, None if unanswered), show its feedback, save the answered ones."""
        self.attempts += 1
        results: dict[str, bool | None] = {}
        problems = []
        for item in self.items:
            choice = self.dropdowns[item.id].value or None
            if choice is None:
                results[item.id] = None
                self.feedback[item.id].value = '<p role="status">Choose a grievance for this measure.</p>'
                continue
            right = choice == item.grievance
            results[item.id] = right
            self.feedback[item.id].value = self._feedback_html(item, right)
            try:
                journal.save(
                    self.lesson,
                    "matching",
                    item.id,
                    {"measure": item.measure, "choice": choice, "correct": right, "attempts": self.attempts},
                    self.root,
                )
            except OSError as exc:
                problems.append(journal.not_saved_message("matches", exc))
        correct = sum(1 for r in results.values() if r)
        answered = sum(1 for r in results.values() if r is not None)
        text = f"<strong>{correct} of {len(self.items)}</strong> matched correctly"
        if answered < len(self.items):
            text += f" ({len(self.items) - answered} still to choose)"
        saved = "" if problems else " Your matches are saved."
        warn = f'<p role="alert" style="color:{WARN}">{html.escape(problems[0])}</p>' if problems else ""
        self.summary.value = f'<p role="status">{text}.{saved}</p>{warn}'
        return results

    def _feedback_html(self, item: MatchItem, right: bool) -> str:
        where = f" (The grievance comes from lesson {item.lesson}.)" if item.lesson != self.lesson else ""
        if right:
            return (
                f'<p role="status"><strong style="color:{GOOD}">Right.</strong> '
                f"{html.escape(item.feedback)}{html.escape(where)}</p>"
            )
        return (
            f'<p role="status"><strong style="color:{WARN}">Not this one.</strong> '
            f"Think again: which problem did the {html.escape(item.measure)} set out to solve?"
            f"{html.escape(where)}</p>"
        )

    def score(self) -> tuple[int, int]:
        """(items matched correctly, number of items)."""
        return sum(1 for item in self.items if self.dropdowns[item.id].value == item.grievance), len(self.items)

    def reveal(self) -> None:
        """Set every dropdown to the right answer (for the teacher's projector)."""
        for item in self.items:
            self.dropdowns[item.id].value = item.grievance
