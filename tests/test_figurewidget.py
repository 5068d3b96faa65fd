"""FigureWidgets are made through lessonkit.figurewidget: plotly's widget module loads in its own thread."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "lessonkit"


def run_python(code: str) -> str:
    """Run ``code`` in a fresh interpreter (plotly's widget module not yet imported); return stdout."""
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_widget_module_is_imported_in_its_own_thread() -> None:
    out = run_python(
        """
        import importlib, sys, threading
        real = importlib.import_module
        def spy(name, *args):
            if name == "plotly.basewidget":
                print("imported in", threading.current_thread().name)
            return real(name, *args)
        importlib.import_module = spy
        import plotly.graph_objects as go
        from lessonkit.figurewidget import figure_widget, is_figure_widget
        assert "plotly.basewidget" not in sys.modules
        fig = figure_widget(go.Figure(go.Bar(x=[1], y=[2])))
        print(type(fig).__name__, is_figure_widget(fig), len(fig.data), "lk-figure-widget" in fig._dom_classes)
        """
    )
    assert "imported in lessonkit-import-plotly-widgets" in out
    assert "FigureWidget True 1 True" in out


def test_checking_for_a_figure_widget_does_not_import_plotly_widgets() -> None:
    out = run_python(
        """
        import sys
        import plotly.graph_objects as go
        from lessonkit.figurewidget import is_figure_widget
        from lessonkit.lesson import Bundle, Lesson
        print(is_figure_widget(go.Figure()), is_figure_widget("text"))
        bundle = Lesson("07").claim_check("petrograd_strength")
        assert isinstance(bundle, Bundle) and bundle.figures()
        bundle._ipython_display_()
        print("loaded" if "plotly.basewidget" in sys.modules else "not loaded")
        """
    )
    assert out.splitlines()[0] == "False False"
    assert out.splitlines()[-1] == "not loaded"


def test_an_import_error_in_the_thread_reaches_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from lessonkit import figurewidget

    monkeypatch.setattr(figurewidget, "WIDGET_MODULE", "lessonkit_no_such_module_for_this_test")
    with pytest.raises(ModuleNotFoundError, match="lessonkit_no_such_module_for_this_test"):
        figurewidget.load_widget_module()


def test_no_module_creates_a_figure_widget_directly() -> None:
    direct = [
        f"{path.name}:{number}"
        for path in sorted(SRC.glob("*.py"))
        if path.name != "figurewidget.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bFigureWidget\(", line)
    ]
    assert not direct, f"create FigureWidgets with lessonkit.figurewidget.figure_widget: {direct}"
