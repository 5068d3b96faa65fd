"""Servers, browser and page checks for the browser tests of the lessons.

Everything here is plain Python + Playwright; the pytest fixtures that wire it up live in
``conftest.py``. One run of a lesson (:func:`run_lesson`) opens it the way a student does, in
JupyterLab, Notebook 7 or Voila, runs it, looks at what rendered, types into the discussion
prompts, moves the sliders, takes a screenshot and returns a :class:`LessonRun` that lists the
problems it found. Tests assert ``run.problems == []``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import deque
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[2]
LESSONS_DIR = ROOT / "lessons"
DEMO_LESSON = Path(__file__).resolve().parent / "fixtures" / "demo_lesson.ipynb"
ARTIFACTS = ROOT / "test-artifacts" / "browser"

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Without these flags Chromium talks to Google services in the background.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-unsafe-swiftshader",
    "--use-angle=swiftshader",
]
VIEWPORT = {"width": 1280, "height": 1000}
MAX_SCREENSHOT_HEIGHT = 16000
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
NON_LOCAL_URL = re.compile(
    r"^(?!(https?|wss?)://(127\.0\.0\.1|localhost|\[::1\])([:/?#]|$))[a-z][a-z0-9+.-]*://", re.IGNORECASE
)

# Stress mode (LESSONKIT_BROWSER_STRESS=1): the conditions of a busy school hub or an old laptop, made
# on purpose so that races between the kernel's messages and the widget front end show up on any
# machine. Every page's CPU is throttled, every HTTP response (the front end's own JavaScript chunks,
# the widget and plotly extensions, the kernel's REST calls) is held back, and the conftest keeps
# both cores busy with spinning processes for the whole session. See README.md ("Stress mode").
STRESS = os.environ.get("LESSONKIT_BROWSER_STRESS", "").strip() not in ("", "0")
STRESS_CPU_THROTTLE = int(os.environ.get("LESSONKIT_STRESS_THROTTLE", "4"))  # 4 = the page runs four times slower
STRESS_LATENCY_MS = int(os.environ.get("LESSONKIT_STRESS_LATENCY_MS", "400"))  # added to every HTTP response
STRESS_HOGS = int(os.environ.get("LESSONKIT_STRESS_HOGS", "3"))  # spinning processes beside servers and browser
# A busy front end: the kernel's widget state updates reach the page late (0.2 s to this many seconds, in
# order among themselves), while its other messages (outputs, "idle") pass at once. On a loaded machine
# the widget manager applies state asynchronously, so a view can be drawn before the state that filled
# it in was applied; this makes that order the rule instead of a rare accident.
STRESS_UPDATE_DELAY = float(os.environ.get("LESSONKIT_STRESS_UPDATE_DELAY", "1.5"))
_SLOW = 2 if STRESS else 1

# Timeouts, seconds (doubled in stress mode).
SERVER_START_TIMEOUT = 90 * _SLOW
PAGE_OPEN_TIMEOUT = 90 * _SLOW
RUN_TIMEOUT = 180 * _SLOW
RENDER_TIMEOUT = 45 * _SLOW
PROMPT_SAVE_TIMEOUT = 5 * _SLOW
SLIDER_TIMEOUT = 10 * _SLOW

# Plotly.js 4 draws one group per trace: ``g.trace.scatter``, ``g.trace.bars``,
# ``g.trace.scattergeo``, ``g.trace.boxes``, ``g.trace`` (pie) ...; heatmaps, contours, tables and
# sankeys use their own group class. Hidden traces (visible=False, "legendonly", or a scatter with
# no points) draw no group.
TRACE_SELECTOR = "g.trace, g.hm, g.contour, g.table, g.sankey"
WIDGET_TROUBLE = (
    "Error displaying widget",
    "Loading widget",
    "Failed to load model class",
    "Model not found",
    "Could not create a view",
    "Error rendering output item",
    "Javascript Error",
)


# --------------------------------------------------------------------------------------------
# Discovery and skipping
# --------------------------------------------------------------------------------------------


def lesson_paths() -> list[Path]:
    """Every lesson notebook, repo-root relative glob, sorted (new lessons are picked up)."""
    return sorted(LESSONS_DIR.glob("*.ipynb"))


def lesson_prompt_count(name: str) -> int | None:
    """How many discussion prompts the lesson's data file declares (None for a notebook without one,
    such as the demo fixture)."""
    from lessonkit.model.content import lessons_dir, load_lesson_file

    toml = lessons_dir() / f"{Path(name).stem}.toml"
    return len(load_lesson_file(toml).prompts) if toml.is_file() else None


def lesson_params(group: str = "") -> list:
    """pytest params for every lesson, named by file stem (empty while there are no lessons).

    ``group`` adds an xdist_group mark per lesson, so that with ``-n 2 --dist loadgroup`` the
    JupyterLab test and the accessibility test of one lesson share one worker (and one run).
    """
    import pytest

    return [
        pytest.param(p.name, id=p.stem, marks=[pytest.mark.xdist_group(f"{group}-{p.stem}")] if group else [])
        for p in lesson_paths()
    ]


def chromium_executable() -> str:
    return os.environ.get("LESSONKIT_CHROMIUM", DEFAULT_CHROMIUM)


def browser_skip_reason() -> str | None:
    """Why the browser tests cannot run here, or None if they can."""
    exe = chromium_executable()
    if not (Path(exe).is_file() and os.access(exe, os.X_OK)):
        return f"Chromium not found at {exe} (install Debian's chromium or set LESSONKIT_CHROMIUM)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright; never `playwright install`)"
    return None


# --------------------------------------------------------------------------------------------
# Servers
# --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_root(workdir: Path) -> Path:
    """Copy lessons/ (plus the demo fixture and its planted-faults twin) into a temp server root,
    so nothing writes into the repo."""
    root = workdir / "lessons"
    if LESSONS_DIR.is_dir():
        shutil.copytree(
            LESSONS_DIR, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "my_answers", "__pycache__")
        )
    else:
        root.mkdir(parents=True)
    shutil.copy2(DEMO_LESSON, root / DEMO_LESSON.name)
    write_planted_notebook(root)
    return root


def write_lab_settings(settings_dir: Path) -> None:
    """User settings that keep JupyterLab / Notebook 7 quiet and deterministic.

    No news feed and no update check (both make requests to the internet), no toast asking
    about news, and windowing off so that every cell is in the DOM (out-of-view cells are then
    rendered and checked too).
    """
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
            "fetchNews": "false",
            "checkForUpdates": False,
            "doNotDisturbMode": True,
        },
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for rel, value in files.items():
        path = settings_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(value, indent=2), encoding="utf-8")


def server_env(workdir: Path, answers_dir: Path) -> dict[str, str]:
    """Environment for servers and kernels: isolated Jupyter dirs, answers in a temp dir,
    lessonkit from this source checkout."""
    env = dict(os.environ)
    dirs = {
        "JUPYTER_CONFIG_DIR": workdir / "jupyter-config",
        "JUPYTER_RUNTIME_DIR": workdir / "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": workdir / "lab-user-settings",
        "JUPYTERLAB_WORKSPACES_DIR": workdir / "lab-workspaces",
        "IPYTHONDIR": workdir / "ipython",
    }
    for key, path in dirs.items():
        path.mkdir(parents=True, exist_ok=True)
        env[key] = str(path)
    write_lab_settings(dirs["JUPYTERLAB_SETTINGS_DIR"])
    env["LESSONKIT_ANSWERS"] = str(answers_dir)
    src = ROOT / "src"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH", "")) if p)
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    env["PYTHONUNBUFFERED"] = "1"
    env.pop("JUPYTER_TOKEN", None)
    return env


class Server:
    """A Jupyter-ish server in its own process group (so its kernels die with it)."""

    def __init__(
        self,
        name: str,
        cmd: list[str],
        env: dict[str, str],
        cwd: Path,
        port: int,
        token: str,
        ready_path: str,
        log_path: Path,
    ):
        self.name, self.cmd, self.env, self.cwd = name, cmd, env, cwd
        self.port, self.token, self.ready_path, self.log_path = port, token, ready_path, log_path
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None
        self._log = None

    def url(self, path: str) -> str:
        sep = "&" if "?" in path else "?"
        return f"{self.base}{path}{sep}token={self.token}"

    def start(self) -> Server:
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            self.cmd,
            cwd=self.cwd,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; log:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url(self.ready_path), timeout=5) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"{self.name} did not answer {self.ready_path} in {SERVER_START_TIMEOUT}s; log:\n{self.log_tail()}"
        )

    def api(self, method: str, path: str) -> object:
        req = urllib.request.Request(self.base + path, method=method, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def shutdown_sessions(self, path: str | None = None) -> int:
        """Delete the sessions (and so shut down the kernels) of ``path`` (all if None)."""
        n = 0
        try:
            for sess in self.api("GET", "/api/sessions") or []:
                if path is None or sess.get("path") == path:
                    self.api("DELETE", f"/api/sessions/{sess['id']}")
                    n += 1
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        return n

    def shutdown_voila_kernels(self, urls: list[str]) -> int:
        """Shut down the kernels a Voila page talked to (found in its websocket URLs)."""
        n = 0
        for kernel_id in sorted({m.group(1) for u in urls if (m := re.search(r"/api/kernels/([0-9a-f-]{36})/", u))}):
            try:
                self.api("POST", f"/voila/api/shutdown/{kernel_id}")
                n += 1
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
        return n

    def stop(self, timeout: float = 20) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                pass
        # Whatever is left of the group (kernels included) is killed.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if self._log:
            self._log.close()
            self._log = None

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def start_lab(workdir: Path, root_dir: Path, answers_dir: Path) -> Server:
    """``jupyter lab`` on 127.0.0.1, random port and token; also serves Notebook 7 (/notebooks/)."""
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--allow-root",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--port-retries=0",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root_dir}",
        "--LabApp.expose_app_in_browser=True",
        "--JupyterNotebookApp.expose_app_in_browser=True",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={workdir / 'lab-user-settings'}",
        f"--LabApp.workspaces_dir={workdir / 'lab-workspaces'}",
        "--ServerApp.terminals_enabled=False",
    ]
    env = server_env(workdir, answers_dir)
    return Server("jupyter lab", cmd, env, root_dir, port, token, "/api/status", workdir / "jupyter-lab.log").start()


def start_voila(workdir: Path, root_dir: Path, answers_dir: Path) -> Server:
    """Standalone ``voila`` serving the lessons folder (app mode: no code shown)."""
    port, token = free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        "--no-browser",
        f"--port={port}",
        "--Voila.port_retries=0",
        "--Voila.ip=127.0.0.1",
        f"--Voila.root_dir={root_dir}",
        f"--Voila.token={token}",
        "--VoilaConfiguration.show_tracebacks=True",
        "--VoilaConfiguration.template=lessonkit",  # the project template: no CDN stylesheets
        f"--VoilaExecutor.timeout={RUN_TIMEOUT}",
    ]
    env = server_env(workdir, answers_dir)
    return Server("voila", cmd, env, root_dir, port, token, "/", workdir / "voila.log").start()


# --------------------------------------------------------------------------------------------
# Browser
# --------------------------------------------------------------------------------------------


def is_widget_update(message: str | bytes) -> bool:
    """Whether a kernel websocket message carries a widget's state update (a comm message, method update)."""
    raw = message.encode("utf-8", "replace") if isinstance(message, str) else message
    return b"comm_msg" in raw and b'"method"' in raw and b'"update"' in raw


class KernelRelay:
    """Relays a page's kernel websockets, holding widget state updates back (stress mode).

    Held messages keep their order and are sent by :meth:`pump`, which the harness calls whenever it
    waits (``_poll``) and on every relayed message: no thread. ``pending`` counts what is still held, so
    the page does not count as settled before everything has arrived.
    """

    def __init__(self, max_delay: float, seed: int = 1917):
        self.max_delay = max_delay
        self.queue: deque = deque()
        self.held = 0
        self.random = random.Random(seed)

    def attach(self, page) -> None:
        page.route_web_socket(re.compile(r"/api/kernels/[^/?]+/channels"), self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()

        def to_page(message) -> None:
            self.pump()
            if is_widget_update(message):
                due = time.monotonic() + self.random.uniform(0.2, self.max_delay)
                self.queue.append((due, ws, message))
                self.held += 1
            else:
                ws.send(message)

        server.on_message(to_page)
        ws.on_message(lambda message: server.send(message))

    def pump(self, everything: bool = False) -> None:
        """Send every held message whose time has come (all of them with ``everything``)."""
        now = time.monotonic()
        while self.queue and (everything or self.queue[0][0] <= now):
            _, ws, message = self.queue.popleft()
            try:
                ws.send(message)
            except Exception:  # noqa: BLE001 - the page (and its socket) may be gone
                pass

    @property
    def pending(self) -> int:
        return len(self.queue)


RELAYS: list[KernelRelay] = []  # the relay of the page being checked (stress mode only)


def stress_page(context, page) -> None:
    """Slow one page down as a busy machine would: CPU throttled, every HTTP response held back."""
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": STRESS_CPU_THROTTLE})
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": STRESS_LATENCY_MS, "downloadThroughput": -1, "uploadThroughput": -1},
    )


class CpuHogs:
    """Processes that spin on the CPU until stopped (stress mode's load beside the servers and browser)."""

    def __init__(self, count: int):
        code = "while True:\n    pass\n"
        self.procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(count)]

    def stop(self) -> None:
        for proc in self.procs:
            proc.kill()
        for proc in self.procs:
            proc.wait(timeout=10)


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=chromium_executable(), headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    if url.startswith(("data:", "blob:", "about:")):
        return True
    return (urlsplit(url).hostname or "") in LOCAL_HOSTS


class RequestLog:
    """Every request and websocket a page (context) opens.

    Requests to any host but 127.0.0.1/localhost are recorded and then aborted inside the
    browser, so a lesson that points at a CDN is reported without any traffic leaving the machine.
    """

    def __init__(self, context, page):
        self.urls: list[str] = []
        context.on("request", lambda req: self.urls.append(req.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))
        # Only non-local URLs are routed (matched in the Playwright driver, so local traffic does
        # not make a round trip through Python).
        context.route(NON_LOCAL_URL, self._abort)

    @staticmethod
    def _abort(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def external(self) -> list[str]:
        return sorted({u for u in self.urls if not is_local(u)})


# --------------------------------------------------------------------------------------------
# JavaScript run in the page. The notebook panel (Lab / Notebook 7) or Voila's cell container is
# marked with the attribute data-lk-root; every query is scoped to it.
# --------------------------------------------------------------------------------------------

JS_HELPERS = r"""
const lkRoot = () => document.querySelector('[data-lk-root]') || document.body;
const lkCell = (el) => el.closest('.jp-Cell') || el.closest('.jp-OutputArea') || lkRoot();
const lkText = (el) => (el.innerText || el.textContent || '');
const lkPlots = (root) => [...root.querySelectorAll('.js-plotly-plot, .jp-RenderedPlotly')]
    .filter((el) => !el.parentElement.closest('.js-plotly-plot, .jp-RenderedPlotly'));
const lkHash = (s) => { let h = 2166136261; for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); } return (h >>> 0).toString(16) + ':' + s.length; };
"""

JS_MARK_LAB_ROOT = """(path) => {
  const app = window.jupyterapp;
  const w = app && app.shell && app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.content) return false;
  document.querySelectorAll('[data-lk-root]').forEach((e) => e.removeAttribute('data-lk-root'));
  w.node.setAttribute('data-lk-root', '1');
  return true;
}"""

JS_MARK_VOILA_ROOT = """() => {
  const el = document.querySelector('#rendered_cells') || document.body;
  el.setAttribute('data-lk-root', '1');
  return true;
}"""

JS_KERNEL_STATUS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return k ? k.status : null;
}"""

JS_DIALOGS = """() => [...document.querySelectorAll('.jp-Dialog')]
  .map((d) => (d.innerText || '').trim().slice(0, 500))"""

# Execution state of the notebook model (Lab / Notebook 7).
JS_RUN_STATE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const cells = w.content.widgets.filter((c) => c.model.type === 'code');
  const withCode = cells.filter((c) => c.model.sharedModel.getSource().trim() !== '');
  const k = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  const errors = [];
  cells.forEach((c) => {
    const idx = w.content.widgets.indexOf(c);
    c.model.outputs.toJSON().forEach((o) => {
      if (o.output_type === 'error') errors.push({cell: idx, ename: o.ename, evalue: String(o.evalue).slice(0, 500)});
    });
  });
  const prompts = [...w.node.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map((e) => e.textContent);
  return {
    total: withCode.length,
    done: withCode.filter((c) => c.model.executionCount !== null).length,
    running: prompts.filter((t) => t.includes('*')).length,
    kernel: k ? k.status : null,
    errors,
  };
}"""

JS_RENDER_STATE = (
    JS_HELPERS
    + """
return (() => {
  const root = lkRoot();
  const plots = lkPlots(root);
  const drawn = plots.filter((p) => p.querySelector('svg.main-svg')).length;
  const figureWidgets = [...root.querySelectorAll('.lk-figure-widget')];
  const fwDrawn = figureWidgets.filter((p) => p.querySelector('svg.main-svg')).length;
  const outputs = [...root.querySelectorAll('.jp-OutputArea-output')];
  const loading = outputs.filter((o) => /Loading widget/.test(lkText(o))).length;
  const traces = root.querySelectorAll('.js-plotly-plot g.trace').length;
  // Voila ships every output as a script tag and renders it only once its app has started; until
  // then the page holds no figure and no widget, which would look settled.
  const pending = document.querySelectorAll('script[type="application/vnd.voila.cell-output+json"]').length;
  return {plots: plots.length, drawn, figureWidgets: figureWidgets.length, fwDrawn, loading, pending,
          outputs: outputs.length,
          signature: [plots.length, drawn, fwDrawn, loading, pending, outputs.length, traces].join('/')};
})();
"""
)

JS_COLLECT = (
    JS_HELPERS
    + """
return ((traceSelector, trouble) => {
  const root = lkRoot();
  // Error outputs: tracebacks (errors are rendered as application/vnd.jupyter.stderr text).
  const errorRe = new RegExp('Traceback \\\\(most recent call last\\\\)|^\\\\s*Cell In\\\\[\\\\d+\\\\], line \\\\d+'
                             + '|There was an error when executing cell', 'm');
  const stderr = [...root.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"],'
                                          + '[data-mime-type="application/vnd.jupyter.error"]')].map(lkText);
  const errors = stderr.filter((t) => errorRe.test(t)).map((t) => t.trim().slice(-1500));
  const warnings = stderr.filter((t) => !errorRe.test(t)).map((t) => t.trim().slice(0, 300));
  const pageText = lkText(root);
  if (/There was an error when executing cell/.test(pageText) && !errors.length) {
    errors.push(pageText.match(/There was an error when executing cell[^\\n]*/)[0]);
  }
  // Plotly figures.
  const plots = lkPlots(root);
  const countTraces = (p) => p.querySelectorAll(traceSelector).length;
  const plotInfo = plots.map((p, i) => {
    const full = p._fullData || [];
    const outside = [...p.childNodes].filter((n) => !(n.classList && n.classList.contains('plot-container')))
        .map((n) => (n.textContent || '').trim()).join(' ').trim();
    return {
      index: i,
      svg: p.querySelectorAll('svg.main-svg').length,
      traces: countTraces(p),
      fullData: full.map((t) => `${t.type}:${t.visible}`),
      title: ((p.querySelector('.gtitle') || {}).textContent || '').slice(0, 120),
      widget: p.classList.contains('lk-figure-widget') || !!p.closest('.jupyter-widgets'),
      errorText: /error|oops|could not/i.test(outside) ? outside.slice(0, 300) : '',
    };
  });
  // Text alternatives: details.lk-alt[data-lk-traces] right after a figure, in the same cell.
  const alts = [];
  let last = null;
  for (const el of root.querySelectorAll('.js-plotly-plot, .jp-RenderedPlotly, details.lk-alt[data-lk-traces]')) {
    if (!el.matches('details.lk-alt')) {
      if (plots.includes(el)) last = el;
      continue;
    }
    const expected = parseInt(el.getAttribute('data-lk-traces'), 10);
    const figure = el.getAttribute('data-lk-figure') || '';
    if (!last || lkCell(last) !== lkCell(el)) {
      alts.push({figure, expected, rendered: null, plot: null});
    } else {
      alts.push({figure, expected, rendered: countTraces(last), plot: plots.indexOf(last)});
    }
  }
  // Figures without a text alternative after them (reported as a note).
  const withAlt = new Set(alts.map((a) => a.plot));
  const noAlt = plotInfo.filter((p) => !withAlt.has(p.index)).map((p) => p.index);
  // Widget trouble, with where it is: the output's place on the page and the heading above it.
  const outputs = [...root.querySelectorAll('.jp-OutputArea-output')];
  const headings = [...root.querySelectorAll('h1, h2, h3')];
  const where = (o) => {
    const above = headings.filter((h) => h.compareDocumentPosition(o) & Node.DOCUMENT_POSITION_FOLLOWING);
    const h = above.length ? lkText(above[above.length - 1]).trim().slice(0, 60) : '';
    return ` [output ${outputs.indexOf(o)} of ${outputs.length}${h ? `, under "${h}"` : ''}]`;
  };
  const troubled = outputs.filter((o) => trouble.some((s) => lkText(o).includes(s)));
  const widgetTrouble = troubled.filter((o) => !troubled.some((inner) => inner !== o && o.contains(inner)))
      .map((o) => lkText(o).trim().slice(0, 300) + where(o));
  return {
    errors, warnings, plots: plotInfo, alts, noAlt, widgetTrouble,
    prompts: root.querySelectorAll('.lk-prompt textarea').length,
    sliders: root.querySelectorAll('.lk-slider').length,
    markdown: root.querySelectorAll('.jp-MarkdownOutput').length,
    widgets: root.querySelectorAll('.jupyter-widgets').length,
  };
})(...arguments[0]);
"""
)

JS_SLIDER_FIGURE = (
    JS_HELPERS
    + """
return ((i) => {
  const root = lkRoot();
  const slider = root.querySelectorAll('.lk-slider')[i];
  if (!slider) return {found: false, reason: 'slider gone'};
  const handles = [...slider.querySelectorAll('.noUi-handle, input[type=range]')].map((h) => ({
    now: parseFloat(h.getAttribute('aria-valuenow') || h.value),
    min: parseFloat(h.getAttribute('aria-valuemin') || h.min),
    max: parseFloat(h.getAttribute('aria-valuemax') || h.max),
  }));
  const value = handles.map((h) => h.now).join(' - ');
  const readout = ((slider.querySelector('.widget-readout') || {}).textContent || '').trim();
  const label = ((slider.querySelector('.widget-label') || {}).textContent || '').trim().slice(0, 80);
  // The nearest ancestor, not beyond the cell, that holds a plotly figure.
  const cell = lkCell(slider);
  let box = slider.parentElement;
  while (box && !lkPlots(box).length && box !== cell && box !== root) box = box.parentElement;
  const plots = box ? lkPlots(box) : [];
  if (!plots.length) {
    return {found: false, reason: 'no plotly figure in the same widget/cell', value, handles, readout, label};
  }
  // Everything plotly drew except the hover layer (a passing mouse must not count as a redraw).
  const svg = plots.map((p) => [...p.querySelectorAll('svg.main-svg')].map((s) => [...s.children]
      .filter((c) => !c.classList.contains('hoverlayer')).map((c) => c.outerHTML).join('')).join('')).join('|');
  return {found: true, hash: lkHash(svg), traces: plots.map((p) => p._fullData ? p._fullData.length : null),
          value, handles, readout, label};
})(arguments[0]);
"""
)

# Watches, frame by frame while a slider moves, the figure(s) in the slider's widget box: a frame in which
# a figure has no drawn trace (blank) or is less than half its height at the start (collapsed) counts.
JS_WATCH_START = (
    JS_HELPERS
    + """
return ((i) => {
  const slider = lkRoot().querySelectorAll('.lk-slider')[i];
  const cell = slider && lkCell(slider);
  let box = slider && slider.parentElement;
  while (box && !lkPlots(box).length && box !== cell && box !== lkRoot()) box = box.parentElement;
  if (!box) return false;
  const height = () => Math.max(0, ...lkPlots(box).map((p) => p.getBoundingClientRect().height));
  const watch = {frames: 0, blank: 0, collapsed: 0, start: height(), lowest: height(), on: true};
  const frame = () => {
    if (!watch.on) return;
    watch.frames += 1;
    const plots = lkPlots(box);
    const drawn = plots.filter((p) => p.querySelector('svg.main-svg') && p.querySelector('g.trace'));
    if (!plots.length || drawn.length < plots.length) watch.blank += 1;
    const h = height();
    watch.lowest = Math.min(watch.lowest, h);
    if (h < watch.start / 2) watch.collapsed += 1;
    requestAnimationFrame(frame);
  };
  window.__lkWatch = watch;
  requestAnimationFrame(frame);
  return true;
})(arguments[0]);
"""
)

JS_WATCH_STOP = """() => {
  const w = window.__lkWatch;
  if (!w) return null;
  w.on = false;
  return {frames: w.frames, blank: w.blank, collapsed: w.collapsed, start: Math.round(w.start),
          lowest: Math.round(w.lowest)};
}"""

JS_SCROLL_EXTRA = """() => {
  let extra = 0;
  for (const el of document.querySelectorAll('body, body *')) {
    if (el.scrollHeight - el.clientHeight <= extra) continue;
    const oy = getComputedStyle(el).overflowY;
    if (el === document.body || oy === 'auto' || oy === 'scroll') extra = el.scrollHeight - el.clientHeight;
  }
  return extra;
}"""

JS_PLOT_HEIGHTS = (
    JS_HELPERS
    + """
return lkPlots(lkRoot()).map((p, i) => ({index: i, height: Math.round(p.getBoundingClientRect().height),
  title: ((p.querySelector('.gtitle') || {}).textContent || '').slice(0, 120)}));
"""
)

# Figures a window resize collapsed (see check_resize) are propped open to their drawn height so
# that the screenshot, taken in a stretched window, still shows them.
JS_PROP_OPEN = (
    JS_HELPERS
    + """
let n = 0;
for (const p of lkPlots(lkRoot())) {
  const svg = p.querySelector('svg.main-svg');
  if (svg && p.getBoundingClientRect().height < 10) { p.style.minHeight = svg.getAttribute('height') + 'px'; n++; }
}
return n;
"""
)

JS_SCROLL_TOP = """() => {
  for (const el of document.querySelectorAll('body, body *')) if (el.scrollTop > 0) el.scrollTop = 0;
  window.scrollTo(0, 0);
}"""


def js_fn(body: str) -> str:
    """Wrap a script that uses ``arguments[0]`` and ``return`` into a function for page.evaluate."""
    return "function () {\n" + body + "\n}"


# --------------------------------------------------------------------------------------------
# One lesson in one front end
# --------------------------------------------------------------------------------------------

FRONTENDS = ("lab", "nb7", "voila")


@dataclasses.dataclass
class LessonRun:
    lesson: str
    frontend: str
    problems: list[str] = dataclasses.field(default_factory=list)
    notes: list[str] = dataclasses.field(default_factory=list)
    state: dict = dataclasses.field(default_factory=dict)
    prompts: list[dict] = dataclasses.field(default_factory=list)
    sliders: list[dict] = dataclasses.field(default_factory=list)
    external_requests: list[str] = dataclasses.field(default_factory=list)
    request_count: int = 0
    screenshot: str = ""
    timings: dict = dataclasses.field(default_factory=dict)
    axe: dict | None = None

    def problem(self, msg: str) -> None:
        self.problems.append(msg)

    def report(self) -> str:
        head = f"{self.lesson} in {self.frontend}: {len(self.problems)} problem(s)"
        if self.screenshot:
            head += f" (screenshot: {self.screenshot})"
        return "\n".join([head, *("  - " + p for p in self.problems)])

    def summary(self) -> dict:
        st = self.state
        return {
            "lesson": self.lesson,
            "frontend": self.frontend,
            "ok": not self.problems,
            "problems": self.problems,
            "notes": self.notes,
            "figures": len(st.get("plots", [])),
            "figures_drawn": sum(1 for p in st.get("plots", []) if p.get("svg")),
            "text_alternatives": st.get("alts", []),
            "figures_without_text_alternative": st.get("noAlt", []),
            "widgets": st.get("widgets", 0),
            "prompts": self.prompts,
            "sliders": self.sliders,
            "requests": self.request_count,
            "external_requests": self.external_requests,
            "screenshot": self.screenshot,
            "timings_s": {k: round(v, 1) for k, v in self.timings.items()},
            "axe": self.axe,
        }

    def write_json(self) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{Path(self.lesson).stem}-{self.frontend}.json"
        path.write_text(json.dumps(self.summary(), indent=2, ensure_ascii=False), encoding="utf-8")
        return path


def _poll(page, fn, timeout: float, interval: float = 0.5):
    """Call fn until it returns a truthy value or the timeout passes; return the last value.

    Waits with page.wait_for_timeout, not time.sleep: the sync Playwright API only delivers
    events (requests, routes) while Python is inside a Playwright call.
    """
    deadline = time.monotonic() + timeout
    while True:
        for relay in RELAYS:
            relay.pump()
        value = fn()
        if value or time.monotonic() >= deadline:
            return value
        page.wait_for_timeout(interval * 1000)


def _open_notebook_app(page, server: Server, name: str, frontend: str, run: LessonRun) -> bool:
    """Open the notebook in JupyterLab or Notebook 7 and wait for an idle kernel."""
    if frontend == "lab":
        # A workspace of its own, so no tab from an earlier test is restored.
        workspace = f"lk-{uuid.uuid4().hex[:8]}"
        url = server.url(f"/lab/workspaces/{workspace}/tree/{quote(name)}")
    else:
        url = server.url(f"/notebooks/{quote(name)}")
    page.goto(url, wait_until="domcontentloaded", timeout=PAGE_OPEN_TIMEOUT * 1000)
    page.wait_for_function("() => window.jupyterapp && window.jupyterapp.shell", timeout=PAGE_OPEN_TIMEOUT * 1000)

    def ready():
        if page.evaluate(JS_DIALOGS):
            return "dialog"
        if not page.evaluate(JS_MARK_LAB_ROOT, name):
            return None
        return "idle" if page.evaluate(JS_KERNEL_STATUS) == "idle" else None

    status = _poll(page, ready, PAGE_OPEN_TIMEOUT)
    if status != "idle":
        dialogs = page.evaluate(JS_DIALOGS)
        run.problem(
            f"notebook did not open with an idle kernel in {PAGE_OPEN_TIMEOUT}s"
            + (f"; dialog: {dialogs}" if dialogs else "")
        )
        return False
    page.wait_for_selector("[data-lk-root] .jp-Notebook .jp-Cell", timeout=PAGE_OPEN_TIMEOUT * 1000)
    return True


def _run_all(page, run: LessonRun) -> None:
    """Run all cells; wait until every code cell ran (or an error stopped the run) and the kernel is idle."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    page.evaluate("() => { window.jupyterapp.commands.execute('notebook:run-all-cells'); }")

    def finished():
        st = page.evaluate(JS_RUN_STATE)
        if st["running"] == 0 and st["kernel"] == "idle" and (st["done"] == st["total"] or st["errors"]):
            return st
        return None

    page.wait_for_timeout(500)
    st = _poll(page, finished, RUN_TIMEOUT) or page.evaluate(JS_RUN_STATE)
    run.state["run"] = st
    if st["done"] != st["total"] and not st["errors"]:
        run.problem(
            f"cells did not finish in {RUN_TIMEOUT}s: {st['done']}/{st['total']} code cells ran, "
            f"{st['running']} still running, kernel {st['kernel']}"
        )
    for err in st["errors"]:
        run.problem(f"cell {err['cell']} raised {err['ename']}: {err['evalue']}")
    if st["done"] != st["total"] and st["errors"]:
        run.problem(f"only {st['done']}/{st['total']} code cells ran (the run stopped at the error)")
    dialogs = page.evaluate(JS_DIALOGS)
    if dialogs:
        run.problem(f"a dialog is open after running: {dialogs}")


def render_complete(st: dict) -> bool:
    """True when a JS_RENDER_STATE snapshot shows every output rendered, every figure drawn and no
    widget still loading."""
    return (
        st["pending"] == 0
        and st["drawn"] == st["plots"]
        and st["fwDrawn"] == st["figureWidgets"]
        and st["loading"] == 0
    )


def render_state(page) -> dict:
    """The JS_RENDER_STATE snapshot of the page."""
    return page.evaluate(js_fn(JS_RENDER_STATE))


def _wait_rendered(page, run: LessonRun) -> None:
    """Wait until plotly has drawn every figure, no widget is still loading and the DOM is stable."""
    last = {"sig": None, "since": time.monotonic()}

    def settled():
        st = render_state(page)
        now = time.monotonic()
        if st["signature"] != last["sig"]:
            last["sig"], last["since"] = st["signature"], now
            return None
        held = sum(r.pending for r in RELAYS)
        return st if render_complete(st) and not held and now - last["since"] >= 1.0 else None

    if not _poll(page, settled, RENDER_TIMEOUT, 0.4):
        run.notes.append(f"figures/widgets still changing after {RENDER_TIMEOUT}s: {last['sig']}")
    page.wait_for_timeout(500)


def collect(page) -> dict:
    return page.evaluate(js_fn(JS_COLLECT), [TRACE_SELECTOR, list(WIDGET_TROUBLE)])


def check_state(st: dict, run: LessonRun, when: str = "") -> None:
    """Turn the collected DOM state into problems."""
    suffix = f" ({when})" if when else ""
    for err in st["errors"]:
        run.problem(f"error output{suffix}:\n      " + err.replace("\n", "\n      "))
    for p in st["plots"]:
        label = f"figure #{p['index']}" + (f" '{p['title']}'" if p["title"] else "")
        if not p["svg"]:
            run.problem(f"{label} did not draw (no svg.main-svg){suffix}")
        if p["errorText"]:
            run.problem(f"{label} shows an error{suffix}: {p['errorText']}")
    for a in st["alts"]:
        if a["rendered"] is None:
            run.problem(
                f"text alternative '{a['figure']}' (data-lk-traces={a['expected']}) has no plotly figure "
                f"before it in the same cell{suffix}"
            )
        elif a["rendered"] != a["expected"]:
            plot = st["plots"][a["plot"]]
            run.problem(
                f"figure '{a['figure']}': {a['rendered']} traces drawn, data-lk-traces says "
                f"{a['expected']} (plotly fullData: {plot['fullData']}){suffix}"
            )
    for t in st["widgetTrouble"]:
        run.problem(f"widget output shows trouble{suffix}: {t}")


WIDGET_TROUBLE_PLACE = " [output "
"""How JS_COLLECT starts the place it appends to a widget-trouble text (``[output 5 of 26, under "..."]``)."""


def new_widget_trouble(before: list[str], after: list[str]) -> list[str]:
    """The widget trouble in ``after`` that ``before`` did not show, whatever the output's place
    (interactions add and remove outputs, so the same trouble can move)."""
    seen = {t.split(WIDGET_TROUBLE_PLACE)[0] for t in before}
    return [t for t in after if t.split(WIDGET_TROUBLE_PLACE)[0] not in seen]


def check_prompts(page, run: LessonRun, answers_dir: Path) -> None:
    """Type a unique answer into every discussion prompt; it must be saved under answers_dir."""
    areas = page.locator("[data-lk-root] .lk-prompt textarea")
    expected = lesson_prompt_count(run.lesson)
    if expected is not None and areas.count() != expected:
        run.problem(f"{areas.count()} discussion prompt(s) on the page, the lesson's data file declares {expected}")
    typed = []
    for i in range(areas.count()):
        token = f"lk-browser-check-{run.frontend}-{uuid.uuid4().hex[:12]}"
        area = areas.nth(i)
        try:
            area.scroll_into_view_if_needed(timeout=5000)
            area.fill(f"Answer typed by the browser test {token}", timeout=10000)
            area.press("Tab")
            area.evaluate("(e) => e.blur()")
        except Exception as exc:  # noqa: BLE001 - any Playwright failure is a finding
            run.problem(f"could not type into prompt #{i}: {str(exc).splitlines()[0]}")
            continue
        typed.append((i, token))

    if not typed:
        return
    tokens = [tok for _, tok in typed]

    def all_saved():
        found = _find_tokens(answers_dir, tokens)
        return found if all(found.values()) else None

    start = time.monotonic()
    found = _poll(page, all_saved, PROMPT_SAVE_TIMEOUT, 0.25) or _find_tokens(answers_dir, tokens)
    elapsed = time.monotonic() - start
    for i, token in typed:
        where = found.get(token)
        run.prompts.append({"prompt": i, "saved_in": where, "seconds": round(elapsed, 1) if where else None})
        if not where:
            files = sorted(str(p.relative_to(answers_dir)) for p in answers_dir.rglob("*") if p.is_file())
            run.problem(
                f"prompt #{i}: typed text not saved under LESSONKIT_ANSWERS within {PROMPT_SAVE_TIMEOUT}s "
                f"({len(files)} files there: {files[:8]}{' ...' if len(files) > 8 else ''})"
            )


def _find_tokens(answers_dir: Path, tokens: list[str]) -> dict[str, str | None]:
    """For each token, the first file under answers_dir (relative path) that contains it."""
    found: dict[str, str | None] = dict.fromkeys(tokens)
    for f in sorted(answers_dir.rglob("*")):
        if not f.is_file():
            continue
        try:
            text = f.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for tok in tokens:
            if found[tok] is None and tok in text:
                found[tok] = str(f.relative_to(answers_dir))
    return found


def _slider_changed(page, script: str, i: int, old_hash: str) -> dict | None:
    now = page.evaluate(script, i)
    return now if now["found"] and now["hash"] != old_hash else None


def _slider_moved(page, script: str, i: int, before: dict) -> dict | None:
    now = page.evaluate(script, i)
    return now if (now.get("value"), now.get("readout")) != (before.get("value"), before.get("readout")) else None


def _pick_handle(handles: list[dict]) -> tuple[int, int] | None:
    """(handle index, +1 or -1): the first handle that can move right, else one that can move left."""
    for i, h in enumerate(handles):
        if h["now"] < h["max"]:
            return i, 1
    for i, h in enumerate(handles):
        if h["now"] > h["min"]:
            return i, -1
    return None


def _target_fraction(handles: list[dict], index: int, direction: int) -> float:
    """Where on the track (0..1) to move handle ``index``: a single handle goes to the end of the
    track, a range handle 40% of the way to its limit (the other handle), or all the way when 40%
    is less than one unit."""
    lo, hi = handles[0]["min"], handles[-1]["max"]
    h = handles[index]
    limit = h["max"] if direction > 0 else h["min"]
    share = 1.0 if len(handles) == 1 or abs(limit - h["now"]) * 0.4 < 1 else 0.4
    target = h["now"] + (limit - h["now"]) * share
    return (target - lo) / (hi - lo) if hi > lo else 0.5


def _drag_handle(page, slider, handle, fraction: float) -> None:
    """Drag the handle (centred in the viewport first) to ``fraction`` of the track."""
    handle.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    track = slider.locator(".noUi-target, input[type=range]").first
    tb, hb = track.bounding_box(), handle.bounding_box()
    if not tb or not hb:
        raise RuntimeError("the slider has no box on screen")
    x0, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
    x1 = tb["x"] + min(max(fraction, 0.0), 1.0) * tb["width"]
    page.mouse.move(x0, y)
    page.mouse.down()
    page.mouse.move(x1, y, steps=12)
    page.mouse.up()
    page.mouse.move(0, 0)


def check_sliders(page, run: LessonRun) -> None:
    """Move every lk-slider the way a student would; the figure in the same widget/cell must redraw.

    Keyboard first: focus the handle, press the arrow key three times and, if the figure did not
    change yet, End/Home. If the arrow keys do not move the handle at all (Notebook 7 keeps them
    for its own shortcuts), drag the handle with the mouse instead.
    """
    script = js_fn(JS_SLIDER_FIGURE)
    sliders = page.locator("[data-lk-root] .lk-slider")
    for i in range(sliders.count()):
        before = page.evaluate(script, i)
        name = f"slider #{i}" + (f" '{before['label']}'" if before.get("label") else "")
        entry = {
            "slider": i,
            "label": before.get("label", ""),
            "before": before.get("value") or before.get("readout"),
            "after": None,
            "moved_by": None,
            "redrawn": False,
        }
        run.sliders.append(entry)
        if not before["found"]:
            run.problem(f"{name}: {before['reason']}")
            continue
        pick = _pick_handle(before["handles"])
        if pick is None:
            run.problem(
                f"{name}: no slider handle that can move (.noUi-handle / input[type=range]): {before['handles']}"
            )
            continue
        index, direction = pick
        slider = sliders.nth(i)
        handle = slider.locator(".noUi-handle, input[type=range]").nth(index)
        step_key, end_key = ("ArrowRight", "End") if direction > 0 else ("ArrowLeft", "Home")
        redrawn = partial(_slider_changed, page, script, i, before["hash"])
        after = None
        try:
            handle.evaluate("(e) => e.scrollIntoView({block: 'center'})")
            watching = page.evaluate(js_fn(JS_WATCH_START), i)
            handle.focus(timeout=5000)
            for press in range(3):
                handle.press(step_key)
                if press == 0:
                    _mid_screenshot(page, slider, run, i, entry)
                page.wait_for_timeout(100)
            if _poll(page, partial(_slider_moved, page, script, i, before), 2.0, 0.25):
                entry["moved_by"] = f"keyboard ({step_key} x3)"
                after = _poll(page, redrawn, 4.0)
                if not after:
                    handle.press(end_key)
                    entry["moved_by"] += f", then {end_key}"
                    after = _poll(page, redrawn, SLIDER_TIMEOUT)
            else:
                run.notes.append(
                    f"{name}: {step_key} on the focused slider handle did not move it (in Notebook 7 "
                    "the notebook shortcut notebook:move-cursor-heading-below-or-expand / ...-above-or-"
                    "collapse takes the arrow keys); dragged it with the mouse instead"
                )
                _drag_handle(page, slider, handle, _target_fraction(before["handles"], index, direction))
                entry["moved_by"] = "dragging the handle with the mouse"
                after = _poll(page, redrawn, SLIDER_TIMEOUT)
        except Exception as exc:  # noqa: BLE001
            run.problem(f"{name}: could not move it: {str(exc).splitlines()[0]}")
            continue
        after = after or page.evaluate(script, i)
        page.wait_for_timeout(300)
        watch = page.evaluate(JS_WATCH_STOP) if watching else None
        entry["frames"] = watch
        if watch and (watch["blank"] or watch["collapsed"]):
            run.problem(
                f"{name}: while it moved, its figure was blank in {watch['blank']} and collapsed in "
                f"{watch['collapsed']} of {watch['frames']} frames (height {watch['start']} px, lowest "
                f"{watch['lowest']} px); see {entry.get('mid_screenshot')}"
            )
        after = page.evaluate(script, i) if after.get("found") else after
        entry["after"] = after.get("value") or after.get("readout")
        entry["redrawn"] = bool(after.get("found") and after["hash"] != before["hash"])
        if not entry["redrawn"]:
            moved = entry["after"] != entry["before"]
            run.problem(
                f"{name}: the figure in the same widget/cell did not change within {SLIDER_TIMEOUT}s after "
                f"moving the slider by {entry['moved_by']} (value {entry['before']} -> {entry['after']}"
                f"{'' if moved else ', the slider itself did not move'})"
            )


def _mid_screenshot(page, slider, run: LessonRun, i: int, entry: dict) -> None:
    """A screenshot of the slider's widget box taken just after the first key press (mid-interaction)."""
    path = ARTIFACTS / f"{Path(run.lesson).stem}-{run.frontend}-slider{i}-mid.png"
    try:
        box = slider.locator("xpath=ancestor::*[contains(@class, 'widget-vbox')][1]")
        target = box if box.count() else slider
        page.wait_for_timeout(60)
        target.screenshot(path=str(path), timeout=5000)
        entry["mid_screenshot"] = str(path.relative_to(ROOT))
    except Exception as exc:  # noqa: BLE001 - a missing picture is noted, not a failure
        run.notes.append(f"slider #{i}: no mid-interaction screenshot ({str(exc).splitlines()[0]})")


RESIZES = (
    {"width": VIEWPORT["width"], "height": VIEWPORT["height"] + 100},
    {"width": VIEWPORT["width"] - 100, "height": VIEWPORT["height"] + 100},
)


def check_resize(page, run: LessonRun) -> None:
    """A student resizes the window: every figure must keep its height.

    The window grows 100 px taller, then 100 px narrower, then is restored. (Seen: a plotly figure
    displayed with config {"responsive": true} collapses to height 0 in JupyterLab and Notebook 7
    when the window height changes, and in Voila when its width changes.)
    """
    script = js_fn(JS_PLOT_HEIGHTS)
    before = {p["index"]: p for p in page.evaluate(script)}
    collapsed: dict[int, str] = {}
    for size in RESIZES:
        page.set_viewport_size(size)
        page.wait_for_timeout(1200)
        for p in page.evaluate(script):
            b = before.get(p["index"])
            if b and b["height"] >= 10 and p["height"] < 10 and p["index"] not in collapsed:
                collapsed[p["index"]] = f"{size['width']}x{size['height']}"
    page.set_viewport_size(dict(VIEWPORT))
    page.wait_for_timeout(800)
    for index, size in collapsed.items():
        b = before[index]
        label = f"figure #{index}" + (f" '{b['title']}'" if b["title"] else "")
        run.problem(
            f"{label} collapsed from {b['height']} px to height 0 when the browser window was resized "
            f"from {VIEWPORT['width']}x{VIEWPORT['height']} to {size}"
        )


def full_screenshot(page, path: Path, run: LessonRun | None = None) -> None:
    """Screenshot of the whole notebook: grow the viewport by what the scroll container hides."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        extra = page.evaluate(JS_SCROLL_EXTRA)
        if extra > 0:
            height = min(MAX_SCREENSHOT_HEIGHT, VIEWPORT["height"] + extra + 20)
            page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
            page.wait_for_timeout(1000)
            propped = page.evaluate(js_fn(JS_PROP_OPEN))
            if propped and run is not None:
                run.notes.append(
                    f"screenshot: {propped} figure(s) that collapsed when the window was stretched "
                    "were propped open to their drawn height"
                )
            page.evaluate(JS_SCROLL_TOP)
        page.screenshot(path=str(path), full_page=True, timeout=60000)
    except Exception:  # noqa: BLE001 - a screenshot must never hide the real result
        try:
            page.screenshot(path=str(path), timeout=30000)
        except Exception:  # noqa: BLE001
            pass


def run_lesson(browser, server: Server, name: str, frontend: str, answers_dir: Path, axe_check=None) -> LessonRun:
    """Open one notebook like a student, run it, check it, and return what was found.

    ``axe_check(page, run)``, if given, runs after all cells ran and the figures drew, before the
    prompts and sliders are touched.
    """
    assert frontend in FRONTENDS, frontend
    run = LessonRun(lesson=name, frontend=frontend)
    t0 = time.monotonic()
    context = browser.new_context(viewport=dict(VIEWPORT), service_workers="block")
    page = context.new_page()
    requests = RequestLog(context, page)
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(f"{m.type}: {m.text[:400]}") if m.type in ("error", "warning") else None,
    )
    page.on("pageerror", lambda e: console.append(f"error (uncaught): {str(e)[:400]}"))
    relay = KernelRelay(STRESS_UPDATE_DELAY)
    if STRESS:
        stress_page(context, page)
        relay.attach(page)
        RELAYS[:] = [relay]
    page.set_default_timeout(30000)
    shot = ARTIFACTS / f"{Path(name).stem}-{frontend}.png"
    try:
        if frontend == "voila":
            resp = page.goto(
                server.url(f"/voila/render/{quote(name)}"), wait_until="load", timeout=(RUN_TIMEOUT + 60) * 1000
            )
            if resp is None or resp.status != 200:
                run.problem(f"voila answered HTTP {resp.status if resp else '?'} for {name}")
            page.evaluate(JS_MARK_VOILA_ROOT)
            run.timings["open_and_run"] = time.monotonic() - t0
        else:
            if not _open_notebook_app(page, server, name, frontend, run):
                return run
            run.timings["open"] = time.monotonic() - t0
            t1 = time.monotonic()
            _run_all(page, run)
            run.timings["run"] = time.monotonic() - t1
        t2 = time.monotonic()
        _wait_rendered(page, run)
        run.timings["render"] = time.monotonic() - t2
        run.state = {**collect(page), "run": run.state.get("run")}
        check_state(run.state, run)
        for w in run.state["warnings"]:
            run.notes.append(f"stderr output (not an error): {w}")
        if run.state["noAlt"]:
            run.notes.append(f"figures without a details.lk-alt after them: {run.state['noAlt']}")
        if axe_check is not None:
            t3 = time.monotonic()
            axe_check(page, run)
            run.timings["axe"] = time.monotonic() - t3
        t4 = time.monotonic()
        check_prompts(page, run, answers_dir)
        check_sliders(page, run)
        check_resize(page, run)
        run.timings["interact"] = time.monotonic() - t4
        after = collect(page)
        for t in new_widget_trouble(run.state["widgetTrouble"], after["widgetTrouble"]):
            run.problem(f"widget output shows trouble after the interactions: {t}")
        for e in after["errors"]:
            if e not in run.state["errors"]:
                run.problem("error output after the interactions:\n      " + e.replace("\n", "\n      "))
    except Exception as exc:  # noqa: BLE001 - report, with a screenshot, instead of a bare traceback
        run.problem(f"{type(exc).__name__}: {str(exc).strip()[:1500]}")
    finally:
        if STRESS:
            run.notes.append(
                f"stress mode: CPU throttled {STRESS_CPU_THROTTLE}x, {STRESS_LATENCY_MS} ms added to every response, "
                f"{STRESS_HOGS} spinning processes, {relay.held} widget state updates held back "
                f"0.2-{STRESS_UPDATE_DELAY} s"
            )
            RELAYS.clear()
        full_screenshot(page, shot, run)
        run.screenshot = str(shot.relative_to(ROOT))
        if run.problems and console:  # what the page's scripts said, to find a failure's cause (errors first)
            noise = ("Unsatisfied version", "No satisfying version", "Federation Runtime")
            said = sorted(
                (c for c in console if not any(n in c for n in noise)), key=lambda c: not c.startswith("error")
            )
            run.notes.extend(f"browser console {c}" for c in said[:20])
        run.request_count = len(requests.urls)
        run.external_requests = requests.external()
        for url in run.external_requests:
            run.problem(f"request left 127.0.0.1: {url}")
        try:
            page.close()
            context.close()
        except Exception:  # noqa: BLE001
            pass
        if frontend == "voila":
            server.shutdown_voila_kernels(requests.urls)
        else:
            server.shutdown_sessions(name)
        run.timings["total"] = time.monotonic() - t0
        run.write_json()
    return run


# --------------------------------------------------------------------------------------------
# Accessibility (axe-core via axe_playwright_python)
# --------------------------------------------------------------------------------------------

# Only what the lesson itself puts on the page: cell outputs and rendered markdown of the
# notebook panel marked data-lk-root. JupyterLab's own chrome (menus, toolbars, side panels,
# prompts, code editors, status bar) is outside these selectors and so never checked.
AXE_INCLUDE = ("[data-lk-root] .jp-OutputArea-output", "[data-lk-root] .jp-MarkdownOutput")
# Plotly's hover-only toolbar is plotly.js chrome, not lesson content.
AXE_EXCLUDE = ("[data-lk-root] .modebar-container",)
AXE_FAIL_IMPACTS = ("serious", "critical")
AXE_IMPACTS = ("critical", "serious", "moderate", "minor")


def run_axe(page, include: tuple[str, ...], exclude: tuple[str, ...] = ()) -> dict:
    """axe-core on the elements matching ``include`` (less ``exclude``): counts by impact and the violations,
    or ``{"error": ...}`` when it could not run."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        return {"error": "axe_playwright_python is not installed (pip install axe-playwright-python)"}
    present = [sel for sel in include if page.locator(sel).count()]
    if not present:
        return {"error": f"nothing to check: no element matches {include}"}
    context = {"include": [[sel] for sel in present], "exclude": [[sel] for sel in exclude]}
    try:
        response = Axe().run(page, context=context, options={"resultTypes": ["violations"]}).response
    except Exception as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {str(exc)[:500]}", "context": context}
    violations = []
    rules = dict.fromkeys(AXE_IMPACTS, 0)
    nodes = dict.fromkeys(AXE_IMPACTS, 0)
    for v in response.get("violations", []):
        impact = v.get("impact") or "minor"
        rules[impact] = rules.get(impact, 0) + 1
        nodes[impact] = nodes.get(impact, 0) + len(v.get("nodes", []))
        violations.append(
            {
                "id": v["id"],
                "impact": impact,
                "help": v.get("help", ""),
                "helpUrl": v.get("helpUrl", ""),
                "nodes": [
                    {
                        "target": n.get("target"),
                        "html": " ".join((n.get("html") or "").split())[:300],
                        "summary": (n.get("failureSummary") or "")[:300],
                    }
                    for n in v.get("nodes", [])[:10]
                ],
                "node_count": len(v.get("nodes", [])),
            }
        )
    return {
        "axe_version": (response.get("testEngine") or {}).get("version"),
        "context": context,
        "rules_by_impact": rules,
        "nodes_by_impact": nodes,
        "passes": len(response.get("passes", [])),
        "incomplete": len(response.get("incomplete", [])),
        "violations": violations,
    }


def axe_check(page, run: LessonRun) -> None:
    """Run axe-core on the lesson's own output; store a summary in run.axe and axe-<lesson>.json."""
    result = run_axe(page, AXE_INCLUDE, AXE_EXCLUDE)
    run.axe = result if "error" in result else {"lesson": run.lesson, **result}
    if "error" in result:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"axe-{Path(run.lesson).stem}.json").write_text(
        json.dumps(run.axe, indent=2, ensure_ascii=False), encoding="utf-8"
    )


def is_ipywidgets_slider_name_issue(violation: dict) -> bool:
    """ipywidgets 8.1 renders sliders with noUiSlider and gives the handle (role="slider") no
    accessible name; axe reports it as aria-input-field-name (serious)."""
    return violation["id"] == "aria-input-field-name" and all("noUi-handle" in n["html"] for n in violation["nodes"])


def axe_failures(axe: dict) -> list[str]:
    """Readable lines for every serious/critical violation.

    One upstream violation is accepted, and only that one: ipywidgets' slider handle has no accessible
    name (see is_ipywidgets_slider_name_issue). Every lesson slider carries a visible description label
    beside it; the handle itself is ipywidgets' markup, which lessons cannot label.
    """
    lines = []
    for v in axe.get("violations", []):
        if v["impact"] not in AXE_FAIL_IMPACTS or is_ipywidgets_slider_name_issue(v):
            continue
        lines.append(f"{v['id']} ({v['impact']}, {v['node_count']} node(s)): {v['help']} - {v['helpUrl']}")
        for n in v["nodes"]:
            lines.append(f"    {n['target']}: {n['html']}")
    return lines


# --------------------------------------------------------------------------------------------
# A notebook with planted faults, made from the demo in the temp root, to prove the checks bite
# --------------------------------------------------------------------------------------------

PLANTED_LESSON = "planted_faults.ipynb"
PLANTED_REPLACEMENTS = {
    'data-lk-traces="2"': 'data-lk-traces="3"',
    'prompt.observe(save_answer, names="value")': "pass  # planted fault: the answer is never saved",
    'slider.observe(move, names="value")': "pass  # planted fault: the figure never moves",
}
PLANTED_EXTERNAL_URL = "https://cdn.jsdelivr.net/npm/planted-fault/x.png"


def write_planted_notebook(root: Path) -> Path:
    """Copy the demo with faults planted: a wrong data-lk-traces, a prompt that never saves, a
    slider that moves nothing, an image from a CDN (the request is aborted in the browser), a
    button without a name (axe: button-name), a figure with config responsive=True (it collapses
    when the window is resized) and a failing cell."""
    nb = json.loads(DEMO_LESSON.read_text(encoding="utf-8"))
    hits = dict.fromkeys(PLANTED_REPLACEMENTS, 0)
    for cell in nb["cells"]:
        src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        for old, new in PLANTED_REPLACEMENTS.items():
            if old in src:
                hits[old] += 1
                src = src.replace(old, new)
        cell["source"] = src
    missing = [old for old, n in hits.items() if not n]
    if missing:
        raise RuntimeError(f"demo fixture changed; cannot plant faults for {missing}")
    nb["cells"].append(
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "planted-faults",
            "metadata": {},
            "outputs": [],
            "source": f'display(HTML(\'<img alt="planted" src="{PLANTED_EXTERNAL_URL}">\'\n'
            "             '<button type=\"button\"></button>'))\n"
            "display({'application/vnd.plotly.v1+json': {'data': [{'type': 'bar', 'y': [1, 2]}],\n"
            "          'layout': {'height': 250}, 'config': {'responsive': True}}}, raw=True)\n"
            "raise RuntimeError('planted fault')",
        }
    )
    path = root / PLANTED_LESSON
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return path


# Voila 0.5's "lab" template links Font Awesome from a CDN (templates/lab/index.html.j2, block
# notebook_css), although voila's own JS bundle already contains Font Awesome 5.15.4. Lessons are
# failed for it; the harness self-test tolerates it so that it still proves the harness itself.
VOILA_TEMPLATE_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@"


def selftest_problems(run: LessonRun) -> list[str]:
    """The demo's problems, less the known upstream one above (which every Voila page has)."""
    return [p for p in run.problems if not p.startswith(f"request left 127.0.0.1: {VOILA_TEMPLATE_CDN}")]


def demo_not_exercised(run: LessonRun) -> list[str]:
    """What the demo fixture should have exercised but did not (so a check that silently found
    nothing to check is caught)."""
    st, missing = run.state, []
    plots = st.get("plots", [])
    if sum(1 for p in plots if p.get("svg")) < 2:
        missing.append(f"expected 2 drawn figures (a plain figure and one in a FigureView), got {plots}")
    if not any(a.get("expected") == 2 and a.get("rendered") == 2 for a in st.get("alts", [])):
        missing.append(f"the lk-alt trace count (2) was not matched: {st.get('alts')}")
    if not any(p.get("saved_in") for p in run.prompts):
        missing.append(f"no prompt answer was saved: {run.prompts}")
    if not any(s.get("redrawn") for s in run.sliders):
        missing.append(f"no slider redrew its figure: {run.sliders}")
    if run.request_count == 0:
        missing.append("no request was recorded at all")
    shot = ROOT / run.screenshot if run.screenshot else None
    if not shot or not shot.is_file() or shot.stat().st_size < 10_000:
        missing.append(f"no usable screenshot at {run.screenshot!r}")
    return missing
