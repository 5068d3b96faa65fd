"""The JupyterLite site: every lesson running in the browser alone, with no server and no internet.

Once per session: ``tools/build_lite.py`` builds the site into a temp folder, ``python -m http.server``
serves it on 127.0.0.1, and one headless Chromium (the harness's flags) opens it with every request
to anything but 127.0.0.1 aborted. All lessons share one browser profile, as a student's browser
would. For every lesson: open it from the landing page's link, Run All, then check 0 errors, every
plotly figure drawn (svg.main-svg), every slider (.lk-slider) redraws its figure, every discussion
prompt's text is saved in the browser's storage, "Download my work" gives the answers, and after a
page reload (a new kernel) the text is back in the prompt. Last, one portfolio of all lessons.
Screenshots and a JSON report per lesson: test-artifacts/lite/.

Skipped (with the reason) without Chromium or playwright, or without the [lite] build tools outside
CI, and in stress mode (this suite runs in the normal pass). About 6 minutes on an idle 2-core machine.
"""

from __future__ import annotations

import json
import re
import urllib.request

import pytest

from . import harness, lite

pytestmark = pytest.mark.browser

LESSONS = [pytest.param(p.name, id=p.stem) for p in harness.lesson_paths()]
TOKENS: dict[str, list[str]] = {}  # lesson id -> the answers typed in it (for the portfolio test)


@pytest.fixture(scope="session")
def lite_site(browser_tools_available, tmp_path_factory):
    lite.require_build("the JupyterLite site")
    out = tmp_path_factory.mktemp("lite") / "site"
    manifest = lite.build_site(out, lite.ARTIFACTS / "build.log")
    (lite.ARTIFACTS / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    return out, manifest


@pytest.fixture(scope="session")
def lite_server(lite_site):
    out, _ = lite_site
    server = lite.StaticServer(out, lite.ARTIFACTS / "http-server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lite_context(lite_server, playwright_session):
    with lite.profile(playwright_session) as shared:
        yield shared


def test_lite_site_built_with_every_lesson(lite_site):
    out, manifest = lite_site
    assert [x["file"] for x in manifest["lessons"]] == [p.name for p in harness.lesson_paths()]
    assert manifest["checks"]["lock_packages_checked"] >= 20
    assert {"lessonkit", "plotly", "ipywidgets"} <= set(manifest["checks"]["preloaded"])
    print(
        f"site: {manifest['size_bytes'] / 1e6:.1f} MB, {manifest['files']} files, built in {manifest['wall_seconds']} s"
    )


def test_lite_landing_page_links_every_lesson(lite_context, lite_server):
    context, requests = lite_context
    mark = requests.mark()
    page = context.new_page()
    try:
        page.goto(lite_server.url("index.html"), wait_until="load")
        links = page.locator("a.lk-lesson")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        text = page.inner_text("body")
        page.screenshot(path=str(lite.ARTIFACTS / "index.png"), full_page=True)
    finally:
        page.close()
    assert len(hrefs) == len(LESSONS)
    for href, param in zip(hrefs, LESSONS, strict=True):
        assert href == f"./{lite.LESSON_APP}/index.html?path={param.values[0]}"
        with urllib.request.urlopen(lite_server.url(f"files/{param.values[0]}"), timeout=10) as resp:
            assert resp.status == 200
    assert "Your answers stay in this browser" in text
    assert re.search(r"private window", text)
    assert not requests.external(requests.since(mark))


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_in_jupyterlite(lesson, lite_context, lite_server):
    run = lite.run_lite_lesson(*lite_context, lite_server, lesson)
    print(json.dumps(run.summary(), indent=1, ensure_ascii=False))
    if run.tokens:
        TOKENS[lesson[:2]] = list(run.tokens.values())
    assert not run.problems, run.report()
    assert run.state["plots"] and all(p["svg"] for p in run.state["plots"])
    assert all(s["redrawn"] for s in run.sliders)  # (lessons 01, 04, 05 and 06 have no slider)
    assert run.reload.get("prompts_back") and all(run.reload["prompts_back"].values())


def test_lite_portfolio_of_every_lesson(lite_context, lite_server):
    """The "Download my work" of all lessons at once (widgets.download.download_button()) in the browser kernel."""
    if not TOKENS:
        pytest.skip("no lesson ran in JupyterLite in this session (run the whole file)")
    result = lite.portfolio_check(*lite_context, lite_server, harness.lesson_paths()[0].name, TOKENS)
    print(json.dumps(result, indent=1, ensure_ascii=False))
    assert not result["problems"], result["problems"]
    assert result["lessons_in_portfolio"] == sorted(TOKENS)
