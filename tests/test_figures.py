"""Figure builders: each figure carries the rows it was given, a title, axis labels, sources and a text alternative."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lessonkit.model.data import dataset
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative, show
from lessonkit.render.figures import estimates_figure, quantity_figure
from lessonkit.render.timeline import event_label, timeline_figure


def test_estimates_figure_carries_every_fact() -> None:
    ds = dataset()
    facts = ds.quantity("rg_petrograd_october")
    fig = estimates_figure(facts, "Red Guard in Petrograd", "Members", figure_id="t1", ds=ds)
    plotted = [x + b for trace in fig.data for x, b in zip(trace.x, trace.base, strict=True)]
    assert sorted(plotted) == sorted(f.central for f in facts)
    article = next(t for t in fig.data if t.name.startswith("The article"))
    assert article.marker.color == theme.ARTICLE and list(article.x) == [20000]
    assert fig.layout.title.text == "Red Guard in Petrograd"
    assert fig.layout.xaxis.title.text == "Members"
    assert "Trotsky" in fig.layout.annotations[0].text  # the source line under the plot
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data) == 2
    assert [row[3] for row in alt.rows] == [f.display() for f in facts]
    assert [row[1] for row in alt.rows] == [dataset().source(f.source).kind_word for f in facts]
    assert "The article says" in alt.summary


def test_range_shows_as_floating_bar() -> None:
    fig = quantity_figure("insurrection_active", "Active", "People")
    trace = fig.data[0]
    assert list(trace.base) == [25000] and list(trace.x) == [5000]  # from 25,000 to 30,000
    assert trace.text[0] == "25,000–30,000"


def test_low_confidence_is_hatched() -> None:
    fig = quantity_figure("rg_russia_october", "Russia", "Members")
    shapes = [s for t in fig.data for s in t.marker.pattern.shape]
    weak = [f for f in dataset().quantity("rg_russia_october") if f.confidence in ("low", "unverified")]
    assert weak and shapes.count("/") == len(weak)  # the article's unverified claim at least
    assert len(shapes) > len(weak)  # and the better-supported counts are not hatched


def test_empty_input_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        estimates_figure([], "t", "a", figure_id="x")


def test_alt_html_is_an_accessible_table() -> None:
    fig = quantity_figure("rg_cities", "Cities", "Cities")
    html = TextAlternative.from_figure(fig).to_html()
    assert '<details class="lk-alt" data-lk-figure="rg_cities" data-lk-traces="1">' in html
    assert "<caption>Cities</caption>" in html and '<th scope="col">Source</th>' in html
    assert "<td>17</td>" in html and "<td>24</td>" in html


def test_alt_text_is_escaped() -> None:
    alt = TextAlternative("x", "<b>t</b>", "<script>", ("c",), (("<i>",),), ("s",), 1)
    out = alt.to_html()
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_show_needs_a_lessonkit_figure() -> None:
    with pytest.raises(ValueError, match="text alternative"):
        show(go.Figure())


def test_timeline_both_calendars_and_single_source_flag() -> None:
    ds = dataset()
    events = ds.events_for_lesson("07")
    fig = timeline_figure(events, "Growth", "tl", ds=ds)
    names = {t.name for t in fig.data}
    assert names == {"Two or more sources", "One source only"}
    assert sum(len(t.x) for t in fig.data) == len(events)
    statute = ds.event("redguard_statute")
    assert event_label(statute) == "23 Oct [5 Nov] 1917"
    assert event_label(statute, "new") == "5 Nov 1917 (23 Oct O.S.)"
    labels = [row[0] for row in TextAlternative.from_figure(fig).rows]
    assert "23 Oct [5 Nov] 1917" in labels
    filled = next(t for t in fig.data if t.name == "Two or more sources")
    several = [event_label(e) for e in events if len(e.sources) >= 2]
    assert several and sorted(c[0] for c in filled.customdata) == sorted(several)


def test_template_is_colour_blind_safe_and_large() -> None:
    fig = quantity_figure("rg_cities", "Cities", "Cities")
    template = fig.layout.template
    assert template.layout.font.size >= 16
    assert list(template.layout.colorway)[:2] == ["#0072B2", "#D55E00"]





def test_every_bar_has_room_for_its_label() -> None:
    """Each bar's slot is at least as tall as its wrapped label, so labels never print over each other
    (lesson 04's two protest counts did, seen on the site)."""
    ds = dataset()
    crowded = []
    for quantity in sorted({f.quantity for f in ds.facts.values() if f.unit != "statement"}):
        facts = [f for f in ds.quantity(quantity) if f.unit != "statement"]
        try:
            fig = estimates_figure(facts, quantity, "n", figure_id=quantity, ds=ds)
        except (TypeError, ValueError):
            continue  # not a set of numbers this figure draws
        margin = fig.layout.margin
        top = margin.t if margin.t is not None else 90  # the template's margins
        plot = fig.layout.height - top - (margin.b if margin.b is not None else theme.SOURCE_MARGIN)
        slot = plot / len(facts)
        lines = max(label.count("<br>") + 1 for trace in fig.data for label in trace.y)
        if slot < theme.BAR_LINE_PX * lines:
            crowded.append(f"{quantity}: {slot:.0f} px a bar for {lines} lines")
    assert crowded == []
