"""What the article leaves out, where historians disagree, and the source kinds, as students see them."""

from __future__ import annotations

import html
import tomllib
from pathlib import Path

import pytest
from test_quality import EVENT_HEAD, FACT_HEAD, PLACE_HEAD, SOURCES, make_data

from lessonkit.lesson import Lesson
from lessonkit.model.content import all_lessons, parse_lesson, schools
from lessonkit.model.data import dataset, load_dataset
from lessonkit.model.schema import KIND_WORDS
from lessonkit.render import weighing
from lessonkit.render.figures import estimates_figure

SCHOOLS_TOML = "".join(
    f'[[school]]\nid = "{sid}"\nname = "{name}"\nsummary = "In brief."\nworks = ["pipes"]\n'
    for sid, name in (("soviet", "Soviet official history"), ("liberal", "Liberal historians"),
                      ("social", "Social historians"), ("trotskyist", "Trotskyist historians"))
)

LESSON = """
[lesson]
id = "07"
slug = "demo"
title = "Demo"
article_section = "The Red Guard"
minutes = 10
compelling_question = "Was October a coup?"
objectives = ["Know"]

[[left_out]]
id = "assembly"
title = "The Constituent Assembly"
text = "Elected, then closed."
evidence = ["event:e1", "fact:vote"]
sources = ["pipes"]
question = "Why might the author leave this out?"

[[historians]]
school = "liberal"
answer = "A coup by a minority."
works = ["pipes"]

[[historians]]
school = "social"
answer = "A popular revolution in Petrograd."
works = ["doc"]
"""


@pytest.fixture
def demo(tmp_path: Path):
    facts = FACT_HEAD + "vote,ca_vote,Bolshevik share of the vote,24,,,percent,1917-11-12,,doc,high,07,\n"
    events = EVENT_HEAD + "e1,1918-01-06,,Assembly dispersed,Closed by force.,,07,doc;enc,high,\n"
    root = make_data(tmp_path, sources=SOURCES, facts=facts, events=events, places=PLACE_HEAD)
    (root / "historians.toml").write_text(SCHOOLS_TOML, encoding="utf-8")
    content = parse_lesson(Path("07_demo.toml"), tomllib.loads(LESSON))
    return content, load_dataset(root)


def test_left_out_card_shows_both_calendars_the_evidence_and_each_sources_kind(demo) -> None:
    content, ds = demo
    html = weighing.left_out(content, ds)
    assert "The Constituent Assembly" in html and "Why might the author leave this out?" in html
    assert "6 Jan [19 Jan] 1918" in html  # dates before Feb 1918 are Old Style: 6 [19] Jan
    assert "Decree (primary source)" in html and "Encyclopedia (reference work)" in html
    assert "<strong>24</strong>" in html  # the fact's figure
    assert "Richard Pipes, The Russian Revolution (1990)" in html and "(historian)" in html


def test_historians_table_names_each_school_its_answer_and_works(demo) -> None:
    content, ds = demo
    html = weighing.historians(content, ds)
    assert "How historians answer: Was October a coup?" in html
    assert html.index("Liberal historians") < html.index("Social historians")
    assert "A coup by a minority." in html and "A popular revolution in Petrograd." in html
    assert 'data-lk-school="liberal"' in html and 'data-lk-school="social"' in html


def test_source_kinds_table_counts_every_kind(demo) -> None:
    content, ds = demo
    html = weighing.source_kinds_table(ds, [content])
    for word in KIND_WORDS.values():
        assert f">{word}<" in html
    # citations: fact doc; event doc, enc; left_out pipes; readings pipes, doc; schools pipes x4
    assert "9 of the 10 citations" in html


def test_estimates_figure_labels_each_bar_with_its_sources_kind(demo) -> None:
    _, ds = demo
    fig = estimates_figure([ds.fact("vote")], "Vote", "Percent", "vote", ds=ds)
    assert fig.data[0].y[0].startswith("Decree (primary source): ")
    alt = fig.layout.meta["lessonkit"]
    assert "Kind of source" in alt["columns"] and "primary source" in alt["rows"][0]


def test_every_lessons_source_list_names_each_sources_kind() -> None:
    ds = dataset()
    for content in all_lessons():
        html = Lesson(content.id).sources().value
        assert html.count("<li>") == html.count('class="lk-kind"'), content.id
        assert all(f"[{ds.source(s).kind_word}]" in html for s in Lesson(content.id).source_ids())


def test_every_lesson_renders_its_silences_and_readings() -> None:
    known = schools()
    for content in all_lessons():
        lesson = Lesson(content.id)
        silences = lesson.left_out().value
        assert silences.count('class="lk-left-out-item"') == len(content.left_out), content.id
        readings = lesson.historians().value
        assert all(html.escape(known[r.school].name) in readings for r in content.readings), content.id
