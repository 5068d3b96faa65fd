"""JupyterLite against JupyterLab, lesson by lesson, in one run; and what the site weighs.

    python bench/lite.py --out bench/lite-results.json              # every lesson
    python bench/lite.py --lessons 00_start_here 07_the_red_guard   # some lessons (table only)
    python bench/lite.py --site build/lite --out lite.json           # time an existing build

For each lesson, one after the other so that the machine's drift cancels out, in headless Chromium
(the browser tests' flags plus a dead proxy: nothing can leave 127.0.0.1), each in a fresh browser
profile (nothing cached):

- Lite: open the lesson from the built site (served by ``python -m http.server``) until all cells ran,
  i.e. Pyodide loaded and started in the page, the lesson's notebook opened, Run All, every code cell
  executed and the kernel idle; then until every figure and widget drew;
- Lab: the same lesson in JupyterLab (``jupyter lab`` on 127.0.0.1, a kernel started per lesson);
- the ratio Lite / Lab (goal: at most 2x);
- both again in the same profile ("warm": the browser has the files; JupyterLite's Pyodide is the
  part that gains most, the compiled WebAssembly being cached).

Also: the site's size on disk; the first-load bytes (every file the browser fetched to open and run the
first lesson in a fresh profile, as served, and gzip-compressed as most web hosts send them); what the
warm visit fetched again; the build time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import harness, lite  # noqa: E402 - after the path is set

RATIO_GOAL = 2.0


class Fetches:
    """What the browser fetched from the site, read from the server's own log: a file served from the browser's
    cache never reaches the server, a revalidated one is a 304 without a body."""

    LINE = re.compile(r'"GET (\S+) HTTP/[\d.]+" (\d{3})')

    def __init__(self, site: Path, log_path: Path):
        self.site, self.log_path = site, log_path

    def _entries(self) -> list[tuple[str, int]]:
        text = self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.is_file() else ""
        return [(unquote(urlsplit(m.group(1)).path), int(m.group(2))) for m in self.LINE.finditer(text)]

    def mark(self) -> int:
        return len(self._entries())

    def bytes_since(self, mark: int = 0) -> dict:
        """Bytes of the files sent with a body (200) since ``mark``: as served, and gzip-compressed."""
        time.sleep(0.3)  # let the server's last log lines reach the file
        entries = self._entries()[mark:]
        raw = gz = 0
        for path, status in entries:
            f = self.site / path.lstrip("/")
            if f.is_dir():
                f = f / "index.html"
            if status == 200 and f.is_file():
                data = f.read_bytes()
                raw += len(data)
                gz += len(gzip.compress(data, compresslevel=6))
        statuses = [status for _, status in entries]
        return {
            "requests": len(entries),
            "with_body": statuses.count(200),
            "not_modified": statuses.count(304),
            "bytes": raw,
            "gzip_bytes": gz,
        }


def site_breakdown(site: Path) -> dict:
    parts = {
        "pyodide runtime (static/pyodide)": site / "static" / "pyodide",
        "wheels in the lock (static/pyodide-lock)": site / "static" / "pyodide-lock",
        "front-end extensions (extensions)": site / "extensions",
        "JupyterLite app (build)": site / "build",
        "lessons (files)": site / "files",
    }
    out = {name: lite_folder_bytes(path) for name, path in parts.items()}
    out["total"] = lite_folder_bytes(site)
    return out


def lite_folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _run_and_time(page, run: harness.LessonRun, t0: float, opened: float) -> dict:
    """Run All in an opened lesson and wait for it to render: the seconds from ``t0`` and the figures drawn."""
    t1 = time.monotonic()
    harness._run_all(page, run)
    t2 = time.monotonic()
    harness._wait_rendered(page, run)
    t3 = time.monotonic()
    state = harness.collect(page)
    harness.check_state(state, run)
    return dict(open=opened, run=t2 - t1, to_all_cells_run=t2 - t0, to_rendered=t3 - t0, figures=len(state["plots"]))


def _lite_visit(context, server, name: str, run: harness.LessonRun) -> dict:
    """Open one lesson in a new page of ``context``: seconds to an idle kernel, to all cells run, to rendered."""
    page = context.new_page()
    page.on("dialog", lambda d: d.accept())
    row: dict = {}
    try:
        t0 = time.monotonic()
        opened = lite.open_lesson(page, server, name, run)
        if opened is not None:
            row = _run_and_time(page, run, t0, opened)
    finally:
        page.close()
    return row


def _lab_visit(context, server, name: str, run: harness.LessonRun) -> dict:
    page = context.new_page()
    row: dict = {}
    try:
        t0 = time.monotonic()
        if harness._open_notebook_app(page, server, name, "lab", run):
            row = _run_and_time(page, run, t0, time.monotonic() - t0)
    finally:
        page.close()
        server.shutdown_sessions(name)
    return row


def time_lite(browser, server, site: Path, name: str) -> dict:
    """The lesson in a fresh profile (cold: nothing cached), then again in the same profile (warm)."""
    context = lite.new_context(browser)
    requests = lite.ContextRequests(context, route=False)
    fetches = Fetches(site, server.log_path)
    run = harness.LessonRun(lesson=name, frontend="lite")
    row: dict = {}
    try:
        with lite.harness_settings():
            start = fetches.mark()
            row["cold"] = _lite_visit(context, server, name, run)
            row["cold"]["fetched"] = fetches.bytes_since(start)
            if row["cold"]:
                mark = fetches.mark()
                row["warm"] = _lite_visit(context, server, name, run)
                row["warm"]["fetched"] = fetches.bytes_since(mark)
    finally:
        run.problems.extend(f"request left 127.0.0.1: {u}" for u in requests.external(requests.urls))
        context.close()
    row["problems"] = run.problems
    return row


def time_lab(browser, server, name: str) -> dict:
    context = browser.new_context(viewport=dict(harness.VIEWPORT), service_workers="block")
    requests = lite.ContextRequests(context, route=False)
    run = harness.LessonRun(lesson=name, frontend="lab")
    row: dict = {}
    try:
        row["cold"] = _lab_visit(context, server, name, run)
        if row["cold"]:
            row["warm"] = _lab_visit(context, server, name, run)
    finally:
        run.problems.extend(f"request left 127.0.0.1: {u}" for u in requests.external(requests.urls))
        context.close()
    row["problems"] = run.problems
    return row


def rounded(obj):
    if isinstance(obj, float):
        return round(obj, 2)
    if isinstance(obj, dict):
        return {k: rounded(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [rounded(v) for v in obj]
    return obj


def report(r: dict) -> None:
    mb = 1e6
    print(
        f"\nJupyterLite against JupyterLab: seconds from opening a lesson to all cells run (headless Chromium;"
        f" goal Lite <= {RATIO_GOAL}x Lab)"
    )
    print("cold = a fresh browser profile (nothing cached); warm = the same lesson opened again in that profile")
    head = (
        f"{'lesson':<42} {'Lite open':>9} {'Lite run':>8} {'Lite cold':>9} {'Lab cold':>8} {'ratio':>6}"
        f" {'Lite warm':>9} {'Lab warm':>8} {'ratio':>6}"
    )
    print(head)
    print("-" * len(head))
    for name, row in r["lessons"].items():
        li, la = row["lite"], row["lab"]
        if row["ratio"] is None:
            print(f"{name:<42} FAILED: {(li.get('problems') or la.get('problems') or ['?'])[:1]}")
            continue
        lc, ac = li["cold"], la["cold"]
        lw, aw = li.get("warm", {}), la.get("warm", {})
        warm = (
            f" {lw['to_all_cells_run']:>8.1f}s {aw['to_all_cells_run']:>7.1f}s {row['warm_ratio']:>5.2f}x"
            if row.get("warm_ratio")
            else ""
        )
        print(
            f"{name:<42} {lc['open']:>8.1f}s {lc['run']:>7.1f}s {lc['to_all_cells_run']:>8.1f}s "
            f"{ac['to_all_cells_run']:>7.1f}s {row['ratio']:>5.2f}x{warm}"
        )
    s = r["summary"]
    print("-" * len(head))
    warm = (
        f" {s['lite_warm_seconds']:>8.1f}s {s['lab_warm_seconds']:>7.1f}s {s['warm_ratio']:>5.2f}x"
        if s.get("warm_ratio")
        else ""
    )
    print(
        f"{'all lessons (sum)':<42} {'':>9} {'':>8} {s['lite_seconds']:>8.1f}s {s['lab_seconds']:>7.1f}s "
        f"{s['ratio']:>5.2f}x{warm}"
    )
    print(
        f"cold ratio per lesson: median {s['median_ratio']:.2f}x, worst {s['worst_ratio']:.2f}x; "
        f"to every figure drawn (cold, sum): Lite {s['lite_rendered_seconds']:.1f}s, "
        f"Lab {s['lab_rendered_seconds']:.1f}s, "
        f"{s['rendered_ratio']:.2f}x"
    )
    print(
        f"\nSite: {r['site']['total'] / mb:.1f} MB on disk ({r['site_files']} files); built in {r['build_seconds']} s"
    )
    for name, size in r["site"].items():
        if name != "total":
            print(f"  {name:<44} {size / mb:>6.1f} MB")
    first = r["first_load"]
    print(
        f"First load (open and run {first['lesson']} in a fresh profile): {first['bytes'] / mb:.1f} MB in "
        f"{first['with_body']} files as served by http.server, {first['gzip_bytes'] / mb:.1f} MB gzip-compressed "
        "(what most web hosts send)"
    )
    again = r.get("reopen")
    if again:
        print(
            f"Opening it again in the same profile: {again['requests']} requests reached the server, "
            f"{again['not_modified']} answered 'not modified', {again['bytes'] / mb:.2f} MB sent again"
        )
    print(
        f"\nverdict: Lite/Lab {s['ratio']:.2f}x cold, {s.get('warm_ratio') or float('nan'):.2f}x warm: "
        f"{'within' if s['ratio'] <= RATIO_GOAL else 'OVER'} the {RATIO_GOAL}x goal cold"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--site", type=Path, help="an existing build of tools/build_lite.py (default: build one now)")
    parser.add_argument("--lessons", nargs="*", help="lesson stems or file names (default: every lesson)")
    args = parser.parse_args(argv)
    reason = harness.browser_skip_reason() or (None if args.site else lite.lite_tools_missing())
    if reason:
        print(f"bench/lite.py cannot run here: {reason}", file=sys.stderr)
        return 2
    names = [p.name for p in harness.lesson_paths()]
    if args.lessons:
        wanted = {Path(x).stem for x in args.lessons}
        names = [n for n in names if Path(n).stem in wanted]
        if not names:
            print(f"no lesson matches {args.lessons}", file=sys.stderr)
            return 2
    work = Path(tempfile.mkdtemp(prefix="lessonkit-bench-lite-"))
    lab = static = None
    try:
        if args.site:
            site = args.site.resolve()
            manifest = json.loads((site / lite.MANIFEST).read_text(encoding="utf-8"))
        else:
            site = work / "site"
            print("building the site (tools/build_lite.py) ...", flush=True)
            manifest = lite.build_site(site)
        static = lite.StaticServer(site, work / "http-server.log").start()
        answers = work / "answers"
        answers.mkdir()
        lab = harness.start_lab(work, harness.prepare_root(work), answers)
        from playwright.sync_api import sync_playwright

        results: dict = {"lessons": {}}
        with sync_playwright() as pw:
            # One Chromium for both front ends, with the Lite flags (the dead proxy blocks everything off
            # 127.0.0.1; no request routing, which would turn the HTTP cache off and spoil the warm runs).
            browser = lite.launch_browser(pw)
            for i, name in enumerate(names):
                print(f"{Path(name).stem}: Lite ...", end="", flush=True)
                row_lite = time_lite(browser, static, site, name)
                print(" Lab ...", end="", flush=True)
                row_lab = time_lab(browser, lab, name)

                def ratio(key: str, a: dict = row_lite, b: dict = row_lab) -> float | None:
                    x, y = a.get(key, {}).get("to_all_cells_run"), b.get(key, {}).get("to_all_cells_run")
                    return x / y if x and y else None

                row = {"lite": row_lite, "lab": row_lab, "ratio": ratio("cold"), "warm_ratio": ratio("warm")}
                print(f" {row['ratio']:.2f}x" if row["ratio"] else " failed", flush=True)
                results["lessons"][Path(name).stem] = row
                if i == 0:
                    results["first_load"] = {"lesson": Path(name).stem, **row_lite["cold"]["fetched"]}
                    if "warm" in row_lite:
                        results["reopen"] = row_lite["warm"]["fetched"]
            browser.close()
        ok = {k: v for k, v in results["lessons"].items() if v["ratio"]}
        warm = {k: v for k, v in ok.items() if v["warm_ratio"]}

        def total(rows: dict, side: str, key: str, what: str = "to_all_cells_run") -> float:
            return sum(v[side][key][what] for v in rows.values())

        ratios = [v["ratio"] for v in ok.values()]
        lite_s, lab_s = total(ok, "lite", "cold"), total(ok, "lab", "cold")
        lite_ws, lab_ws = total(warm, "lite", "warm"), total(warm, "lab", "warm")
        lite_r, lab_r = total(ok, "lite", "cold", "to_rendered"), total(ok, "lab", "cold", "to_rendered")
        results["summary"] = {
            "lessons_timed": len(ok),
            "lessons_failed": sorted(set(results["lessons"]) - set(ok)),
            "lite_seconds": lite_s,
            "lab_seconds": lab_s,
            "ratio": lite_s / lab_s if lab_s else None,
            "median_ratio": statistics.median(ratios) if ratios else None,
            "worst_ratio": max(ratios) if ratios else None,
            "lite_warm_seconds": lite_ws,
            "lab_warm_seconds": lab_ws,
            "warm_ratio": lite_ws / lab_ws if lab_ws else None,
            "lite_rendered_seconds": lite_r,
            "lab_rendered_seconds": lab_r,
            "rendered_ratio": lite_r / lab_r if lab_r else None,
            "goal_ratio": RATIO_GOAL,
        }
        results["site"] = site_breakdown(site)
        results["site_files"] = manifest.get("files")
        results["build_seconds"] = manifest.get("wall_seconds", manifest.get("build_seconds"))
        results["versions"] = manifest.get("versions")
        results["machine"] = {"cpus": __import__("os").cpu_count(), "python": sys.version.split()[0]}
        results = rounded(results)
        if not ok:
            print("no lesson could be timed in both front ends", file=sys.stderr)
            print(json.dumps(results, indent=1)[:4000], file=sys.stderr)
            return 1
        report(results)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"\nJSON: {args.out}")
        return 0
    finally:
        if lab is not None:
            lab.shutdown_sessions()
            lab.stop()
        if static is not None:
            static.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
