"""Every lesson opened in JupyterLab the way a student does: Run All, then look at the page.

Checked per lesson: no error output, every plotly figure drew, trace counts match the text
alternatives (details.lk-alt[data-lk-traces]), no broken widgets, discussion prompts save what is
typed, sliders redraw their figure, and no request leaves 127.0.0.1. Screenshot:
test-artifacts/browser/<lesson>-lab.png.
"""

from __future__ import annotations

import pytest

from . import harness

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lesson", harness.lesson_params(group="lab"))
def test_lesson_in_jupyterlab(lesson, lab_run):
    run = lab_run(lesson)
    print(harness.json.dumps(run.summary(), indent=1, ensure_ascii=False))
    assert not run.problems, run.report()


@pytest.mark.xdist_group("lab-demo_lesson")
def test_harness_selftest(lab_run):
    """The demo fixture passes every check, and every check had something to check."""
    run = lab_run(harness.DEMO_LESSON.name)
    assert not run.problems, run.report()
    assert not harness.demo_not_exercised(run), harness.demo_not_exercised(run)


@pytest.mark.xdist_group("lab-planted_faults")
def test_harness_detects_planted_faults(lab_run):
    """The demo with planted faults (made in the temp root) must fail every check it breaks."""
    run = lab_run(harness.PLANTED_LESSON)
    expected = {
        "trace count": "figure 'demo': 2 traces drawn, data-lk-traces says 3",
        "error output": "RuntimeError: planted fault",
        "prompt save": "prompt #0: typed text not saved",
        "slider": "the figure in the same widget/cell did not change",
        "external request": f"request left 127.0.0.1: {harness.PLANTED_EXTERNAL_URL}",
        "figure collapsing on resize": "collapsed from 250 px to height 0 when the browser window was resized",
    }
    missed = [what for what, text in expected.items() if not any(text in p for p in run.problems)]
    assert not missed, f"planted faults not detected: {missed}\n{run.report()}"
