"""The lessonkit command: each command on the real lessons and on malformed input, with its exit code."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessonkit import __version__
from lessonkit.cli import main
from lessonkit.model import journal
from lessonkit.model.content import all_lessons, lesson_content

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
LESSON = "07_the_red_guard"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "answers"
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(folder))
    return folder


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ (with lesson 07 only) and lessons/07 in a temp folder, named by LESSONKIT_DATA."""
    base = tmp_path / "project"
    shutil.copytree(DATA, base / "data", ignore=shutil.ignore_patterns("*.toml"))
    shutil.copy(DATA / "lessons" / f"{LESSON}.toml", base / "data" / "lessons" / f"{LESSON}.toml")
    shutil.copy(DATA / "historians.toml", base / "data" / "historians.toml")
    (base / "lessons").mkdir()
    shutil.copy(ROOT / "lessons" / f"{LESSON}.ipynb", base / "lessons" / f"{LESSON}.ipynb")
    monkeypatch.setenv("LESSONKIT_DATA", str(base / "data"))
    return base


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- help, list, check


def test_help_documents_commands_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for command in ("list", "check", "portfolio", "guide", "handouts", "collect"):
        assert command in out
    assert "exit codes" in out and "0  success" in out and "2  wrong usage" in out
    assert "--version" in out
    with pytest.raises(SystemExit) as info:
        main(["collect", "--help"])
    assert "exit codes" in capsys.readouterr().out


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"lessonkit {__version__}\n"


def test_version_from_the_command_line() -> None:
    """``python -m lessonkit --version`` in a fresh interpreter (as ``lessonkit --version`` runs it)."""
    result = subprocess.run([sys.executable, "-m", "lessonkit", "--version"], capture_output=True, text=True,
                            timeout=120, check=False)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"lessonkit {__version__}\n", "")


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main([])
    assert info.value.code == 2


def test_list_shows_every_real_lesson(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    header = out.splitlines()[0].split()
    assert header == ["ID", "TITLE", "MIN", "NOTEBOOK", "QUIZ", "PROMPTS", "STATUS"]
    for lesson in all_lessons():
        line = next(line for line in out.splitlines() if line.startswith(f"{lesson.id}  "))
        assert lesson.title in line and str(lesson.minutes) in line


def test_list_and_check_on_a_clean_copy(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    row = out.splitlines()[1].split()
    content = lesson_content("07")
    assert row[0] == "07" and row[-4:] == ["yes", str(len(content.quiz)), str(len(content.prompts)), "OK"]
    code, out, _ = run(capsys, "check")
    assert code == 0, out
    assert "OK    data:" in out and "OK    lesson 07" in out and "All checks passed." in out


def test_check_names_a_broken_lesson_file(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = copy / "data" / "lessons" / "08_broken.toml"
    bad.write_text('[lesson]\nid = "08"\nslug = "broken"\ntitle = "Broken\n', encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert "ERROR lesson 08 (08_broken.toml)" in out and "not valid TOML" in out
    assert "OK    lesson 07" in out  # one broken file does not hide the others
    code, out, _ = run(capsys, "list")
    assert code == 0 and "(lesson file cannot be read)" in out and "problem" in out


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda t: t.replace("minutes = 55", "minutes = 45"), "time_plan adds up to 55 minutes but the lesson has"),
        (lambda t: t.replace('quantity = "rg_petrograd_october"', 'quantity = "no_such_quantity"'),
         "no facts for quantity 'no_such_quantity'"),
        (lambda t: t.replace('source = "spark1977"', 'source = "nobody1999"'), "unknown source id 'nobody1999'"),
        (lambda t: t.replace("correct = true", "correct = false", 1), "exactly one option must be correct"),
        (lambda t: t + '\n[[explorers]]\nid = "tl"\nkind = "timeline"\ntitle = "T"\nevents = ["no_such_event"]\n',
         "explorers[1] (tl): unknown event id 'no_such_event'"),
        (lambda t: t + '\n[[explorers]]\nid = "tl"\nkind = "timeline"\ntitle = "T"\nuntil = "1800-01-01"\n',
         "explorers[1] (tl): no events"),
    ],
    ids=["time plan", "unknown quantity", "unknown source", "no correct option", "unknown event", "empty window"],
)
def test_check_finds_content_problems(copy: Path, capsys: pytest.CaptureFixture[str], edit, message: str) -> None:
    path = copy / "data" / "lessons" / f"{LESSON}.toml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1 and message in out and "ERROR lesson 07" in out


def test_check_finds_a_missing_notebook_and_bad_data(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (copy / "lessons" / f"{LESSON}.ipynb").unlink()
    code, out, _ = run(capsys, "check")
    assert code == 1 and f"notebook lessons/{LESSON}.ipynb is missing" in out
    facts = next((copy / "data" / "facts").glob("*.csv"))
    facts.write_text(facts.read_text(encoding="utf-8") + "broken_row,not_enough_cells\n", encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1 and "ERROR data:" in out and facts.name in out


def test_check_reports_notebook_structure(copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nb = copy / "lessons" / f"{LESSON}.ipynb"
    nb.write_text("{ this is not a notebook", encoding="utf-8")
    code, out, _ = run(capsys, "check")
    assert code == 1 and f"{LESSON}.ipynb" in out


def test_runs_as_a_module(copy: Path) -> None:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-m", "lessonkit.cli", "check"], capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run([sys.executable, "-m", "lessonkit.cli", "collect", "--out", "x", "/nonexistent"],
                          capture_output=True, text=True, env=env, timeout=300, cwd=copy)
    assert proc.returncode == 2 and "/nonexistent: no such file or folder" in proc.stderr


# ---------------------------------------------------------------- portfolio, guide, handouts


def test_portfolio_command_writes_both_files(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal.save("07", "prompt", "why_arm", {"text": "<script>x</script> Ответ"}, root)
    journal.set_student_name("Ali", root)
    out_dir = tmp_path / "deep" / "out"
    code, out, _ = run(capsys, "portfolio", "--answers", str(root), "--out", str(out_dir))
    assert code == 0 and "1 answers written" in out
    page = (out_dir / "my_work_1917.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;x&lt;/script&gt; Ответ" in page and "Ali" in page
    doc = json.loads((out_dir / "my_work_1917.json").read_text(encoding="utf-8"))
    assert doc["student"] == "Ali" and doc["records"][0]["text"] == "<script>x</script> Ответ"
    # Without --out the files go into the answers folder (from LESSONKIT_ANSWERS).
    code, _, _ = run(capsys, "portfolio", "--lesson", "07", "--student", "Bea")
    assert code == 0
    assert json.loads((root / "my_work_1917_lesson07.json").read_text(encoding="utf-8"))["student"] == "Bea"


def test_portfolio_without_an_answers_folder_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "portfolio", "--answers", str(tmp_path / "nothing"), "--out", str(tmp_path / "o"))
    assert code == 2 and "No answers folder" in err and not (tmp_path / "o").exists()


def test_portfolio_lists_unreadable_files(root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    journal.save("07", "prompt", "ok", {"text": "fine"}, root)
    (root / "07" / "prompt-bad.json").write_bytes(b"\xff\x00")
    code, _, err = run(capsys, "portfolio", "--answers", str(root), "--out", str(tmp_path / "o"))
    assert code == 0 and "prompt-bad.json" in err
    assert "prompt-bad.json" in (tmp_path / "o" / "my_work_1917.html").read_text(encoding="utf-8")
    assert (root / "07" / "prompt-bad.json").read_bytes() == b"\xff\x00"


def test_guide_and_handouts_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "guide", "--out", str(tmp_path / "g" / "h"))
    assert code == 0
    guide = (tmp_path / "g" / "h" / "teacher_guide.html").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "handouts", "--out", str(tmp_path / "handouts"))
    assert code == 0
    for lesson in all_lessons():
        assert f"Lesson {lesson.id}" in guide
        assert (tmp_path / "handouts" / f"{lesson.name}.html").is_file()
        assert f"{lesson.name}.html" in (tmp_path / "handouts" / "index.html").read_text(encoding="utf-8")


def test_guide_and_handouts_refuse_broken_data(copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (copy / "data" / "lessons" / "09_bad.toml").write_text("[lesson]\nid = 9\n", encoding="utf-8")
    for command in ("guide", "handouts"):
        code, _, err = run(capsys, command, "--out", str(tmp_path / command))
        assert code == 1 and "09_bad.toml" in err


# ---------------------------------------------------------------- collect


def _export(path: Path, student: str, records: list[dict]) -> Path:
    path.write_text(json.dumps({"format": "lessonkit-portfolio/1", "student": student, "records": records},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _records(text: str, correct: bool) -> list[dict]:
    lesson = lesson_content("07")
    q = lesson.quiz[0]
    choice = q.answer if correct else next(o for o in q.options if not o.correct)
    return [
        {"lesson": "07", "kind": "prompt", "id": lesson.prompts[0].id, "text": text,
         "saved_at": "2025-11-26T10:00:00+00:00"},
        {"lesson": "07", "kind": "quiz", "id": q.id, "question": q.question, "choice": choice.text,
         "correct": correct, "attempts": 2, "saved_at": "2025-11-26T10:01:00+00:00"},
        {"lesson": "07", "kind": "claim", "id": lesson.claim_checks[0].id, "verdict": "Corroborated",
         "saved_at": "2025-11-26T10:02:00+00:00"},
    ]


def test_collect_merges_exports_and_rejects_malformed_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _export(inbox / "my_work_1917.json", "Анна", _records("Первая строка\nвторая <b>строка</b>", True))
    _export(inbox / "my_work_1917 (1).json", "", _records("=HYPERLINK(\"http://evil\")", False))
    (inbox / "broken.json").write_text("{ not json", encoding="utf-8")
    (inbox / "shape.json").write_text('{"hello": 1}', encoding="utf-8")
    (inbox / "latin1.json").write_bytes('{"student": "Jos\xe9", "records": []}'.encode("latin-1"))
    (inbox / "notes.txt").write_text("ignored: not .json", encoding="utf-8")
    matching = {"lesson": "09", "kind": "matching", "id": "land", "measure": "Decree on Land", "choice": "Peasants",
                "correct": False, "attempts": 1}
    extra = _export(tmp_path / "ben.json", "", _records("Ben's answer", True) + [{"no": "lesson"}, matching])
    out = tmp_path / "report" / "class"
    code, stdout, err = run(capsys, "collect", str(inbox), str(extra), str(extra), "--out", str(out))
    assert code == 0
    assert "3 student files read" in stdout and "3 rejected" in stdout
    assert "broken.json: not valid JSON" in err and "shape.json: not a lessonkit portfolio export" in err
    assert "latin1.json: not UTF-8 text" in err and "ben.json: record 4 skipped" in err
    raw = (out / "class_report.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read the Cyrillic right
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines(keepends=True)))
    assert list(rows[0]) == ["student", "file", "lesson", "kind", "id", "question", "answer", "correct", "attempts",
                             "saved_at"]
    assert len(rows) == 10  # 3 students x 3 answers, and Ben's matching activity
    ben = next(r for r in rows if r["kind"] == "matching")
    assert (ben["student"], ben["question"], ben["answer"]) == ("ben", "Decree on Land", "Peasants")
    assert ben["correct"] == "no"
    assert {r["student"] for r in rows} == {"Анна", "my_work_1917 (1)", "ben"}
    anna = {r["kind"]: r for r in rows if r["student"] == "Анна"}
    assert anna["prompt"]["answer"] == "Первая строка\nвторая <b>строка</b>"
    assert anna["prompt"]["question"] == lesson_content("07").prompts[0].text
    assert anna["quiz"]["correct"] == "yes" and anna["quiz"]["attempts"] == "2"
    assert anna["claim"]["answer"] == "Corroborated"
    assert anna["claim"]["question"] == lesson_content("07").claim_checks[0].claim
    formula = next(r for r in rows if r["student"] == "my_work_1917 (1)" and r["kind"] == "prompt")
    assert formula["answer"].startswith("'=")  # a spreadsheet will not run it
    page = (out / "class_report.html").read_text(encoding="utf-8")
    assert "вторая &lt;b&gt;строка&lt;/b&gt;" in page and "<b>строка</b>" not in page
    assert "broken.json" in page and "Lesson 07 · The Red Guard" in page


def test_collect_with_nothing_readable_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[]]", encoding="utf-8")
    code, _, err = run(capsys, "collect", str(bad), str(tmp_path / "missing.json"), "--out", str(tmp_path / "o"))
    assert code == 2 and "bad.json" in err and "missing.json" in err and not (tmp_path / "o").exists()


def test_collect_reads_what_the_download_button_made(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from lessonkit.widgets.download import download_button

    journal.save("07", "prompt", "why_arm", {"text": "from the widget"}, root)
    widget = download_button()
    widget.name.value = "Chen 陈"
    widget.button.click()
    code, _, _ = run(capsys, "collect", str(root / "my_work_1917.json"), "--out", str(tmp_path / "r"))
    assert code == 0
    rows = list(csv.DictReader((tmp_path / "r" / "class_report.csv").read_text(encoding="utf-8-sig").splitlines(True)))
    assert [(r["student"], r["answer"]) for r in rows] == [("Chen 陈", "from the widget")]
