"""The figure core: records carry their sources, and one function finishes every figure the same way."""

from __future__ import annotations

import ast
from pathlib import Path

import plotly.graph_objects as go
import pytest

from lessonkit.model.data import Source, dataset, load_dataset
from lessonkit.model.schema import DataError
from lessonkit.render import core, theme
from lessonkit.render.alt import TextAlternative

SRC = Path(__file__).resolve().parents[1] / "src" / "lessonkit"


def source(n: int, short: str | None = None) -> Source:
    year = str(1900 + n)
    return Source(f"s{n}", short or f"Author{n} {year}", f"A. Author{n}", f"Book {n}", year, "scholarly", "", "")


def test_loaded_records_carry_their_source_records() -> None:
    ds = dataset()
    for fact in ds.facts.values():
        assert fact.cited is ds.sources[fact.source]
    for event in ds.events.values():
        assert tuple(s.id for s in event.cited) == event.sources
    for place in ds.places.values():
        assert place.cited.id == place.source


def test_an_unknown_source_id_names_file_row_and_field(tmp_path: Path) -> None:
    real = dataset().root
    for name in ("sources.csv", "places.csv"):
        (tmp_path / name).write_bytes((real / name).read_bytes())
    header = (next((real / "facts").glob("*.csv")).read_text(encoding="utf-8").splitlines()[0]).split(",")
    row = {c: "" for c in header} | {
        "id": "f1", "quantity": "q", "label": "L", "value": "1", "unit": "people", "source": "nobody",
        "confidence": "high", "lessons": "07",
    }
    text = ",".join(header) + "\n" + ",".join(row[c] for c in header) + "\n"
    (tmp_path / "facts.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_dataset(tmp_path)
    message = str(caught.value)
    assert "facts.csv" in message and "row 2" in message and "'source'" in message and "nobody" in message


def _finished(sources: list[Source], **kw) -> go.Figure:
    fig = core.begin("A title", height=400)
    fig.add_trace(go.Bar(x=[1], y=["a"]))
    fig.add_trace(go.Bar(x=[], y=[]))  # drawn as nothing: not counted
    return core.finish(fig, figure_id="f", summary="S.", columns=("A",), rows=[("1",)], sources=sources, **kw)


def test_finish_adds_the_source_line_citations_alternative_and_trace_count() -> None:
    fig = _finished([source(1), source(2), source(1)])
    alt = TextAlternative.from_figure(fig)
    assert alt.sources == (source(1).citation(), source(2).citation())  # each source once, in order
    assert alt.traces == 1 and alt.title == "A title" and alt.rows == (("1",),)
    note = fig.layout.annotations[0]
    assert note.text == "Sources: Author1 1901; Author2 1902"
    assert fig.layout.height == 400 and fig.layout.margin.b is None  # two lines or fewer: no growth


def test_a_long_source_line_wraps_and_grows_the_figure() -> None:
    many = [source(n, f"A long short name number {n}") for n in range(12)]
    lines = core.source_line(many)
    assert len(lines) > 2 and all(len(line) <= theme.SOURCE_WRAP for line in lines)
    fig = _finished(many)
    assert fig.layout.annotations[0].text.count("<br>") == len(lines) - 1
    assert fig.layout.height == 400 + 18 * (len(lines) - 2)
    assert fig.layout.margin.b == theme.SOURCE_MARGIN + 18 * (len(lines) - 2)


def test_a_map_keeps_its_own_credit_line_and_cites_licences() -> None:
    fig = _finished([source(1), source(2)], line=False, licences={"s2": "CC BY 4.0"}, traces=5)
    alt = TextAlternative.from_figure(fig)
    assert not fig.layout.annotations
    assert alt.sources == (source(1).citation(), source(2).citation() + " — CC BY 4.0")
    assert alt.traces == 5


def test_no_builder_makes_its_own_text_alternative() -> None:
    """Figures are finished by core.finish; only core and alt construct a TextAlternative."""
    found = []
    for path in SRC.rglob("*.py"):
        if path.name in ("core.py", "alt.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "TextAlternative":
                found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert found == []
