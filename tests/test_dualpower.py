"""Dual power comparison: the table carries the facts it was given, and the widget follows its buttons."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.explorers.dualpower import (
    BODIES,
    EMPTY,
    ISSUES,
    KINDS,
    DualPowerExplorer,
    dual_power_figure,
    issue_facts,
    quantity_id,
)
from lessonkit.model.data import Dataset, Fact, Source, dataset
from lessonkit.render.alt import TextAlternative

SOURCES = {
    "s1": Source("s1", "Source One", "A. Author", "A Book", "2000", "secondary", "", ""),
    "spark1977": Source(
        "spark1977", "The Spark 1977", "The Spark", "The Russian Revolution", "1977", "article", "", ""
    ),
}


def fact(id: str, quantity: str, label: str, date: str | None = None, source: str = "s1") -> Fact:
    return Fact(
        id=id,
        quantity=quantity,
        label=label,
        value=None,
        low=None,
        high=None,
        unit="statement",
        date=date,
        place=None,
        source=source,
        confidence="high",
        lessons=("04",),
        note="",
        cited=SOURCES[source],
    )


@pytest.fixture
def small() -> Dataset:
    """A tiny dataset: two government facts on peace (out of date order), one soviet fact, one article claim."""
    sources = SOURCES
    facts = [
        fact("g2", "dual_peace_government_did", "Sent a note promising victory", "1917-04-18"),
        fact("g1", "dual_peace_government_did", "Declared a defensive war", "1917-03-27"),
        fact("s", "dual_peace_soviet_said", "Appealed to the peoples for peace", "1917-03-14"),
        fact("a", "dual_peace_article", "The government kept the war going", source="spark1977"),
        fact("x", "dual_land_government_said", "Land must wait", "1917"),
    ]
    return Dataset(root=Path("."), sources=sources, facts={f.id: f for f in facts}, events={}, places={})


def test_quantity_ids_and_unknown_values() -> None:
    assert quantity_id("peace", "soviet", "said") == "dual_peace_soviet_said"
    with pytest.raises(KeyError, match="unknown value 'bread2'"):
        quantity_id("bread2", "soviet", "said")
    with pytest.raises(KeyError, match="unknown issue"):
        issue_facts("weather")


def test_issue_facts_sorts_cells_by_date(small: Dataset) -> None:
    found = issue_facts("peace", small)
    assert [f.id for f in found.cell("did", "government")] == ["g1", "g2"]
    assert [f.id for f in found.cell("said", "soviet")] == ["s"]
    assert found.cell("said", "government") == () and found.cell("did", "soviet") == ()
    assert [f.id for f in found.article] == ["a"]
    assert "x" not in [f.id for f in found.facts]


def test_figure_carries_every_fact_and_marks_empty_cells(small: Dataset) -> None:
    fig = dual_power_figure("peace", small)
    assert len(fig.data) == 1 and fig.data[0].type == "table"
    government, soviet = fig.data[0].cells.values[1], fig.data[0].cells.values[2]
    said, did = 0, 1
    assert "Declared a defensive war" in government[did] and "Sent a note promising victory" in government[did]
    assert government[did].index("Declared") < government[did].index("Sent a note")  # date order
    assert "27 Mar [9 Apr] 1917" in government[did]
    assert EMPTY in government[said] and EMPTY in soviet[did]
    assert "Appealed to the peoples" in soviet[said] and "Source One" in soviet[said]
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data) == 1
    assert alt.figure_id == "dual_power_peace"
    whats = [row[3] for row in alt.rows]
    for label in ("Declared a defensive war", "Sent a note promising victory", "Appealed to the peoples for peace"):
        assert label in whats
    assert whats.count(EMPTY) == 2
    assert "The article says: The government kept the war going" in alt.summary
    assert "2 of 4 cells" in alt.summary


def test_every_real_issue_has_sourced_cells() -> None:
    ds = dataset()
    for issue in ISSUES:
        found = issue_facts(issue, ds)
        assert found.article, f"no article claim for {issue}"
        assert any(found.cells.values()), f"no facts for {issue}"
        for facts in found.cells.values():
            assert all(ds.source(f.source) for f in facts)
    assert set(BODIES) == {"government", "soviet"} and set(KINDS) == {"said", "did"}


def test_widget_follows_its_buttons() -> None:
    widget = DualPowerExplorer()
    assert widget.key == "peace" and "Milyukov" in widget.figure.data[0].cells.values[1][1]
    widget.choice.value = "land"
    assert widget.key == "land"
    table = widget.figure.data[0]
    assert "Land reform must wait for the Constituent Assembly" in table.cells.values[1][0].replace("<br>", " ")
    assert "land" in widget.figure.layout.title.text.lower()
    shown = widget.view.outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert shown["data"][0]["cells"]["values"] == [list(v) for v in table.cells.values]
    assert 'data-lk-figure="dual_power_land"' in widget.alt.value
    assert "condemned poor peasants" in widget.caption.value
    alt = widget.show("army")
    assert alt.figure_id == "dual_power_army" and widget.choice.value == "land"  # the method works without the button
    assert "Order No. 1" in widget.figure.data[0].cells.values[2][1].replace("<br>", " ")
    assert widget.figure.layout.meta["lessonkit"]["id"] == "dual_power_army"


def test_numeric_fact_in_a_cell_shows_its_label(small: Dataset) -> None:
    numeric = fact("n", "dual_peace_soviet_did", "Voted 327 to 57", "1917-03-29")
    numeric = Fact(**{**numeric.__dict__, "value": Fraction(327), "unit": "votes"})
    ds = Dataset(root=small.root, sources=small.sources, facts={**small.facts, "n": numeric}, events={}, places={})
    assert "Voted 327 to 57" in dual_power_figure("peace", ds).data[0].cells.values[2][1]
