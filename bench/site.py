"""The static site (tools/build_site.py): what each lesson page weighs and how soon its figures are drawn.

    python bench/site.py                         # build the site into a temp folder, then measure
    python bench/site.py --site build/site       # measure an existing build
    python bench/site.py --out bench/site-results.json

In one run, so that the machine's drift cancels out, in headless Chromium (the browser tests' flags;
every request to anything but 127.0.0.1 aborted), each page in a fresh browser profile:

- the floor: a page of the same site with one plotly figure, drawn by the same ``_static/plotly.min.js``;
- every lesson page: from navigation until every figure is drawn, normally and with the page's CPU
  slowed 4x (Chromium's CPU throttling, as on an old school laptop), median of --runs;
- the ratio lesson / floor, at each speed. Goal: at most 3x, so that a lesson with its five or six
  figures and maps shows them about as soon as a page with one;
- each page's HTML bytes (goal: at most 500 KB) and what a first visit fetches (HTML, plotly.js and the
  drawing script), as served and gzip-compressed as most web hosts send it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import lite  # noqa: E402

RATIO_GOAL = 3.0
PAGE_BYTES_GOAL = 500_000
THROTTLE = 4
FLOOR_PAGE = "lessons/_bench_floor.html"
FLOOR_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><main>
<div class="lk-site-figure" id="lk-fig-1"></div>
<script type="application/json" class="lk-site-figure-data" data-for="lk-fig-1">
{"data": [{"type": "bar", "x": ["a", "b", "c"], "y": [3, 1, 2]}], "layout": {"title": {"text": "floor"}},
 "config": {"displaylogo": false, "responsive": true}}</script>
<script src="../_static/plotly.min.js"></script><script src="../_static/site.js"></script></main></body></html>
"""


def build(out: Path) -> float:
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)], capture_output=True, text=True
    )
    if proc.returncode:
        raise SystemExit(f"tools/build_site.py failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return time.monotonic() - t0


def time_page(browser, url: str, throttle: int) -> float:
    """Seconds from navigation until every figure of the page is drawn, in a fresh profile."""
    context = lite.new_context(browser)
    lite.ContextRequests(context)  # abort anything off 127.0.0.1
    page = context.new_page()
    try:
        if throttle > 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        t0 = time.monotonic()
        page.goto(url, wait_until="commit")
        page.wait_for_function(
            """() => { const f = [...document.querySelectorAll('.lk-site-figure')];
                       return f.length > 0 && f.every(x => x.dataset.lkDrawn === 'yes'); }""",
            timeout=180_000,
            polling=50,
        )
        return time.monotonic() - t0
    finally:
        context.close()


def first_visit_bytes(site: Path, page: str) -> tuple[int, int]:
    files = [site / page, site / "_static" / "plotly.min.js", site / "_static" / "site.js"]
    data = [f.read_bytes() for f in files]
    return sum(len(d) for d in data), sum(len(gzip.compress(d, 6)) for d in data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="an existing tools/build_site.py build (default: build one)")
    parser.add_argument("--runs", type=int, default=3, help="runs per page and speed (median; default 3)")
    parser.add_argument("--out", type=Path, default=None, help="write the results as JSON here")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="lessonkit-bench-site-"))
    try:
        site, build_seconds = args.site, None
        if site is None:
            site = tmp / "site"
            build_seconds = build(site)
        (site / FLOOR_PAGE).write_text(FLOOR_HTML, encoding="utf-8")
        manifest = json.loads((site / "lessonkit-site.json").read_text(encoding="utf-8"))
        server = lite.StaticServer(site, tmp / "http.log").start()
        results: dict = {"build_seconds": build_seconds, "throttle": THROTTLE, "pages": {}}
        try:
            with sync_playwright() as pw:
                browser = lite.launch_browser(pw)
                pages = [FLOOR_PAGE, *(item["page"] for item in manifest["lessons"])]
                times: dict[str, dict[int, list[float]]] = {p: {1: [], THROTTLE: []} for p in pages}
                for _ in range(args.runs):
                    for page in pages:  # interleaved, so that drift hits every page alike
                        for rate in (1, THROTTLE):
                            times[page][rate].append(time_page(browser, server.url(page), rate))
                browser.close()
        finally:
            server.stop()
        floor = {rate: statistics.median(times[FLOOR_PAGE][rate]) for rate in (1, THROTTLE)}
        results["floor_seconds"] = {str(k): round(v, 3) for k, v in floor.items()}
        print(f"floor (one figure): {floor[1]:.2f} s, CPU /{THROTTLE}: {floor[THROTTLE]:.2f} s")
        print(
            f"{'page':52} {'figs':>4} {'HTML KB':>8} {'first KB':>8} {'gzip KB':>8} {'s':>6} {'ratio':>6} "
            f"{'s /' + str(THROTTLE):>6} {'ratio':>6}"
        )
        worst_ratio, worst_bytes = 0.0, 0
        for item in manifest["lessons"]:
            page = item["page"]
            html_bytes = (site / page).stat().st_size
            first, first_gz = first_visit_bytes(site, page)
            t = {rate: statistics.median(times[page][rate]) for rate in (1, THROTTLE)}
            ratio = {rate: t[rate] / floor[rate] for rate in (1, THROTTLE)}
            worst_ratio, worst_bytes = max(worst_ratio, *ratio.values()), max(worst_bytes, html_bytes)
            results["pages"][page] = {
                "figures": item["figures"],
                "html_bytes": html_bytes,
                "first_visit_bytes": first,
                "first_visit_gzip_bytes": first_gz,
                "seconds": {str(k): round(v, 3) for k, v in t.items()},
                "ratio": {str(k): round(v, 2) for k, v in ratio.items()},
            }
            print(
                f"{page:52} {item['figures']:>4} {html_bytes / 1e3:>8.0f} {first / 1e3:>8.0f} {first_gz / 1e3:>8.0f} "
                f"{t[1]:>6.2f} {ratio[1]:>6.2f} {t[THROTTLE]:>6.2f} {ratio[THROTTLE]:>6.2f}"
            )
        results["worst_ratio"], results["worst_html_bytes"] = round(worst_ratio, 2), worst_bytes
        results["goals"] = {
            "ratio": RATIO_GOAL,
            "html_bytes": PAGE_BYTES_GOAL,
            "ratio_met": worst_ratio <= RATIO_GOAL,
            "html_bytes_met": worst_bytes <= PAGE_BYTES_GOAL,
        }
        print(
            f"worst lesson / floor: {worst_ratio:.2f}x (goal <= {RATIO_GOAL}x: "
            f"{'met' if worst_ratio <= RATIO_GOAL else 'NOT met'}); largest page {worst_bytes / 1e3:.0f} KB "
            f"(goal <= {PAGE_BYTES_GOAL / 1e3:.0f} KB: {'met' if worst_bytes <= PAGE_BYTES_GOAL else 'NOT met'})"
            + (f"; build {build_seconds:.1f} s" if build_seconds else "")
        )
        if args.out:
            args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    finally:
        if args.site is not None:
            (args.site / FLOOR_PAGE).unlink(missing_ok=True)
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
