"""Discussion prompts whose answers save themselves as the student types."""

from __future__ import annotations

import html
import time
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.render import theme


class DiscussionPrompt(widgets.VBox):
    """A question, a text box and a status line; the answer is saved on every change.

    Saving is debounced: the first change saves at once, later changes within
    ``debounce`` seconds are saved together when the pause ends, by a call the
    kernel's own event loop schedules (no thread: a browser-only kernel has none).
    Where no event loop runs (a plain script), every change is saved at once.
    :meth:`flush` saves what is pending; it also runs when the kernel exits or is
    stopped by SIGTERM or SIGHUP. The saved answer comes back when the lesson is reopened.
    """

    def __init__(self, lesson: str, prompt_id: str, question: str, root: Path | None = None, debounce: float = 1.0):
        self.lesson = lesson
        self.prompt_id = prompt_id
        self.question_text = question
        self.root = root
        self.debounce = debounce
        self._timer: Any = None  # an asyncio.TimerHandle while a save waits
        self._last_save = 0.0
        self._pending: str | None = None
        self.saved_path: Path | None = None
        self.question = widgets.HTML(f'<p class="lk-prompt-question"><strong>{html.escape(question)}</strong></p>')
        self.status = widgets.HTML("")
        self.status.add_class("lk-prompt-status")
        saved = ""
        try:
            record, notice = journal.load_with_notice(lesson, "prompt", prompt_id, root)
        except journal.UnreadableAnswer as exc:
            self.status.value = self._status_text(str(exc), warn=True)
        else:
            if record:
                saved = str(record.get("text", ""))
                if notice:
                    self.status.value = self._status_text(notice, warn=True)
                else:
                    when = record.get("saved_at", "")
                    self.status.value = self._status_text(f"Your saved answer from {when} is back.")
        self.text = widgets.Textarea(
            value=saved,
            placeholder="Type your answer here. It is saved as you type.",
            description="Your answer",
            continuous_update=True,
            layout=widgets.Layout(width="100%", height="9em"),
            style={"description_width": "initial"},
        )
        self.text.add_class("lk-prompt")
        self.text.observe(self._on_change, names="value")
        super().__init__(children=[self.question, self.text, self.status])
        self.add_class("lk-prompt-box")
        journal.register_pending(self)

    @staticmethod
    def _status_text(message: str, warn: bool = False) -> str:
        colour = theme.WARN if warn else theme.GOOD
        return f'<span role="status" style="color:{colour}">{html.escape(message)}</span>'

    def _on_change(self, change: dict) -> None:
        self._pending = change["new"]
        wait = self.debounce - (time.monotonic() - self._last_save)
        if wait <= 0:
            self.flush()
            return
        if self._timer is not None:
            return  # a save is already scheduled: it will write the newest text
        import asyncio  # here, not at the top: a lesson's import stays cheap, and a kernel has it loaded

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (a script, a test): save now rather than never
            self.flush()
            return
        self._timer = loop.call_later(wait, self.flush)

    @property
    def has_unsaved(self) -> bool:
        """True while a change waits for the debounce pause to end."""
        return self._pending is not None

    def flush(self) -> Path | None:
        """Save any change not yet saved; return the file written (or None)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._pending is None:
            return None
        text = self._pending
        try:
            self.saved_path = journal.save(
                self.lesson, "prompt", self.prompt_id, {"text": text, "question": self.question_text}, self.root
            )
        except OSError as exc:
            # Keep the text pending: the next change, flush or exit tries again.
            self.status.value = self._status_text(journal.not_saved_message("answer", exc), warn=True)
            return None
        if self._pending == text:
            self._pending = None
        self._last_save = time.monotonic()
        stamp = time.strftime("%H:%M:%S")
        self.status.value = self._status_text(f"Saved at {stamp} in {journal.display_path(self.saved_path)}")
        return self.saved_path
