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

from lessonkit.explorers.evidence import ClaimBuilder
from lessonkit.explorers.matching import MatchingActivity
from lessonkit.model import journal
from lessonkit.model.content import lesson_content
from lessonkit.teacher.printable import when
from lessonkit.widgets.download import DownloadWork, build_exports
from lessonkit.widgets.prompts import DiscussionPrompt
from lessonkit.widgets.quiz import QuizQuestion
from lessonkit.widgets.verdicts import VerdictPicker

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


# ---------------------------------------------------------------- 2, 10. a strict CSV reader

SOURCES_HEAD = "id,short,author,title,year,kind,where_read,note\n"
SOURCE_OK = "src_a,A,Author A,Title A,1917,primary,,\n"


def data_with_sources(tmp_path: Path, text: str, raw: bytes | None = None) -> Path:
    root = tmp_path / "data"
    (root / "facts").mkdir(parents=True)
    (root / "sources.csv").write_bytes(raw if raw is not None else text.encode("utf-8"))
    (root / "facts" / "one.csv").write_text(
        "id,quantity,label,value,low,high,unit,date,place,source,confidence,lessons,note\n", encoding="utf-8")
    (root / "events.csv").write_text("id,date,time,title,description,place,lessons,sources,confidence,note\n",
                                     encoding="utf-8")
    (root / "places.csv").write_text("id,name,name_1917,kind,lat,lon,source,confidence,approximate,note\n",
                                     encoding="utf-8")
    return root


BAD_CSV = [
    ("unclosed quote", SOURCES_HEAD + 'src_a,A,Author A,"Title A,1917,primary,,\n' + SOURCE_OK.replace("src_a", "b"),
     "row 2", "title", "never closed"),
    ("too many cells", SOURCES_HEAD + "src_a,A,Author A,Title A,1917,primary,,,extra\n", "row 2", None, "9 cells"),
    ("too few cells", SOURCES_HEAD + "src_a,A,Author A,Title A,1917,primary\n", "row 2", "where_read", "6 cells"),
    ("duplicated column", "id,short,author,title,year,kind,kind,note\n" + SOURCE_OK, "row 1", "kind", "twice"),
    ("NUL byte", SOURCES_HEAD + "src_a,A,Au\x00thor,Title A,1917,primary,,\n", "row 2", None, "NUL byte"),
    ("text after a quote", SOURCES_HEAD + 'src_a,A,"Author" A,Title A,1917,primary,,\n', "row 2", "author",
     "after the closing quote"),
]


@pytest.mark.parametrize(("what", "text", "row", "field", "reason"), BAD_CSV, ids=[b[0] for b in BAD_CSV])
def test_a_broken_csv_names_file_row_and_field(tmp_path: Path, what: str, text: str, row: str,
                                                field: str | None, reason: str) -> None:
    from lessonkit.model.data import load_dataset
    from lessonkit.model.schema import DataError

    with pytest.raises(DataError) as info:
        load_dataset(data_with_sources(tmp_path, text))
    message = str(info.value)
    assert "sources.csv" in message and row in message and reason in message, message
    if field:
        assert f"field '{field}'" in message, message


def test_check_fails_on_an_unclosed_quote_instead_of_passing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit.cli import main

    monkeypatch.setenv("LESSONKIT_DATA", str(data_with_sources(tmp_path, BAD_CSV[0][1])))
    assert main(["check"]) == 1
    assert "never closed" in capsys.readouterr().out


def test_a_spreadsheets_utf8_bom_is_accepted(tmp_path: Path) -> None:
    from lessonkit.model.data import load_dataset

    root = data_with_sources(tmp_path, "", raw=b"\xef\xbb\xbf" + (SOURCES_HEAD + SOURCE_OK).encode("utf-8"))
    assert list(load_dataset(root).sources) == ["src_a"]


# ---------------------------------------------------------------- 6. a date Russia never had


@pytest.mark.parametrize("day", ["1918-02-01", "1918-02-13"])
def test_a_date_in_the_calendar_gap_is_rejected_on_load(tmp_path: Path, day: str) -> None:
    from lessonkit.model.data import load_dataset
    from lessonkit.model.schema import DataError

    root = data_with_sources(tmp_path, SOURCES_HEAD + SOURCE_OK)
    (root / "events.csv").write_text(
        "id,date,time,title,description,place,lessons,sources,confidence,note\n"
        f"e1,{day},,Title,Something.,,09,src_a,high,\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        load_dataset(root)
    assert "events.csv, row 2, field 'date'" in str(info.value) and "never had" in str(info.value)


# ---------------------------------------------------------------- 7. a lesson file's tables given as text


@pytest.mark.parametrize("key", ["teacher", "source_card", "lesson"])
def test_a_table_given_as_text_is_a_data_error(key: str) -> None:
    import tomllib

    from lessonkit.model.content import parse_lesson
    from lessonkit.model.schema import DataError

    path = lesson_content("07").path
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    raw[key] = "x"
    with pytest.raises(DataError) as info:
        parse_lesson(path, raw)
    assert path.name in str(info.value)


# ---------------------------------------------------------------- 11, 12, 13. the command line


def test_guide_and_handouts_do_not_replace_files_they_did_not_write(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from lessonkit.cli import main

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>the school's own page</p>", encoding="utf-8")
    assert main(["handouts", "--out", str(site)]) == 2
    assert (site / "index.html").read_text(encoding="utf-8") == "<p>the school's own page</p>"
    assert "not written by lessonkit" in capsys.readouterr().err
    assert main(["handouts", "--out", str(site), "--force"]) == 0
    assert main(["handouts", "--out", str(site)]) == 0  # its own pages are written again without asking
    (tmp_path / "g").mkdir()
    (tmp_path / "g" / "teacher_guide.html").write_text("mine", encoding="utf-8")
    assert main(["guide", "--out", str(tmp_path / "g")]) == 2


def _export(path: Path, student: str) -> Path:
    doc = {"format": "lessonkit-portfolio/1", "student": student,
           "records": [{"lesson": "07", "kind": "prompt", "id": "why_arm", "text": f"by {path.name}",
                        "saved_at": "2026-01-01T10:00:00+00:00"}]}
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_students_with_the_same_name_stay_apart_and_the_csv_names_each_file(tmp_path: Path) -> None:
    import csv

    from lessonkit.cli import main

    files = [_export(tmp_path / "a.json", "Sam"), _export(tmp_path / "b.json", "Sam"),
             _export(tmp_path / "c.json", "Sam (b.json)")]
    assert main(["collect", *map(str, files), "--out", str(tmp_path / "out")]) == 0
    rows = list(csv.DictReader((tmp_path / "out" / "class_report.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert sorted((r["student"], Path(r["file"]).name) for r in rows) == [
        ("Sam", "a.json"), ("Sam", "b.json"), ("Sam (b.json)", "c.json")]
    page = (tmp_path / "out" / "class_report.html").read_text(encoding="utf-8")
    assert page.count(f"Sam ({files[0].as_posix()})") >= 1 and page.count(f"Sam ({files[1].as_posix()})") >= 1


def test_exit_codes_keep_a_crash_apart_from_problems(monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from lessonkit import cli

    def boom(_args: object) -> int:
        raise KeyError("a bug")

    monkeypatch.setattr(cli, "cmd_list", boom)
    assert cli.main(["list"]) == 3
    err = capsys.readouterr().err
    assert "unexpected error" in err and "Traceback" not in err


def test_check_counts_an_unreadable_lesson_file_as_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from lessonkit.cli import main
    from lessonkit.model import content

    data = tmp_path / "data"
    shutil.copytree(Path(__file__).resolve().parents[1] / "data", data)
    monkeypatch.setenv("LESSONKIT_DATA", str(data))
    real = Path.read_text

    def read_text(self: Path, *args: object, **kwargs: object) -> str:
        if self.name.startswith("07_") and self.suffix == ".toml":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    content._load_cached.cache_clear()
    assert main(["check"]) == 1
    assert "could not be read (Permission denied)" in capsys.readouterr().out


def test_portfolio_that_could_read_nothing_exits_2(unreadable: Path, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from lessonkit.cli import main

    assert main(["portfolio", "--answers", str(unreadable), "--out", str(tmp_path / "out")]) == 2
    assert "could not be read" in capsys.readouterr().err


# ---------------------------------------------------------------- 5. formulas in the class report


def test_formulas_are_neutralised_wherever_a_separator_could_start_a_cell() -> None:
    from lessonkit.teacher.classreport import _csv_safe

    assert _csv_safe("=1+1") == "'=1+1"
    assert _csv_safe("ok;=HYPERLINK(\"http://x\")") == "ok;'=HYPERLINK(\"http://x\")"
    assert _csv_safe("line\n=2+2") == "line\n'=2+2"
    assert _csv_safe("a, -3") == "a, '-3"
    assert _csv_safe("plain text - with a dash") == "plain text - with a dash"


HOSTILE_ANSWERS = ["=1+1", "ok;=HYPERLINK(\"http://evil\";\"x\")", "line one\n=2+2", "tab\t@SUM(A1)", "a,+3",
                   "semi; -4+4"]


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice (soffice) is not installed")
@pytest.mark.parametrize("separator", [",", ";"])
def test_a_real_spreadsheet_runs_no_formula_from_the_class_report(tmp_path: Path, separator: str) -> None:
    import subprocess
    import zipfile

    from lessonkit.cli import main

    doc = {"format": "lessonkit-portfolio/1", "student": "=cmd|' /C calc'!A0",
           "records": [{"lesson": "07", "kind": "prompt", "id": f"p{i}", "text": t,
                        "saved_at": "2026-01-01T10:00:00+00:00"} for i, t in enumerate(HOSTILE_ANSWERS)]}
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    assert main(["collect", str(tmp_path / "x.json"), "--out", str(tmp_path / "out")]) == 0
    options = f"CSV:{ord(separator)},34,76,1,,1033,false,false,false,false,false,-1,true"  # evaluate formulas: on
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(["soffice", "--headless", f"--infilter={options}", "--convert-to", "xlsx", "--outdir",
                    str(tmp_path), str(tmp_path / "out" / "class_report.csv")], check=True, timeout=180, env=env,
                   capture_output=True)
    with zipfile.ZipFile(tmp_path / "class_report.xlsx") as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
        strings = book.read("xl/sharedStrings.xml").decode("utf-8")
    assert "<f" not in sheet  # no cell holds a formula
    assert "HYPERLINK" in strings  # and the answer is there, as text


def test_one_hostile_export_does_not_stop_the_class_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lessonkit.cli import main

    good = _export(tmp_path / "good.json", "Ana")
    deep = tmp_path / "deep.json"
    deep.write_text('{"student": "x", "records": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    old = tmp_path / "old.json"
    doc = json.loads(good.read_text(encoding="utf-8"))
    doc["student"], doc["records"][0]["saved_at"] = "Ben", "0001-01-01T00:00:00+01:00"
    old.write_text(json.dumps(doc), encoding="utf-8")
    assert main(["collect", str(good), str(deep), str(old), "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "deep.json: not a lessonkit portfolio export" in err
    page = (tmp_path / "out" / "class_report.html").read_text(encoding="utf-8")
    assert "Ana" in page and "Ben" in page and "0001-01-01T00:00:00+01:00" in page
