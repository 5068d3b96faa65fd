"""The claim-and-evidence builder (lesson 10): evidence comes from data and the journal; clicks build the argument."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lessonkit.explorers.evidence import (
    ANSWER_GROUP,
    ClaimBuilder,
    Evidence,
    evidence_from_answers,
    evidence_from_data,
    evidence_pool,
)
from lessonkit.model import journal
from lessonkit.model.data import dataset

DEBATE = ("10", "inevitable", "Nothing in history is inevitable.")
POOL = [
    Evidence(
        "fact:a", "fact", "07", "Red Guard in Petrograd: 20,000 members", "Trotsky (1930–32)", "high", "Oct 1917",
        ("trotsky_history",),
    ),
    Evidence(
        "fact:b", "fact", "07", "Red Guard in all Russia: 100,000 members", "The Spark 1977", "unverified", "",
        ("spark1977",),
    ),
    Evidence(
        "event:c", "event", "09", "Decree on Land", "Wikipedia: Decree on Land", "medium", "26 Oct [8 Nov] 1917",
        ("wiki_decree_land",),
    ),
    Evidence("answer:06/prompt/p1", "answer", "06", "The workers were isolated.", "My answer", "own"),
]


def test_evidence_from_data_covers_earlier_lessons_only() -> None:
    ds = dataset()
    pool = evidence_from_data(ds, before="10")
    assert pool, "earlier lessons should give evidence"
    assert all(e.lesson < "10" for e in pool)
    ids = {e.id for e in pool}
    assert "fact:rg_petrograd_trotsky" in ids and "event:land_decree" in ids
    assert "fact:cw_dead_wiki" not in ids  # lesson 10's own data is not evidence from earlier lessons
    trotsky = next(e for e in pool if e.id == "fact:rg_petrograd_trotsky")
    assert trotsky.lesson == "07" and trotsky.confidence == "high" and "20,000" in trotsky.text
    assert trotsky.source == ds.source("trotsky_history").short and trotsky.source_ids == ("trotsky_history",)
    assert not trotsky.article_only
    land = next(e for e in pool if e.id == "event:land_decree")
    assert land.date == "26 Oct [8 Nov] 1917"
    assert [e.lesson for e in pool] == sorted(e.lesson for e in pool)


def test_evidence_from_data_can_pick_lessons() -> None:
    pool = evidence_from_data(dataset(), lessons=["09"])
    assert pool and {e.lesson for e in pool} == {"09"}


def test_answers_become_evidence_and_empty_ones_are_skipped() -> None:
    records = [
        {"lesson": "06", "kind": "prompt", "id": "p1", "text": "They were isolated.", "question": "Why?"},
        {"lesson": "06", "kind": "prompt", "id": "p2", "text": "   "},
        {"lesson": "07", "kind": "claim", "id": "petrograd_strength", "verdict": "Corroborated"},
        {"lesson": "07", "kind": "quiz", "id": "q1", "choice": "x"},
        {"lesson": "10", "kind": "prompt", "id": "p3", "text": "Own lesson"},
    ]
    pool = evidence_from_answers(records, exclude_lesson="10")
    assert [e.id for e in pool] == ["answer:06/prompt/p1", "answer:07/claim/petrograd_strength"]
    assert "They were isolated." in pool[0].text and "Why?" in pool[0].text
    assert "Corroborated" in pool[1].text and all(e.confidence == "own" for e in pool)


def test_pool_reads_the_journal(answers: Path) -> None:
    journal.save("05", "prompt", "april", {"text": "Lenin changed the party.", "question": "Q"}, answers)
    pool, problems = evidence_pool("10", root=answers)
    assert problems == []
    assert any(e.id == "answer:05/prompt/april" for e in pool)
    builder = ClaimBuilder(*DEBATE, root=answers)
    assert ("My own saved answers", ANSWER_GROUP) in builder.group.options


def test_group_filter_add_remove_and_matrix(answers: Path) -> None:
    builder = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    assert builder.group.value == "all" and builder.group.options[0] == ("All lessons", "all")
    assert len(builder.choices.options) == len(POOL)
    builder.group.value = "07"
    assert [v for _, v in builder.choices.options] == ["fact:a", "fact:b"]
    builder.group.value = ANSWER_GROUP
    assert [v for _, v in builder.choices.options] == ["answer:06/prompt/p1"]

    builder.claim.value = "The revolution's fate was decided abroad."
    builder.choices.value = ("answer:06/prompt/p1",)
    builder.support_button.click()
    builder.group.value = "07"
    builder.choices.value = ("fact:a", "fact:b")
    builder.contradict_button.click()
    assert builder.weigh()["supports"]["own"] == 1
    assert builder.weigh()["contradicts"]["high"] == 1 and builder.weigh()["contradicts"]["unverified"] == 1
    assert "Corroboration matrix" in builder.matrix.value and builder.matrix.value.count("✔") == 3
    assert "None of your supporting evidence is well corroborated" in builder.matrix.value
    assert "come from the article itself" in builder.matrix.value

    builder.choices.value = ("fact:b",)
    builder.support_button.click()  # re-adding moves it to the other side
    assert builder.stances["fact:b"] == "supports"
    builder.remove_button.click()
    assert "fact:b" not in builder.stances

    saved = json.loads((answers / "10" / "argument-inevitable.json").read_text(encoding="utf-8"))
    assert saved["claim"] == "The revolution's fate was decided abroad."
    assert saved["supports"] == ["answer:06/prompt/p1"] and saved["contradicts"] == ["fact:a"]
    assert "# My argument" in saved["text"]


def test_adding_nothing_asks_for_a_selection(answers: Path) -> None:
    builder = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    builder.support_button.click()
    assert "Select one or more" in builder.status.value and builder.stances == {}
    with pytest.raises(ValueError):
        builder.add(["fact:a"], "maybe")
    with pytest.raises(KeyError):
        builder.add(["fact:zzz"], "supports")


def test_reopened_builder_restores_the_argument(answers: Path) -> None:
    first = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    first.claim.value = "Isolation decided it."
    first.add(["fact:a"], "supports")
    first.add(["event:c"], "contradicts")
    again = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    assert again.claim.value == "Isolation decided it."
    assert again.stances == {"fact:a": "supports", "event:c": "contradicts"}
    assert "saved argument is back" in again.status.value
    smaller = ClaimBuilder(*DEBATE, pool=POOL[:1], root=answers)
    assert "no longer available" in smaller.status.value


def test_export_markdown_and_html(answers: Path) -> None:
    builder = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    builder.claim.value = "Nothing was inevitable."
    builder.add(["fact:a"], "supports")
    builder.add(["event:c"], "contradicts")
    builder.export_button.click()
    markdown, page = builder.export()
    assert "## My claim" in markdown and "Nothing was inevitable." in markdown
    assert "Red Guard in Petrograd: 20,000 members (Oct 1917). Source: Trotsky (1930–32)" in markdown
    assert "Decree on Land" in markdown.split("contradicts my claim")[1]
    assert page.startswith("<!DOCTYPE html>") and "Corroboration matrix" in page and "<table" in page
    assert 'download="my_argument_lesson10.md"' in builder.links.value
    assert 'download="my_argument_lesson10.html"' in builder.links.value
    assert "data:text/markdown;charset=utf-8;base64," in builder.links.value


def test_export_survives_text_utf8_cannot_hold(answers: Path) -> None:
    """A lone surrogate (a broken emoji pasted into the box) becomes '?' instead of breaking the export."""
    builder = ClaimBuilder(*DEBATE, pool=POOL, root=answers)
    builder.claim.value = "Broken \ud83d emoji"
    markdown, page = builder.export()
    assert "Broken ? emoji" in markdown and "Broken ? emoji" in page
    assert 'download="my_argument_lesson10.html"' in builder.links.value
