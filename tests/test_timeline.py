"""Timelines: the static figure (lesson 07) and the TimelineExplorer widget (calendar toggle, filters)."""

from __future__ import annotations

import datetime

import pytest

from lessonkit.model.data import dataset
from lessonkit.render.alt import TextAlternative
from lessonkit.render.timeline import (
    event_label,
    explorer_ticks,
    filter_events,
    layout_labels,
    sorted_events,
    timeline_figure,
)
from lessonkit.widgets.timeline_explorer import TimelineExplorer


@pytest.fixture(scope="module")
def ds():
    return dataset()


@pytest.fixture
def overview(ds) -> TimelineExplorer:
    return TimelineExplorer(ds.events_for_lesson("00"), "From the war with Japan to Spain", "timeline_00")


@pytest.fixture
def year_1917(ds) -> TimelineExplorer:
    events = [ds.event(i) for i in ("womens_day_strike", "petrograd_soviet_1917", "tsar_abdicates", "lenin_returns",
                                    "april_theses", "july_days", "congress_opens", "decree_on_peace")]
    return TimelineExplorer(events, "1917", "timeline_1917")


def shown_ids(explorer: TimelineExplorer) -> list[str]:
    return [e.id for e in explorer.visible_events()]


# ------------------------------------------------------------------ the static figure (lesson 07)


def test_timeline_figure_still_works_for_lesson_07(ds) -> None:
    events = ds.events_for_lesson("07")
    fig = timeline_figure(events, "How the Red Guard grew", "timeline_07", ds=ds)
    alt = TextAlternative.from_figure(fig)
    assert alt.traces == len(fig.data) == 2
    assert [r[0] for r in alt.rows] == [event_label(e) for e in sorted_events(events)]


def test_timeline_figure_labels_never_overlap(ds) -> None:
    """Lesson 07's timeline: no two labels share room in a lane (they did: October's labels were printed over
    each other, seen on the site's page)."""
    from lessonkit.render.timeline import PLOT_WIDTH_PX, _label_width

    fig = timeline_figure(ds.events_for_lesson("07"), "How the Red Guard grew", "timeline_07", ds=ds)
    x0, x1 = (datetime.datetime.fromisoformat(str(v)) for v in fig.layout.xaxis.range)
    span = (x1 - x0).total_seconds()
    boxes: dict[int, list[tuple[float, float, str]]] = {}
    labelled = 0
    for trace in fig.data:
        positions = trace.textposition if isinstance(trace.textposition, tuple) else [trace.textposition] * len(trace.x)
        for x_value, lane, text, position in zip(trace.x, trace.y, trace.text, positions, strict=True):
            if not text:
                continue
            labelled += 1
            x = (datetime.datetime.fromisoformat(str(x_value)) - x0).total_seconds() / span * PLOT_WIDTH_PX
            w = _label_width(text)
            left = {"top center": x - w / 2, "top right": x - 8, "top left": x - w + 8}[position]
            for a, b, other in boxes.get(lane, []):
                assert left >= b or left + w <= a, f"labels overlap in lane {lane}: {text!r} and {other!r}"
            boxes.setdefault(lane, []).append((left, left + w, text))
    assert labelled >= len(ds.events_for_lesson("07")) // 2
    unlabelled = sum(len(t.x) for t in fig.data) - labelled
    assert (fig.layout.title.subtitle.text or "").startswith(f"{unlabelled} crowded events have no label")


# ------------------------------------------------------------------ the explorer


def test_explorer_is_a_widget_with_the_contract_classes(overview: TimelineExplorer) -> None:
    assert "lk-figure-widget" in overview.view._dom_classes
    assert "lk-slider" in overview.year_slider._dom_classes
    assert [label for label, _ in overview.style_buttons.options] == ["Old Style first", "New Style first"]
    assert overview.lesson_menu.options[0] == ("All lessons", "all")
    assert overview.lesson_menu.value == "all"  # not None: a Dropdown shows None as an empty box
    assert ("Lesson 10", "10") in overview.lesson_menu.options
    assert ("Lesson 00", "00") not in overview.lesson_menu.options  # every event has it: no filter
    assert 'class="lk-alt"' in overview.alt.value
    assert f'data-lk-traces="{len(overview.figure.data)}"' in overview.alt.value


def test_every_event_is_drawn_once_from_its_row(overview: TimelineExplorer, ds) -> None:
    events = sorted_events(ds.events_for_lesson("00"))
    drawn = [(x, cd[1]) for t in overview.figure.data for x, cd in zip(t.x, t.customdata, strict=True)
             if x is not None]
    assert len(drawn) == len(events)
    multi, single = overview.figure.data
    assert len([x for x in single.x if x is not None]) == len([e for e in events if e.single_source])
    assert sorted(cd[0] for t in overview.figure.data for cd in t.customdata if cd[0]) == sorted(
        event_label(e) for e in events)


def test_style_toggle_changes_labels_and_hover(year_1917: TimelineExplorer) -> None:
    old_ticks = list(year_1917.figure.layout.xaxis.ticktext)
    old_hover = [cd[0] for t in year_1917.figure.data for cd in t.customdata]
    old_labels = [x for t in year_1917.figure.data for x in t.text]
    assert "23 Feb [8 Mar] 1917" in old_hover
    new_ticks = year_1917.set_style("new")
    assert new_ticks == list(year_1917.figure.layout.xaxis.ticktext)
    assert new_ticks != old_ticks
    new_hover = [cd[0] for t in year_1917.figure.data for cd in t.customdata]
    assert "8 Mar 1917 (23 Feb O.S.)" in new_hover and "23 Feb [8 Mar] 1917" not in new_hover
    assert [x for t in year_1917.figure.data for x in t.text] != old_labels
    assert year_1917.style_buttons.value == "new"
    assert year_1917.figure.layout.xaxis.title.text == "Date (New Style, Old Style in brackets)"
    assert "8 Mar 1917 (23 Feb O.S.)" in year_1917.alt.value
    # the buttons drive the same method
    year_1917.style_buttons.value = "old"
    assert list(year_1917.figure.layout.xaxis.ticktext) == old_ticks
    with pytest.raises(ValueError):
        year_1917.set_style("julian")


def test_filters_remove_events(overview: TimelineExplorer, ds) -> None:
    everything = shown_ids(overview)
    only_10 = overview.set_filter("10", None)
    assert only_10 and set(only_10) < set(everything)
    assert all("10" in ds.event(i).lessons for i in only_10)
    assert overview.lesson_menu.value == "10"
    drawn = [x for t in overview.figure.data for x in t.x if x is not None]
    assert len(drawn) == len(only_10)
    in_1917 = overview.set_filter(None, (1917, 1917))
    assert in_1917 and all(ds.event(i).date.startswith("1917") for i in in_1917)
    assert tuple(overview.year_slider.value) == (1917, 1917)
    assert "events (all lessons, 1917–1917)" in overview.status.value
    nothing = overview.set_filter("10", (1905, 1906))
    assert nothing == []
    assert [list(t.x) for t in overview.figure.data] == [[], []]
    assert "No events match" in overview.alt.value
    assert 'data-lk-traces="0"' in overview.alt.value  # plotly.js draws no empty trace
    # the controls drive the same method
    overview.lesson_menu.value = "all"
    overview.year_slider.value = (overview.year_slider.min, overview.year_slider.max)
    assert shown_ids(overview) == everything
    with pytest.raises(KeyError, match="'42'"):
        overview.set_filter("42", None)
    with pytest.raises(ValueError):
        overview.set_filter(None, (1930, 1920))


def test_filter_events_is_pure(ds) -> None:
    events = ds.events_for_lesson("00")
    assert [e.id for e in filter_events(events, "10", (1919, 1919))] == [
        e.id for e in sorted_events(events) if "10" in e.lessons and e.date.startswith("1919")]


def test_labels_never_overlap(ds) -> None:
    events = sorted_events(ds.events.values())
    x0 = datetime.datetime(1917, 1, 1)
    x1 = datetime.datetime(1918, 1, 1)
    chosen = [e for e in events if e.date.startswith("1917")]
    placed = layout_labels(chosen, "old", 5, x0, x1)
    assert len(placed) == len(chosen)
    from lessonkit.render.timeline import PLOT_WIDTH_PX, _label_width, event_x

    boxes: dict[int, list[tuple[float, float]]] = {}
    span = (x1 - x0).total_seconds()
    for e, (lane, text, position) in zip(chosen, placed, strict=True):
        if not text:
            continue
        x = (event_x(e) - x0).total_seconds() / span * PLOT_WIDTH_PX
        w = _label_width(text)
        left = {"top center": x - w / 2, "top right": x - 8, "top left": x - w + 8}[position]
        for a, b in boxes.get(lane, []):
            assert left >= b or left + w <= a, f"labels overlap in lane {lane}: {e.id}"
        boxes.setdefault(lane, []).append((left, left + w))
    assert sum(len(v) for v in boxes.values()) >= 10


def test_long_spans_get_year_ticks(ds) -> None:
    events = sorted_events(ds.events_for_lesson("00"))
    ticks = explorer_ticks(events, "old", datetime.datetime(1903, 6, 1), datetime.datetime(1938, 1, 1))
    assert [t[1] for t in ticks][:3] == ["1905", "1910", "1915"]


