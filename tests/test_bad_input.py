"""Bad input and faults, as a careless user or an attacker makes them: nothing is lost without a message.

Each test here failed on the code before issue 14 was worked on (see docs/corrections.md is for content;
the issue's note lists which test covers which item).
"""

from __future__ import annotations

import errno
import json
import os
import stat
import time
from pathlib import Path

import pytest

from lessonkit import journal
from lessonkit.content import lesson_content
from lessonkit.download import DownloadWork, build_exports
from lessonkit.evidence import ClaimBuilder
from lessonkit.lesson import VerdictPicker
from lessonkit.matching import MatchingActivity
from lessonkit.printable import when
from lessonkit.prompts import DiscussionPrompt
from lessonkit.quiz import QuizQuestion

DISK_FULL = OSError(errno.ENOSPC, "No space left on device")


def disk_full(*_args: object, **_kwargs: object) -> None:
    raise DISK_FULL


# ---------------------------------------------------------------- 1. every widget that saves says so when it cannot


def test_a_verdict_that_cannot_be_saved_says_so(answers: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    picker = VerdictPicker("07", "petrograd_strength")
    monkeypatch.setattr(journal, "save", disk_full)
    picker.choice.value = "Corroborated"
    assert "Could not save your verdict (No space left on device)" in picker.status.value
    assert "NOT saved" in picker.status.value


@pytest.mark.parametrize("kind", ["prompt", "quiz", "verdict", "matching", "argument"])
def test_every_saving_widget_shows_the_same_message(answers: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.setattr(journal, "save", disk_full)
    if kind == "prompt":
        widget = DiscussionPrompt("07", "why", "Why?", debounce=0)
        widget.text.value = "my answer"
        shown = widget.status.value
    elif kind == "quiz":
        widget = QuizQuestion("07", lesson_content("07").quiz[0], 1)
        widget.choice.value = 0
        widget.check.click()
        shown = widget.feedback.value
    elif kind == "verdict":
        widget = VerdictPicker("07", "petrograd_strength")
        widget.choice.value = "Contradicted"
        shown = widget.status.value
    elif kind == "matching":
        widget = MatchingActivity("09")
        first = next(iter(widget.dropdowns.values()))
        first.value = next(v for _, v in first.options if v)
        widget.check()
        shown = widget.summary.value
    else:
        widget = ClaimBuilder("10", "inevitable", "Nothing in history is inevitable.")
        widget.claim.value = "It was not."
        widget.save()
        shown = widget.status.value
    assert "Could not save your" in shown and "NOT saved" in shown, shown


# ---------------------------------------------------------------- 3. hostile student files


def test_a_time_stamp_out_of_range_is_shown_as_written() -> None:
    assert when("0001-01-01T00:00:00+01:00") == "0001-01-01T00:00:00+01:00"
    assert when("9999-12-31T23:59:59-01:00") == "9999-12-31T23:59:59-01:00"


def test_deeply_nested_json_is_an_unreadable_file_not_a_crash(answers: Path) -> None:
    good = journal.save("07", "prompt", "why", {"text": "kept"})
    hostile = good.with_name("prompt-deep.json")
    hostile.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    records, problems = journal.load_all()
    assert [r["text"] for r in records] == ["kept"]
    assert any("nested too deeply" in p for p in problems)
    page, doc, count, problems = build_exports()
    assert count == 1 and "kept" in page


def test_download_button_finishes_with_a_hostile_file(answers: Path) -> None:
    good = journal.save("07", "prompt", "why", {"text": "kept"})
    good.with_name("prompt-old.json").write_text(
        json.dumps(
            {"lesson": "07", "id": "old", "kind": "prompt", "text": "x", "saved_at": "0001-01-01T00:00:00+01:00"}
        ),
        encoding="utf-8",
    )
    button = DownloadWork("07")
    button.button.click()
    assert "Collecting" not in button.output.value and "2 saved answers" in button.output.value


# ---------------------------------------------------------------- 4. permissions follow the umask


def test_files_are_written_with_the_umask_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "guide.html"
        journal.atomic_write_text(path, "<p>guide</p>")
        journal.atomic_write_text(path, "<p>guide, again</p>")  # and the .bak copy
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE(path.with_name("guide.html.bak").stat().st_mode) == 0o644


# ---------------------------------------------------------------- 8. an unreadable answers folder


@pytest.fixture
def unreadable(answers: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The answers exist, but this user may not read them (simulated: the tests run as root)."""
    journal.save("07", "prompt", "why", {"text": "typed last week"})
    journal.save("07", "claim", "petrograd_strength", {"verdict": "Corroborated"})
    real_exists, real_scandir = Path.exists, os.scandir

    def exists(self: Path) -> bool:
        if answers in self.parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_exists(self)

    def scandir(path: object = ".") -> object:
        if Path(str(path)) == answers or answers in Path(str(path)).parents:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "exists", exists)
    monkeypatch.setattr(os, "scandir", scandir)
    return answers


def test_widgets_open_and_explain_when_the_answers_folder_cannot_be_read(unreadable: Path) -> None:
    prompt = DiscussionPrompt("07", "why", "Why?")
    assert "permission denied" in prompt.status.value
    quiz = QuizQuestion("07", lesson_content("07").quiz[0], 1)
    assert "permission denied" in quiz.feedback.value
    picker = VerdictPicker("07", "petrograd_strength")
    assert "permission denied" in picker.status.value


def test_download_says_the_answers_could_not_be_read_not_that_there_are_none(unreadable: Path) -> None:
    button = DownloadWork("07")
    button.button.click()
    text = button.output.value
    assert "No saved answers yet" not in text
    assert "could not be read" in text and "permission denied" in text


# ---------------------------------------------------------------- 9. saved records of the wrong type


HOSTILE_VALUES = ["two", 2.5, True, None, [], {}, ["a", ["b"]], {"x": 1}, 10**30, "x" * 5000]


@pytest.mark.parametrize("value", HOSTILE_VALUES, ids=[repr(v)[:20] for v in HOSTILE_VALUES])
def test_every_reader_of_saved_records_copes_with_wrong_types(answers: Path, value: object) -> None:
    folder07, folder09, folder10 = answers / "07", answers / "09", answers / "10"
    for folder in (folder07, folder09, folder10):
        folder.mkdir(parents=True, exist_ok=True)
    quiz_id = lesson_content("07").quiz[0].id
    item = MatchingActivity("09").items[0].id
    records = {
        folder07 / f"quiz-{quiz_id}.json": {"lesson": "07", "id": quiz_id, "kind": "quiz", "choice": value,
                                             "attempts": value, "correct": value, "saved_at": value},
        folder07 / "claim-petrograd_strength.json": {"lesson": "07", "id": "petrograd_strength", "kind": "claim",
                                                    "verdict": value, "saved_at": value},
        folder09 / f"matching-{item}.json": {"lesson": "09", "id": item, "kind": "matching", "choice": value,
                                              "attempts": value},
        folder10 / "argument-inevitable.json": {"lesson": "10", "id": "inevitable", "kind": "argument",
                                                "claim": value, "supports": value, "contradicts": value},
    }
    for path, record in records.items():
        path.write_text(json.dumps(record), encoding="utf-8")
    QuizQuestion("07", lesson_content("07").quiz[0], 1)
    VerdictPicker("07", "petrograd_strength")
    MatchingActivity("09")
    ClaimBuilder("10", "inevitable", "Nothing in history is inevitable.")
    page, doc, count, problems = build_exports()
    assert count == len(records) and page


# ---------------------------------------------------------------- 14, 15. left-overs and messages


def test_the_next_save_removes_temporary_files_left_by_a_killed_save(answers: Path) -> None:
    path = journal.save("07", "prompt", "why", {"text": "first"})
    left = [path.with_name(f".{path.name}.killed{i}.tmp") for i in range(5)]
    for tmp in left:
        tmp.write_text("half a save", encoding="utf-8")
        old = time.time() - 30
        os.utime(tmp, (old, old))
    journal.save("07", "prompt", "why", {"text": "second"})
    assert [t for t in left if t.exists()] == []


def test_a_json_error_reads_as_a_sentence(answers: Path) -> None:
    path = journal.record_path("07", "prompt", "why")
    path.parent.mkdir(parents=True)
    path.write_text('{"text": "unterminated', encoding="utf-8")
    _, problems = journal.load_all()
    assert problems and "at at" not in problems[0] and "line 1, column" in problems[0]
