"""The power grid: cells carry their sourced facts, the figure draws every cell, bad grids are refused."""

from __future__ import annotations

import html
import tomllib
from pathlib import Path

import pytest

from lessonkit.explorers.power import (
    STATUSES,
    PowerExplorer,
    article_only,
    cell_details,
    disagreements,
    grid_table,
    load_power_grid,
    parse_power_grid,
    power_figure,
    statements_table,
)
from lessonkit.model.data import dataset
from lessonkit.model.schema import DataError
from lessonkit.render.alt import TextAlternative


def _source_of(fact_id: str) -> str:
    """The short name of the source a fact cites, as the grid shows it."""
    ds = dataset()
    return ds.sources[ds.facts[fact_id].source].short


GRID = """
[power]
title = "Test grid"
note = "A note."
moments = [
  { id = "before", title = "1914" },
  { id = "march", title = "After the abdication", date = "1917-03-02" },
  { id = "claim", title = "The article says", date = "1917-12", article = true },
]

[[power.rows]]
id = "tsar"
holder = "Tsar"
statuses = ["rules", "out", "out"]
facts = [["pw_tsar_reigns"], ["pw_tsar_abdicates"], ["art_end_1917_gone"]]

[[power.rows]]
id = "capitalists"
holder = "Capitalists"
statuses = ["shares", "shares", "out"]
facts = [["art_old_order"], ["pw_cap_konovalov"], ["art_end_1917_gone"]]

[[power.rows]]
id = "pg"
holder = "Provisional Government"
statuses = ["absent", "shares", "not_stated"]
facts = [[], ["pw_pg_formed"], []]
"""


def grid_from(text: str):
    return parse_power_grid(Path("test.toml"), tomllib.loads(text), dataset())


def test_lesson_grid_loads_and_every_fact_exists() -> None:
    ds = dataset()
    grid = load_power_grid("01", ds)
    assert len(grid.cells) == len(grid.holders) * len(grid.moments)
    assert all(f in ds.facts for f in grid.fact_ids())
    assert [m.id for m in grid.moments if m.article] == ["end_1917_article"]
    assert grid.cell("tsar", "after_abdication").status == "out"


def test_figure_carries_every_cell_in_order() -> None:
    grid = grid_from(GRID)
    fig = power_figure(grid, "t_power")
    heat = fig.data[0]
    assert len(fig.data) == 1
    # rows are drawn bottom-up, so the first holder is the last row of z
    assert [y.replace("<br>", " ") for y in heat.y] == ["Provisional Government", "Capitalists", "Tsar"]
    order = list(STATUSES)
    assert [order[int(v)] for v in heat.z[-1]] == ["rules", "out", "out"]
    assert [order[int(v)] for v in heat.z[0]] == ["absent", "shares", "not_stated"]
    assert heat.x[1].replace("<br>", " ") == "After the abdication 2 Mar [15 Mar] 1917"
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data)
    assert len(alt.rows) == 9
    assert ("Tsar", "After the abdication 2 Mar [15 Mar] 1917", "Out of power") == alt.rows[1][:3]
    assert _source_of("pw_tsar_abdicates") in alt.rows[1][3]


def test_article_column_is_outlined_and_article_only_cells_are_starred() -> None:
    grid = grid_from(GRID)
    fig = power_figure(grid, "t_power")
    assert [s.x0 for s in fig.layout.shapes] == [1.5]
    capitalists_row = list(fig.data[0].text[1])
    assert capitalists_row[0].endswith("*")  # 1914 cell rests on the article alone
    assert not capitalists_row[1].endswith("*")
    assert not capitalists_row[2].endswith("*")  # the article's own column is not starred
    assert article_only(grid.cell("capitalists", "before"), dataset())


def test_hover_names_the_source_and_confidence() -> None:
    fig = power_figure(grid_from(GRID), "t_power")
    tsar_march = fig.data[0].customdata[-1][1].replace("<br>  ", " ")
    assert _source_of("pw_tsar_abdicates") in tsar_march and "high confidence" in tsar_march
    assert "2 Mar [15 Mar] 1917" in tsar_march


def test_disagreements_skip_what_the_article_does_not_say() -> None:
    grid = grid_from(GRID)
    assert disagreements(grid, "march", "claim") == ["capitalists"]
    assert disagreements(grid, "march", "claim", ignore=()) == ["capitalists", "pg"]


def test_cell_details_and_table() -> None:
    grid = grid_from(GRID)
    text = cell_details(grid, "capitalists", "march")
    assert "Konovalov" in text and "Great Soviet Encyclopedia: Konovalov" in text
    assert "Only the article" in cell_details(grid, "capitalists", "before")
    assert "did not exist yet" in cell_details(grid, "pg", "before")
    table = grid_table(grid, "march").value
    assert "<caption>After the abdication</caption>" in table and table.count("<tr>") == 4


def test_explorer_reacts_to_value_changes() -> None:
    explorer = PowerExplorer(grid_from(GRID))
    assert html.escape(dataset().facts["pw_tsar_reigns"].label[:40]) in explorer.card.value
    explorer.moment.value = "march"
    assert "abdicates" in explorer.card.value
    explorer.holder.value = "pg"
    assert "Provisional Government is formed" in explorer.card.value
    assert "Shares or contests power" in explorer.show("capitalists", "march")
    assert explorer.holder.value == "capitalists"


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (('"pw_tsar_reigns"]', '"no_such_fact"]'), "facts", "unknown fact id"),
        (('["rules", "out", "out"]', '["rules", "gone", "out"]'), "statuses", "unknown status"),
        (('["rules", "out", "out"]', '["rules", "out"]'), "statuses", "one status and one fact list"),
        (('[["art_old_order"], ["pw_cap_konovalov"], ["art_end_1917_gone"]]',
          '[["art_old_order"], ["pw_cap_konovalov"], ["pw_cap_konovalov"]]'), "facts", "may only cite the article"),
        (('[["pw_tsar_reigns"], ["pw_tsar_abdicates"]', '[[], ["pw_tsar_abdicates"]'), "facts",
         "needs at least one fact"),
    ],
)
def test_bad_grid_is_refused(change: tuple[str, str], field: str, reason: str) -> None:
    old, new = change
    assert old in GRID
    with pytest.raises(DataError) as info:
        grid_from(GRID.replace(old, new, 1))
    message = str(info.value)
    assert "power.rows[" in message and f"field '{field}'" in message and reason in message, message


def test_missing_power_table() -> None:
    with pytest.raises(DataError, match=r"\[power\] table is missing"):
        parse_power_grid(Path("x.toml"), {}, dataset())


def test_statements_table_is_in_date_order_with_both_calendars() -> None:
    html = statements_table(["pw_nationalisation", "pw_church_tikhon", "pw_workers_control"], "Dated").value
    assert html.index("5 Nov [18 Nov] 1917") < html.index("14 Nov [27 Nov] 1917") < html.index("28 Jun 1918")
    assert "<caption>Dated</caption>" in html and "Presidential Library: Tikhon" in html


LINE_PX = 18  # one line of 13 px annotation text (plotly.js spaces it about 17 px; the figure core allows 18)


def test_lesson_01_grid_note_and_source_lines_neither_overlap_nor_fall_off_the_figure() -> None:
    """The note under the grid and the source line under it (seen on the site: the note's last line was
    printed over the first source line, and the sources ran past the bottom of the figure)."""
    fig = power_figure(load_power_grid("01"), "power_01")
    spans = []
    for note in fig.layout.annotations:
        if note.yref == "paper" and note.y == 0 and note.yanchor == "top":
            top = -note.yshift
            spans.append((top, top + LINE_PX * (note.text.count("<br>") + 1), note.text[:30]))
    spans.sort()
    assert len(spans) == 2, spans
    (_, note_end, _), (source_top, source_end, _) = spans
    assert note_end <= source_top, spans
    assert source_end <= fig.layout.margin.b, (spans, fig.layout.margin.b)
