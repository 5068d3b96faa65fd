"""The claim verdict: the student's judgement on one claim check, saved to the answer journal."""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.model.content import VERDICTS
from lessonkit.render import theme


def _warning(message: str) -> str:
    return f'<p role="alert" style="color:{theme.WARN}">{html.escape(message)}</p>'


class VerdictPicker(widgets.VBox):
    """The student's verdict on a claim, saved to the answer journal."""

    def __init__(self, lesson: str, check_id: str, root: Path | None = None):
        self.lesson, self.check_id, self.root = lesson, check_id, root
        saved = None
        notice = ""
        try:
            record, found_notice = journal.load_with_notice(lesson, "claim", check_id, root)
            saved = record.get("verdict") if record else None
            notice = found_notice or ""
        except journal.UnreadableAnswer as exc:
            notice = str(exc)
        self.choice = widgets.ToggleButtons(
            options=list(VERDICTS),
            value=saved if saved in VERDICTS else None,
            description="My verdict",
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.status = widgets.HTML(_warning(notice) if notice else "")
        self.choice.observe(self._on_choice, names="value")
        super().__init__(children=[self.choice, self.status])
        self.add_class("lk-verdict")

    def _on_choice(self, change: dict) -> None:
        if change["new"] is None:
            return
        try:
            path = journal.save(self.lesson, "claim", self.check_id, {"verdict": change["new"]}, self.root)
        except OSError as exc:
            self.status.value = _warning(journal.not_saved_message("verdict", exc))
            return
        self.status.value = (
            f'<p role="status">Verdict saved ({html.escape(journal.display_path(path))}). '
            "Explain it in the discussion below: which sources, and why?</p>"
        )
