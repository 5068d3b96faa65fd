"""Build the JupyterLite site: every lesson running in the browser, with no server and no internet.

    python tools/build_lite.py --out build/lite

The result is a folder of static files. Serve it from any web server (``python -m http.server``
in the folder is enough) and open ``index.html``: a landing page that links the eleven lessons.
Each lesson opens in JupyterLite's notebook page and runs on Pyodide (Python compiled to
WebAssembly) inside the browser; answers are saved in the browser's own storage.

What goes in, all from the package registries, at the versions pinned below (``PINS``):

- the lessons, copied from ``lessons/`` of this checkout at build time;
- the ``lessonkit`` wheel, built from this checkout (it carries ``data/`` and the notebooks);
- the Pyodide runtime from the npm package ``pyodide`` at the version the installed
  ``jupyterlite-pyodide-kernel`` expects (its npm integrity hash is checked);
- the pure-Python wheels the kernel bootstraps and the lessons import (IPython and its
  dependencies, micropip, comm, ipywidgets, plotly, narwhals ...), from PyPI. The npm package has
  Pyodide's lock file but not the wheels it lists, and Pyodide's own builds of those wheels are
  on its CDN only; PyPI's wheels differ byte for byte, so the lock's sha256 fields must be made
  to match them or Pyodide refuses to load them. The supported route does that:
  ``jupyter lite build --pyodide-lock`` (``PyodideLockAddon``: pyodide-lock + uv) resolves the
  pinned specs from PyPI, downloads the wheels into the site and rewrites the lock;
- the front-end extensions the lessons need, taken from the pinned wheels: plotly's renderer
  (``jupyterlab-plotly``), the widget manager (``@jupyter-widgets/jupyterlab-manager``) and the
  Pyodide kernel itself. Nothing else from the build environment is copied.

The kernel is set up so that the notebooks run unmodified: ``lessonkit`` (and everything the
kernel needs) is preloaded while Pyodide starts, and ``disablePyPIFallback`` keeps ``%pip`` from
ever asking PyPI. After the build every local file the lock names is checked against its sha256,
and the site's configuration is checked for any URL that leaves the site.

Build tools (``pip install -e ".[lite]"``): jupyterlite-core, jupyterlite-pyodide-kernel,
pyodide-lock with uv, jupyter-server (JupyterLite needs it to add contents), at the versions
in ``BUILD_TOOLS``. A build takes about 15 s with warm caches (npm tarball and wheels cached
under ``--cache``), under a minute cold. See docs/jupyterlite.md.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "lessons"
DEFAULT_OUT = ROOT / "build" / "lite"
DEFAULT_CACHE = ROOT / "build" / "lite-cache"

# ------------------------------------------------------------------------------------------------
# Every version, in one place
# ------------------------------------------------------------------------------------------------

#: The Python build tools and the versions this script was proven with (the [lite] extra in
#: pyproject.toml lists the same; tests/test_lite_words.py checks that they agree).
BUILD_TOOLS = {
    "jupyterlite-core": "0.8.6",
    "jupyterlite-pyodide-kernel": "0.8.6",
    "pyodide-lock": "0.1.2",
    "uv": "0.13.9",
}

#: Pyodide from npm: the version jupyterlite-pyodide-kernel 0.8.6 expects (its PYODIDE_VERSION)
#: and the registry's integrity hash of the tarball.
PYODIDE_NPM = {
    "name": "pyodide",
    "version": "314.0.6",
    "integrity": "sha512-BKDTJyIqFxC4BExLqeRS3f5xvXZIjOt8C3zGLN/Cc7tFxSwvKVhVkchQQ2AGLOtR4YrVOIFxbV8poyDOOmWwxQ==",
}

#: Pure-Python wheels from PyPI that go into the Pyodide lock. The kernel bootstraps micropip,
#: IPython (and its dependencies), jedi and comm; the lessons import ipywidgets and plotly.
#: Where Pyodide 314.0.6's own lock has the package, the version is the lock's.
KERNEL_WHEELS = {
    "micropip": "0.11.1",
    "ipython": "9.12.0",
    "ipython-pygments-lexers": "1.1.1",
    "jedi": "0.19.2",
    "parso": "0.8.6",
    "asttokens": "3.0.1",
    "decorator": "5.2.1",
    "executing": "2.2.1",
    "matplotlib-inline": "0.2.1",
    "prompt-toolkit": "3.0.52",
    "pure-eval": "0.2.3",
    "pygments": "2.20.0",
    "six": "1.17.0",
    "stack-data": "0.6.3",
    "traitlets": "5.14.3",
    "wcwidth": "0.6.0",
    "comm": "0.2.3",
    "ipywidgets": "8.1.9",
    "plotly": "7.1.0",
    "narwhals": "2.18.1",
    "packaging": "26.1",
}

#: Wheels whose prebuilt JupyterLab extensions the site serves (the same versions as the
#: Python packages in the kernel: the renderer and the widget manager must match them).
EXTENSION_WHEELS = {
    "plotly": KERNEL_WHEELS["plotly"],  # jupyterlab-plotly: renders application/vnd.plotly.v1+json
    "jupyterlab-widgets": "3.0.17",  # @jupyter-widgets/jupyterlab-manager for ipywidgets 8.1
}

#: ipywidgets names these, but the kernel never imports them (widgetsnbextension is the classic
#: notebook's front end, jupyterlab-widgets the extension above): left out of the lock.
LOCK_EXCLUDES = ["widgetsnbextension", "jupyterlab-widgets"]

#: Loaded while Pyodide starts (no piplite.install round trips at kernel start, and ``import
#: lessonkit`` works in the first cell). The addon adds ipykernel, comm, pyodide-kernel, ipython.
PRELOAD = ["lessonkit", "ipywidgets", "plotly", "micropip", "piplite", "jedi"]

#: The page each lesson link opens: JupyterLite's notebook page (one notebook per tab, like Notebook 7).
LESSON_APP = "notebooks"
KERNEL_SPEC = {"name": "python", "display_name": "Python (Pyodide)", "language": "python"}
SITE_NAME = "The Russian Revolution, 1917: lessons in your browser"
MANIFEST = "lessonkit-lite.json"


class BuildError(RuntimeError):
    """The build cannot go on; the message says why and what to do."""


def log(msg: str) -> None:
    print(f"[build_lite] {msg}", flush=True)


# ------------------------------------------------------------------------------------------------
# Checks and inputs
# ------------------------------------------------------------------------------------------------


def check_build_tools() -> dict[str, str]:
    """The installed build tools, or a BuildError naming what is missing or at another version."""
    found, wrong = {}, []
    for name, want in BUILD_TOOLS.items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        found[name] = have
        if have != want:
            wrong.append(f"{name} {have or 'not installed'} (want {want})")
    try:
        importlib.metadata.version("jupyter-server")
    except importlib.metadata.PackageNotFoundError:
        wrong.append("jupyter-server not installed (JupyterLite needs it to add the lessons)")
    if wrong:
        raise BuildError(
            "build tools missing or at other versions: "
            + "; ".join(wrong)
            + '. Install them with: pip install -e ".[lite]"'
        )
    from jupyterlite_pyodide_kernel.constants import PYODIDE_VERSION

    if PYODIDE_VERSION != PYODIDE_NPM["version"]:
        raise BuildError(
            f"jupyterlite-pyodide-kernel expects Pyodide {PYODIDE_VERSION}, PYODIDE_NPM pins {PYODIDE_NPM['version']}"
        )
    return found


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if proc.returncode:
        raise BuildError(f"command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{proc.stdout}\n{proc.stderr}")
    return proc


def check_integrity(path: Path, integrity: str) -> None:
    algo, _, want = integrity.partition("-")
    have = base64.b64encode(hashlib.new(algo, path.read_bytes()).digest()).decode()
    if have != want:
        raise BuildError(f"{path.name}: {algo} is {have}, the pin says {want}")


def fetch_pyodide(cache: Path) -> Path:
    """The npm tarball of Pyodide (cached; its integrity checked every time)."""
    name, version = PYODIDE_NPM["name"], PYODIDE_NPM["version"]
    tgz = cache / f"{name}-{version}.tgz"
    if not tgz.is_file():
        log(f"npm pack {name}@{version}")
        cache.mkdir(parents=True, exist_ok=True)
        npm = shutil.which("npm")
        if not npm:
            raise BuildError("npm is needed to fetch the Pyodide runtime (Debian: apt-get install npm)")
        run([npm, "pack", f"{name}@{version}", "--silent", "--pack-destination", str(cache)], cwd=cache)
    check_integrity(tgz, PYODIDE_NPM["integrity"])
    return tgz


def fetch_extension_wheels(cache: Path) -> list[Path]:
    """The pinned wheels that carry the front-end extensions (pip download, cached)."""
    dest = cache / "extension-wheels"
    dest.mkdir(parents=True, exist_ok=True)
    wheels = []
    for name, version in EXTENSION_WHEELS.items():
        stem = name.replace("-", "_")
        found = sorted(dest.glob(f"{stem}-{version}-*.whl"))
        if not found:
            log(f"pip download {name}=={version}")
            run(
                [
                    sys.executable,
                    "-m",
                    "pip",
                    "download",
                    "--no-deps",
                    "--only-binary=:all:",
                    "-q",
                    "-d",
                    str(dest),
                    f"{name}=={version}",
                ]
            )
            found = sorted(dest.glob(f"{stem}-{version}-*.whl"))
        if not found:
            raise BuildError(f"no wheel for {name}=={version} in {dest}")
        wheels.append(found[0])
    return wheels


def build_lessonkit_wheel(dest: Path) -> Path:
    """The lessonkit wheel, built from this checkout (data/ and lessons/ as they are now)."""
    dest.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dest), str(ROOT)])
    wheels = sorted(dest.glob("lessonkit-*.whl"))
    if len(wheels) != 1:
        raise BuildError(f"expected one lessonkit wheel in {dest}, found {wheels}")
    return wheels[0]


def lesson_notebooks() -> list[Path]:
    paths = sorted(LESSONS.glob("*.ipynb"))
    if not paths:
        raise BuildError(f"no lessons in {LESSONS}")
    return paths


def lesson_title(nb: dict) -> tuple[str, str]:
    """(title, one-line summary) from the lesson's first Markdown cell: '# 00 · Start here' and its italic line."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        title = next((ln[2:].strip() for ln in text.splitlines() if ln.startswith("# ")), "")
        match = re.search(r"^\*(.+?)\*\s*$", text, re.MULTILINE | re.DOTALL)
        summary = " ".join(match.group(1).split()) if match else ""
        return title, summary
    return "", ""


def copy_lessons(dest: Path) -> list[dict]:
    """Copy the lessons, with the browser kernel named in their metadata (the code is not touched).

    The notebooks name the ``python3`` kernel of a Jupyter server; JupyterLite's only kernel is
    ``python`` (Pyodide), so the copies name that one and open with no kernel question.
    """
    dest.mkdir(parents=True, exist_ok=True)
    lessons = []
    for path in lesson_notebooks():
        nb = json.loads(path.read_text(encoding="utf-8"))
        nb.setdefault("metadata", {})["kernelspec"] = dict(KERNEL_SPEC)
        (dest / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        title, summary = lesson_title(nb)
        code = sum(1 for c in nb.get("cells", []) if c.get("cell_type") == "code")
        lessons.append({"file": path.name, "title": title or path.stem, "summary": summary, "code_cells": code})
    return lessons


def unpack_pyodide(tgz: Path, dest: Path) -> None:
    """Pyodide's core runtime from the npm tarball into ``dest`` (the lite dir's static/pyodide).

    pyodide-lock 0.1.2 (the newest on PyPI) requires ``info.version`` in the lock, which
    Pyodide 314's lock no longer writes; it is added back (Pyodide itself ignores it).
    """
    dest.mkdir(parents=True, exist_ok=True)
    keep = {
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "pyodide-lock.json",
        "pyodide.js",
        "package.json",
        "README.md",
    }
    with tarfile.open(tgz) as tar:
        for member in tar.getmembers():
            name = Path(member.name).name
            if member.isfile() and member.name.startswith("package/") and name in keep:
                with tar.extractfile(member) as src:
                    (dest / name).write_bytes(src.read())
    missing = keep - {p.name for p in dest.iterdir()}
    if missing:
        raise BuildError(f"the pyodide tarball lacks {sorted(missing)}")
    lock_path = dest / "pyodide-lock.json"
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    lock["info"].setdefault("version", PYODIDE_NPM["version"])
    lock_path.write_text(json.dumps(lock), encoding="utf-8")


def kernel_extension_dir() -> Path:
    """The Pyodide kernel's front-end extension, as installed with jupyterlite-pyodide-kernel."""
    path = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "@jupyterlite" / "pyodide-kernel-extension"
    if not (path / "package.json").is_file():
        raise BuildError(f"the Pyodide kernel extension is not at {path}")
    return path


def write_lite_dir(lite: Path, out: Path, lessonkit_wheel: Path, extension_wheels: list[Path]) -> None:
    """The JupyterLite build configuration (jupyter_lite_config.json) and site config (jupyter-lite.json)."""
    config = {
        "LiteBuildConfig": {
            "contents": ["files"],
            "output_dir": str(out),
            "no_sourcemaps": True,
            "no_unused_shared_packages": True,
            # Only the extensions below, never whatever else the build environment has installed.
            "ignore_sys_prefix": ["federated_extensions"],
            "federated_extensions": [*map(str, extension_wheels), str(kernel_extension_dir())],
            # The notebook page the lessons open in, its file browser and text editor (for the answer
            # files), and JupyterLab; no consoles or REPL.
            "apps": ["lab", "notebooks", "tree", "edit"],
        },
        "PyodideLockAddon": {
            "enabled": True,
            "specs": [f"{name}=={version}" for name, version in KERNEL_WHEELS.items()],
            "wheels": [str(lessonkit_wheel)],
            "excludes_extra": LOCK_EXCLUDES,
            "prefetch_extra": PRELOAD,
        },
    }
    (lite / "jupyter_lite_config.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    site = {
        "jupyter-lite-schema-version": 0,
        "jupyter-config-data": {
            "appName": "1917 lessons",
            # window.jupyterapp, as with JupyterLab's --LabApp.expose_app_in_browser: the browser
            # tests and the benchmark drive the page through it. It exposes nothing a student's
            # own browser console could not reach anyway.
            "exposeAppInBrowser": True,
            "litePluginSettings": {
                "@jupyterlite/pyodide-kernel-extension:kernel": {"disablePyPIFallback": True},
            },
            # No news feed and no update check: both would ask the internet.
            "settingsOverrides": {
                "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
            },
        },
    }
    (lite / "jupyter-lite.json").write_text(json.dumps(site, indent=2), encoding="utf-8")


def jupyter_lite_build(lite: Path, cache: Path) -> str:
    env = dict(os.environ)
    env["UV_PYTHON_DOWNLOADS"] = "never"  # uv must not try to download a CPython (it needs none here)
    env.setdefault("UV_CACHE_DIR", str(cache / "uv"))  # uv's cache survives between builds
    env["PYTHONUNBUFFERED"] = "1"
    cmd = [sys.executable, "-m", "jupyterlite_core", "build", "--lite-dir", str(lite), "--pyodide-lock"]
    proc = subprocess.run(cmd, cwd=lite, env=env, capture_output=True, text=True)
    if proc.returncode:
        raise BuildError(
            f"jupyter lite build failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n{proc.stderr[-6000:]}"
        )
    return proc.stdout


# ------------------------------------------------------------------------------------------------
# The landing page
# ------------------------------------------------------------------------------------------------

LANDING_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Liberation Sans",sans-serif;max-width:52em;margin:2em auto;
padding:0 1em;color:#1A1A1A;background:#FFFFFF;line-height:1.5}
h1{font-size:1.7em;margin-bottom:0.2em} .sub{color:#444;margin-top:0}
.note{border:2px solid #0072B2;border-radius:6px;padding:0.6em 1em;background:#F4F9FC}
.warn{border-color:#B35900;background:#FFF6EC}
ol.lessons{padding-left:0;list-style:none}
ol.lessons li{margin:0.7em 0;padding:0.5em 0.8em;border-left:4px solid #0072B2}
ol.lessons a{font-weight:bold;font-size:1.1em;color:#00517F} ol.lessons .alt{font-size:0.9em;margin-left:0.6em}
.summary{display:block;color:#333} footer{margin-top:2em;font-size:0.9em;color:#444}
#lk-status{font-weight:bold}
"""

# Storage is what keeps a student's answers: say whether this browser keeps it, before they type.
LANDING_JS = """
(async () => {
  const out = document.getElementById('lk-status');
  if (!out) return;
  try {
    if (!window.indexedDB) throw new Error('no IndexedDB');
    let persisted = false;
    if (navigator.storage && navigator.storage.persist) { persisted = await navigator.storage.persist(); }
    out.textContent = persisted
      ? 'This browser has agreed to keep this site\\'s storage until you clear it yourself.'
      : 'This browser keeps this site\\'s storage, but may clear it when the disk is full '
        + 'or when you clear browsing data.';
  } catch (e) {
    out.textContent = 'This browser gives this page no storage (a private window?): answers will NOT be kept.';
  }
})();
"""


def landing_page(lessons: list[dict], versions: dict) -> str:
    esc = html.escape
    items = []
    for lesson in lessons:
        path = lesson["file"]
        href = f"./{LESSON_APP}/index.html?path={esc(path)}"
        lab = f"./lab/index.html?path={esc(path)}"
        items.append(
            f'<li><a class="lk-lesson" href="{href}" data-lk-lesson="{esc(path)}">{esc(lesson["title"])}</a>'
            f'<a class="alt" href="{lab}">(open in JupyterLab)</a>'
            f'<span class="summary">{esc(lesson["summary"])}</span></li>'
        )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(SITE_NAME)}</title>
<style>{LANDING_CSS}</style>
<!-- JupyterLite's pages read their settings from this root page: keep this (empty) block. -->
<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{{}}</script>
</head>
<body>
<main>
<h1>{esc(SITE_NAME)}</h1>
<p class="sub">Eleven lessons on the article “The Russian Revolution” (<i>The Spark</i>, 1977), read like a historian:
maps, timelines, figures, source checks, quizzes and discussion questions.</p>
<div class="note">
<p><strong>Everything runs in this browser.</strong> There is no server: Python itself runs inside this page.
The first lesson you open takes a while (the browser loads about 40 MB once; later lessons start faster).
Open a lesson, then choose <strong>Run ▸ Run All Cells</strong> (or press Shift+Enter cell by cell).</p>
<p><strong>Your answers stay in this browser</strong>, on this computer, in this site's storage. Nobody else sees
them, and they are not sent anywhere. They are lost if you clear this browser's data for this site, use a
private window, or change computer or browser. At the end of each lesson, press <strong>Download my work</strong>
to keep a copy (a page you can print, and a file your teacher can collect).</p>
<p id="lk-status" role="status"></p>
</div>
<h2>Lessons</h2>
<ol class="lessons">
{chr(10).join(items)}
</ol>
<h2>For teachers</h2>
<p>Start with <em>00 · Start here</em>: it shows how the widgets work and where answers are saved. Each lesson also
opens in the full JupyterLab interface (the link beside it). The files you see there are this site's own copies:
a student's edits and answers are kept in their browser and never change the site.</p>
</main>
<footer>Built with JupyterLite {esc(versions.get("jupyterlite-core", ""))} and Pyodide {esc(PYODIDE_NPM["version"])}
(Python {esc(versions.get("python", ""))}), lessonkit {esc(versions.get("lessonkit", ""))}.
Nothing on this site asks the internet for anything.</footer>
<script>{LANDING_JS}</script>
</body>
</html>
"""


# ------------------------------------------------------------------------------------------------
# Checks on the result
# ------------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_site(out: Path, lessons: list[dict]) -> dict:
    """Check the built site: every wheel the kernel loads is in it with the lock's sha256; nothing points off-site."""
    problems = []
    config = json.loads((out / "jupyter-lite.json").read_text(encoding="utf-8"))["jupyter-config-data"]
    kernel = config["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    if kernel.get("disablePyPIFallback") is not True:
        problems.append("disablePyPIFallback is not set")
    if not str(kernel.get("pyodideUrl", "")).startswith("./"):
        problems.append(f"pyodideUrl is not local: {kernel.get('pyodideUrl')}")
    opts = kernel.get("loadPyodideOptions", {})
    lock_url = opts.get("lockFileURL", "")
    if not lock_url.startswith("./"):
        problems.append(f"lockFileURL is not local: {lock_url}")
    lock_path = out / lock_url
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    packages = lock["packages"]

    # What the kernel loads: the preloaded packages and everything they depend on.
    needed, todo = set(), list(opts.get("packages", []))
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        if name not in packages:
            problems.append(f"preloaded package {name} is not in the lock")
            continue
        needed.add(name)
        todo.extend(packages[name].get("depends", []))
    for name in ("micropip", "lessonkit", "plotly", "ipywidgets", "ipython", "pyodide-kernel", "ipykernel"):
        if name not in needed:
            problems.append(f"{name} is not loaded at kernel start")
    checked = 0
    for name in sorted(needed):
        spec = packages[name]
        file_name = spec["file_name"]
        if urlsplit(file_name).scheme:
            problems.append(f"{name} would be fetched from {file_name}")
            continue
        wheel = (lock_path.parent / file_name).resolve()
        if not wheel.is_file() or out.resolve() not in wheel.parents:
            problems.append(f"{name}: {file_name} is not in the site")
            continue
        if sha256(wheel) != spec["sha256"]:
            problems.append(f"{name}: sha256 of {wheel.name} does not match the lock (Pyodide would refuse it)")
        checked += 1
    if "lessonkit" in packages and "lessonkit-" not in packages["lessonkit"]["file_name"]:
        problems.append("the lock's lessonkit is not the wheel built here")

    # Versions in the lock are the pinned ones.
    for name, version in KERNEL_WHEELS.items():
        if name in packages and packages[name]["version"] != version:
            problems.append(f"{name} is {packages[name]['version']} in the lock, pinned {version}")

    # Extensions: exactly the ones the lessons need.
    names = sorted(e["name"] for e in config.get("federated_extensions", []))
    want = sorted(["@jupyter-widgets/jupyterlab-manager", "@jupyterlite/pyodide-kernel-extension", "jupyterlab-plotly"])
    if names != want:
        problems.append(f"federated extensions are {names}, want {want}")

    # Contents: the lessons.
    files = {p.name for p in (out / "files").glob("*.ipynb")}
    missing = {lesson["file"] for lesson in lessons} - files
    if missing:
        problems.append(f"lessons missing from the site: {sorted(missing)}")

    # No URL that leaves the site in the configuration the pages read.
    for path in [out / "jupyter-lite.json", *out.glob("*/jupyter-lite.json")]:
        text = path.read_text(encoding="utf-8")
        for url in re.findall(r"https?://[^\s\"']+", text):
            problems.append(f"{path.relative_to(out)} names {url}")
    if problems:
        raise BuildError("the built site failed its checks:\n  - " + "\n  - ".join(problems))
    return {"lock_packages_checked": checked, "preloaded": sorted(opts.get("packages", []))}


def folder_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


# ------------------------------------------------------------------------------------------------
# The build
# ------------------------------------------------------------------------------------------------


def build(out: Path = DEFAULT_OUT, cache: Path = DEFAULT_CACHE, keep_work: bool = False) -> dict:
    """Build the site into ``out`` (replaced). Returns the manifest also written to ``out/lessonkit-lite.json``."""
    t0 = time.monotonic()
    out, cache = out.resolve(), cache.resolve()
    versions = dict(check_build_tools())
    if out.exists() and any(out.iterdir()) and not (out / MANIFEST).is_file():
        # The folder is replaced: never one that is not an earlier build of this site.
        raise BuildError(f"{out} exists and is not an earlier build of this site (no {MANIFEST}); choose another --out")
    tgz = fetch_pyodide(cache)
    extension_wheels = fetch_extension_wheels(cache)
    work = Path(tempfile.mkdtemp(prefix="lessonkit-lite-"))
    try:
        lite = work / "lite"
        lessons = copy_lessons(lite / "files")
        unpack_pyodide(tgz, lite / "static" / "pyodide")
        wheel = build_lessonkit_wheel(work / "wheel")
        versions["lessonkit"] = wheel.name.split("-")[1]
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        write_lite_dir(lite, out, wheel, extension_wheels)
        log(f"jupyter lite build --pyodide-lock -> {out}")
        jupyter_lite_build(lite, cache)
    finally:
        if not keep_work:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"work folder kept: {work}")
    lock = json.loads((out / "static" / "pyodide-lock" / "pyodide-lock.json").read_text(encoding="utf-8"))
    versions["python"] = lock["info"]["python"]
    versions["pyodide"] = PYODIDE_NPM["version"]
    (out / "index.html").write_text(landing_page(lessons, versions), encoding="utf-8")
    # The app template's own build files are not part of the site.
    for junk in ("rspack.config.js", "rspack.config.analyze.js", "rspack.config.watch.js", "package.json"):
        (out / junk).unlink(missing_ok=True)
    checks = verify_site(out, lessons)
    size, count = folder_size(out)
    manifest = {
        "site": SITE_NAME,
        "lessons": lessons,
        "lesson_app": LESSON_APP,
        "versions": versions,
        "pins": {"pyodide_npm": PYODIDE_NPM, "kernel_wheels": KERNEL_WHEELS, "extension_wheels": EXTENSION_WHEELS},
        "checks": checks,
        "size_bytes": size,
        "files": count,
        "build_seconds": round(time.monotonic() - t0, 1),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"built {out}: {len(lessons)} lessons, {size / 1e6:.1f} MB in {count} files, {manifest['build_seconds']} s")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder, replaced (default {DEFAULT_OUT.relative_to(ROOT)})",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help="download cache: Pyodide tarball, extension wheels, uv's wheels "
        f"(default {DEFAULT_CACHE.relative_to(ROOT)})",
    )
    parser.add_argument("--keep-work", action="store_true", help="keep the temporary JupyterLite build folder")
    args = parser.parse_args(argv)
    try:
        build(args.out, args.cache, args.keep_work)
    except BuildError as exc:
        print(f"build_lite: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
