"""Every lesson notebook follows the template, states only numbers its data holds, and is written in its own words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.checks import prose
from lessonkit.checks.structure import check_notebook
from lessonkit.model.content import all_lessons, lesson_content
from lessonkit.model.data import dataset

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "lessons").glob("*.ipynb"))
ARTICLE = prose.find_article()


def markdown_cells(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]


def test_there_are_lessons() -> None:
    assert NOTEBOOKS, "no notebooks in lessons/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_follows_template(path: Path) -> None:
    assert check_notebook(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_prose_numbers_come_from_data(path: Path) -> None:
    content = lesson_content(path.name[:2])
    allowed = prose.allowed_numbers(content, dataset())
    problems = []
    for i, text in enumerate(markdown_cells(path)):
        bad = prose.unsourced_numbers(text, allowed)
        if bad:
            problems.append(f"markdown cell {i}: {[str(b) for b in bad]} not in this lesson's data")
    for where, text in prose.lesson_texts(content):
        bad = prose.unsourced_numbers(text, allowed)
        if bad:
            problems.append(f"{content.path.name} {where}: {[str(b) for b in bad]} not in this lesson's data")
    assert problems == []


@pytest.mark.skipif(ARTICLE is None, reason="the article text (../shared/article) is not beside this checkout")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_prose_is_in_our_own_words(path: Path) -> None:
    ngrams = prose.article_ngrams(ARTICLE.read_text(encoding="utf-8"))
    content = lesson_content(path.name[:2])
    copied = [
        (f"markdown cell {i}", hit)
        for i, t in enumerate(markdown_cells(path))
        for hit in prose.copied_passages(t, ngrams)
    ]
    copied += [(where, hit) for where, t in prose.lesson_texts(content) for hit in prose.copied_passages(t, ngrams)]
    assert copied == [], "passages copied from the article (quote them with attribution, or retell them)"


def test_every_lesson_file_has_its_notebook() -> None:
    names = {p.stem for p in NOTEBOOKS}
    assert [c.name for c in all_lessons() if c.name not in names] == []


def test_numbers_checker_catches_a_typed_figure() -> None:
    allowed = prose.allowed_numbers(lesson_content("07"), dataset())
    assert prose.unsourced_numbers("The guard had 20,000 members in 1917 (lesson 08).", allowed) == []
    assert prose.unsourced_numbers("The guard had 21,500 members.", allowed) == [21500]
    assert prose.unsourced_numbers("On the 3rd day, 22 Oct [4 Nov].", allowed) == []


def test_copy_checker_catches_pasted_sentence() -> None:
    if ARTICLE is None:
        pytest.skip("article not available")
    ngrams = prose.article_ngrams(ARTICLE.read_text(encoding="utf-8"))
    pasted = "They were organized into battalions of 400 to 600 each, the article says."
    assert prose.copied_passages(pasted, ngrams)
    quoted = 'Lenin said: "We must now proceed to build a proletarian state in Russia."'
    assert prose.copied_passages(quoted, ngrams) == []
