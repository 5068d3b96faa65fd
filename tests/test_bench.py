"""The benchmark runs on this checkout and reports every lesson (no timings are asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs_and_covers_every_lesson(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [sys.executable, "bench/run.py", "--runs", "1", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    report = json.loads(out.read_text(encoding="utf-8"))
    shown = f"\nbenchmark output:\n{result.stdout[-3000:]}\nJSON: {json.dumps(report)[:3000]}"
    lessons = {p.stem for p in (ROOT / "lessons").glob("*.ipynb")}
    assert set(report["lessons"]) == lessons, shown
    assert report["floor_seconds"] > 0 and all(row["ratio"] > 0 for row in report["lessons"].values()), shown
    assert all(row["widget_state_bytes"] > 0 for row in report["lessons"].values()), shown
    assert set(report["updates_ms"]) == {
        "rotation calculator (one slider step)",
        "insurrection map (one slider step)",
        "timeline calendar toggle",
    }, shown
    assert set(report["controls"]) == lessons, shown
    assert all(row["controls"] > 0 and row["slowest_control"] for row in report["controls"].values()), shown
    assert "lesson" in result.stdout and "Floor" in result.stdout, shown
