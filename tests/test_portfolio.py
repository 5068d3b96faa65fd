"""The portfolio ("Download my work"): printable, self-contained, escaped; JSON that collect reads back."""

from __future__ import annotations

import base64
import html
import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from lessonkit.model import journal
from lessonkit.model.content import all_lessons, lesson_content
from lessonkit.teacher.portfolio import export_names, parse_export, portfolio_html, portfolio_json
from lessonkit.widgets.download import DownloadWork, download_button

HOSTILE = [
    "<script>alert('pwned')</script>",
    "<img src=x onerror=alert(1)> & <a href='http://evil.example'>link</a>",
    "Вся власть Советам!\nХлеба, мира, земли.",
    "كل السلطة للسوفييتات",
    "全部政权归苏维埃 ✊🏽🚩",
    "</div></article><h1>fake heading</h1>",
]


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "answers"
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(folder))
    return folder


def _fill(root: Path) -> list[dict]:
    lesson = lesson_content("07")
    journal.save("07", "prompt", lesson.prompts[0].id, {"text": "First line\nSecond line\n\nFourth line"}, root)
    journal.save("07", "prompt", lesson.prompts[1].id, {"text": HOSTILE[0] + "\n" + HOSTILE[1]}, root)
    q = lesson.quiz[0]
    wrong = next(o for o in q.options if not o.correct)
    journal.save(
        "07", "quiz", q.id, {"question": q.question, "choice": wrong.text, "correct": False, "attempts": 3}, root
    )
    q2 = lesson.quiz[1]
    journal.save(
        "07", "quiz", q2.id, {"question": q2.question, "choice": q2.answer.text, "correct": True, "attempts": 1}, root
    )
    journal.save("07", "claim", lesson.claim_checks[0].id, {"verdict": "Partly corroborated"}, root)
    for i, text in enumerate(HOSTILE[2:]):
        journal.save(
            "99", "prompt", f"extra{i}", {"text": text, "question": "<b>Question</b> from an unknown lesson"}, root
        )
    records, problems = journal.load_all(root)
    assert problems == []
    return records


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def _no_external_resources(page: str) -> None:
    """No scripts, no event handlers, nothing loaded from anywhere: only in-page links."""
    parser = _Tags()
    parser.feed(page)
    names = {tag for tag, _ in parser.tags}
    assert not names & {"script", "link", "img", "iframe", "object", "embed", "video", "audio", "source", "base"}
    for tag, attrs in parser.tags:
        for key, value in attrs:
            assert not key.startswith("on"), (tag, key)
            assert key not in ("src", "srcset", "action", "formaction"), (tag, key)
            if key == "href":
                assert (value or "").startswith("#"), (tag, value)
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 1 and "url(" not in styles[0] and "@import" not in styles[0]


def test_portfolio_groups_answers_by_lesson_with_questions_results_and_date(root: Path) -> None:
    records = _fill(root)
    lesson = lesson_content("07")
    page = portfolio_html(records, all_lessons(), student="Anna K.")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "Lesson 07 · The Red Guard" in page and "Lesson 99" in page
    assert page.index("Lesson 07 · The Red Guard") < page.index("Lesson 99")
    assert "Anna K." in page and "Generated:" in page
    for prompt in lesson.prompts:
        assert html.escape(prompt.text) in page  # answered and unanswered prompts both listed
    assert "No answer saved yet." in page
    assert "First line\nSecond line\n\nFourth line" in page  # line breaks kept (pre-wrap)
    assert "white-space: pre-wrap" in page
    assert html.escape(lesson.quiz[0].question) in page and "Not correct" in page and "Correct" in page
    assert ">3</td>" in page  # attempts
    assert f"1 of {len(lesson.quiz)} questions correct at my last check (2 tried)" in page
    assert html.escape(lesson.claim_checks[0].claim) in page and "Partly corroborated" in page
    assert "@media print" in page
    _no_external_resources(page)


def test_hostile_answers_are_shown_as_text(root: Path) -> None:
    records = _fill(root)
    page = portfolio_html(records, all_lessons(), student="<script>alert(1)</script>")
    _no_external_resources(page)
    for text in HOSTILE:
        assert html.escape(text.replace("\r\n", "\n")) in page
    assert "<h1>fake heading</h1>" not in page and page.count("<h1>") == 1
    assert "&lt;b&gt;Question&lt;/b&gt; from an unknown lesson" in page


def test_one_megabyte_answer_and_lone_surrogates_make_a_valid_page(root: Path) -> None:
    journal.save("07", "prompt", "big", {"text": "я" * 1_000_000}, root)
    journal.save("07", "prompt", "odd", {"text": "broken \ud800 pair"}, root)
    records, _ = journal.load_all(root)
    page = portfolio_html(records, all_lessons())
    page.encode("utf-8")
    assert "я" * 1_000_000 in page and "broken ? pair" in page
    doc = portfolio_json(records)
    doc.encode("utf-8")
    _, back, _ = parse_export(doc)
    assert {r["id"]: r["text"] for r in back} == {"big": "я" * 1_000_000, "odd": "broken \ud800 pair"}


def test_portfolio_json_round_trips_every_record(root: Path) -> None:
    records = _fill(root)
    doc = portfolio_json(records, student="Анна", problems=["07/x.json: could not be read"])
    data = json.loads(doc)
    assert data["format"] == "lessonkit-portfolio/1" and data["student"] == "Анна" and data["generated_at"]
    assert data["problems"] == ["07/x.json: could not be read"]
    student, back, warnings = parse_export(doc)
    assert student == "Анна" and warnings == []
    key = lambda r: (r["lesson"], r["kind"], r["id"])  # noqa: E731
    assert sorted(back, key=key) == sorted(records, key=key)


def test_problems_and_an_empty_journal_are_shown(root: Path) -> None:
    page = portfolio_html([], all_lessons(), problems=["07/prompt-p1.json: could not be read (<bad>)"])
    assert "No saved answers were found yet" in page and "could not be read (&lt;bad&gt;)" in page


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("not json at all", "not valid JSON"),
        ('{"student": "x"}', "no 'records' list"),
        ('{"records": {"a": 1}}', "not a list"),
        ('"a string"', "a JSON str"),
        ('{"format": "something-else/1", "records": []}', "format"),
        ('{"records": [1, 2, "three"]}', "none of its records"),
    ],
)
def test_parse_export_rejects_what_is_not_an_export(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_export(text)


def test_parse_export_skips_bad_records_and_keeps_the_rest() -> None:
    good = {"lesson": "07", "kind": "prompt", "id": "p1", "text": "kept"}
    student, records, warnings = parse_export(json.dumps({"student": "Ali", "records": [good, {"x": 1}, "str"]}))
    assert student == "Ali" and records == [good]
    assert len(warnings) == 2 and warnings[0].startswith("record 2 skipped")


# ---------------------------------------------------------------- the download button


def _links(widget: DownloadWork) -> dict[str, tuple[str, str]]:
    """{download name: (mime, decoded text)} from the widget's HTML."""
    found = re.findall(
        r'<a download="([^"]+)" href="data:([^;]+);charset=utf-8;base64,([A-Za-z0-9+/=]+)"', widget.output.value
    )
    return {name: (mime, base64.b64decode(data).decode("utf-8")) for name, mime, data in found}


def test_download_button_click_builds_links_and_writes_files(root: Path) -> None:
    _fill(root)
    widget = download_button()
    assert "lk-download" in widget._dom_classes
    assert widget.button.description == "Download my work"
    widget.name.value = "Анна"
    widget.button.click()
    links = _links(widget)
    assert set(links) == {"my_work_1917.html", "my_work_1917.json"}
    mime_html, page = links["my_work_1917.html"]
    mime_json, doc = links["my_work_1917.json"]
    assert mime_html == "text/html" and mime_json == "application/json"
    assert "Lesson 07 · The Red Guard" in page and "Анна" in page
    assert json.loads(doc)["student"] == "Анна"
    # The same files are in the answers folder, and the widget says where.
    assert (root / "my_work_1917.html").read_text(encoding="utf-8") == page
    assert (root / "my_work_1917.json").read_text(encoding="utf-8") == doc
    assert "my_work_1917.html" in widget.output.value and "Binder" in widget.output.value
    assert journal.student_name(root) == "Анна"
    assert download_button().name.value == "Анна"  # remembered for the next lesson
    # The exports are not journal records: load_all does not pick them up.
    assert all(r["lesson"] in ("07", "99") for r in journal.load_all(root)[0])


def test_download_for_one_lesson_holds_only_that_lesson(root: Path) -> None:
    _fill(root)
    widget = download_button("07", root=root)
    widget.button.click()
    links = _links(widget)
    assert set(links) == set(export_names("07")) == {"my_work_1917_lesson07.html", "my_work_1917_lesson07.json"}
    _, records, _ = parse_export(links["my_work_1917_lesson07.json"][1])
    assert records and {r["lesson"] for r in records} == {"07"}


def test_download_with_nothing_saved_says_so(root: Path) -> None:
    widget = download_button()
    widget.button.click()
    assert "No saved answers yet" in widget.output.value and set(_links(widget)) == set(export_names())


def test_download_still_offers_links_when_the_folder_is_read_only(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    widget = download_button(root=blocker)
    widget.button.click()
    assert "could not be written" in widget.output.value and len(_links(widget)) == 2


@pytest.mark.browser
def test_download_link_saves_the_file_in_chromium(root: Path, tmp_path: Path) -> None:
    """The data: link really downloads in a browser, even with a 1 MB answer, and the page loads nothing."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("no Chromium at /usr/bin/chromium")
    pytest.importorskip("playwright.sync_api")
    journal.save("07", "prompt", "big", {"text": "Вся власть " * 100_000}, root)
    widget = download_button()
    widget.button.click()
    test_page = tmp_path / "links.html"
    test_page.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{widget.output.value}</body>", encoding="utf-8")
    # Run Chromium in a child process: this pytest worker may already hold the browser tests' session-wide
    # Playwright (whose event loop forbids a second sync_playwright in the same process).
    script = tmp_path / "download_check.py"
    script.write_text(DOWNLOAD_CHECK, encoding="utf-8")
    spec = {
        "chromium": str(chromium),
        "page": test_page.as_uri(),
        "names": list(export_names()),
        "root": str(root),
        "tmp": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, str(script), json.dumps(spec)], capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stdout + result.stderr


DOWNLOAD_CHECK = """
import json, sys
from pathlib import Path
from playwright.sync_api import sync_playwright

spec = json.loads(sys.argv[1])
root, tmp = Path(spec["root"]), Path(spec["tmp"])
args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=spec["chromium"], args=args)
    try:
        page = browser.new_page(accept_downloads=True)
        for name in spec["names"]:
            page.goto(spec["page"])
            with page.expect_download(timeout=30_000) as info:
                page.click(f'a[download="{name}"]')
            target = tmp / f"got-{name}"
            info.value.save_as(target)
            assert info.value.suggested_filename == name, info.value.suggested_filename
            assert target.read_bytes() == (root / name).read_bytes(), name
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto((root / "my_work_1917.html").as_uri())
        assert "Вся власть" in page.inner_text("body")
        assert [u for u in requests if not u.startswith("file:")] == [], requests
    finally:
        browser.close()
"""


def test_other_activities_such_as_matching_are_shown_readably(root: Path) -> None:
    journal.save(
        "09",
        "matching",
        "land",
        {"measure": "Decree on Land", "choice": "Peasants <wanted> land", "correct": True, "attempts": 2},
        root,
    )
    journal.save("09", "reflection", "r1", {"text": "A free <i>text</i> answer", "question": "What changed?"}, root)
    journal.save("09", "mystery", "m1", {"data": [1, "<two>"]}, root)
    records, _ = journal.load_all(root)
    page = portfolio_html(records, all_lessons())
    _no_external_resources(page)
    assert "Other activities" in page and "Decree on Land" in page and "Peasants &lt;wanted&gt; land" in page
    assert '<span class="yes">Correct</span>' in page and "What changed?" in page
    assert "A free &lt;i&gt;text&lt;/i&gt; answer" in page and "&lt;two&gt;" in page
