"""Widgets react to .value changes and .click() as a student's browser would make them."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.explorers.calculators import RotationCalculator, battalions, rotation
from lessonkit.lesson import Lesson
from lessonkit.model.shares import share_percent
from lessonkit.widgets.prompts import DiscussionPrompt
from lessonkit.widgets.verdicts import VerdictPicker


def test_prompt_saves_on_change_without_a_button(answers: Path) -> None:
    prompt = DiscussionPrompt("07", "why", "Why?", debounce=0)
    prompt.text.value = "Because the police had gone."
    saved = json.loads((answers / "07" / "prompt-why.json").read_text(encoding="utf-8"))
    assert saved["text"] == "Because the police had gone." and saved["lesson"] == "07" and saved["id"] == "why"
    assert "Saved at" in prompt.status.value


# The two tests below run in a fresh interpreter: the browser tests' Playwright (sync API) keeps an event
# loop running in the pytest process, which would make "no event loop" false and asyncio.run() refuse.
DEBOUNCE_SCRIPT = """
import asyncio, json, sys, threading
from pathlib import Path
from lessonkit.widgets.prompts import DiscussionPrompt

path = Path(sys.argv[1]) / "07" / "prompt-why.json"

async def type_fast():
    prompt = DiscussionPrompt("07", "why", "Why?", debounce=0.2)
    prompt.text.value = "first"
    prompt.text.value = "first and second"
    prompt.text.value = "first, second and third"
    during = json.loads(path.read_text(encoding="utf-8"))["text"]
    waiting = prompt.has_unsaved
    await asyncio.sleep(0.5)  # the loop runs the scheduled save; no thread is involved
    return during, waiting, json.loads(path.read_text(encoding="utf-8"))["text"]

threads = threading.active_count()
during, waiting, after = asyncio.run(type_fast())
print(json.dumps([during, waiting, after, threading.active_count() == threads]))
"""

NO_LOOP_SCRIPT = """
import json, sys
from pathlib import Path
from lessonkit.widgets.prompts import DiscussionPrompt

prompt = DiscussionPrompt("07", "why", "Why?", debounce=60)
prompt.text.value = "first"
prompt.text.value = "first and second"
saved = json.loads((Path(sys.argv[1]) / "07" / "prompt-why.json").read_text(encoding="utf-8"))["text"]
print(json.dumps([saved, prompt.has_unsaved]))
"""


def _run(script: str, answers: Path) -> list:
    done = subprocess.run([sys.executable, "-c", script, str(answers)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_prompt_debounces_on_the_event_loop_then_saves_the_last_text(answers: Path) -> None:
    assert _run(DEBOUNCE_SCRIPT, answers) == ["first", True, "first, second and third", True]


def test_prompt_without_an_event_loop_saves_every_change(answers: Path) -> None:
    assert _run(NO_LOOP_SCRIPT, answers) == ["first and second", False]


SIGNAL_SCRIPT = """
import asyncio, sys
from lessonkit.widgets.prompts import DiscussionPrompt

async def main():
    prompt = DiscussionPrompt("07", "why", "Why?", debounce=30)
    prompt.text.value = "first"
    prompt.text.value = "typed just before the kernel was stopped"
    print("typed", flush=True)
    await asyncio.sleep(60)

asyncio.run(main())
"""


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_text_waiting_to_be_saved_is_saved_when_the_kernel_is_stopped(answers: Path, signame: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", SIGNAL_SCRIPT], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "typed"
        proc.send_signal(getattr(signal, signame))
        assert proc.wait(timeout=30) == -getattr(signal, signame)  # it still stops, as the signal asks
    finally:
        proc.kill()
    saved = json.loads((answers / "07" / "prompt-why.json").read_text(encoding="utf-8"))
    assert saved["text"] == "typed just before the kernel was stopped"


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
    assert share_percent(20000, 392000) == pytest.approx(5.102, abs=0.001)
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


def test_calculator_bounds_the_rotation_against_the_city_and_the_quota() -> None:
    """The article gives its 1/3 only for factories where every worker was armed: at Putilov's size that would be
    8,000 guards in one plant, two fifths of the article's 20,000 for the city; the text says so."""
    calc = RotationCalculator()
    calc.workers.value = calc.workers.max
    text = calc.rotation_text.value
    assert "all of them armed" in text and "every worker was armed" in text
    assert "<strong>8,000</strong> are on guard" in text and "<strong>40%</strong> of the 20,000" in text
    assert "militia of 100 members per 1000 workers: 2,400" in text and "Ask yourself" in text
    calc.workers.value = 1000
    assert "Ask yourself" not in calc.rotation_text.value


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
