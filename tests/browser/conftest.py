"""Fixtures for the browser tests: one JupyterLab server, one Voila server and one Chromium per
session, plus a per-session cache so each lesson runs in JupyterLab only once (the functional
checks and the accessibility check share that run)."""

from __future__ import annotations

import pytest

from . import harness

# The demo notebook is served to the browser, not collected as a test (e.g. by nbval).
collect_ignore = ["fixtures"]


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "browser: opens notebooks in headless Chromium (JupyterLab, Notebook 7, Voila); deselect with -m 'not browser'",
    )
    config.addinivalue_line("markers", "nb7: a browser test in Notebook 7 (deselect with -m 'not nb7')")
    config.addinivalue_line("markers", "voila: a browser test in Voila (deselect with -m 'not voila')")
    # Also registered by pytest-xdist; repeated here so the mark is known without it.
    config.addinivalue_line("markers", "xdist_group(name): run tests of one group on one xdist worker")


@pytest.fixture(scope="session")
def browser_tools_available():
    reason = harness.browser_skip_reason()
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("lessonkit-browser")


@pytest.fixture(scope="session")
def lesson_root(browser_workdir):
    """A temp copy of lessons/ plus the demo fixture: the servers' root dir."""
    return harness.prepare_root(browser_workdir)


@pytest.fixture(scope="session")
def answers_dir(browser_workdir):
    """LESSONKIT_ANSWERS for every kernel the servers start."""
    path = browser_workdir / "answers"
    path.mkdir()
    return path


@pytest.fixture(scope="session", autouse=True)
def stress_load():
    """In stress mode (LESSONKIT_BROWSER_STRESS=1), keep the cores busy for the whole session."""
    if not harness.STRESS:
        yield None
        return
    hogs = harness.CpuHogs(harness.STRESS_HOGS)
    yield hogs
    hogs.stop()


@pytest.fixture(scope="session")
def playwright_session(browser_tools_available):
    """The one Playwright of this process: a second sync_playwright() while one runs is refused."""
    from playwright.sync_api import sync_playwright

    pw = sync_playwright().start()
    yield pw
    pw.stop()


@pytest.fixture(scope="session")
def chromium(playwright_session):
    browser = harness.launch_browser(playwright_session)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def lab_server(browser_tools_available, browser_workdir, lesson_root, answers_dir):
    server = harness.start_lab(browser_workdir, lesson_root, answers_dir)
    yield server
    server.shutdown_sessions()
    server.stop()


@pytest.fixture(scope="session")
def voila_server(browser_tools_available, browser_workdir, lesson_root, answers_dir):
    server = harness.start_voila(browser_workdir, lesson_root, answers_dir)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def lab_run(chromium, lab_server, answers_dir):
    """lab_run(name) -> LessonRun: the notebook run once in JupyterLab (with axe), then cached."""
    cache: dict[str, harness.LessonRun] = {}

    def get(name: str) -> harness.LessonRun:
        if name not in cache:
            cache[name] = harness.run_lesson(
                chromium, lab_server, name, "lab", answers_dir, axe_check=harness.axe_check
            )
        return cache[name]

    return get


@pytest.fixture(scope="session")
def nb7_run(chromium, lab_server, answers_dir):
    def get(name: str) -> harness.LessonRun:
        return harness.run_lesson(chromium, lab_server, name, "nb7", answers_dir)

    return get


@pytest.fixture(scope="session")
def voila_run(chromium, voila_server, answers_dir):
    def get(name: str) -> harness.LessonRun:
        return harness.run_lesson(chromium, voila_server, name, "voila", answers_dir)

    return get
