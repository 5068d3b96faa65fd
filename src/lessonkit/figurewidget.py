"""plotly FigureWidgets, created without paying an interpreter slowdown on the first one.

The first ``go.FigureWidget`` of a kernel imports ``plotly.basewidget``. That imports nbformat, which
imports jsonschema, which compiles about forty grammars while it is imported (``rfc3987_syntax``, via
``lark``): about 0.9 s on the project machine, the same cost the stack's floor pays for its first figure.

In a kernel that import runs deep in IPython's call stack. On CPython versions without the fix for
gh-142183 ("Calls across stack chunks perform badly"; 3.11 here), a loop whose calls sit exactly on a
boundary of the interpreter's frame-stack chunks allocates and frees a 16 KiB chunk (mmap/munmap) on
every call. At the depth of a lesson cell the grammar compiler hit that boundary: the first FigureWidget
of lessons 04, 05 and 07 took 6-7 s, almost all of it system time (see docs/performance.md).

:func:`load_widget_module` therefore imports plotly's widget module once in a short-lived thread, whose
stack starts empty: the import runs at a shallow depth that does not depend on the front end (Lab,
Notebook 7, Voila, nbclient) or on how deep the calling code is. The calling thread waits for it, so
nothing else runs concurrently and import order is unchanged.
"""

from __future__ import annotations

import importlib
import sys
import threading
from typing import Any

import plotly.graph_objects as go

WIDGET_MODULE = "plotly.basewidget"


def load_widget_module() -> None:
    """Import ``plotly.basewidget`` (once) in a fresh thread and wait for it; re-raise its error here."""
    if WIDGET_MODULE in sys.modules:
        return
    errors: list[BaseException] = []

    def target() -> None:
        try:
            importlib.import_module(WIDGET_MODULE)
        except BaseException as exc:  # handed to the calling thread below
            errors.append(exc)

    thread = threading.Thread(target=target, name="lessonkit-import-plotly-widgets", daemon=True)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


FIGURE_WIDGET_CLASS = "lk-figure-widget"  # the CSS class the browser tests look for (docs/architecture.md)


def figure_widget(fig: go.Figure | dict[str, Any] | None = None) -> go.FigureWidget:
    """A ``go.FigureWidget`` of ``fig`` with the class ``lk-figure-widget``; its module is loaded by
    :func:`load_widget_module` first."""
    load_widget_module()
    widget = go.FigureWidget(fig)
    widget.add_class(FIGURE_WIDGET_CLASS)
    return widget


def is_figure_widget(obj: object) -> bool:
    """Whether ``obj`` is a plotly FigureWidget, answered without importing plotly's widget module."""
    module = sys.modules.get(WIDGET_MODULE)
    return module is not None and isinstance(obj, module.BaseFigureWidget)
