"""The JupyterLite site in a real browser: build it, serve it on 127.0.0.1, run a lesson the way a student does.

Used by tests/browser/test_lite.py and bench/lite.py. The page checks (run all, figures drawn, sliders,
screenshots) are the harness's own (tests/browser/harness.py); what differs in JupyterLite is that
there is no server and no answers folder on disk: the kernel is Pyodide in a Web Worker and the answers
are files in the browser's storage (IndexedDB), read here through JupyterLite's contents API in the page.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote, unquote

from . import harness

ROOT = harness.ROOT
BUILD_TOOL = ROOT / "tools" / "build_lite.py"
ARTIFACTS = ROOT / "test-artifacts" / "lite"
MANIFEST = "lessonkit-lite.json"
LESSON_APP = "notebooks"  # the page the landing page links (tools/build_lite.py LESSON_APP)

# Chromium as in the other browser tests (harness.CHROMIUM_ARGS), plus a proxy that does not exist for
# everything but loopback (Chromium never proxies 127.0.0.1/localhost): a request that left the machine
# would fail even where the page's request routing cannot see it (a service worker's own fetches).
CHROMIUM_ARGS = [*harness.CHROMIUM_ARGS, "--proxy-server=http://127.0.0.1:9"]

# Seconds. Starting Pyodide dominates: about 10 s on an idle 2-core machine, several times that
# when the machine is busy (pytest -n 2 runs JupyterLab's tests beside this one).
OPEN_TIMEOUT = 240
RUN_TIMEOUT = 300
SAVE_TIMEOUT = 20
DOWNLOAD_TIMEOUT = 60

# ------------------------------------------------------------------------------------------------
# Build and serve
# ------------------------------------------------------------------------------------------------


def lite_tools_missing() -> str | None:
    """Why the site cannot be built here (None if it can)."""
    import importlib.metadata

    for name in ("jupyterlite-core", "jupyterlite-pyodide-kernel", "pyodide-lock", "uv", "jupyter-server"):
        try:
            importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return f'{name} is not installed (pip install -e ".[lite]")'
    return None


def require_build(what: str) -> None:
    """Skip ``what`` (a suite that builds a static site) in stress mode or without the [lite] build tools;
    in CI, missing tools fail it instead."""
    import pytest

    if harness.STRESS:
        pytest.skip(f"{what} runs in the normal pass, not in stress mode")
    missing = lite_tools_missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must build {what}: {missing}")
        pytest.skip(f"cannot build {what}: {missing}")


def build_site(out: Path, log_path: Path | None = None) -> dict:
    """``python tools/build_lite.py --out OUT``; returns the site's manifest (with the build time)."""
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, str(BUILD_TOOL), "--out", str(out)], capture_output=True, text=True)
    if log_path is not None:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(proc.stdout + proc.stderr, encoding="utf-8")
    if proc.returncode:
        raise RuntimeError(
            f"tools/build_lite.py failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
        )
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    manifest["wall_seconds"] = round(time.monotonic() - t0, 1)
    return manifest


class StaticServer:
    """``python -m http.server`` on 127.0.0.1 serving the site folder, in its own process."""

    def __init__(self, folder: Path, log_path: Path):
        self.folder, self.log_path = folder, log_path
        self.port = harness.free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def url(self, path: str = "") -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def start(self) -> StaticServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "http.server",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--directory",
                str(self.folder),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"http.server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.url("index.html"), timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("http.server did not answer in 30 s")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if self._log:
            self._log.close()
            self._log = None


class ContextRequests:
    """Every request a browser profile makes (its pages, their workers, its service workers); any to a host
    but 127.0.0.1/localhost is recorded and aborted in the browser (harness.RequestLog, for a whole profile
    that many lessons share: each lesson reads its own slice)."""

    def __init__(self, context, route: bool = True):
        self.urls: list[str] = []
        context.on("request", lambda req: self.urls.append(req.url))
        if route:
            # Routing turns the browser's HTTP cache off (Playwright's rule): the benchmark, which times
            # cached visits too, records only and relies on CHROMIUM_ARGS' dead proxy to block.
            context.route(harness.NON_LOCAL_URL, harness.RequestLog._abort)

    def mark(self) -> int:
        return len(self.urls)

    def since(self, mark: int) -> list[str]:
        return self.urls[mark:]

    @staticmethod
    def external(urls: list[str]) -> list[str]:
        return sorted({u for u in urls if not harness.is_local(u)})


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=harness.chromium_executable(), headless=True, args=CHROMIUM_ARGS)


def new_context(browser):
    """A browser profile of its own. Service workers stay on: JupyterLite's kernel reaches the
    browser-backed drive (/drive, where answers are saved) through one."""
    return browser.new_context(viewport=dict(harness.VIEWPORT), service_workers="allow")


@contextlib.contextmanager
def profile(playwright):
    """A browser and one profile of its own, with every request off 127.0.0.1 recorded and aborted:
    ``(context, ContextRequests)`` for a session of pages from a static site."""
    browser = launch_browser(playwright)
    context = new_context(browser)
    try:
        yield context, ContextRequests(context)
    finally:
        context.close()
        browser.close()


def lesson_url(server: StaticServer, name: str, app: str = LESSON_APP) -> str:
    return server.url(f"{app}/index.html?path={quote(name)}")


# ------------------------------------------------------------------------------------------------
# JavaScript: JupyterLite's contents (the browser's storage) and its kernel, seen from the page
# ------------------------------------------------------------------------------------------------

JS_READ_TREE = """async (dir) => {
  const contents = window.jupyterapp.serviceManager.contents;
  const out = {};
  const walk = async (path) => {
    let model;
    try { model = await contents.get(path, {content: true}); } catch (e) { return; }
    if (model.type === 'directory') { for (const item of model.content) await walk(item.path); }
    else if (model.format === 'base64') {
      // What the kernel writes through the browser-backed drive is stored as bytes (base64).
      const bytes = Uint8Array.from(atob(model.content), (ch) => ch.charCodeAt(0));
      out[model.path] = new TextDecoder('utf-8').decode(bytes);
    } else { out[model.path] = typeof model.content === 'string' ? model.content : JSON.stringify(model.content); }
  };
  await walk(dir);
  return out;
}"""

JS_EXECUTE = """async (code) => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  const out = [];
  future.onIOPub = (msg) => {
    const t = msg.header.msg_type, c = msg.content;
    if (t === 'stream') out.push(c.text);
    else if (t === 'error') out.push(`${c.ename}: ${c.evalue}`);
    else if (t === 'execute_result' && c.data['text/plain']) out.push(c.data['text/plain']);
  };
  const reply = await future.done;
  return {status: reply.content.status, output: out.join('')};
}"""

JS_PROMPT_CELLS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  return w.content.widgets.map((c, i) => c.node.querySelector('.lk-prompt textarea') ? i : -1).filter((i) => i >= 0);
}"""


def read_tree(page, folder: str) -> dict[str, str]:
    """Every file under ``folder`` in the site's browser storage: {path: text}."""
    return page.evaluate(JS_READ_TREE, folder)


def kernel_execute(page, code: str) -> dict:
    """Run code in the lesson's kernel (not in a cell); returns {status, output}."""
    return page.evaluate(JS_EXECUTE, code)


def decode_data_uri(uri: str) -> str:
    head, _, payload = uri.partition(",")
    raw = base64.b64decode(payload) if head.endswith(";base64") else unquote(payload).encode()
    return raw.decode("utf-8")


# ------------------------------------------------------------------------------------------------
# One lesson
# ------------------------------------------------------------------------------------------------


@dataclasses.dataclass
class LiteRun(harness.LessonRun):
    """A harness LessonRun plus what JupyterLite adds: answers in the browser's storage, the download, the reload."""

    tokens: dict = dataclasses.field(default_factory=dict)  # prompt index -> token typed
    storage_files: list = dataclasses.field(default_factory=list)
    download: dict = dataclasses.field(default_factory=dict)
    reload: dict = dataclasses.field(default_factory=dict)
    console_errors: list = dataclasses.field(default_factory=list)

    def summary(self) -> dict:
        return {
            **super().summary(),
            "tokens": self.tokens,
            "storage_files": self.storage_files,
            "download": self.download,
            "reload": self.reload,
            "console_errors": self.console_errors[:20],
        }

    def write_json(self) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{Path(self.lesson).stem}.json"
        path.write_text(json.dumps(self.summary(), indent=2, ensure_ascii=False), encoding="utf-8")
        return path


#: The harness's module settings while a Lite lesson runs: its slider checks write their mid-move
#: screenshots to ARTIFACTS (ours, then), and a kernel in the browser gets more time than a server's.
HARNESS_SETTINGS = {"ARTIFACTS": ARTIFACTS, "RUN_TIMEOUT": RUN_TIMEOUT, "RENDER_TIMEOUT": 90, "SLIDER_TIMEOUT": 30}


@contextlib.contextmanager
def harness_settings():
    saved = {key: getattr(harness, key) for key in HARNESS_SETTINGS}
    for key, value in HARNESS_SETTINGS.items():
        setattr(harness, key, value)
    try:
        yield
    finally:
        for key, value in saved.items():
            setattr(harness, key, value)


def open_lesson(page, server: StaticServer, name: str, run: harness.LessonRun, reload: bool = False) -> float | None:
    """Open (or reload) the lesson and wait for an idle kernel; the seconds it took, or None (a problem)."""
    t0 = time.monotonic()
    if reload:
        page.reload(wait_until="domcontentloaded", timeout=OPEN_TIMEOUT * 1000)
    else:
        page.goto(lesson_url(server, name), wait_until="domcontentloaded", timeout=OPEN_TIMEOUT * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=OPEN_TIMEOUT * 1000)

    def ready():
        if page.evaluate(harness.JS_DIALOGS):
            return "dialog"
        if not page.evaluate(harness.JS_MARK_LAB_ROOT, name):
            return None
        return "idle" if page.evaluate(harness.JS_KERNEL_STATUS) == "idle" else None

    status = harness._poll(page, ready, OPEN_TIMEOUT)
    if status != "idle":
        dialogs = page.evaluate(harness.JS_DIALOGS)
        run.problem(
            f"{'after a reload, ' if reload else ''}the lesson did not open with an idle Pyodide kernel in "
            f"{OPEN_TIMEOUT}s" + (f"; dialog: {dialogs}" if dialogs else "")
        )
        return None
    page.wait_for_selector("[data-lk-root] .jp-Notebook .jp-Cell", timeout=60000)
    return time.monotonic() - t0


def run_and_render(page, run: harness.LessonRun, when: str = "") -> dict:
    """Run all cells, wait for every figure and widget, and check what is on the page."""
    harness._run_all(page, run)
    harness._wait_rendered(page, run)
    state = {**harness.collect(page), "run": run.state.get("run")}
    harness.check_state(state, run, when)
    return state


def check_prompts(page, run: LiteRun) -> None:
    """Type a unique answer into every discussion prompt: it must be saved in the browser's storage."""
    areas = page.locator("[data-lk-root] .lk-prompt textarea")
    expected = harness.lesson_prompt_count(run.lesson)
    count = areas.count()
    if count == 0:
        run.problem("no discussion prompt (.lk-prompt textarea) on the page")
        return
    if expected is not None and count != expected:
        run.problem(f"{count} discussion prompt(s) on the page, the lesson's data file declares {expected}")
    for i in range(count):
        token = f"lk-lite-{Path(run.lesson).stem[:2]}-{i}-{uuid.uuid4().hex[:10]}"
        area = areas.nth(i)
        try:
            area.scroll_into_view_if_needed(timeout=5000)
            area.fill(f"Answer typed in JupyterLite {token}", timeout=10000)
            area.press("Tab")
        except Exception as exc:  # noqa: BLE001 - a Playwright failure is a finding
            run.problem(f"could not type into prompt #{i}: {str(exc).splitlines()[0]}")
            continue
        run.tokens[i] = token

    def all_saved():
        files = read_tree(page, "my_answers")
        found = {i: next((p for p, text in files.items() if tok in text), None) for i, tok in run.tokens.items()}
        return (files, found) if all(found.values()) else None

    t0 = time.monotonic()
    result = harness._poll(page, all_saved, SAVE_TIMEOUT, 0.5)
    files = result[0] if result else read_tree(page, "my_answers")
    run.storage_files = sorted(files)
    for i, token in run.tokens.items():
        where = next((p for p, text in files.items() if token in text), None)
        run.prompts.append(
            {"prompt": i, "saved_in": where, "seconds": round(time.monotonic() - t0, 1) if where else None}
        )
        if not where:
            run.problem(
                f"prompt #{i}: typed text not found in the browser's storage (my_answers/) within {SAVE_TIMEOUT}s "
                f"({len(files)} files there: {sorted(files)[:8]})"
            )


def check_where_answers_are(page, run: LiteRun) -> None:
    text = page.locator("[data-lk-root] .lk-where-answers").first.inner_text(timeout=10000)
    if "in this browser's storage" not in text or "Download my work" not in text:
        run.problem(f"'where your answers are' does not say they are in this browser's storage: {text[:300]!r}")


def check_download(page, run: LiteRun) -> None:
    """Press Download my work: two data: links appear, the page holds the typed answers, copies are in storage."""
    stem = Path(run.lesson).stem
    button = page.locator("[data-lk-root] .lk-where-answers .lk-download-button").first
    try:
        button.scroll_into_view_if_needed(timeout=5000)
        button.click(timeout=10000)
        link = page.locator("[data-lk-root] .lk-where-answers .lk-download-result a[download]").first
        link.wait_for(timeout=DOWNLOAD_TIMEOUT * 1000)
    except Exception as exc:  # noqa: BLE001
        text = page.locator("[data-lk-root] .lk-where-answers").first.inner_text()
        run.problem(
            f"Download my work: no download link appeared ({str(exc).splitlines()[0]}); it shows {text[:300]!r}"
        )
        return
    links = page.locator("[data-lk-root] .lk-where-answers .lk-download-result a[download]")
    names = [links.nth(i).get_attribute("download") for i in range(links.count())]
    lesson_id = stem[:2]
    want = [f"my_work_1917_lesson{lesson_id}.html", f"my_work_1917_lesson{lesson_id}.json"]
    run.download = {"links": names}
    if names != want:
        run.problem(f"Download my work offers {names}, expected {want}")
        return
    page_html = decode_data_uri(links.nth(0).get_attribute("href"))
    doc = json.loads(decode_data_uri(links.nth(1).get_attribute("href")))
    missing = [tok for tok in run.tokens.values() if tok not in page_html]
    if missing:
        run.problem(f"the downloaded page lacks the answers typed: {missing}")
    texts = json.dumps(doc)
    if any(tok not in texts for tok in run.tokens.values()):
        run.problem("the downloaded JSON lacks the answers typed")
    files = read_tree(page, "my_answers")
    copies = [p for p in files if p.endswith(tuple(want))]
    run.download.update({"html_bytes": len(page_html.encode()), "copies_in_storage": sorted(copies)})
    if len(copies) != 2:
        run.problem(f"Download my work: copies in the browser's storage are {copies}, expected both of {want}")


def check_after_reload(page, server: StaticServer, run: LiteRun) -> None:
    """Reload the page (a new kernel), run the lesson again: every answer typed is back in its prompt."""
    opened = open_lesson(page, server, run.lesson, run, reload=True)
    if opened is None:
        return
    run.timings["reopen"] = opened
    t0 = time.monotonic()
    state = run_and_render(page, run, "after a reload")
    run.timings["rerun"] = time.monotonic() - t0
    areas = page.locator("[data-lk-root] .lk-prompt textarea")
    back = {}
    for i, token in run.tokens.items():
        try:
            value = areas.nth(i).input_value(timeout=10000)
        except Exception as exc:  # noqa: BLE001
            value = f"<unreadable: {str(exc).splitlines()[0]}>"
        back[i] = token in value
        if token not in value:
            run.problem(f"after a reload, prompt #{i} does not show the saved answer (it shows {value[:120]!r})")
    run.reload = {"prompts_back": back, "errors": len(state["errors"])}


def run_lite_lesson(browser_context, requests: ContextRequests, server: StaticServer, name: str) -> LiteRun:
    """One lesson in JupyterLite, as a student: open, run all, check, type, move, download, reload."""
    run = LiteRun(lesson=name, frontend="lite")
    t0 = time.monotonic()
    mark = requests.mark()
    page = browser_context.new_page()
    page.on("dialog", lambda d: d.accept())  # "leave the page?" on reload
    page.on("console", lambda m: run.console_errors.append(m.text[:300]) if m.type == "error" else None)
    page.on("pageerror", lambda e: run.console_errors.append(f"pageerror: {str(e)[:300]}"))
    page.set_default_timeout(30000)
    shot = ARTIFACTS / f"{Path(name).stem}.png"
    with harness_settings():
        try:
            opened = open_lesson(page, server, name, run)
            if opened is None:
                return run
            run.timings["open"] = opened
            t1 = time.monotonic()
            run.state = run_and_render(page, run)
            run.timings["run"] = time.monotonic() - t1
            st = run.state
            if not st["plots"]:
                run.problem("no plotly figure on the page")
            if not st["sliders"]:
                run.notes.append("no slider (.lk-slider) in this lesson")
            t2 = time.monotonic()
            check_where_answers_are(page, run)
            check_prompts(page, run)
            harness.check_sliders(page, run)
            check_download(page, run)
            after = harness.collect(page)
            for e in after["errors"]:
                if e not in st["errors"]:
                    run.problem("error output after the interactions:\n      " + e.replace("\n", "\n      "))
            for t in harness.new_widget_trouble(st["widgetTrouble"], after["widgetTrouble"]):
                run.problem(f"widget output shows trouble after the interactions: {t}")
            run.timings["interact"] = time.monotonic() - t2
            harness.full_screenshot(page, shot, run)
            run.screenshot = str(shot.relative_to(ROOT))
            check_after_reload(page, server, run)
        except Exception as exc:  # noqa: BLE001 - report it, with a screenshot
            run.problem(f"{type(exc).__name__}: {str(exc).strip()[:1500]}")
            harness.full_screenshot(page, shot, run)
            run.screenshot = str(shot.relative_to(ROOT))
        finally:
            urls = requests.since(mark)
            run.request_count = len(urls)
            run.external_requests = requests.external(urls)
            for url in run.external_requests:
                run.problem(f"request left 127.0.0.1: {url}")
            with contextlib.suppress(Exception):
                page.close()
            run.timings["total"] = time.monotonic() - t0
            run.write_json()
    return run


def portfolio_check(
    browser_context, requests: ContextRequests, server: StaticServer, name: str, tokens: dict[str, list[str]]
) -> dict:
    """Every lesson's answers in one portfolio: 'Download my work' for all lessons
    (lessonkit.widgets.download.download_button()),
    run in a lesson's kernel; the page must hold what was typed in every lesson."""
    run = harness.LessonRun(lesson=name, frontend="lite")
    mark = requests.mark()
    page = browser_context.new_page()
    result: dict = {"problems": run.problems}
    try:
        if open_lesson(page, server, name, run) is None:
            return result
        code = (
            "from lessonkit.widgets.download import download_button\n"
            "w = download_button()\n"
            "w.button.click()\n"
            "print([p.name for p in w.written])\n"
            "print(w.output.value[:300])\n"
        )
        reply = kernel_execute(page, code)
        result["kernel"] = reply
        if reply["status"] != "ok":
            run.problem(f"the portfolio code failed: {reply['output'][-800:]}")
            return result
        files = read_tree(page, "my_answers")
        page_html = files.get("my_answers/my_work_1917.html", "")
        result["portfolio_bytes"] = len(page_html.encode())
        if not page_html:
            run.problem(f"no my_answers/my_work_1917.html in the browser's storage: {sorted(files)[:20]}")
        for lesson, toks in sorted(tokens.items()):
            missing = [t for t in toks if t not in page_html]
            if missing:
                run.problem(f"the portfolio lacks lesson {lesson}'s answers: {missing}")
        result["lessons_in_portfolio"] = sorted(tokens)
    finally:
        for url in requests.external(requests.since(mark)):
            run.problem(f"request left 127.0.0.1: {url}")
        with contextlib.suppress(Exception):
            page.close()
    return result
