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
    if "skipped" in axe:
        pytest.skip(axe["skipped"])
    assert "error" not in axe, f"axe-core failed: {axe['error']}"
    print(f"{run.lesson}: axe rules by impact {axe['rules_by_impact']}, nodes by impact {axe['nodes_by_impact']}")
    failures = harness.axe_failures(axe)
    assert not failures, f"{run.lesson}: serious/critical accessibility violations:\n" + "\n".join(failures)


@pytest.mark.parametrize("lesson", harness.lesson_params())
def test_lesson_accessibility(lesson, lab_run):
    check_axe(lab_run(lesson))


def test_harness_selftest(lab_run):
    """axe runs on the demo fixture and finds no serious/critical violation in our markup."""
    run = lab_run(harness.DEMO_LESSON.name)
    check_axe(run)
    assert run.axe.get("passes", 0) > 0, "axe reported no passing rule: was anything checked?"
