"""The one way a lesson shows a changing figure: a plain figure in an Output widget, no threads, public API."""

from __future__ import annotations

import ast
import base64
import math
import subprocess
import sys
import textwrap
from array import array
from pathlib import Path

import plotly.graph_objects as go
import pytest

from lessonkit.render.alt import PLOTLY_MIME
from lessonkit.widgets.figureview import FIGURE_VIEW_CLASS, FigureView, packed

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lessonkit"
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def test_the_view_holds_the_figure_as_its_state() -> None:
    fig = go.Figure(go.Bar(x=[1, 2], y=[3, 4]), layout={"height": 320, "title": {"text": "Bars"}})
    view = FigureView(fig)
    assert FIGURE_VIEW_CLASS in view._dom_classes
    (output,) = view.outputs
    assert output["output_type"] == "display_data"
    assert output["data"][PLOTLY_MIME]["data"][0]["y"] == [3, 4]
    assert output["data"]["text/plain"] == "<plotly figure: Bars>"
    assert view.layout.min_height == "320px"  # the space is held while the next figure draws


def test_show_replaces_the_figure_in_one_state_update() -> None:
    fig = go.Figure(go.Scatter(x=[0, 1], y=[0, 1]))
    view = FigureView(fig)
    changes: list[object] = []
    view.observe(lambda change: changes.append(change["new"]), names="outputs")
    fig.data[0].y = [5, 6]
    view.show(fig)
    assert len(changes) == 1 and view.spec["data"][0]["y"] == [5, 6]


def test_fixed_traces_are_converted_once_and_sent_packed() -> None:
    outline = list(range(200))
    fig = go.Figure([go.Scatter(x=outline, y=outline, name="outline"), go.Scatter(x=[1], y=[1], name="now")])
    view = FigureView(fig, changing=[1])
    first = view.spec["data"][0]
    assert first["x"]["dtype"] == "f4"
    fig.data[0].x = [0] * 200  # a fixed trace: not converted again
    fig.data[1].x = [7]
    view.show(fig)
    assert view.spec["data"][0] is first and view.spec["data"][1]["x"] == [7]


def test_packed_coordinates_decode_to_the_same_numbers_with_gaps() -> None:
    values = [30.3 + i / 1000 for i in range(70)] + [None] + [59.9] * 3
    bdata = packed(values)
    assert isinstance(bdata, dict) and bdata["dtype"] == "f4"
    decoded = array("f", base64.b64decode(bdata["bdata"]))
    assert len(decoded) == len(values) and math.isnan(decoded[70])
    assert all(abs(d - v) < 1e-5 for d, v in zip(decoded, values, strict=True) if v is not None)
    assert packed([1, 2, 3]) == [1, 2, 3]  # short lists stay lists
    assert packed(["a"] * 100) == ["a"] * 100  # and so does anything that is not numbers


PRIVATE = {"FigureWidget", "BaseFigureWidget", "_widget_data", "_widget_layout", "_layout_obj", "_data", "_props"}


def test_no_module_uses_plotly_widget_internals_or_threads() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in PRIVATE:
                found.append(f"{path.name}:{node.lineno}: .{node.attr}")
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
                if any(n.split(".")[0] in ("threading", "_thread", "concurrent") for n in names):
                    found.append(f"{path.name}:{node.lineno}: imports {names}")
    assert found == []


NO_THREADS = """
import os, threading
os.chdir({folder!r})
def refuse(self, *args, **kwargs):
    raise RuntimeError("can't start new thread")  # what a browser-only Python (JupyterLite) says
threading.Thread.start = refuse
import nbformat
nb = nbformat.read({path!r}, as_version=4)
namespace = {{"__name__": "__lesson__"}}
for cell in nb.cells:
    if cell.cell_type == "code" and cell.source.strip():
        exec(compile(cell.source, {name!r}, "exec"), namespace)
print("ran without a thread")
"""


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_runs_where_threads_cannot_start(path: Path, tmp_path: Path) -> None:
    code = NO_THREADS.format(folder=str(path.parent), path=str(path), name=path.name)
    env = {**__import__("os").environ, "LESSONKIT_ANSWERS": str(tmp_path / "answers")}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=600, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "ran without a thread" in result.stdout
