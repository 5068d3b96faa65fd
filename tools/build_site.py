"""Build the static site: every lesson to read before installing, the teacher's pages, and the JupyterLite edition.

Usage::

    python tools/build_site.py --out build/site

Each lesson is run top to bottom in a fresh kernel (answers go to a temporary folder), and its outputs
become plain HTML (tools/site_widgets.py): the story, every figure drawn by the page's own copy of
plotly.js (zoom, hover) with its text alternative, the tables, source cards, claim checks, the quiz
questions (the answers are only in the teacher guide), the discussion prompts and the sources. Controls
that need a kernel show their first state, disabled, with a link to the interactive versions: the
JupyterLite edition built into ``lite/`` of the same folder, Binder and a school JupyterHub.

The teacher's pages: running a lesson in class (docs/teaching.md), the teacher guide and the handouts
(from ``lessonkit guide`` and ``lessonkit handouts``), the corrections log, the data provenance and the
licences. After the build every page is checked: no address off the site in any ``src``, stylesheet or
script, and every link within the site leads to a file (and to an anchor that exists). The folder given
as ``--out`` is replaced, but only if it is an earlier build of this site. docs/site.md says how to
publish it.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

import nbformat
from nbclient import NotebookClient

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
sys.path.insert(0, str(TOOLS))

import build_lite  # noqa: E402
import release_links  # noqa: E402
import site_pages  # noqa: E402
from site_widgets import WIDGET_STATE, Rendered, SiteError, StaticOutputs  # noqa: E402

from lessonkit._version import __version__  # noqa: E402

MANIFEST = "lessonkit-site.json"
DEFAULT_OUT = ROOT / "build" / "site"
LESSONS = ROOT / "lessons"
STATIC = "_static"
#: Repository Markdown files that are pages of the site: (repository path, site path, title).
TEACHER_DOCS = [
    ("docs/teaching.md", "teacher/teaching.html", "Running a lesson in class"),
    ("docs/corrections.md", "teacher/corrections.html", "Corrections log"),
    ("data/README.md", "teacher/data.html", "Where the data come from"),
    ("docs/students-and-teachers.md", "teacher/students-and-teachers.html", "Students' work and teachers' tools"),
    ("docs/jupyterlite.md", "teacher/jupyterlite.html", "Hosting the interactive edition (JupyterLite)"),
    ("CONTRIBUTING.md", "teacher/contributing.html", "Contributing a lesson or a correction"),
    ("LICENSE-CONTENT.md", "teacher/licence-content.html", "Licence of the lesson text and data"),
]
#: Plain-text files copied as they are (licences).
TEXT_FILES = [
    ("LICENSE", "teacher/LICENSE.txt"),
    ("data/geo/petrograd/LICENSE-ODbL-1.0.txt", "teacher/LICENSE-ODbL-1.0.txt"),
]
esc = html.escape


class BuildError(RuntimeError):
    """The site cannot be built as it should be; the message says why."""


def log(msg: str) -> None:
    print(f"[build_site] {msg}", flush=True)


# ---- the lessons --------------------------------------------------------------------------------------
def execute_lessons(work: Path) -> list[tuple[Path, nbformat.NotebookNode]]:
    """Run every lesson in a fresh kernel, from a temporary copy of lessons/ (its answers stay in the copy)."""
    copy = work / "lessons"
    shutil.copytree(LESSONS, copy, ignore=shutil.ignore_patterns("my_answers", ".ipynb_checkpoints"))
    # No LESSONKIT_ANSWERS: answers go to my_answers/ in the copy, and the page names that folder, as a
    # student's own lesson would.
    env_before = os.environ.pop("LESSONKIT_ANSWERS", None)
    done = []
    try:
        for path in sorted(copy.glob("*.ipynb")):
            t0 = time.monotonic()
            nb = nbformat.read(path, as_version=4)
            client = NotebookClient(
                nb,
                timeout=600,
                kernel_name="python3",
                store_widget_state=True,
                resources={"metadata": {"path": str(copy)}},
            )
            try:
                client.execute()
            except Exception as exc:  # nbclient's CellExecutionError names the cell and the traceback
                raise BuildError(f"{path.name} failed when run: {exc}") from exc
            log(f"ran {path.name} in {time.monotonic() - t0:.1f} s")
            done.append((path, nb))
    finally:
        if env_before is not None:
            os.environ["LESSONKIT_ANSWERS"] = env_before
    return done


def open_links(name: str, release: release_links.Release) -> str:
    """The box at the top of a lesson page: where the working version of this lesson is."""
    lite = esc(f"../lite/{build_lite.LESSON_APP}/index.html?path={quote(name)}")
    binder = release.binder(f"lab/tree/lessons/{name}")
    return (
        '<aside class="lk-site-open" id="interactive" aria-label="Open the interactive version">'
        "<p><strong>This page is a reading copy.</strong> The figures zoom and show their numbers on hover; "
        "the activities, the self-check questions and the discussion prompts work in the interactive version:</p>"
        f'<p><a href="{lite}">Open in the browser (JupyterLite, nothing to install)</a> · '
        f'<a href="{esc(binder)}">Open on Binder</a> · '
        '<a href="../teacher/teaching.html#on-a-school-jupyterhub">Open on a school JupyterHub</a></p>'
        "</aside>"
    )


NEEDS_KERNEL = (
    '<p class="lk-site-needs-kernel">Shown as it starts. To use it, '
    '<a href="#interactive">open the interactive version</a>.</p>'
)


def cell_html(cell: nbformat.NotebookNode, outputs: StaticOutputs) -> tuple[str, Rendered]:
    """One cell: Markdown as HTML; code folded away, with its outputs and a note under any activity."""
    if cell.cell_type == "markdown":
        return site_pages.markdown_text(cell.source), Rendered("")
    if cell.cell_type != "code":
        return "", Rendered("")
    parts = (
        [
            f'<details class="lk-site-code"><summary>The code of this step</summary>'
            f"<pre><code>{esc(cell.source)}</code></pre></details>"
        ]
        if cell.source.strip()
        else []
    )
    total = Rendered("")
    for rendered in outputs.cell_outputs(cell.get("id", "?"), cell.get("outputs", [])):
        parts.append(rendered.html)
        if rendered.controls:
            parts.append(NEEDS_KERNEL)
        total = total + rendered
    return "".join(parts), total


def lesson_page(
    path: Path, nb: nbformat.NotebookNode, neighbours: tuple[dict | None, dict | None], release: release_links.Release
) -> tuple[str, dict]:
    """The page of one executed lesson, and what it holds (figures, activities)."""
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {})
    outputs = StaticOutputs(state, path.name)
    body, total = [], Rendered("")
    for cell in nb.cells:
        text, rendered = cell_html(cell, outputs)
        body.append(text)
        total = total + rendered
    title, summary = build_lite.lesson_title(nb)
    before, after = neighbours
    steps = []
    if before:
        steps.append(f'<a href="{esc(before["page"].split("/")[-1])}" rel="prev">← {esc(before["title"])}</a>')
    if after:
        steps.append(f'<a href="{esc(after["page"].split("/")[-1])}" rel="next">{esc(after["title"])} →</a>')
    footer = (
        f"<footer><p>{' · '.join(steps)}</p><p>lessonkit {esc(__version__)}. Lesson text: CC BY-SA 4.0; "
        'code: MIT (<a href="../teacher/licences.html">licences</a>). Errors found and fixed: '
        '<a href="../teacher/corrections.html">corrections log</a>.</p></footer>'
    )
    scripts = f'<script src="../{STATIC}/plotly.min.js"></script><script src="../{STATIC}/site.js"></script>'
    html_text = site_pages.chrome(
        title or path.stem, open_links(path.name, release) + "".join(body) + footer + scripts, depth=1
    )
    info = {
        "file": path.name,
        "title": title,
        "summary": summary,
        "figures": total.figures,
        "activities": html_text.count('class="lk-site-needs-kernel"'),
    }
    return html_text, info


SITE_JS = """// Draws every figure of the page from the JSON beside it, with the site's own plotly.js.
document.querySelectorAll('script.lk-site-figure-data').forEach(function (node) {
  var target = document.getElementById(node.dataset.for);
  if (typeof Plotly === 'undefined') {  // _static/plotly.min.js did not load
    target.dataset.lkDrawn = 'failed';
    target.textContent = 'This figure could not be drawn (plotly.js did not load). ' +
      'Its numbers are in the table below it.';
    return;
  }
  var fig = JSON.parse(node.textContent);
  Plotly.newPlot(target, fig.data, fig.layout, fig.config).then(function () {
    target.dataset.lkDrawn = 'yes';
  }, function (err) {
    target.dataset.lkDrawn = 'failed';
    target.textContent = 'This figure could not be drawn: ' + err + '. Its numbers are in the table below it.';
  });
});
"""


# ---- the teacher's pages and the home page --------------------------------------------------------------
def teacher_pages(out: Path, work: Path, release: release_links.Release) -> list[str]:
    """Write teacher/: its index, the Markdown pages, the guide, the handouts and the licences."""
    teacher = out / "teacher"
    teacher.mkdir(parents=True)
    pages = {src: dest for src, dest, _ in TEACHER_DOCS}
    pages["LICENSE"] = "teacher/LICENSE.txt"

    def repository_file(path: str) -> str:
        return f"{release.repository}/blob/{release.tag}/{path}"

    written = []
    for src, dest, title in TEACHER_DOCS:
        text = (ROOT / src).read_text(encoding="utf-8")
        body = site_pages.markdown_page(text, src, pages, dest, repository_file)
        (out / dest).write_text(site_pages.chrome(title, body, depth=1, here="teacher/index.html"), encoding="utf-8")
        written.append(dest)
    for src, dest in TEXT_FILES:
        shutil.copyfile(ROOT / src, out / dest)
        written.append(dest)
    licences = (
        "<h1>Licences</h1><ul>"
        '<li>Code: MIT (<a href="LICENSE.txt">the licence</a>).</li>'
        "<li>Lesson text, questions and compiled data tables: CC BY-SA 4.0 "
        '(<a href="licence-content.html">what that means here</a>).</li>'
        "<li>Map data keeps its own licence: Natural Earth (public domain); GeoNames city points (CC BY 4.0, "
        "credit “GeoNames (geonames.org)”); the Petrograd layers are derived from OpenStreetMap "
        '(© OpenStreetMap contributors, <a href="LICENSE-ODbL-1.0.txt">ODbL 1.0</a>). '
        'Each data file\'s source and licence: <a href="data.html">where the data come from</a>.</li>'
        "<li>The article itself is not included: the lessons retell it in their own words and quote only "
        "the short slogans and speeches it reports.</li></ul>"
    )
    (teacher / "licences.html").write_text(
        site_pages.chrome("Licences", licences, 1, "teacher/index.html"), encoding="utf-8"
    )
    written.append("teacher/licences.html")
    for command, folder in (("guide", "guide"), ("handouts", "handouts")):
        proc = subprocess.run(
            [sys.executable, "-m", "lessonkit", command, "--out", str(teacher / folder)],
            capture_output=True,
            text=True,
            env={**os.environ, "LESSONKIT_ANSWERS": str(work / "a")},
        )
        if proc.returncode:
            raise BuildError(f"lessonkit {command} failed ({proc.returncode}): {proc.stdout}{proc.stderr}")
        for path in sorted((teacher / folder).iterdir()):
            if path.suffix == ".html":
                path.write_text(site_pages.with_nav(path.read_text(encoding="utf-8"), depth=2), encoding="utf-8")
            written.append(f"teacher/{folder}/{path.name}")
    items = [
        (
            "teaching.html",
            "Running a lesson in class",
            "the ways to open the lessons, before and during a lesson, collecting work",
        ),
        (
            "guide/teacher_guide.html",
            "Teacher guide",
            "objectives, a time plan, answer keys with the feedback for "
            "every option, model points for the prompts, misconceptions, facilitation notes",
        ),
        ("handouts/index.html", "Handouts", "one printable page per lesson"),
        (
            "corrections.html",
            "Corrections log",
            "every error found in the lessons, how it was fixed, and what could not be sourced",
        ),
        ("data.html", "Where the data come from", "each data file, its sources and licence"),
        (
            "students-and-teachers.html",
            "Students' work and teachers' tools",
            "where answers are saved, collecting a class's work, the lessonkit command",
        ),
        (
            "jupyterlite.html",
            "Hosting the interactive edition",
            "putting the JupyterLite edition on a school server, GitHub Pages or a USB stick",
        ),
        ("contributing.html", "Contributing", "writing a new lesson, sending a correction"),
        ("licences.html", "Licences", "code, lesson text, data, maps"),
    ]
    rows = "".join(f'<li><a href="{href}">{esc(t)}</a>: {esc(d)}.</li>' for href, t, d in items)
    index = (
        "<h1>For teachers</h1><p>The guide holds the answer keys: it is for teachers, and the lesson "
        f"pages never show them.</p><ul>{rows}</ul>"
    )
    (teacher / "index.html").write_text(
        site_pages.chrome("For teachers", index, 1, "teacher/index.html"), encoding="utf-8"
    )
    return ["teacher/index.html", *written]


def home_page(lessons: list[dict], release: release_links.Release) -> str:
    rows = "".join(
        f'<tr><td><a href="{esc(item["page"])}">{esc(item["title"])}</a></td><td>{esc(item["summary"])}</td>'
        f'<td><a href="lite/{build_lite.LESSON_APP}/index.html?path={esc(item["file"])}">interactive</a></td></tr>'
        for item in lessons
    )
    body = (
        "<h1>The Russian Revolution of 1917: interactive lessons</h1>"
        "<p>Eleven lessons that teach the article “The Russian Revolution” (<em>The Spark</em>, 31 December "
        "1977), one per section of the article and a start-here lesson. Each lesson retells a section, "
        "explores it with maps, timelines and figures, weighs the article against other sources, and ends "
        "with self-check questions and prompts for discussion. Every number, date and place comes with its "
        "source.</p>"
        "<p>The article is a partisan source, written by a revolutionary socialist paper sixty years after the "
        "events: the lessons teach what it says, what the evidence says, what it leaves out, and where "
        "historians disagree.</p>"
        '<aside class="lk-site-open" id="interactive"><p><strong>These pages are for reading.</strong> To work '
        'through a lesson, <a href="lite/index.html">open the interactive edition in this browser</a> '
        f'(JupyterLite: nothing to install, answers kept in the browser), <a href="{esc(release.binder())}">'
        'open it on Binder</a>, or <a href="teacher/teaching.html">run it on a school JupyterHub or your own '
        "computer</a>.</p></aside>"
        f'<table class="lk-site-lessons"><thead><tr><th>Lesson</th><th>What it is about</th><th></th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        '<p><a href="teacher/index.html">For teachers</a>: the guide with answer keys, handouts, the '
        "corrections log, data provenance and licences.</p>"
        f"<footer><p>lessonkit {esc(__version__)}.</p></footer>"
    )
    return site_pages.chrome("The Russian Revolution of 1917: interactive lessons", body, depth=0, here="index.html")


# ---- checks after the build -------------------------------------------------------------------------------
class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("src", "href") and value is not None:
                self.refs.append((tag, name, value))


def _parse(path: Path) -> _Refs:
    parser = _Refs()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_site(out: Path, pages: list[str]) -> dict:
    """Every page's references: nothing loaded from off the site, every local link resolves. Raises on a fault."""
    problems: list[str] = []
    parsed: dict[Path, _Refs] = {}
    external_links: set[str] = set()
    local_links = 0
    for name in pages:
        if not name.endswith(".html"):
            continue
        path = out / name
        refs = parsed.setdefault(path, _parse(path))
        text = path.read_text(encoding="utf-8")
        if re.search(r"url\(\s*['\"]?(https?:)?//", text) or "@import" in text:
            problems.append(f"{name}: a stylesheet loads something from off the site")
        for tag, attr, value in refs.refs:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https") or value.startswith("//"):
                if tag != "a":
                    problems.append(f"{name}: <{tag} {attr}> loads {value} from off the site")
                else:
                    external_links.add(value)
                continue
            if parts.scheme in ("data", "mailto"):
                continue
            if parts.scheme:
                problems.append(f"{name}: <{tag} {attr}={value!r}> uses a scheme the site cannot serve")
                continue
            local_links += 1
            target = path if not parts.path else (path.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file() or out.resolve() not in target.resolve().parents:
                problems.append(f"{name}: <{tag} {attr}={value!r}> leads to no file of the site")
                continue
            lesson = parse_qs(parts.query).get("path", [""])[0]
            if lesson and not (target.parent.parent / "files" / lesson).is_file():  # JupyterLite: lite/files/<lesson>
                problems.append(f"{name}: <{tag} {attr}={value!r}> opens {lesson}, which the JupyterLite edition lacks")
            if parts.fragment and target.suffix == ".html":
                ids = parsed.setdefault(target, _parse(target)).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{name}: <{tag} {attr}={value!r}>: no anchor #{parts.fragment} there")
    if problems:
        raise BuildError("the built site has faults:\n  " + "\n  ".join(problems))
    return {"pages_checked": len(parsed), "local_links": local_links, "external_links": sorted(external_links)}


# ---- the build ----------------------------------------------------------------------------------------
def write_site(site: Path, work: Path, lite: Path | None) -> dict:
    """Write the whole site into the empty folder ``site``; returns its manifest (without the build time)."""
    release = release_links.read_release(ROOT)
    executed = execute_lessons(work)
    (site / "lessons").mkdir(parents=True)
    (site / STATIC).mkdir()
    import plotly

    shutil.copyfile(Path(plotly.__file__).parent / "package_data" / "plotly.min.js", site / STATIC / "plotly.min.js")
    (site / STATIC / "site.js").write_text(SITE_JS, encoding="utf-8")
    lessons = []
    for path, nb in executed:
        title, summary = build_lite.lesson_title(nb)
        lessons.append(
            {"file": path.name, "page": f"lessons/{path.stem}.html", "title": title or path.stem, "summary": summary}
        )
    for i, (path, nb) in enumerate(executed):
        neighbours = (lessons[i - 1] if i else None, lessons[i + 1] if i + 1 < len(lessons) else None)
        try:
            text, info = lesson_page(path, nb, neighbours, release)
        except SiteError as exc:
            raise BuildError(str(exc)) from exc
        (site / lessons[i]["page"]).write_text(text, encoding="utf-8")
        lessons[i].update(info)
    (site / "index.html").write_text(home_page(lessons, release), encoding="utf-8")
    pages = ["index.html", *(item["page"] for item in lessons), *teacher_pages(site, work, release)]
    if lite is None:
        log("building the JupyterLite edition into lite/ (tools/build_lite.py)")
        build_lite.build(site / "lite")
    else:
        shutil.copytree(lite, site / "lite")
    return {"version": __version__, "lessons": lessons, "pages": pages, "checks": check_site(site, pages)}


def build(out: Path = DEFAULT_OUT, lite: Path | None = None) -> dict:
    """Build the site into ``out``. Returns the manifest also written to ``out/lessonkit-site.json``.

    The site is written into a new folder beside ``out`` and takes its place only once it is complete and
    checked, so a build that fails leaves an earlier site as it was.
    """
    t0 = time.monotonic()
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        raise BuildError(f"{out} exists and is not an earlier build of this site (no {MANIFEST}); choose another --out")
    if lite is not None and not (lite / build_lite.MANIFEST).is_file():
        raise BuildError(f"--lite {lite} is not a tools/build_lite.py build (no {build_lite.MANIFEST})")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-building-", dir=out.parent))
    work = Path(tempfile.mkdtemp(prefix="lessonkit-site-"))
    try:
        manifest = write_site(staging, work, lite.resolve() if lite is not None else None)
        manifest["build_seconds"] = round(time.monotonic() - t0, 1)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
    figures = sum(item["figures"] for item in manifest["lessons"])
    log(
        f"built {out}: {len(manifest['lessons'])} lessons ({figures} figures), {len(manifest['pages'])} pages, "
        f"{manifest['checks']['local_links']} local links checked, {manifest['build_seconds']} s"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder, replaced (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--lite",
        type=Path,
        default=None,
        help="copy this finished tools/build_lite.py build into lite/ instead of building one",
    )
    args = parser.parse_args(argv)
    try:
        build(args.out, args.lite)
    except (BuildError, build_lite.BuildError) as exc:
        print(f"build_site: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
