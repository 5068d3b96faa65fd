"""The code is ruff-clean (lint rules and line length from pyproject.toml)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_mypy_is_clean_on_the_layers_without_widgets() -> None:
    """model/, checks/ and render/ type-check (the files are listed in pyproject's [tool.mypy])."""
    mypy = shutil.which("mypy") or str(Path(sys.executable).with_name("mypy"))
    if not Path(mypy).exists():
        pytest.skip("mypy is not installed (pip install -e '.[test]')")
    result = subprocess.run([mypy], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed (pip install -e '.[test]')")
    result = subprocess.run([ruff, "check", "src", "tests", "tools", "bench"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


COLOUR = re.compile(r"#[0-9A-Fa-f]{6}\b|rgba?\(")


def test_every_colour_is_named_in_the_theme() -> None:
    """A colour is written once, in render/theme.py; figures, widgets and pages use its name."""
    src = ROOT / "src" / "lessonkit"
    found = [
        f"{path.relative_to(src)}:{number}: {line.strip()}"
        for path in sorted(src.rglob("*.py"))
        if path.name != "theme.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if COLOUR.search(line)
    ]
    assert found == [], "colours typed outside render/theme.py:\n" + "\n".join(found)


def test_the_printable_pages_define_every_colour_variable_they_use() -> None:
    from lessonkit.render.theme import PAGE_COLOURS, css_colours
    from lessonkit.teacher import guide, handouts, portfolio, printable

    css = printable.BASE_CSS + guide.GUIDE_CSS + handouts.HANDOUT_CSS + portfolio.PORTFOLIO_CSS
    used = set(re.findall(r"var\(--lk-([a-z-]+)\)", css))
    assert used and used <= set(PAGE_COLOURS), sorted(used - set(PAGE_COLOURS))
    assert all(f"--lk-{name}: {value};" in css_colours() for name, value in PAGE_COLOURS.items())
    page = printable.page("T", "<p>x</p>", "")
    assert page.index(css_colours()) < page.index("var(--lk-ink)")
