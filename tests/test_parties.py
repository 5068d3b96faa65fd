"""Party comparison: the tables and bars carry the facts they were given; the widget follows its buttons."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from lessonkit.explorers.parties import (
    EMPTY,
    PARTIES,
    TOPICS,
    PartyComparison,
    positions,
    positions_figure,
    quantity_id,
    strength_figure,
)
from lessonkit.model.data import Dataset, Fact, Source, dataset
from lessonkit.render.alt import TextAlternative

S1 = Source("s1", "Source One", "A. Author", "A Book", "2000", "secondary", "", "")


def fact(id: str, quantity: str, label: str, date: str | None = None, value: int | None = None) -> Fact:
    return Fact(
        id=id,
        quantity=quantity,
        label=label,
        value=None if value is None else Fraction(value),
        low=None,
        high=None,
        unit="statement" if value is None else "members",
        date=date,
        place=None,
        source="s1",
        confidence="medium",
        lessons=("05",),
        note="",
        cited=S1,
    )


@pytest.fixture
def small() -> Dataset:
    sources = {"s1": S1}
    facts = [
        fact("b2", "party_power_bolsheviks", "All power to the soviets", "1917-04-04"),
        fact("b1", "party_power_bolsheviks", "Support the government insofar as", "1917-03"),
        fact("m1", "party_power_mensheviks", "Support from a distance", "1917-03"),
        fact("w1", "party_war_srs", "Split over the war", "1917"),
    ]
    for n, party in enumerate(PARTIES, start=1):
        facts.append(fact(f"mem_{party}", f"party_members_spring_{party}", f"{party} members", "1917-04", 1000 * n))
        facts.append(fact(f"del_{party}", f"congress_delegates_{party}", f"{party} delegates", "1917-06-03", 10 * n))
    return Dataset(root=Path("."), sources=sources, facts={f.id: f for f in facts}, events={}, places={})


def test_quantity_ids() -> None:
    assert quantity_id("land", "srs") == "party_land_srs"
    with pytest.raises(KeyError, match="unknown party 'kadets'"):
        quantity_id("land", "kadets")
    with pytest.raises(KeyError, match="unknown topic"):
        quantity_id("weather", "srs")


def test_positions_in_date_order(small: Dataset) -> None:
    found = positions("power", small)
    assert [f.id for f in found["bolsheviks"]] == ["b1", "b2"]
    assert [f.id for f in found["mensheviks"]] == ["m1"] and found["srs"] == ()


def test_positions_figure_carries_each_party_row(small: Dataset) -> None:
    fig = positions_figure("power", small)
    table = fig.data[0]
    assert len(fig.data) == 1 and table.type == "table"
    names, cells = table.cells.values
    assert [n.replace("<b>", "").replace("</b>", "") for n in names] == list(PARTIES.values())
    assert cells[0].index("insofar as") < cells[0].index("All power")
    assert "Mar 1917 (Old Style)" in cells[0] and "4 Apr [17 Apr] 1917" in cells[0]
    assert EMPTY in cells[2]
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == 1 and alt.figure_id == "parties_power"
    assert [row[2] for row in alt.rows] == [
        "Support the government insofar as",
        "All power to the soviets",
        "Support from a distance",
        EMPTY,
    ]
    assert fig.layout.title.text == TOPICS["power"]


def test_strength_figure_two_panels(small: Dataset) -> None:
    fig = strength_figure(small)
    assert len(fig.data) == 2
    assert list(fig.data[0].y) == [1000, 2000, 3000] and list(fig.data[1].y) == [10, 20, 30]
    assert list(fig.data[0].text) == ["1,000", "2,000", "3,000"]
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data) == 2
    assert len(alt.rows) == 6 and alt.rows[0][:2] == ("Members", "Bolsheviks")
    assert "Bolsheviks 1,000" in alt.summary and "Socialist Revolutionaries (SRs) 30" in alt.summary


def test_strength_needs_every_party(small: Dataset) -> None:
    facts = {k: v for k, v in small.facts.items() if k != "del_srs"}
    ds = Dataset(root=small.root, sources=small.sources, facts=facts, events={}, places={})
    with pytest.raises(KeyError, match="congress_delegates_srs"):
        strength_figure(ds)


def test_real_data_has_every_cell() -> None:
    ds = dataset()
    for topic in TOPICS:
        found = positions(topic, ds)
        assert all(found[party] for party in PARTIES), topic
    fig = strength_figure(ds)
    assert list(fig.data[1].y) == [105, 248, 285]


def test_widget_follows_its_buttons() -> None:
    widget = PartyComparison()
    assert widget.key == "war" and "The war" in widget.caption.value
    widget.choice.value = "land"
    assert widget.key == "land"
    assert "nationalise all the land" in widget.figure.data[0].cells.values[1][0].replace("<br>", " ")
    assert 'data-lk-figure="parties_land"' in widget.alt.value
    assert widget.figure.layout.title.text == TOPICS["land"]
    shown = widget.view.outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert shown["layout"]["title"]["text"] == TOPICS["land"] and "lk-figure-widget" in widget.view._dom_classes
    alt = widget.show("power")
    assert alt.figure_id == "parties_power"
    assert "insofar as" in widget.figure.data[0].cells.values[1][0].replace("<br>", " ")
    assert widget.figure.layout.meta["lessonkit"]["id"] == "parties_power"
