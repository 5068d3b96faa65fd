"""Widgets react to .value changes and .click() as a student's browser would make them."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.calculators import RotationCalculator, battalions, rotation, share_of
from lessonkit.lesson import Lesson, VerdictPicker
from lessonkit.prompts import DiscussionPrompt


def test_prompt_saves_on_change_without_a_button(answers: Path) -> None:
    prompt = DiscussionPrompt("07", "why", "Why?", debounce=0)
    prompt.text.value = "Because the police had gone."
    saved = json.loads((answers / "07" / "prompt-why.json").read_text(encoding="utf-8"))
    assert saved["text"] == "Because the police had gone." and saved["lesson"] == "07" and saved["id"] == "why"
    assert "Saved at" in prompt.status.value


def test_prompt_debounces_then_flushes(answers: Path) -> None:
    prompt = DiscussionPrompt("07", "why", "Why?", debounce=60)
    prompt.text.value = "first"
    prompt.text.value = "first and second"
    path = answers / "07" / "prompt-why.json"
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "first"
    prompt.flush()
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "first and second"


def test_reopened_prompt_shows_saved_answer(answers: Path) -> None:
    DiscussionPrompt("07", "why", "Why?", debounce=0).text.value = "kept"
    again = DiscussionPrompt("07", "why", "Why?")
    assert again.text.value == "kept" and "is back" in again.status.value


def test_quiz_click_gives_option_feedback_and_records(answers: Path) -> None:
    quiz = Lesson("07").quiz()
    question = quiz.questions[1]
    question.check.click()
    assert "Choose an answer first" in question.feedback.value
    wrong = next(i for i, o in enumerate(question.item.options) if not o.correct)
    question.choice.value = wrong
    question.check.click()
    assert "Not quite." in question.feedback.value
    assert question.item.options[wrong].feedback[:30] in question.feedback.value
    right = next(i for i, o in enumerate(question.item.options) if o.correct)
    question.choice.value = right
    question.check.click()
    assert "Correct." in question.feedback.value
    record = json.loads((answers / "07" / f"quiz-{question.item.id}.json").read_text(encoding="utf-8"))
    assert record["attempts"] == 2 and record["correct"] is True
    assert quiz.score() == (1, len(quiz.questions))


def test_rotation_and_battalion_arithmetic() -> None:
    assert rotation(3000, Fraction(1, 3)) == (2000, 1000)
    assert rotation(100, Fraction(1, 3)) == (67, 33)
    assert battalions(20000, 600) == 34 and battalions(20000, 400) == 50
    assert share_of(20000, 392000) == pytest.approx(5.102, abs=0.001)
    with pytest.raises(ValueError):
        battalions(20000, 0)
    with pytest.raises(ValueError):
        rotation(-1, Fraction(1, 3))


def test_calculator_updates_figure_and_text() -> None:
    calc = RotationCalculator()
    calc.workers.value = 6000
    assert calc.figure.data[0].x == (4000,) and calc.figure.data[1].x == (2000,)
    assert "<strong>2,000</strong> are on guard" in calc.rotation_text.value
    assert 'data-lk-traces="2"' in calc.rotation_alt.value and "2,000" in calc.rotation_alt.value
    calc.size.value = 500
    assert "make <strong>40</strong> battalions" in calc.battalion_text.value
    calc.estimate.value = "rg_petrograd_uritsky"
    assert "make <strong>80</strong> battalions" in calc.battalion_text.value
    assert calc.workers.max == 24000  # the largest factory (Putilov), from the data


def test_verdict_is_saved(answers: Path) -> None:
    picker = VerdictPicker("07", "petrograd_strength")
    picker.choice.value = "Partly corroborated"
    record = json.loads((answers / "07" / "claim-petrograd_strength.json").read_text(encoding="utf-8"))
    assert record["verdict"] == "Partly corroborated"
    assert VerdictPicker("07", "petrograd_strength").choice.value == "Partly corroborated"


def test_lesson_parts_come_from_data() -> None:
    lesson = Lesson("07")
    assert "How strong was the workers&#x27; militia" in lesson.header().value
    assert "Corroboration" in lesson.header().value
    # Every key term clears the float of the one above (JupyterLab floats <dt>; a tall term broke lesson 05's list).
    terms = Lesson("05").header().value
    assert terms.count('<dt style="clear:left">') == terms.count("<dt") == len(Lesson("05").content.glossary)
    bundle = lesson.claim_check("petrograd_strength")
    assert len(bundle.figures()) == 1 and isinstance(bundle.parts[-1], VerdictPicker)
    assert lesson.source_ids()[0] == "spark1977"
    assert "Trotsky" in lesson.sources().value
    with pytest.raises(KeyError, match="no claim check 'nope'"):
        lesson.claim_check("nope")
