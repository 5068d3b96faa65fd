"""Benchmark every lesson against the floor of this stack; print ratios and write JSON.

    python bench/run.py                 # full run (5 runs per notebook)
    python bench/run.py --runs 1 --quick  # smoke run (used by the test suite)

Measures, in one run so that the machine's drift cancels out:

- floor: a notebook that imports plotly.graph_objects and ipywidgets and shows one figure
  and one widget, executed headless with nbclient in a fresh kernel;
- each lesson's headless execution time (median of --runs, fresh kernel each) / floor, and the
  bytes of widget state its kernel sends to the browser (reported, no budget);
- import time of lessonkit (and of the whole lesson API) / import of plotly + ipywidgets;
- the python-side time of one update of each interactive widget, and of one change of every
  control (slider, drop-down, button, text box ...) that any lesson creates;
- sizes of the notebooks, of data/ and of the wheel;
- growth of `lessonkit check` and of loading all data as the data doubles and quadruples.

lessonkit's bytecode is compiled first, as pip does at install (see compile_bytecode).

Budgets: lesson <= 1.5x floor, import <= 1.25x, one update <= 30 ms, notebook <= 100 KB.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

from interactions import lesson_interactions  # bench/interactions.py (this script's folder is on sys.path)

ROOT = Path(__file__).resolve().parents[1]
LESSON_BUDGET, IMPORT_BUDGET, UPDATE_BUDGET_MS, NOTEBOOK_BUDGET = 1.5, 1.25, 30.0, 100_000
WIDGET_STATE_BUDGET = 1_000_000  # bytes of widget state one lesson sends to the browser

FLOOR_CELLS = [
    "import plotly.graph_objects as go\nimport ipywidgets as widgets",
    "fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[3, 1, 2]))\nfig",
    "widgets.IntSlider(value=3, min=0, max=10)",
]


def floor_notebook(path: Path) -> Path:
    """Write the floor notebook: plotly + ipywidgets, one figure, one widget."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in FLOOR_CELLS]
    nbformat.write(nb, path)
    return path


WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def execute(path: Path, cwd: Path) -> tuple[float, int]:
    """Execute one notebook headless in a fresh kernel.

    Returns wall seconds (start to finish) and the bytes of widget state the kernel sent for the front end
    to draw (what a browser downloads on top of the notebook: every widget's state, figures included).
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}})
    start = time.perf_counter()
    # The kernel's stderr only repeats ipykernel's "running over TCP" warning; a failing cell still raises here.
    client.execute(stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    return seconds, len(json.dumps(state))


def compile_bytecode() -> str:
    """Write lessonkit's bytecode caches, as pip does when it installs a wheel; say what was done.

    An editable install compiles a module the first time a student imports it, unless the machine sets
    PYTHONDONTWRITEBYTECODE (this one does): then every import and every kernel would recompile lessonkit
    from source, a cost no student pays. The caches go to ``__pycache__`` folders, which git ignores.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("lessonkit")
    if spec is None or spec.origin is None:
        raise SystemExit("lessonkit is not installed: pip install -e .")
    package = Path(spec.origin).parent
    compileall.compile_dir(package, quiet=1)
    return str(package)


def median_run(fn: Callable[[], float], runs: int) -> tuple[float, list[float]]:
    times = [fn() for _ in range(runs)]
    return statistics.median(times), times


def import_seconds(statement: str, runs: int) -> float:
    """Median wall time of a fresh interpreter running ``statement`` (minus an empty interpreter)."""

    def once(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
        return time.perf_counter() - start

    base = statistics.median(once("pass") for _ in range(runs))
    return max(statistics.median(once(statement) for _ in range(runs)) - base, 1e-6)


def update_timings() -> dict[str, float]:
    """Median python-side milliseconds of one update of each interactive widget."""
    out: dict[str, float] = {}

    def median_ms(fn: Callable[[], object], number: int = 30) -> float:
        fn()
        return statistics.median(timeit.repeat(fn, number=1, repeat=number)) * 1000

    from lessonkit.explorers.calculators import RotationCalculator
    from lessonkit.lesson import Lesson
    from lessonkit.model.data import dataset
    from lessonkit.widgets.timeline_explorer import TimelineExplorer

    calc = RotationCalculator()
    slider = calc.workers
    values = itertools.cycle(range(slider.min, slider.max + 1, slider.step))
    out["rotation calculator (one slider step)"] = median_ms(lambda: slider.set_trait("value", next(values)))

    imap = Lesson("08").explorer("insurrection_map")
    steps = itertools.cycle(range(len(imap.slider.options)))
    out["insurrection map (one slider step)"] = median_ms(lambda: imap.update(next(steps)))

    explorer = TimelineExplorer(list(dataset().events.values()), "All events", "bench_timeline")
    styles = itertools.cycle(["new", "old"])
    out["timeline calendar toggle"] = median_ms(lambda: explorer.set_style(next(styles)))
    return out


def wheel_bytes(tmp: Path) -> int:
    """Build the wheel into a temporary folder and return its size."""
    out = tmp / "wheel"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)], check=True, cwd=tmp
    )
    wheel = next(out.glob("lessonkit-*.whl"))
    return wheel.stat().st_size


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def synthetic_data(tmp: Path, factor: int) -> Path:
    """A copy of data/ whose facts and events are repeated ``factor`` times under new ids."""
    target = tmp / f"data_x{factor}"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "data", target)
    for table in ("facts", "events"):
        for path in sorted((target / table).glob("*.csv")):
            with open(path, encoding="utf-8", newline="") as handle:
                rows = list(csv.DictReader(handle))
                fields = list(rows[0]) if rows else []
            if not rows:
                continue
            with open(path, "a", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
                for copy in range(1, factor):
                    for row in rows:
                        clone = dict(row)
                        clone["id"] = f"{row['id']}_copy{copy}"
                        if table == "facts":
                            clone["quantity"] = f"{row['quantity']}_copy{copy}"
                        writer.writerow(clone)
    return target


LOAD = "from lessonkit.model.data import load_dataset; import sys; load_dataset(sys.argv[1])"


def growth(tmp: Path, runs: int) -> dict[str, dict[str, float]]:
    """Seconds for loading all data and for `lessonkit check` at 1x, 2x and 4x the data."""
    result: dict[str, dict[str, float]] = {"load data": {}, "lessonkit check": {}}
    for factor in (1, 2, 4):
        folder = ROOT / "data" if factor == 1 else synthetic_data(tmp, factor)

        def run_load(folder: Path = folder) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", LOAD, str(folder)], check=True)
            return time.perf_counter() - start

        def run_check(folder: Path = folder) -> float:
            env = dict(os.environ, LESSONKIT_DATA=str(folder))
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "lessonkit.cli", "check"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            return time.perf_counter() - start

        result["load data"][f"x{factor}"] = statistics.median(run_load() for _ in range(runs))
        result["lessonkit check"][f"x{factor}"] = statistics.median(run_check() for _ in range(runs))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per notebook (median is reported; default 5)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json", help="where to write JSON")
    parser.add_argument("--quick", action="store_true", help="smoke run: skip the wheel build and the growth test")
    parser.add_argument("--lessons", nargs="*", help="lesson notebooks to time (default: all in lessons/)")
    args = parser.parse_args(argv)

    lessons = [Path(p) for p in args.lessons] if args.lessons else sorted((ROOT / "lessons").glob("*.ipynb"))
    results: dict = {
        "runs": args.runs,
        "budgets": {
            "lesson_ratio": LESSON_BUDGET,
            "import_ratio": IMPORT_BUDGET,
            "update_ms": UPDATE_BUDGET_MS,
            "notebook_bytes": NOTEBOOK_BUDGET,
            "widget_state_bytes": WIDGET_STATE_BUDGET,
        },
    }
    with tempfile.TemporaryDirectory(prefix="lessonkit-bench-") as tmpname:
        tmp = Path(tmpname)
        os.environ["LESSONKIT_ANSWERS"] = str(tmp / "answers")
        results["bytecode_compiled"] = compile_bytecode()
        work = tmp / "lessons"
        shutil.copytree(ROOT / "lessons", work)
        floor = floor_notebook(work / "_floor.ipynb")
        print(f"Floor notebook: {args.runs} runs ...", flush=True)
        floor_s, floor_runs = median_run(lambda: execute(floor, work)[0], args.runs)
        results["floor_seconds"] = floor_s
        results["floor_runs"] = floor_runs
        results["lessons"] = {}
        for path in lessons:
            print(f"{path.name}: {args.runs} runs ...", flush=True)
            state_bytes: list[int] = []

            def run_once(p: Path = path, sizes: list[int] = state_bytes) -> float:
                seconds, size = execute(work / p.name, work)
                sizes.append(size)
                return seconds

            median, times = median_run(run_once, args.runs)
            results["lessons"][path.stem] = {
                "seconds": median,
                "runs": times,
                "ratio": median / floor_s,
                "bytes": path.stat().st_size,
                "widget_state_bytes": max(state_bytes),
            }

        print("Imports ...", flush=True)
        base_import = import_seconds("import plotly.graph_objects, ipywidgets", args.runs)
        lk_import = import_seconds("import lessonkit", args.runs)
        api_import = import_seconds("from lessonkit import Lesson, show, RotationCalculator", args.runs)
        results["import"] = {
            "plotly+ipywidgets_seconds": base_import,
            "lessonkit_seconds": lk_import,
            "lessonkit_api_seconds": api_import,
            "ratio": lk_import / base_import,
            "api_ratio": api_import / base_import,
        }
        print("Widget updates ...", flush=True)
        results["updates_ms"] = update_timings()
        print("Every control of every lesson ...", flush=True)
        results["controls"] = lesson_interactions(lessons)
        results["sizes"] = {
            "data_bytes": folder_bytes(ROOT / "data"),
            "geo_bytes": folder_bytes(ROOT / "data" / "geo"),
            "notebooks": {p.stem: p.stat().st_size for p in lessons},
        }
        if not args.quick:
            print("Wheel ...", flush=True)
            results["sizes"]["wheel_bytes"] = wheel_bytes(tmp)
            print("Growth (1x, 2x, 4x data) ...", flush=True)
            results["growth_seconds"] = growth(tmp, max(1, min(args.runs, 3)))

    report(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"\nWrote {args.out}")
    return 0


def report(r: dict) -> None:
    """Print the results as a table with the budget verdicts."""

    def mark(ok: bool) -> str:
        return "ok" if ok else "OVER"

    print(f"\nFloor (plotly + ipywidgets, one figure, one widget): {r['floor_seconds']:.2f} s (median of {r['runs']})")
    print(f"\n{'lesson':42} {'seconds':>8} {'ratio':>6} {'budget':>7}  {'bytes':>7}     {'widget state':>12} (budget "
          f"{WIDGET_STATE_BUDGET:,})")
    for name, row in r["lessons"].items():
        print(
            f"{name:42} {row['seconds']:8.2f} {row['ratio']:6.2f} {mark(row['ratio'] <= LESSON_BUDGET):>7}  "
            f"{row['bytes']:7d} {mark(row['bytes'] <= NOTEBOOK_BUDGET):4} {row['widget_state_bytes']:12,d} "
            f"{mark(row['widget_state_bytes'] <= WIDGET_STATE_BUDGET)}"
        )
    imp = r["import"]
    print(f"\nimport plotly.graph_objects, ipywidgets: {imp['plotly+ipywidgets_seconds']:.3f} s")
    print(
        f"import lessonkit:                        {imp['lessonkit_seconds']:.3f} s  ratio {imp['ratio']:.2f} "
        f"{mark(imp['ratio'] <= IMPORT_BUDGET)}"
    )
    print(
        f"from lessonkit import Lesson, show, ...: {imp['lessonkit_api_seconds']:.3f} s  ratio {imp['api_ratio']:.2f} "
        f"{mark(imp['api_ratio'] <= IMPORT_BUDGET)}"
    )
    print("\nOne widget update (python side, median):")
    for name, ms in r["updates_ms"].items():
        print(f"  {name:40} {ms:7.2f} ms {mark(ms <= UPDATE_BUDGET_MS)}")
    print("\nEvery control of every lesson, one change each (python side, median of 5 per control):")
    print(f"  {'lesson':42} {'controls':>8} {'median':>8} {'slowest':>8}  slowest control")
    for name, row in r.get("controls", {}).items():
        print(
            f"  {name:42} {row['controls']:8d} {row['median_ms']:6.2f}ms {row['slowest_ms']:6.2f}ms  "
            f"{row['slowest_control']} {mark(row['slowest_ms'] <= UPDATE_BUDGET_MS)}"
        )
    sizes = r["sizes"]
    print(f"\ndata/: {sizes['data_bytes']:,} bytes (geometry {sizes['geo_bytes']:,})", end="")
    print(f"; wheel: {sizes['wheel_bytes']:,} bytes" if "wheel_bytes" in sizes else "")
    if "growth_seconds" in r:
        print("\nGrowth (seconds at 1x, 2x, 4x the data):")
        for name, row in r["growth_seconds"].items():
            print(
                f"  {name:18} "
                + "  ".join(f"{k} {v:.3f}" for k, v in row.items())
                + f"   (4x / 1x = {row['x4'] / row['x1']:.2f})"
            )


if __name__ == "__main__":
    sys.exit(main())
