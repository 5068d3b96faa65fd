"""Every lesson in Notebook 7 (/notebooks/, Run All) and in Voila (app mode, /voila/render/).

Checked: no error output, figures drew with the trace counts their text alternatives state,
widgets rendered, prompts save, sliders redraw, and no request leaves 127.0.0.1. Screenshots:
test-artifacts/browser/<lesson>-nb7.png and <lesson>-voila.png.
"""

from __future__ import annotations

import pytest

from . import harness

pytestmark = pytest.mark.browser


@pytest.mark.nb7
@pytest.mark.parametrize("lesson", harness.lesson_params())
def test_lesson_in_notebook7(lesson, nb7_run):
    run = nb7_run(lesson)
    print(harness.json.dumps(run.summary(), indent=1, ensure_ascii=False))
    assert not run.problems, run.report()


@pytest.mark.voila
@pytest.mark.parametrize("lesson", harness.lesson_params())
def test_lesson_in_voila(lesson, voila_run):
    run = voila_run(lesson)
    print(harness.json.dumps(run.summary(), indent=1, ensure_ascii=False))
    assert not run.problems, run.report()


@pytest.mark.parametrize(
    "frontend", [pytest.param("nb7", marks=pytest.mark.nb7), pytest.param("voila", marks=pytest.mark.voila)]
)
def test_harness_selftest(frontend, request):
    """The demo fixture passes every check in this front end, and every check had work to do.

    Only the known Font Awesome request of Voila's own template (harness.VOILA_TEMPLATE_CDN) is
    tolerated here; the lesson tests fail on it.
    """
    run = request.getfixturevalue(f"{frontend}_run")(harness.DEMO_LESSON.name)
    assert not harness.selftest_problems(run), run.report()
    assert not harness.demo_not_exercised(run), harness.demo_not_exercised(run)


@pytest.mark.voila
def test_render_wait_holds_while_voila_has_not_rendered(chromium):
    """Voila's page holds its outputs as script tags until its app starts: an empty page must not
    count as rendered (a loaded CI machine once checked Lesson 01 before its widgets existed)."""
    page = chromium.new_page()
    try:
        page.set_content(
            '<div id="rendered_cells" data-lk-root="1"><div class="jp-Cell">'
            '<script type="application/vnd.voila.cell-output+json">{"data": {}}</script></div></div>'
        )
        st = harness.render_state(page)
        assert (st["pending"], st["plots"], st["loading"]) == (1, 0, 0), st
        assert not harness.render_complete(st)
        # What Voila's renderer does next: the script becomes an output; a widget shows its placeholder.
        page.evaluate(
            """() => { const s = document.querySelector('script'); const o = document.createElement('div');
            o.className = 'jp-OutputArea-output'; o.textContent = 'Loading widget...'; s.replaceWith(o); }"""
        )
        st = harness.render_state(page)
        assert (st["pending"], st["loading"]) == (0, 1), st
        assert not harness.render_complete(st)
        page.evaluate("() => { document.querySelector('.jp-OutputArea-output').textContent = 'a widget'; }")
        assert harness.render_complete(harness.render_state(page))
    finally:
        page.close()
