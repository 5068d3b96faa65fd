"""Time one update of every control in every lesson, python side.

Each lesson's code cells run in this process (output discarded). Then every control the lesson
created (sliders, drop-downs, radio and toggle buttons, check boxes, text boxes, buttons) gets new
values one at a time, and the time of each change is measured: the observers it fires are the
lesson's own update code (redrawing a figure, its text alternative, saving an answer). Lessons
added later are covered without changes here.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ipywidgets as widgets
import nbformat

SELECTION = (widgets.Dropdown, widgets.RadioButtons, widgets.ToggleButtons, widgets.Select, widgets.SelectionSlider)
NUMERIC = (widgets.IntSlider, widgets.FloatSlider, widgets.BoundedIntText, widgets.BoundedFloatText)
TOGGLE = (widgets.Checkbox, widgets.ToggleButton)
TEXT = (widgets.Text, widgets.Textarea)


@dataclass(frozen=True)
class Timing:
    """The median milliseconds of one change of one control."""

    control: str
    ms: float


def run_lesson(path: Path) -> None:
    """Execute a lesson's code cells in this process, in its folder, discarding what they print."""
    nb = nbformat.read(path, as_version=4)
    namespace: dict[str, object] = {"__name__": "__lesson__"}
    here = Path.cwd()
    os.chdir(path.parent)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in nb.cells:
                if cell.cell_type == "code" and cell.source.strip():
                    exec(compile(cell.source, f"{path.name}", "exec"), namespace)  # the project's own lessons
    finally:
        os.chdir(here)


def next_change(control: widgets.Widget) -> Callable[[], None] | None:
    """A function that gives ``control`` its next value (or clicks it); None for display-only widgets."""
    if isinstance(control, widgets.Button):
        return control.click
    if isinstance(control, SELECTION):
        count = len(control.options)
        if count < 2 and not isinstance(control, widgets.RadioButtons):
            return None

        def select() -> None:
            control.index = 0 if control.index is None else (control.index + 1) % count

        return select
    if isinstance(control, NUMERIC):

        def step() -> None:
            value = control.value + control.step
            control.value = value if value <= control.max else control.min

        return step
    if isinstance(control, TOGGLE):
        return lambda: setattr(control, "value", not control.value)
    if isinstance(control, TEXT):
        return lambda: setattr(control, "value", control.value + "x")
    return None


def label(control: widgets.Widget) -> str:
    text = getattr(control, "description", "") or getattr(control, "tooltip", "") or ""
    return f"{type(control).__name__} {text!r}" if text else type(control).__name__


def time_controls(repeat: int = 5) -> list[Timing]:
    """Median ms of ``repeat`` changes of each control the lesson created (after one warm-up change)."""
    timings = []
    for control in list(widgets.Widget._active_widgets.values()):
        change = next_change(control)
        if change is None or getattr(control, "disabled", False):
            continue
        with contextlib.redirect_stdout(io.StringIO()):
            change()
            samples = []
            for _ in range(repeat):
                start = time.perf_counter()
                change()
                samples.append((time.perf_counter() - start) * 1000)
        timings.append(Timing(label(control), statistics.median(samples)))
    return timings


def lesson_interactions(lessons: list[Path], repeat: int = 5) -> dict[str, dict]:
    """For each lesson: how many controls, and the slowest one's median ms and name."""
    out: dict[str, dict] = {}
    for path in lessons:
        widgets.Widget.close_all()
        run_lesson(path)
        timings = time_controls(repeat)
        slowest = max(timings, key=lambda t: t.ms, default=None)
        out[path.stem] = {
            "controls": len(timings),
            "slowest_ms": slowest.ms if slowest else 0.0,
            "slowest_control": slowest.control if slowest else "",
            "median_ms": statistics.median(t.ms for t in timings) if timings else 0.0,
        }
    widgets.Widget.close_all()
    return out
