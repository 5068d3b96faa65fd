"""axe-core on every lesson in JupyterLab, after all cells ran and the figures drew.

The axe context is the lesson's own output only: ``harness.AXE_INCLUDE`` =
``[data-lk-root] .jp-OutputArea-output`` (cell outputs: figures, tables, widgets) and
``[data-lk-root] .jp-MarkdownOutput`` (rendered markdown), where data-lk-root marks the
notebook panel; ``harness.AXE_EXCLUDE`` drops plotly's hover toolbar (``.modebar-container``).
JupyterLab's chrome is never inside these. Violations with impact "serious" or "critical"
fail; all counts go to test-artifacts/browser/axe-<lesson>.json.
"""

from __future__ import annotations

import pytest

from . import harness

pytestmark = pytest.mark.browser


def check_axe(run: harness.LessonRun) -> None:
    axe = run.axe
    if axe is None:
        pytest.fail("axe did not run because the lesson could not be rendered:\n" + run.report())
    assert "error" not in axe, f"axe-core failed: {axe['error']}"
    print(f"{run.lesson}: axe rules by impact {axe['rules_by_impact']}, nodes by impact {axe['nodes_by_impact']}")
    failures = harness.axe_failures(axe)
    assert not failures, f"{run.lesson}: serious/critical accessibility violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("lesson", harness.lesson_params(group="lab"))
def test_lesson_accessibility(lesson, lab_run):
    check_axe(lab_run(lesson))


@pytest.mark.xdist_group("lab-demo_lesson")
def test_harness_selftest(lab_run):
    """axe runs on the demo fixture and finds no serious/critical violation in our own markup.

    The demo must use a plain ipywidgets IntSlider, whose handle ipywidgets 8.1 leaves without an
    accessible name (aria-input-field-name, serious); only that upstream violation is accepted
    here. Lessons are not let off: a lesson with such a slider fails test_lesson_accessibility.
    """
    run = lab_run(harness.DEMO_LESSON.name)
    assert run.axe and "violations" in run.axe, f"axe did not run: {run.axe}\n{run.report()}"
    assert run.axe["passes"] > 0, "axe reported no passing rule: was anything checked?"
    ours = [
        v
        for v in run.axe["violations"]
        if v["impact"] in harness.AXE_FAIL_IMPACTS and not harness.is_ipywidgets_slider_name_issue(v)
    ]
    assert not ours, harness.axe_failures({"violations": ours})


@pytest.mark.xdist_group("lab-planted_faults")
def test_harness_detects_planted_faults(lab_run):
    """The planted-faults notebook has a <button> without a name: axe must report button-name."""
    run = lab_run(harness.PLANTED_LESSON)
    assert run.axe and "violations" in run.axe, f"axe did not run: {run.axe}\n{run.report()}"
    found = {v["id"]: v["impact"] for v in run.axe["violations"]}
    assert found.get("button-name") == "critical", f"button-name not reported; axe found {found}"
