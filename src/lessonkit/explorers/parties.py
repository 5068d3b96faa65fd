"""The three revolutionary parties of 1917 compared: positions on the war, the land and power, and their strength.

Every position is a sourced fact in ``data/facts/`` whose quantity id is
``party_<topic>_<party>`` (topic: war, land, power; party: bolsheviks, mensheviks, srs).
Party strength comes from the quantities ``party_members_spring_<party>`` and
``congress_delegates_<party>``.

:func:`positions_figure` and :func:`strength_figure` are pure builders with text alternatives;
:class:`PartyComparison` is a :class:`~lessonkit.widgets.choicetable.ChoiceTable`: a student picks a
question and the table is redrawn for it.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lessonkit.explorers.dualpower import BOTTOM, TOP
from lessonkit.model.calendar import DualDate, date_label
from lessonkit.model.data import Dataset, Fact, dataset, format_number
from lessonkit.render import theme
from lessonkit.render.core import begin, finish
from lessonkit.render.figures import CONFIDENCE_WORDS
from lessonkit.widgets.choicetable import ChoiceTable

PARTIES: dict[str, str] = {
    "bolsheviks": "Bolsheviks",
    "mensheviks": "Mensheviks",
    "srs": "Socialist Revolutionaries (SRs)",
}
TOPICS: dict[str, str] = {
    "war": "The war: fight on or stop?",
    "land": "The land: who gets it, and when?",
    "power": "Power: Provisional Government or soviets?",
}
SHORT: dict[str, str] = {"bolsheviks": "Bolsheviks", "mensheviks": "Mensheviks", "srs": "SRs"}
BUTTONS: dict[str, str] = {"war": "The war", "land": "The land", "power": "Power"}
COLOURS: dict[str, str] = {"bolsheviks": theme.PALETTE[3], "mensheviks": theme.PALETTE[2], "srs": theme.PALETTE[4]}
TINTS: dict[str, str] = {party: theme.TINTS[colour] for party, colour in COLOURS.items()}
EMPTY = "No sourced position was found."
WRAP = theme.WIDE_CELL_WRAP  # characters per line in the positions column (the table is drawn about 700 px wide)


def quantity_id(topic: str, party: str) -> str:
    """The quantity id of one party's position on one topic, e.g. ``party_war_bolsheviks``."""
    if topic not in TOPICS:
        raise KeyError(f"unknown topic {topic!r} (choose from {', '.join(TOPICS)})")
    if party not in PARTIES:
        raise KeyError(f"unknown party {party!r} (choose from {', '.join(PARTIES)})")
    return f"party_{topic}_{party}"


def _date_key(fact: Fact) -> int:
    return DualDate.parse(fact.date).sort_key if fact.date else 0


def positions(topic: str, ds: Dataset | None = None) -> dict[str, tuple[Fact, ...]]:
    """Each party's sourced positions on ``topic``, in date order."""
    ds = ds or dataset()
    wanted = {quantity_id(topic, party): party for party in PARTIES}
    found: dict[str, list[Fact]] = {party: [] for party in PARTIES}
    for fact in ds.facts.values():
        if fact.quantity in wanted:
            found[wanted[fact.quantity]].append(fact)
    return {party: tuple(sorted(facts, key=_date_key)) for party, facts in found.items()}


def _cell_html(facts: Sequence[Fact]) -> str:
    if not facts:
        return f"<i>{EMPTY}</i>"
    entries = []
    for fact in facts:
        text = "<br>".join(html.escape(line, quote=False) for line in textwrap.wrap(fact.label, WRAP))
        source = f"{fact.cited.short}; {CONFIDENCE_WORDS[fact.confidence]}"
        entries.append(
            f"<b>{html.escape(date_label(fact.date), quote=False)}</b><br>{text}"
            f"<br><i>{html.escape(source, quote=False)}</i>"
        )
    return "<br><br>".join(entries)


def positions_figure(topic: str, ds: Dataset | None = None) -> go.Figure:
    """A table: one row per party, its positions on ``topic`` in date order with their sources.

    One ``go.Table`` trace; the text alternative lists every position.
    """
    ds = ds or dataset()
    found = positions(topic, ds)
    facts = [f for party in PARTIES for f in found[party]]
    cells = [_cell_html(found[party]) for party in PARTIES]
    lines = sum(c.count("<br>") + 1 for c in cells)
    height = TOP + 34 + 19 * lines + 14 * len(cells) + 20 + BOTTOM
    title = TOPICS[topic]
    fig = begin(title, height=height)
    fig.add_trace(
        go.Table(
            columnwidth=[1, 4],
            header={
                "values": ["<b>Party</b>", "<b>What it said or did, in date order</b>"],
                "fill_color": theme.MUTED,
                "font": {"color": theme.PAPER, "size": 16},
                "align": "left",
                "height": 34,
            },
            cells={
                "values": [[f"<b>{name}</b>" for name in PARTIES.values()], cells],
                "fill_color": [[COLOURS[p] for p in PARTIES], [TINTS[p] for p in PARTIES]],
                "font": {"color": [[theme.INK] * len(PARTIES), [theme.INK] * len(PARTIES)], "size": 14},
                "align": "left",
                "height": 30,
                "line": {"color": theme.TABLE_LINE},
            },
        )
    )
    fig.update_layout(margin={"l": 10, "r": 10, "t": TOP, "b": BOTTOM})
    rows = []
    for party, name in PARTIES.items():
        if not found[party]:
            rows.append((name, "—", EMPTY, "—", "—"))
        for fact in found[party]:
            rows.append((name, date_label(fact.date), fact.label, fact.cited.short, CONFIDENCE_WORDS[fact.confidence]))
    return finish(
        fig,
        figure_id=f"parties_{topic}",
        summary=(
            f"{title} A table of the three revolutionary parties' positions in 1917, one row per party, "
            f"{len(facts)} sourced statements in date order."
        ),
        columns=("Party", "Date", "Position", "Source", "Confidence"),
        rows=rows,
        sources=(f.cited for f in facts),
        wrap=theme.TABLE_SOURCE_WRAP,
        traces=1,  # a table: drawn_traces counts traces with x values, and a table has none
    )


def _strength_facts(prefix: str, ds: Dataset) -> dict[str, Fact]:
    """One fact per party for a strength quantity (the first in the data when there are several)."""
    out = {}
    for party in PARTIES:
        facts = [f for f in ds.facts.values() if f.quantity == f"{prefix}_{party}" and f.value is not None]
        if not facts:
            raise KeyError(f"no fact with quantity '{prefix}_{party}' in data/facts/")
        out[party] = facts[0]
    return out


def strength_figure(ds: Dataset | None = None) -> go.Figure:
    """Two bar panels: party members in spring 1917, and delegates at the First Congress of Soviets.

    Two ``go.Bar`` traces (one per panel), one bar per party, each labelled with its figure.
    """
    ds = ds or dataset()
    members = _strength_facts("party_members_spring", ds)
    delegates = _strength_facts("congress_delegates", ds)
    facts = list(members.values()) + list(delegates.values())
    title = "How strong was each party in spring 1917?"
    names = [SHORT[p] for p in PARTIES]
    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Party members, spring 1917", "Delegates at the First Congress of Soviets"),
        horizontal_spacing=0.16,
        figure=begin(title, height=540),
    )
    fig.update_annotations(font={"size": 15})
    for col, chosen, name in ((1, members, "Members"), (2, delegates, "Delegates")):
        fig.add_trace(
            go.Bar(
                name=name,
                x=names,
                y=[float(chosen[p].value) for p in PARTIES],
                marker={"color": [COLOURS[p] for p in PARTIES]},
                text=[format_number(chosen[p].value) for p in PARTIES],
                textposition="outside",
                cliponaxis=False,
                customdata=[[chosen[p].label, chosen[p].cited.short] for p in PARTIES],
                hovertemplate="%{customdata[0]}: <b>%{text}</b><br>Source: %{customdata[1]}<extra></extra>",
                showlegend=False,
            ),
            row=1,
            col=col,
        )
        top = max(float(chosen[p].value) for p in PARTIES)
        fig.update_yaxes(range=[0, top * 1.2], tickformat=",d", row=1, col=col)
        fig.update_xaxes(tickangle=0, row=1, col=col)
    fig.update_layout(margin={"t": 110, "b": 130})
    rows = tuple(
        (
            panel,
            PARTIES[p],
            chosen[p].label,
            format_number(chosen[p].value),
            chosen[p].cited.short,
            CONFIDENCE_WORDS[chosen[p].confidence],
        )
        for panel, chosen in (("Members", members), ("Delegates", delegates))
        for p in PARTIES
    )
    summary = (
        f"{title} Left: members in spring 1917 - "
        + ", ".join(f"{PARTIES[p]} {format_number(members[p].value)}" for p in PARTIES)
        + ". Right: delegates at the First Congress of Soviets - "
        + ", ".join(f"{PARTIES[p]} {format_number(delegates[p].value)}" for p in PARTIES)
        + "."
    )
    return finish(
        fig,
        figure_id="party_strength",
        summary=summary,
        columns=("Panel", "Party", "What it counts", "Figure", "Source", "Confidence"),
        rows=rows,
        sources=(f.cited for f in facts),
        wrap=theme.WIDE_SOURCE_WRAP,
    )


class PartyComparison(ChoiceTable):
    """Pick a question; see each party's sourced positions on it, in date order."""

    def __init__(self, topic: str = "war", ds: Dataset | None = None):
        self.ds = ds or dataset()
        super().__init__([(BUTTONS[key], key) for key in TOPICS], topic, "Question", ("lk-party-topic", "lk-parties"))

    def figure_for(self, key: str) -> go.Figure:
        return positions_figure(key, self.ds)

    def caption_for(self, key: str) -> str:
        return f"<p><strong>{html.escape(TOPICS[key])}</strong> Compare the rows, then the dates.</p>"
