"""Self-check questions with feedback for every answer option."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.model.content import Question
from lessonkit.render.theme import GOOD, WARN

# Long options wrap instead of running into the next one (ipywidgets fixes radio labels to one line).
QUIZ_STYLE = (
    "<style>.lk-quiz-question .widget-radio-box{width:100%}"
    ".lk-quiz-question .widget-radio-box label{white-space:normal!important;height:auto!important;"
    "line-height:1.35!important;margin:0.3em 0!important;align-items:flex-start}"
    ".lk-quiz-question .widget-radio-box input{margin-top:0.2em}</style>"
)


def display_order(lesson: str, question: Question) -> list[int]:
    """The options in a fixed, shuffled order (so the right answer is not always first).

    The order depends only on the lesson, question id and option text, so it is the same on every run
    and on every machine; option values stay the indices in the data file.
    """

    def key(i: int) -> str:
        return hashlib.sha1(f"{lesson}:{question.id}:{question.options[i].text}".encode()).hexdigest()

    return sorted(range(len(question.options)), key=key)


class QuizQuestion(widgets.VBox):
    """One question: choose an option, press *Check*, read the feedback for that option.

    Each check is recorded in the answer journal (attempt count, last choice, correct or not).
    When the lesson is reopened the last checked choice and its feedback come back.
    """

    def __init__(self, lesson: str, question: Question, number: int, root: Path | None = None):
        self.lesson = lesson
        self.item = question
        self.root = root
        self.attempts = 0
        self.prompt = widgets.HTML(
            f'{QUIZ_STYLE}<p class="lk-quiz-q"><strong>Question {number}.</strong> {html.escape(question.question)}</p>'
        )
        self.choice = widgets.RadioButtons(
            options=[(question.options[i].text, i) for i in display_order(lesson, question)],
            value=None,
            description="Answer",
            layout=widgets.Layout(width="auto"),
            style={"description_width": "initial"},
        )
        self.check = widgets.Button(description="Check my answer", button_style="", tooltip="Check my answer")
        self.check.add_class("lk-quiz-check")
        self.feedback = widgets.HTML("")
        self.feedback.add_class("lk-quiz-feedback")
        self.check.on_click(self._on_check)
        self._restore()
        super().__init__(children=[self.prompt, self.choice, self.check, self.feedback])
        self.add_class("lk-quiz-question")

    def _restore(self) -> None:
        """Bring back the last check from the journal, or say why it could not be read."""
        try:
            record, notice = journal.load_with_notice(self.lesson, "quiz", self.item.id, self.root)
        except journal.UnreadableAnswer as exc:
            self.feedback.value = f'<p role="status" style="color:{WARN}">{html.escape(str(exc))}</p>'
            return
        if not record:
            return
        self.attempts = journal.whole_number(record.get("attempts"))
        texts = [o.text for o in self.item.options]
        if record.get("choice") in texts:
            index = texts.index(record["choice"])
            self.choice.value = index
            self.feedback.value = self._feedback_html(index, earlier=True) + (
                f'<p role="status" style="color:{WARN}">{html.escape(notice)}</p>' if notice else ""
            )

    def _feedback_html(self, index: int, earlier: bool = False) -> str:
        option = self.item.options[index]
        mark = "Correct." if option.correct else "Not quite."
        colour = GOOD if option.correct else WARN
        tries = f"{self.attempts} {'try' if self.attempts == 1 else 'tries'}"
        note = f" <em>(your last check, {tries} so far)</em>" if earlier else ""
        return (
            f'<p role="status"><strong style="color:{colour}">{mark}</strong> '
            f"{html.escape(option.feedback)}{note}</p>"
        )

    def _on_check(self, _button: widgets.Button | None = None) -> None:
        index = self.choice.value
        if index is None:
            self.feedback.value = '<p role="status">Choose an answer first, then press the button.</p>'
            return
        option = self.item.options[index]
        self.attempts += 1
        message = self._feedback_html(index)
        try:
            journal.save(
                self.lesson,
                "quiz",
                self.item.id,
                {
                    "question": self.item.question,
                    "choice": option.text,
                    "correct": option.correct,
                    "attempts": self.attempts,
                },
                self.root,
            )
        except OSError as exc:
            message += f'<p style="color:{WARN}">{html.escape(journal.not_saved_message("check", exc))}</p>'
        self.feedback.value = message

    @property
    def is_correct(self) -> bool:
        """True when the chosen option is the right one."""
        return self.choice.value is not None and self.item.options[self.choice.value].correct


class Quiz(widgets.VBox):
    """All of a lesson's self-check questions."""

    def __init__(self, lesson: str, questions: Sequence[Question], root: Path | None = None):
        self.questions = [QuizQuestion(lesson, q, i, root) for i, q in enumerate(questions, start=1)]
        super().__init__(children=self.questions)
        self.add_class("lk-quiz")

    def score(self) -> tuple[int, int]:
        """(correct answers chosen, number of questions)."""
        return sum(q.is_correct for q in self.questions), len(self.questions)
