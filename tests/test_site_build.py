"""The static site's parts (tools/site_widgets.py, tools/site_pages.py, tools/build_site.py) without a browser.

The whole site, built and opened in Chromium: tests/browser/test_site.py.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import ipywidgets as widgets
import pytest
from ipywidgets.embed import embed_data

from lessonkit.lesson import Lesson
from lessonkit.model.content import lesson_content

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_site  # noqa: E402
import site_pages  # noqa: E402
from site_widgets import SiteError, StaticOutputs  # noqa: E402


def _render(*views: widgets.Widget, where: str = "07_the_red_guard.ipynb"):
    """The views as the site shows them, from their saved state (as in an executed notebook)."""
    data = embed_data(views=list(views))
    outputs = StaticOutputs(data["manager_state"], where)
    outputs.cell = "c05"
    return [outputs.widget(spec["model_id"]) for spec in data["view_specs"]]


def test_a_quiz_shows_its_questions_and_options_but_no_feedback(tmp_path):
    quiz = Lesson("07", answers=tmp_path).quiz()
    (shown,) = _render(quiz)
    lesson = lesson_content("07")
    for question in lesson.quiz:
        assert build_site.esc(question.question) in shown.html
        for option in question.options:
            assert build_site.esc(option.text) in shown.html
            assert build_site.esc(option.feedback) not in shown.html
    assert shown.html.count('type="radio" disabled') == sum(len(q.options) for q in lesson.quiz)
    assert shown.controls == 2 * len(lesson.quiz)  # the choice and its "Check my answer" button


def test_controls_show_their_first_state_disabled_and_count_as_needing_a_kernel():
    slider = widgets.IntSlider(value=7, min=0, max=10, description="Workers")
    toggles = widgets.ToggleButtons(options=["Old Style", "New Style"], value="New Style")
    text = widgets.Textarea(value="", placeholder="Type here", description="Your answer")
    note = widgets.HTML("<p>Just text</p>")
    (box,) = _render(widgets.VBox([note, widgets.HBox([slider, toggles]), text]))
    assert "<p>Just text</p>" in box.html
    assert "Workers" in box.html and ">7<" in box.html
    assert 'aria-pressed="true">New Style' in box.html and 'aria-pressed="false">Old Style' in box.html
    assert '<textarea disabled rows="3" placeholder="Type here">' in box.html
    assert box.controls == 3
    (plain,) = _render(note)
    assert plain.controls == 0


def test_a_hidden_widget_is_left_out():
    hidden = widgets.HTML("<p>secret feedback</p>", layout=widgets.Layout(display="none"))
    (box,) = _render(widgets.VBox([widgets.HTML("<p>shown</p>"), hidden]))
    assert "shown" in box.html and "secret feedback" not in box.html


def test_an_output_widget_shows_its_figure_and_its_markup():
    out = widgets.Output()
    out.outputs = (
        {
            "output_type": "display_data",
            "metadata": {},
            "data": {
                "application/vnd.plotly.v1+json": {
                    "data": [{"type": "bar", "y": [1, 2]}],
                    "layout": {"title": {"text": "A </script> title"}},
                },
                "text/plain": "<figure>",
            },
        },
        {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<p>its table</p>"}},
    )
    (shown,) = _render(out)
    assert shown.figures == 1 and "<p>its table</p>" in shown.html
    payload = shown.html.split('data-for="lk-fig-1">', 1)[1].rsplit("</script>", 1)[0]
    assert "</script>" not in payload  # the title cannot end the script element early
    assert json.loads(payload)["layout"]["title"]["text"] == "A </script> title"


def test_a_widget_the_site_cannot_show_is_an_error_naming_lesson_cell_and_model():
    with pytest.raises(SiteError, match=r"07_the_red_guard\.ipynb, cell c05: the site cannot show a ColorPickerModel"):
        _render(widgets.VBox([widgets.ColorPicker()]))


def test_an_error_output_or_a_widget_without_state_fails_the_build():
    outputs = StaticOutputs({"state": {}}, "03_x.ipynb")
    with pytest.raises(SiteError, match=r"03_x\.ipynb, cell c01: the lesson raised KeyError: 'x'"):
        outputs.cell_outputs("c01", [{"output_type": "error", "ename": "KeyError", "evalue": "'x'", "traceback": []}])
    with pytest.raises(SiteError, match="widget abc has no saved state"):
        outputs.output(
            {"output_type": "display_data", "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "abc"}}}
        )


def test_markdown_links_go_to_site_pages_or_to_the_released_repository():
    text = "See [the log](corrections.md#lesson-07), [code](../src/lessonkit/lesson.py), [web](https://x.org) [top](#a)"
    pages = {"docs/corrections.md": "teacher/corrections.html"}
    html = site_pages.markdown_page(
        text,
        "docs/teaching.md",
        pages,
        "teacher/teaching.html",
        lambda path: f"https://github.com/OWNER/REPO/blob/v0.2.0/{path}",
    )
    assert 'href="corrections.html#lesson-07"' in html
    assert 'href="https://github.com/OWNER/REPO/blob/v0.2.0/src/lessonkit/lesson.py"' in html
    assert 'href="https://x.org"' in html and 'href="#a"' in html
    heading = site_pages.markdown_page(
        "## On a school JupyterHub\n\n## On a school JupyterHub", "a.md", {}, "a.html", str
    )
    assert 'id="on-a-school-jupyterhub"' in heading and 'id="on-a-school-jupyterhub-1"' in heading


def _site(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, body in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    return tmp_path


def test_the_site_check_passes_a_good_site_and_names_every_fault(tmp_path):
    good = _site(
        tmp_path / "good",
        {
            "index.html": '<a href="lessons/a.html#s">a</a> <a href="https://mybinder.org/x">Binder</a>'
            '<a href="lite/notebooks/index.html?path=a.ipynb">lite</a>',
            "lessons/a.html": '<h2 id="s">S</h2><script src="../_static/p.js"></script>',
            "_static/p.js": "",
            "lite/notebooks/index.html": "",
            "lite/files/a.ipynb": "",
        },
    )
    checks = build_site.check_site(good, ["index.html", "lessons/a.html"])
    assert checks["local_links"] == 3 and checks["external_links"] == ["https://mybinder.org/x"]

    bad = _site(
        tmp_path / "bad",
        {
            "index.html": '<script src="https://cdn.plot.ly/plotly.js"></script><a href="missing.html">x</a>'
            '<a href="b.html#nowhere">y</a><link rel="stylesheet" href="//fonts.example/css">'
            '<a href="lite/notebooks/index.html?path=gone.ipynb">lite</a>',
            "b.html": "<style>@import url(https://fonts.example/a.css);</style>",
            "lite/notebooks/index.html": "",
        },
    )
    with pytest.raises(build_site.BuildError) as caught:
        build_site.check_site(bad, ["index.html", "b.html"])
    message = str(caught.value)
    for fault in (
        "<script src> loads https://cdn.plot.ly/plotly.js",
        "'missing.html'> leads to no file",
        "no anchor #nowhere",
        "<link href> loads //fonts.example/css",
        "b.html: a stylesheet loads",
        "opens gone.ipynb, which the JupyterLite edition lacks",
    ):
        assert fault in message, (fault, message)


def test_the_build_never_replaces_a_folder_it_did_not_write(tmp_path):
    (tmp_path / "notes.txt").write_text("a teacher's file", encoding="utf-8")
    with pytest.raises(build_site.BuildError, match="is not an earlier build of this site"):
        build_site.build(tmp_path)
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "a teacher's file"


def test_the_guide_and_handouts_get_the_sites_navigation_but_do_not_print_it():
    from lessonkit.teacher.printable import page

    shown = site_pages.with_nav(page("Teacher guide", "<h1>Teacher guide</h1>"), depth=2)
    assert shown.index('<nav class="lk-site-nav no-print"') < shown.index("<h1>Teacher guide</h1>")
    assert 'href="../../index.html"' in shown and 'href="../../teacher/index.html" aria-current=page' in shown
    assert ".no-print { display: none; }" in shown and "nav.lk-site-nav {" in shown


def test_a_lite_build_to_copy_in_must_be_one(tmp_path):
    with pytest.raises(build_site.BuildError, match="is not a tools/build_lite.py build"):
        build_site.build(tmp_path / "site", lite=tmp_path / "nothing")
    assert not (tmp_path / "site").exists()


def test_a_build_that_fails_leaves_the_earlier_site_as_it_was(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "lessonkit-site.json").write_text('{"earlier": true}', encoding="utf-8")
    (site / "index.html").write_text("the earlier site", encoding="utf-8")

    def half_written(staging: Path, work: Path, lite: Path | None) -> dict:
        (staging / "index.html").write_text("half a site", encoding="utf-8")
        raise build_site.BuildError("07_the_red_guard.ipynb failed when run")

    monkeypatch.setattr(build_site, "write_site", half_written)
    with pytest.raises(build_site.BuildError, match="07_the_red_guard"):
        build_site.build(site)
    assert (site / "index.html").read_text(encoding="utf-8") == "the earlier site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no half-built folder left beside it
