"""The answer journal loses nothing: atomic writes, damaged files, two writers, kernel exit, hostile ids.

Every test writes under its own tmp_path (LESSONKIT_ANSWERS is set per test), never in a real folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from lessonkit.lesson import Lesson
from lessonkit.model import journal
from lessonkit.model.content import lesson_content
from lessonkit.widgets.prompts import DiscussionPrompt
from lessonkit.widgets.quiz import Quiz
from lessonkit.widgets.verdicts import VerdictPicker

SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private answers folder, also named by LESSONKIT_ANSWERS for code that uses the default."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(folder))
    return folder


def _env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["LESSONKIT_ANSWERS"] = str(root)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ---------------------------------------------------------------- the basics


def test_save_writes_one_record_per_answer_with_its_fields(root: Path) -> None:
    path = journal.save("07", "prompt", "why_arm", {"text": "Because.", "question": "Why?"})
    assert path == root / "07" / "prompt-why_arm.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] == journal.FORMAT
    assert (record["lesson"], record["kind"], record["id"], record["text"]) == ("07", "prompt", "why_arm", "Because.")
    assert record["saved_at"].endswith("+00:00")
    assert journal.load("07", "prompt", "why_arm") == record


def test_default_folder_is_my_answers_beside_the_lesson(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("LESSONKIT_ANSWERS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert journal.answers_dir() == tmp_path / "my_answers"
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(tmp_path / "elsewhere"))
    assert journal.answers_dir() == tmp_path / "elsewhere"


def test_every_save_keeps_the_previous_version(root: Path) -> None:
    journal.save("07", "prompt", "p1", {"text": "one"})
    path = journal.save("07", "prompt", "p1", {"text": "two"})
    assert json.loads(path.read_text(encoding="utf-8"))["text"] == "two"
    assert json.loads(path.with_name(path.name + ".bak").read_text(encoding="utf-8"))["text"] == "one"
    assert not [n for n in _files(path.parent) if n.endswith(".tmp")]


def test_load_of_nothing_is_none(root: Path) -> None:
    assert journal.load("07", "prompt", "never") is None
    assert journal.load_all() == ([], [])


# ---------------------------------------------------------------- killed in the middle of a save

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from lessonkit.model import journal

    def text(i):
        return f"{i}|" + chr(0x410 + i % 32) * (150_000 + (i * 7919) % 350_000)

    root, start = Path(sys.argv[1]), int(sys.argv[2])
    i = start
    while True:
        journal.save("07", "prompt", "p1", {"text": text(i)}, root)
        print(i, flush=True)
        i += 1
    """
)


def _expected(i: int) -> str:
    return f"{i}|" + chr(0x410 + i % 32) * (150_000 + (i * 7919) % 350_000)


def _check_version(path: Path, seen: set[int]) -> int:
    """The file is complete JSON and exactly one of the versions the writer wrote."""
    record = json.loads(path.read_bytes().decode("utf-8"))
    i = int(record["text"].split("|", 1)[0])
    assert record["text"] == _expected(i), "torn or mixed content"
    seen.add(i)
    return i


def test_killing_the_writer_mid_save_never_leaves_a_torn_file(root: Path, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    path = journal.record_path("07", "prompt", "p1", root)
    rng = random.Random(1917)
    seen: set[int] = set()
    start = 0
    for _ in range(8):
        proc = subprocess.Popen(
            [sys.executable, str(script), str(root), str(start)], env=_env(root), stdout=subprocess.PIPE, text=True
        )
        try:
            assert proc.stdout is not None
            first = proc.stdout.readline()  # at least one save finished in this run
            assert first.strip(), "writer did not start"
            time.sleep(rng.uniform(0.0, 0.25))
        finally:
            proc.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up runs
            proc.wait()
        last = _check_version(path, seen)
        bak = path.with_name(path.name + ".bak")
        if bak.exists():
            assert _check_version(bak, seen) <= last
        start = last + 1_000  # new versions never repeat old ones
    assert len(seen) >= 8
    # Whatever the writer left behind, the lesson still loads the newest complete answer.
    record = journal.load("07", "prompt", "p1", root)
    assert record is not None and record["text"] == _expected(last)


# ---------------------------------------------------------------- two kernels at once

CONCURRENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from lessonkit.model import journal

    root, tag, go, same = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4] == "same"
    while not go.exists():
        time.sleep(0.001)
    for n in range(100):
        item = "shared" if same else f"{tag}{n}"
        journal.save("07", "prompt", item, {"text": f"{tag} answer {n} ✓ ответ"}, root)
    """
)


def _run_two(tmp_path: Path, root: Path, mode: str) -> None:
    script = tmp_path / "concurrent.py"
    script.write_text(CONCURRENT, encoding="utf-8")
    go = tmp_path / f"go-{mode}"
    procs = [
        subprocess.Popen([sys.executable, str(script), str(root), tag, str(go), mode], env=_env(root))
        for tag in ("a", "b")
    ]
    time.sleep(0.5)  # both interpreters are up and waiting
    go.touch()
    for proc in procs:
        assert proc.wait(timeout=120) == 0


def test_two_processes_saving_different_answers_lose_nothing(root: Path, tmp_path: Path) -> None:
    _run_two(tmp_path, root, "different")
    records, problems = journal.load_all(root)
    assert problems == []
    got = {r["id"]: r["text"] for r in records}
    want = {f"{tag}{n}": f"{tag} answer {n} ✓ ответ" for tag in ("a", "b") for n in range(100)}
    assert got == want


def test_two_processes_saving_the_same_answer_leave_a_whole_version(root: Path, tmp_path: Path) -> None:
    _run_two(tmp_path, root, "same")
    path = journal.record_path("07", "prompt", "shared", root)
    versions = {f"{tag} answer {n} ✓ ответ" for tag in ("a", "b") for n in range(100)}
    assert json.loads(path.read_text(encoding="utf-8"))["text"] in versions
    assert json.loads(path.with_name(path.name + ".bak").read_text(encoding="utf-8"))["text"] in versions


# ---------------------------------------------------------------- damaged files

DAMAGE = {
    "garbage bytes": b"\x00\x9c\xff garbage \x01\x02",
    "truncated JSON": b'{"format": "lessonkit-journal/1", "lesson": "07", "id": "p1", "text": "half an ans',
    "wrong JSON shape (list)": b"[1, 2, 3]",
    "wrong JSON shape (object)": b'{"hello": "world"}',
    "text is not text": b'{"lesson": "07", "kind": "prompt", "id": "p1", "text": 42}',
    "invalid UTF-8": b'{"lesson": "07", "kind": "prompt", "id": "p1", "text": "\xff\xfe\xfa"}',
    "empty file": b"",
}


def _damage(root: Path, content: bytes) -> Path:
    path = journal.record_path("07", "prompt", "p1", root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("content", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_file_is_moved_aside_never_overwritten(root: Path, content: bytes) -> None:
    path = _damage(root, content)
    with pytest.raises(journal.UnreadableAnswer) as info:
        journal.load("07", "prompt", "p1")
    message = str(info.value)
    assert path.name in message and "could not be read" in message and "fresh answer" in message
    assert info.value.moved_to is not None and info.value.moved_to.name in message
    assert info.value.moved_to.read_bytes() == content  # kept byte for byte
    assert not path.exists()
    # The student starts fresh; the damaged copy is still there afterwards.
    journal.save("07", "prompt", "p1", {"text": "new start"})
    assert journal.load("07", "prompt", "p1")["text"] == "new start"
    assert info.value.moved_to.read_bytes() == content


@pytest.mark.parametrize("content", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_file_with_a_readable_bak_brings_the_previous_version_back(root: Path, content: bytes) -> None:
    journal.save("07", "prompt", "p1", {"text": "the good old answer"})
    path = journal.save("07", "prompt", "p1", {"text": "newer answer"})
    path.write_bytes(content)  # the newest version is damaged (disk trouble, an editor, a sync tool)
    record, notice = journal.load_with_notice("07", "prompt", "p1")
    assert record is not None and record["text"] == "the good old answer"
    assert notice is not None and "previous version" in notice and "could not be read" in notice
    moved = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert len(moved) == 1 and moved[0].read_bytes() == content and moved[0].name in notice
    assert journal.load("07", "prompt", "p1")["text"] == "the good old answer"  # back in place


def test_unreadable_bak_too_means_a_fresh_start_with_both_kept(root: Path) -> None:
    path = _damage(root, b"not json")
    path.with_name(path.name + ".bak").write_bytes(b"\xff\xff")
    with pytest.raises(journal.UnreadableAnswer):
        journal.load("07", "prompt", "p1")
    assert path.with_name(path.name + ".bak").read_bytes() == b"\xff\xff"
    assert [p for p in path.parent.iterdir() if ".unreadable-" in p.name]


def test_saving_over_a_damaged_file_moves_it_aside_first(root: Path) -> None:
    journal.save("07", "quiz", "q1", {"choice": "A", "attempts": 1})
    path = journal.save("07", "quiz", "q1", {"choice": "B", "attempts": 2})
    path.write_bytes(b"\x00garbage")
    with pytest.warns(UserWarning, match="could not be read"):
        journal.save("07", "quiz", "q1", {"choice": "C", "attempts": 3})
    assert journal.load("07", "quiz", "q1")["choice"] == "C"
    assert json.loads(path.with_name(path.name + ".bak").read_text(encoding="utf-8"))["choice"] == "A"
    moved = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert [p.read_bytes() for p in moved] == [b"\x00garbage"]


def test_load_all_reports_damage_uses_the_bak_and_changes_nothing(root: Path) -> None:
    journal.save("07", "prompt", "p1", {"text": "old"})
    path = journal.save("07", "prompt", "p1", {"text": "new"})
    journal.save("07", "prompt", "p2", {"text": "fine"})
    path.write_bytes(b"\xff\xfe")
    bad = journal.record_path("07", "prompt", "p3", root)
    bad.write_bytes(b"[]")
    records, problems = journal.load_all()
    assert {r["id"]: r["text"] for r in records} == {"p1": "old", "p2": "fine"}
    assert any("prompt-p1.json" in p and "previous version" in p for p in problems)
    assert any("prompt-p3.json" in p and "left as it is" in p for p in problems)
    assert path.read_bytes() == b"\xff\xfe" and bad.read_bytes() == b"[]"  # read-only: nothing moved


def test_prompt_tells_the_student_about_a_damaged_file_and_starts_fresh(root: Path) -> None:
    path = _damage(root, b"\x00\x01 garbage")
    prompt = DiscussionPrompt("07", "p1", "Why?", debounce=0)
    assert prompt.text.value == ""
    assert "could not be read" in prompt.status.value and "fresh answer" in prompt.status.value
    prompt.text.value = "starting again"
    assert journal.load("07", "prompt", "p1")["text"] == "starting again"
    moved = [p for p in path.parent.iterdir() if ".unreadable-" in p.name]
    assert [p.read_bytes() for p in moved] == [b"\x00\x01 garbage"]


def test_prompt_brings_back_the_bak_when_the_newest_file_is_damaged(root: Path) -> None:
    journal.save("07", "prompt", "p1", {"text": "line one\nline two"})
    path = journal.save("07", "prompt", "p1", {"text": "newest"})
    path.write_bytes(b"{")
    prompt = DiscussionPrompt("07", "p1", "Why?")
    assert prompt.text.value == "line one\nline two"
    assert "previous version" in prompt.status.value


def test_quiz_tells_the_student_about_a_damaged_file(root: Path) -> None:
    content = lesson_content("07")
    path = journal.record_path("07", "quiz", content.quiz[0].id, root)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"oops")
    quiz = Quiz("07", content.quiz)
    assert "could not be read" in quiz.questions[0].feedback.value


# ---------------------------------------------------------------- reopening a lesson


def test_reopened_prompt_shows_the_saved_answer(root: Path) -> None:
    first = DiscussionPrompt("07", "why_arm", "Why?", debounce=0)
    first.text.value = "Because the police had gone.\nAnd the army could not be trusted."
    again = DiscussionPrompt("07", "why_arm", "Why?", debounce=0)
    assert again.text.value == "Because the police had gone.\nAnd the army could not be trusted."
    assert "is back" in again.status.value
    assert journal.load("07", "prompt", "why_arm")["question"] == "Why?"


def test_reopened_lesson_shows_every_saved_answer(root: Path) -> None:
    lesson = Lesson("07")
    for i, prompt in enumerate(lesson.prompts().children):
        prompt.text.value = f"answer {i}"
        prompt.flush()
    quiz = lesson.quiz()
    quiz.questions[0].choice.value = 1
    quiz.questions[0].check.click()
    reopened = Lesson("07")
    expected = [f"answer {i}" for i in range(len(lesson.content.prompts))]
    assert [p.text.value for p in reopened.prompts().children] == expected
    q = reopened.quiz().questions[0]
    assert q.choice.value == 1 and q.attempts == 1 and "Not quite." in q.feedback.value


# ---------------------------------------------------------------- debounce and exit


def test_debounced_change_is_saved_by_the_event_loop(root: Path) -> None:
    async def typing() -> None:
        prompt = DiscussionPrompt("07", "p1", "Why?", debounce=0.2)
        prompt.text.value = "first"
        prompt.text.value = "first and second"
        assert journal.load("07", "prompt", "p1")["text"] == "first" and prompt.has_unsaved
        deadline = time.monotonic() + 5
        while prompt.has_unsaved and time.monotonic() < deadline:
            await asyncio.sleep(0.05)

    asyncio.run(typing())
    assert journal.load("07", "prompt", "p1")["text"] == "first and second"


def test_flush_pending_saves_every_prompt(root: Path) -> None:
    async def typing() -> None:
        prompts = [DiscussionPrompt("07", f"p{i}", "Why?", debounce=3600) for i in range(3)]
        for i, p in enumerate(prompts):
            p.text.value = "saved at once"
            p.text.value = f"typed later {i}"
        assert all(p.has_unsaved for p in prompts)
        journal.flush_pending()

    asyncio.run(typing())
    assert [journal.load("07", "prompt", f"p{i}")["text"] for i in range(3)] == [f"typed later {i}" for i in range(3)]


EXITING = textwrap.dedent(
    """
    import asyncio
    from lessonkit.widgets.prompts import DiscussionPrompt

    async def main():
        global p
        p = DiscussionPrompt("07", "p1", "Why?", debounce=3600)
        p.text.value = "saved at once"
        p.text.value = "typed just before the exit"
        assert p.has_unsaved

    asyncio.run(main())
    """
)


IN_A_KERNEL = textwrap.dedent(
    """
    from lessonkit.widgets.prompts import DiscussionPrompt
    p = DiscussionPrompt("07", "p1", "Why?", debounce=3600)  # the kernel's event loop holds the save
    p.text.value = "saved at once"
    p.text.value = "typed just before the exit"
    assert p.has_unsaved
    """
)


def test_pending_text_is_saved_when_the_interpreter_exits(root: Path) -> None:
    subprocess.run([sys.executable, "-c", EXITING], env=_env(root), check=True, timeout=120)
    assert journal.load("07", "prompt", "p1", root)["text"] == "typed just before the exit"


def test_pending_text_survives_a_kernel_restart(root: Path) -> None:
    jupyter_client = pytest.importorskip("jupyter_client")
    km = jupyter_client.KernelManager(kernel_name="python3")
    km.start_kernel(env=_env(root), cwd=str(root.parent))
    try:
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        reply = kc.execute_interactive(IN_A_KERNEL, timeout=60)
        assert reply["content"]["status"] == "ok"
        kc.stop_channels()
        km.restart_kernel(now=False)  # what "Restart kernel" in JupyterLab does
    finally:
        km.shutdown_kernel(now=False)
    assert journal.load("07", "prompt", "p1", root)["text"] == "typed just before the exit"


# ---------------------------------------------------------------- hostile input

HOSTILE = {
    "html": "<b>bold</b> & <i>italic</i> \"quoted\" 'single'",
    "script": "<script>alert('pwned')</script>",
    "russian": "Вся власть Советам! Хлеба, мира, земли.",
    "arabic": "كل السلطة للسوفييتات",
    "chinese": "全部政权归苏维埃",
    "emoji": "✊🏽🚩📜 👩🏽‍🏭",
    "newlines": "line 1\nline 2\r\nline 3\n\n",
    "control": "tab\there\x00nul\x1bescape",
    "one megabyte": "x" * 1_000_000,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_answers_round_trip(root: Path, text: str) -> None:
    journal.save("07", "prompt", "p1", {"text": text})
    assert journal.load("07", "prompt", "p1")["text"] == text
    records, problems = journal.load_all()
    assert problems == [] and records[0]["text"] == text


def test_a_lone_surrogate_from_a_browser_is_saved_not_lost(root: Path) -> None:
    text = "broken pair \ud800 here"
    path = journal.save("07", "prompt", "p1", {"text": text})
    assert journal.load("07", "prompt", "p1")["text"] == text
    path.read_text(encoding="utf-8")  # still valid UTF-8 on disk


HOSTILE_IDS = ["../../etc/passwd", "..", "/abs/path", "C:\\Windows\\system32", "a/b\\c", "", "CON", "nul",
               "P1", "p1", "x" * 500, "ид-вопроса", "q1\x00.json", " spaced id "]


@pytest.mark.parametrize("item", HOSTILE_IDS)
def test_hostile_ids_never_write_outside_the_answers_folder(root: Path, item: str) -> None:
    path = journal.save(item, item or "k", item, {"text": "t"})
    assert path.resolve().is_relative_to(root.resolve())
    assert path.parent.parent == root
    name = path.name
    assert len(name) < 200 and all(c.isascii() and (c.isalnum() or c in "_-.") for c in name)
    assert journal.load(item, item or "k", item)["text"] == "t"
    assert not (Path("/etc") / "passwd.json").exists()


def test_safe_names_never_collide() -> None:
    names = {journal.safe_name(i) for i in HOSTILE_IDS}
    assert len(names) == len(set(HOSTILE_IDS))
    assert journal.safe_name("P1") != journal.safe_name("p1")  # macOS and Windows ignore case
    assert journal.safe_name("con").upper() != "CON"  # a name Windows refuses
    assert journal.safe_name("why_arm") == "why_arm" and journal.safe_name("07") == "07"


# ---------------------------------------------------------------- widgets reach the journal


def test_prompt_value_change_reaches_the_journal(root: Path) -> None:
    prompt = DiscussionPrompt("07", "why_arm", "Why did workers arm?", debounce=0)
    prompt.text.value = "Typed in the browser."
    record = json.loads((root / "07" / "prompt-why_arm.json").read_text(encoding="utf-8"))
    assert record["text"] == "Typed in the browser." and record["question"] == "Why did workers arm?"
    assert "Saved at" in prompt.status.value


def test_quiz_click_reaches_the_journal(root: Path) -> None:
    quiz = Lesson("07").quiz()
    question = quiz.questions[0]
    right = next(i for i, o in enumerate(question.item.options) if o.correct)
    question.choice.value = (right + 1) % len(question.item.options)
    question.check.click()
    question.choice.value = right
    question.check.click()
    record = journal.load("07", "quiz", question.item.id)
    assert record["correct"] is True and record["attempts"] == 2
    assert record["choice"] == question.item.options[right].text and record["question"] == question.item.question


def test_verdict_picker_reaches_the_journal(root: Path) -> None:
    picker = VerdictPicker("07", "petrograd_strength")
    picker.choice.value = "Contradicted"
    assert journal.load("07", "claim", "petrograd_strength")["verdict"] == "Contradicted"
    assert "Verdict saved" in picker.status.value


def test_a_folder_that_cannot_be_written_is_reported_and_the_text_kept(root: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x", encoding="utf-8")
    prompt = DiscussionPrompt("07", "p1", "Why?", root=blocker, debounce=0)
    prompt.text.value = "important"
    assert "Could not save" in prompt.status.value and prompt.has_unsaved
    assert prompt.text.value == "important"


def test_temporary_files_left_by_a_killed_save_are_cleaned_up(root: Path) -> None:
    path = journal.save("07", "prompt", "p1", {"text": "one"})
    old = path.parent / f".{path.name}.abc123.tmp"
    fresh = path.parent / f".{path.name}.def456.tmp"
    other = path.parent / ".prompt-p2.json.xyz.tmp"
    for tmp in (old, fresh, other):
        tmp.write_text("partial", encoding="utf-8")
    past = time.time() - 3600
    os.utime(old, (past, past))
    os.utime(other, (past, past))
    journal.save("07", "prompt", "p1", {"text": "two"})
    assert not old.exists() and fresh.exists()  # a save in progress elsewhere is left alone
    assert other.exists()  # only this answer's own left-overs
