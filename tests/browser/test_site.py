"""The static site (tools/build_site.py): every lesson readable before installing, in Chromium, offline.

Once per session the site is built with its documented command into a temp folder (the JupyterLite
edition inside it) and served by ``python -m http.server`` on 127.0.0.1; one Chromium profile opens it
with every request to anything but 127.0.0.1 aborted and recorded. Every lesson page: every figure is
drawn by the site's own plotly.js, the quiz questions are there without a word of their feedback, the
prompts are there, every activity says where its working version is, and nothing failed in the console.
One figure is hovered and zoomed as a reader would. Every page of the site (lessons, teacher's pages,
the guide and handouts) loads with no request off the site, and every link on it answers 200. The
JupyterLite link of a lesson page opens that lesson in JupyterLite. Screenshots: test-artifacts/site/.

Skipped, with the reason, without Chromium or playwright or (outside CI) the [lite] build tools, and in
stress mode (it runs in the normal pass, with the JupyterLite suite). About a minute here.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

import pytest

from lessonkit.model.content import lesson_content

from . import harness, lite

pytestmark = pytest.mark.browser

ARTIFACTS = harness.ROOT / "test-artifacts" / "site"
BUILD_TOOL = harness.ROOT / "tools" / "build_site.py"
LESSONS = [pytest.param(p, id=p.stem) for p in harness.lesson_paths()]
SCREENSHOTS = {"00_start_here", "07_the_red_guard", "08_the_workers_insurrection"}


@pytest.fixture(scope="session")
def built_site(browser_tools_available, tmp_path_factory):
    lite.require_build("the static site")
    out = tmp_path_factory.mktemp("site") / "site"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, str(BUILD_TOOL), "--out", str(out)], capture_output=True, text=True)
    (ARTIFACTS / "build.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    assert proc.returncode == 0, f"tools/build_site.py failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return out, json.loads((out / "lessonkit-site.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def site_server(built_site):
    server = lite.StaticServer(built_site[0], ARTIFACTS / "http-server.log").start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site_context(site_server, playwright_session):
    with lite.profile(playwright_session) as shared:
        yield shared


class Visit:
    """One page opened in the shared profile: what failed in it and what it asked for off the site."""

    def __init__(self, context, requests: lite.ContextRequests, url: str):
        self.page = context.new_page()
        self.errors: list[str] = []
        self.page.on(
            "console",
            lambda m: self.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None,
        )
        self.page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        self.requests, self.mark = requests, requests.mark()
        self.page.goto(url, wait_until="load")

    def external(self) -> list[str]:
        return self.requests.external(self.requests.since(self.mark))

    def close(self) -> None:
        self.page.close()


def _wait_drawn(page, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate("""() => ({
            figures: document.querySelectorAll('.lk-site-figure').length,
            drawn: [...document.querySelectorAll('.lk-site-figure')].filter(
                       f => f.dataset.lkDrawn === 'yes' && f.querySelector('.main-svg')).length,
            failed: document.querySelectorAll('.lk-site-figure[data-lk-drawn=failed]').length})""")
        if state["drawn"] + state["failed"] >= state["figures"] or time.monotonic() > deadline:
            return state
        time.sleep(0.25)


def test_site_holds_every_lesson_and_the_teachers_pages(built_site):
    out, manifest = built_site
    assert [x["file"] for x in manifest["lessons"]] == [p.name for p in harness.lesson_paths()]
    assert all(x["figures"] > 0 and x["activities"] > 0 for x in manifest["lessons"]), manifest["lessons"]
    for page in (
        "teacher/index.html",
        "teacher/guide/teacher_guide.html",
        "teacher/handouts/index.html",
        "teacher/corrections.html",
        "teacher/data.html",
        "teacher/licences.html",
        "teacher/teaching.html",
    ):
        assert page in manifest["pages"] and (out / page).is_file(), page
    assert (out / "lite" / "lessonkit-lite.json").is_file()
    assert manifest["checks"]["local_links"] > 200
    print(
        f"site built in {manifest['build_seconds']} s: {len(manifest['pages'])} pages, "
        f"{sum(x['figures'] for x in manifest['lessons'])} figures"
    )


@pytest.mark.parametrize("path", LESSONS)
def test_lesson_page_reads_offline(path, built_site, site_context, site_server):
    context, requests = site_context
    lesson = lesson_content(path.stem[:2])
    visit = Visit(context, requests, site_server.url(f"lessons/{path.stem}.html"))
    page = visit.page
    try:
        state = _wait_drawn(page)
        if path.stem in SCREENSHOTS:
            page.screenshot(path=str(ARTIFACTS / f"{path.stem}.png"))
            page.screenshot(path=str(ARTIFACTS / f"{path.stem}-full.png"), full_page=True)
        assert state["figures"] > 0 and state["drawn"] == state["figures"], state
        text = page.inner_text("main")
        questions = page.locator(".lk-quiz-question").count()
        assert questions == len(lesson.quiz), (questions, len(lesson.quiz))
        for question in lesson.quiz:
            assert " ".join(question.question.split()) in " ".join(text.split())
            for option in question.options:
                assert " ".join(option.feedback.split()) not in " ".join(text.split()), "quiz feedback on the page"
        assert page.locator("textarea.lk-prompt, .lk-prompt textarea").count() == harness.lesson_prompt_count(path.name)
        notes = page.locator("p.lk-site-needs-kernel a[href='#interactive']").count()
        assert notes >= 1 and page.locator("#interactive a").count() == 3
        assert page.locator("details.lk-alt").count() == state["figures"]  # every figure has its text alternative
        assert visit.errors == [], visit.errors
        assert visit.external() == [], visit.external()
        axe = harness.run_axe(page, ("main",), (".modebar-container",))
        assert "error" not in axe, axe["error"]
        (ARTIFACTS / f"axe-{path.stem}.json").write_text(
            json.dumps(axe, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        failures = harness.axe_failures(axe)
        assert not failures, "serious/critical accessibility violations:\n" + "\n".join(failures)
    finally:
        visit.close()


def test_a_figure_zooms_and_hovers(built_site, site_context, site_server):
    """Lesson 07's bar chart of cities: hovering a bar shows its number; dragging across zooms the axis."""
    context, requests = site_context
    visit = Visit(context, requests, site_server.url("lessons/07_the_red_guard.html"))
    page = visit.page
    try:
        _wait_drawn(page)
        index = page.evaluate("""() => [...document.querySelectorAll('.lk-site-figure')].findIndex(
            f => f.querySelector('.barlayer .point'))""")
        assert index >= 0, "no bar chart on the page"
        figure = page.locator(".lk-site-figure").nth(index)
        figure.scroll_into_view_if_needed()
        bar = figure.locator(".barlayer .point path").first.bounding_box()
        page.mouse.move(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
        page.wait_for_selector(f"#{figure.get_attribute('id')} .hoverlayer .hovertext", timeout=10_000)
        before = figure.evaluate("f => f._fullLayout.xaxis.range.slice()")
        drag = figure.locator(".nsewdrag").first.bounding_box()
        y = drag["y"] + drag["height"] / 2
        page.mouse.move(drag["x"] + drag["width"] * 0.2, y)
        page.mouse.down()
        page.mouse.move(drag["x"] + drag["width"] * 0.5, y, steps=8)
        page.mouse.up()
        page.wait_for_timeout(500)
        after = figure.evaluate("f => f._fullLayout.xaxis.range.slice()")
        page.screenshot(path=str(ARTIFACTS / "zoomed.png"))
        assert after != before and (after[1] - after[0]) < (before[1] - before[0]), (before, after)
        assert visit.errors == [], visit.errors
    finally:
        visit.close()


def test_a_page_whose_plotly_js_fails_to_load_says_so_under_each_figure(built_site, site_context, site_server):
    """The planted fault: with _static/plotly.min.js refused, every figure says it could not be drawn
    and points to its table (and the check above, which waits for drawn figures, would fail)."""
    context, requests = site_context
    page = context.new_page()
    try:
        page.route("**/_static/plotly.min.js", lambda route: route.abort())
        page.goto(site_server.url("lessons/07_the_red_guard.html"), wait_until="load")
        state = _wait_drawn(page, timeout=20)
        assert state["figures"] > 0 and state["failed"] == state["figures"] and state["drawn"] == 0, state
        assert "could not be drawn" in page.locator(".lk-site-figure").first.inner_text()
    finally:
        page.close()


def _local_links(page, base: str) -> set[str]:
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href], link[href], script[src], img[src]')]"
        ".map(e => e.getAttribute('href') || e.getAttribute('src'))"
    )
    found = set()
    for href in hrefs:
        url = urljoin(base, href)
        if harness.is_local(url) and not url.startswith(("data:", "blob:")):
            found.add(url.split("#")[0])
    return found


def test_every_page_loads_offline_and_every_link_answers(built_site, site_context, site_server):
    out, manifest = built_site
    context, requests = site_context
    checked: dict[str, int] = {}
    for name in (p for p in manifest["pages"] if p.endswith(".html")):
        visit = Visit(context, requests, site_server.url(name))
        try:
            if name.startswith("teacher/"):
                _wait_drawn(visit.page, timeout=10)
                if name in ("teacher/index.html", "teacher/guide/teacher_guide.html", "teacher/teaching.html"):
                    visit.page.screenshot(path=str(ARTIFACTS / (name.replace("/", "_")[:-5] + ".png")))
            assert visit.errors == [], (name, visit.errors)
            assert visit.external() == [], (name, visit.external())
            for url in _local_links(visit.page, site_server.url(name)) - set(checked):
                try:
                    with urllib.request.urlopen(url, timeout=30) as resp:
                        checked[url] = resp.status
                except urllib.error.HTTPError as exc:
                    checked[url] = exc.code
        finally:
            visit.close()
    broken = sorted(u for u, status in checked.items() if status != 200)
    assert broken == [], broken
    assert any("/lite/" in urlsplit(u).path for u in checked)
    print(f"{len(checked)} distinct local links answered 200")


def test_a_lesson_page_opens_its_lesson_in_jupyterlite(built_site, site_context, site_server):
    """The reading copy's first link opens the same lesson, runnable, in the site's JupyterLite edition."""
    context, requests = site_context
    visit = Visit(context, requests, site_server.url("lessons/07_the_red_guard.html"))
    page = visit.page
    try:
        page.locator("#interactive a").first.click()
        page.wait_for_selector(".jp-Notebook .jp-MarkdownOutput h1", timeout=120_000)
        heading = page.locator(".jp-Notebook .jp-MarkdownOutput h1").first.inner_text()
        assert heading.startswith("07"), heading
        page.screenshot(path=str(ARTIFACTS / "lite-from-site.png"))
        assert visit.external() == [], visit.external()
    finally:
        visit.close()
