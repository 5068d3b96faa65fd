"""JupyterLite: what the lessons say about saving in a browser-only kernel, and the site tool's pins.

The browser run of the whole site is tests/browser/test_lite.py; these run anywhere, in a second.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest

from lessonkit.lesson import Lesson

ROOT = Path(__file__).resolve().parents[1]


def _note(lesson: Lesson) -> str:
    box = lesson.where_answers_are()
    return box.children[0].value


def test_where_answers_are_in_a_browser_kernel_says_browser_storage(answers, monkeypatch):
    monkeypatch.setattr(sys, "platform", "emscripten")
    text = _note(Lesson("07", answers=answers))
    assert "in this browser's storage" in text
    assert "Download my work" in text
    assert "Clearing this browser's data for the site deletes them" in text
    assert "private window keeps nothing" in text
    assert "before you clear it" in text
    assert "Binder" not in text  # no server session to speak of
    assert "<code>" in text and "07" in text  # the folder is still named (it shows in JupyterLite's file browser)


def test_where_answers_are_elsewhere_is_unchanged(answers, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    text = _note(Lesson("07", answers=answers))
    assert "browser's storage" not in text
    assert "On Binder the session is temporary" in text
    assert "Download my work" in text


def _build_lite():
    spec = importlib.util.spec_from_file_location("build_lite", ROOT / "tools" / "build_lite.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lite_extra_pins_the_build_tools_the_tool_checks():
    """The [lite] extra installs exactly the versions tools/build_lite.py insists on."""
    tool = _build_lite()
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"][
        "lite"
    ]
    pinned = {}
    for req in extra:
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[^\]]*\])?==([^;\s]+)", req.strip())
        if m:
            pinned[m.group(1).lower()] = m.group(3)
    assert pinned == {k.lower(): v for k, v in tool.BUILD_TOOLS.items()}
    assert any(r.startswith("jupyter-server") for r in extra)


def test_lite_pins_are_exact_and_the_extensions_match_the_kernel_wheels():
    tool = _build_lite()
    for name, version in {**tool.KERNEL_WHEELS, **tool.EXTENSION_WHEELS}.items():
        assert re.fullmatch(r"\d+(\.\d+)+", version), (name, version)
    assert tool.EXTENSION_WHEELS["plotly"] == tool.KERNEL_WHEELS["plotly"]
    assert "lessonkit" in tool.PRELOAD
    # What lessonkit needs at run time is in the kernel.
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    for dep in deps:
        name = re.match(r"[A-Za-z0-9_.-]+", dep).group(0).lower()
        assert name in tool.KERNEL_WHEELS, f"lessonkit needs {name}; the Lite kernel lacks it"


def test_landing_page_links_every_lesson_and_says_where_answers_stay():
    tool = _build_lite()
    lessons = []
    for path in tool.lesson_notebooks():
        title, summary = tool.lesson_title(json.loads(path.read_text(encoding="utf-8")))
        assert title, path
        lessons.append({"file": path.name, "title": title, "summary": summary})
    page = tool.landing_page(lessons, {"jupyterlite-core": "0.8.6", "python": "3.14", "lessonkit": "0.1.0"})
    for lesson in lessons:
        assert f'href="./{tool.LESSON_APP}/index.html?path={lesson["file"]}"' in page
    assert "Your answers stay in this browser" in page
    assert "Download my work" in page
    assert "private window" in page
    # JupyterLite's pages read their settings from the root page: the config block must be there.
    assert '<script id="jupyter-config-data" type="application/json" data-jupyter-lite-root=".">{}</script>' in page
    assert not re.search(r"(src|href)=\"https?://", page)


@pytest.mark.parametrize(
    "text, title",
    [("# 07 · The Red Guard\n\n*How it grew.*", ("07 · The Red Guard", "How it grew.")), ("No heading here", ("", ""))],
)
def test_lesson_title(text, title):
    tool = _build_lite()
    assert tool.lesson_title({"cells": [{"cell_type": "markdown", "source": text}]}) == title
